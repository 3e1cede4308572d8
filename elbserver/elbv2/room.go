// Package elbv2 is the endpoint's Elastic Load Balancing v2 room (Query API 2015-12-01):
// Application, Network and Gateway Load Balancers, their listeners, rules, target groups,
// targets and trust stores; all 51 actions, their validation and their XML. It shares the
// elasticloadbalancing service with the Classic room; the Version tells them apart.
package elbv2

import (
	"context"
	"errors"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

const (
	// APIVersion and Namespace of the ELBv2 Query API.
	APIVersion = "2015-12-01"
	Namespace  = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
)

// ObjectSource reads S3 objects: trust stores' CA bundles and revocation lists. version ""
// is the current one. A missing bucket, object or version is an error matching
// ErrObjectNotFound.
type ObjectSource interface {
	Object(ctx context.Context, account, region, bucket, key, version string) ([]byte, error)
}

// ErrObjectNotFound is matched (errors.Is) by an ObjectSource's error for a missing object.
var ErrObjectNotFound = errors.New("object not found")

// CertificateSource says whether a certificate (ACM or IAM) exists, for strict mode.
type CertificateSource interface {
	Known(ctx context.Context, account, region, arn string) (bool, error)
}

// Sources are what the room reads from other rooms. A nil Objects finds nothing; with a nil
// Certificates every well-formed certificate ARN is accepted, in strict mode too.
type Sources struct {
	Objects      ObjectSource
	Certificates CertificateSource
}

// Room is the ELBv2 room.
type Room struct {
	env *room.Env
	ec2 *ec2.Room
	src Sources
}

// New returns the ELBv2 room over env, placing balancers with the EC2 room and reading
// objects and certificates from src.
func New(env *room.Env, e *ec2.Room, src Sources) *Room {
	return &Room{env: env, ec2: e, src: src}
}

// Room declares the room to the endpoint.
func (r *Room) Room() room.Room {
	return room.Room{
		Service: "elasticloadbalancing",
		Limits:  limits,
		Views:   []room.View{lbViews, tgViews, listenerViews, ruleViews},
		Query: &query.API{
			Version:   APIVersion,
			Namespace: Namespace,
			Style:     query.StyleQuery,
			Actions:   withValidation(r.actions()),
		},
	}
}

func (r *Room) actions() map[string]query.Handler {
	return map[string]query.Handler{
		"AddListenerCertificates":           r.addListenerCertificates,
		"AddTags":                           r.addTags,
		"AddTrustStoreRevocations":          r.addTrustStoreRevocations,
		"CreateListener":                    r.createListener,
		"CreateLoadBalancer":                r.createLoadBalancer,
		"CreateRule":                        r.createRule,
		"CreateTargetGroup":                 r.createTargetGroup,
		"CreateTrustStore":                  r.createTrustStore,
		"DeleteListener":                    r.deleteListener,
		"DeleteLoadBalancer":                r.deleteLoadBalancer,
		"DeleteRule":                        r.deleteRule,
		"DeleteSharedTrustStoreAssociation": r.deleteSharedTrustStoreAssociation,
		"DeleteTargetGroup":                 r.deleteTargetGroup,
		"DeleteTrustStore":                  r.deleteTrustStore,
		"DeregisterTargets":                 r.deregisterTargets,
		"DescribeAccountLimits":             r.describeAccountLimits,
		"DescribeCapacityReservation":       r.describeCapacityReservation,
		"DescribeListenerAttributes":        r.describeListenerAttributes,
		"DescribeListenerCertificates":      r.describeListenerCertificates,
		"DescribeListeners":                 r.describeListeners,
		"DescribeLoadBalancerAttributes":    r.describeLoadBalancerAttributes,
		"DescribeLoadBalancers":             r.describeLoadBalancers,
		"DescribeRules":                     r.describeRules,
		"DescribeSSLPolicies":               r.describeSSLPolicies,
		"DescribeTags":                      r.describeTags,
		"DescribeTargetGroupAttributes":     r.describeTargetGroupAttributes,
		"DescribeTargetGroups":              r.describeTargetGroups,
		"DescribeTargetHealth":              r.describeTargetHealth,
		"DescribeTrustStoreAssociations":    r.describeTrustStoreAssociations,
		"DescribeTrustStoreRevocations":     r.describeTrustStoreRevocations,
		"DescribeTrustStores":               r.describeTrustStores,
		"GetResourcePolicy":                 r.getResourcePolicy,
		"GetTrustStoreCaCertificatesBundle": r.getTrustStoreCaCertificatesBundle,
		"GetTrustStoreRevocationContent":    r.getTrustStoreRevocationContent,
		"ModifyCapacityReservation":         r.modifyCapacityReservation,
		"ModifyIpPools":                     r.modifyIPPools,
		"ModifyListener":                    r.modifyListener,
		"ModifyListenerAttributes":          r.modifyListenerAttributes,
		"ModifyLoadBalancerAttributes":      r.modifyLoadBalancerAttributes,
		"ModifyRule":                        r.modifyRule,
		"ModifyTargetGroup":                 r.modifyTargetGroup,
		"ModifyTargetGroupAttributes":       r.modifyTargetGroupAttributes,
		"ModifyTrustStore":                  r.modifyTrustStore,
		"RegisterTargets":                   r.registerTargets,
		"RemoveListenerCertificates":        r.removeListenerCertificates,
		"RemoveTags":                        r.removeTags,
		"RemoveTrustStoreRevocations":       r.removeTrustStoreRevocations,
		"SetIpAddressType":                  r.setIPAddressType,
		"SetRulePriorities":                 r.setRulePriorities,
		"SetSecurityGroups":                 r.setSecurityGroups,
		"SetSubnets":                        r.setSubnets,
	}
}

// withValidation reports a missing parameter as ELBv2 does: a ValidationError, not the
// MissingParameter of the shared readers.
func withValidation(actions map[string]query.Handler) map[string]query.Handler {
	for name, h := range actions {
		actions[name] = func(c *query.Call) (any, error) {
			res, err := h(c)
			var qe *query.Error
			if errors.As(err, &qe) && qe.Code == "MissingParameter" {
				err = missing(strings.TrimPrefix(qe.Message, "The request must contain the parameter "))
			}
			return res, err
		}
	}
	return actions
}

// missing is the ValidationError for a parameter that must be given.
func missing(name string) *query.Error {
	return query.Validation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", name)
}

func (r *Room) view(c *query.Call, fn func(p *store.Part) error) error {
	return r.env.Store.View(c.Account, c.Region, fn)
}

func (r *Room) update(c *query.Call, fn func(p *store.Part) error) error {
	return r.env.Store.Update(c.Account, c.Region, fn)
}
