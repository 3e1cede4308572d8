package elbv2

import (
	"strconv"

	"github.com/lbcloud/lbcloud/elbserver/catalog"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
)

// Account limits, as DescribeAccountLimits names them.
const (
	limitALBs                = "application-load-balancers"
	limitNLBs                = "network-load-balancers"
	limitGWLBs               = "gateway-load-balancers"
	limitGWLBsPerVPC         = "gateway-load-balancers-per-vpc"
	limitTargetGroups        = "target-groups"
	limitGeneveGroups        = "geneve-target-groups"
	limitListenersALB        = "listeners-per-application-load-balancer"
	limitListenersNLB        = "listeners-per-network-load-balancer"
	limitRulesALB            = "rules-per-application-load-balancer"
	limitTargetsALB          = "targets-per-application-load-balancer"
	limitTargetsNLB          = "targets-per-network-load-balancer"
	limitTargetsPerGroup     = "targets-per-target-group"
	limitRegistrationsALB    = "target-id-registrations-per-application-load-balancer"
	limitConditionValues     = "condition-values-per-alb-rule"
	limitConditionWildcards  = "condition-wildcards-per-alb-rule"
	limitGroupsPerALB        = "target-groups-per-application-load-balancer"
	limitGroupsPerActionALB  = "target-groups-per-action-on-application-load-balancer"
	limitGroupsPerActionNLB  = "target-groups-per-action-on-network-load-balancer"
	limitCertificatesALB     = "certificates-per-application-load-balancer"
	limitCertificatesNLB     = "certificates-per-network-load-balancer"
	limitTargetsPerZoneNLB   = "targets-per-availability-zone-per-network-load-balancer"
	limitTargetsPerZoneGWLB  = "targets-per-availability-zone-per-gateway-load-balancer"
	limitNLBENIsPerVPC       = "network-load-balancer-enis-per-vpc"
	maxTrustStores           = 20 // per account and region; not among DescribeAccountLimits' names
	maxCAsPerTrustStore      = 25
	maxRevocationFiles       = 30
	maxRevokedPerTrustStore  = 500000
	maxVerifyListenersPerLB  = 2 // listeners verifying clients (mTLS verify mode) per balancer
	maxTagsPerResource       = 50
	maxResourcesPerTagAction = 20
)

// limits are the room's account limits with AWS's defaults, in DescribeAccountLimits order.
// Those per zone and the ENIs per VPC are reported but not enforced: the endpoint does not
// know the zone of every target, nor places network interfaces.
var limits = []room.Limit{
	{Name: limitTargetGroups, Default: 3000},
	{Name: limitTargetsALB, Default: 1000},
	{Name: limitListenersALB, Default: 50},
	{Name: limitRulesALB, Default: 100},
	{Name: limitNLBs, Default: 50},
	{Name: limitTargetsNLB, Default: 3000},
	{Name: limitTargetsPerZoneNLB, Default: 500},
	{Name: limitListenersNLB, Default: 50},
	{Name: limitConditionValues, Default: 5},
	{Name: limitConditionWildcards, Default: 5},
	{Name: limitGroupsPerALB, Default: 100},
	{Name: limitGroupsPerActionALB, Default: 5},
	{Name: limitGroupsPerActionNLB, Default: 1},
	{Name: limitCertificatesALB, Default: 25},
	{Name: limitCertificatesNLB, Default: 25},
	{Name: limitTargetsPerGroup, Default: 1000},
	{Name: limitRegistrationsALB, Default: 1000},
	{Name: limitNLBENIsPerVPC, Default: 1200},
	{Name: limitALBs, Default: 50},
	{Name: limitGWLBs, Default: 100},
	{Name: limitGWLBsPerVPC, Default: 100},
	{Name: limitGeneveGroups, Default: 100},
	{Name: limitTargetsPerZoneGWLB, Default: 300},
}

func (r *Room) limit(name string) int { return r.env.Limits.Get(name) }

type xmlLimit struct {
	Name string `xml:"Name"`
	Max  string `xml:"Max"`
}

type accountLimitsResult struct {
	Limits     []xmlLimit `xml:"Limits>member"`
	NextMarker string     `xml:"NextMarker,omitempty"`
}

func (r *Room) describeAccountLimits(c *query.Call) (any, error) {
	start, size, err := indexPage(c.Params, len(limits))
	if err != nil {
		return nil, err
	}
	var res accountLimitsResult
	end := min(start+size, len(limits))
	for _, l := range limits[start:end] {
		res.Limits = append(res.Limits, xmlLimit{l.Name, strconv.Itoa(r.limit(l.Name))})
	}
	if end < len(limits) {
		res.NextMarker = encodeIndexMarker(end)
	}
	return &res, nil
}

type xmlCipher struct {
	Name     string `xml:"Name"`
	Priority int    `xml:"Priority"`
}

type xmlSSLPolicy struct {
	SslProtocols               []string    `xml:"SslProtocols>member"`
	Ciphers                    []xmlCipher `xml:"Ciphers>member"`
	Name                       string      `xml:"Name"`
	SupportedLoadBalancerTypes []string    `xml:"SupportedLoadBalancerTypes>member"`
}

type sslPoliciesResult struct {
	SslPolicies []xmlSSLPolicy `xml:"SslPolicies>member"`
	NextMarker  string         `xml:"NextMarker,omitempty"`
}

func (r *Room) describeSSLPolicies(c *query.Call) (any, error) {
	names, _, err := c.Params.StrList("Names")
	if err != nil {
		return nil, err
	}
	lbType, _ := c.Params.Str("LoadBalancerType")
	if lbType != "" && !oneOf(lbType, typeALB, typeNLB, typeGWLB) {
		return nil, enumError("LoadBalancerType", lbType, typeALB, typeNLB, typeGWLB)
	}
	var policies []catalog.SSLPolicyV2
	if len(names) > 0 {
		for _, n := range dedupe(names) {
			p, ok := catalog.LookupSSLPolicyV2(n)
			if !ok {
				return nil, errSSLPolicyNotFound(n)
			}
			policies = append(policies, p)
		}
	} else {
		policies = catalog.SSLPoliciesV2()
	}
	var kept []catalog.SSLPolicyV2
	for _, p := range policies {
		if lbType == "" || oneOf(lbType, p.LoadBalancerTypes...) {
			kept = append(kept, p)
		}
	}
	start, size, err := indexPage(c.Params, len(kept))
	if err != nil {
		return nil, err
	}
	var res sslPoliciesResult
	end := min(start+size, len(kept))
	for _, p := range kept[start:end] {
		x := xmlSSLPolicy{SslProtocols: p.Protocols, Name: p.Name, SupportedLoadBalancerTypes: p.LoadBalancerTypes}
		for i, ci := range p.Ciphers {
			x.Ciphers = append(x.Ciphers, xmlCipher{ci, i + 1})
		}
		res.SslPolicies = append(res.SslPolicies, x)
	}
	if end < len(kept) {
		res.NextMarker = encodeIndexMarker(end)
	}
	return &res, nil
}
