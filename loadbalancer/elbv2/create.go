package elbv2

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// OwnerTag marks a target group CreateBalancer made: its value is the ARN of the balancer
// the group was made for. DestroyBalancer deletes the groups that carry its ARN and that no
// other balancer uses, and no others.
const OwnerTag = "lbcloud:balancer"

// plan is a checked CreateRequest.
type plan struct {
	req        driver.CreateRequest
	protocol   types.ProtocolEnum
	groupPort  int32
	algorithm  string // the attribute value to set, "" for the default
	targetType types.TargetTypeEnum
	members    []driver.Member // resolved
}

// CreateBalancer creates, in order, the balancer (in the given subnets, else in the default
// subnets of the given zones or of all zones), a target group (of instances, or of IP
// addresses when every member is given only by an address no instance holds), a listener
// forwarding to it, and the members as targets. If a step fails, the steps before it are
// undone, the last first. Arguments are checked and members resolved before anything is
// made.
//
// As on AWS, asking again for a balancer that exists with the same type, scheme and a
// listener on the same port and protocol returns it (registering any members given) and
// makes nothing; one that exists with another configuration is ErrAlreadyExists.
func (d *lbDriver) CreateBalancer(ctx context.Context, req driver.CreateRequest) (*driver.LoadBalancer, error) {
	p, err := d.plan(ctx, req)
	if err != nil {
		return nil, err
	}
	switch existing, err := d.describe(ctx, req.Name); {
	case err == nil:
		return d.createExisting(ctx, existing, p)
	case !errors.Is(err, driver.ErrNotFound):
		return nil, err
	}
	subnets, err := d.subnetsFor(ctx, req)
	if err != nil {
		return nil, err
	}
	var undo undoStack
	lb, err := d.c.CreateLoadBalancer(ctx, &elbv2sdk.CreateLoadBalancerInput{
		Name: aws.String(req.Name), Type: d.typ.sdkType(), Subnets: subnets, SecurityGroups: req.SecurityGroups,
		Scheme: types.LoadBalancerSchemeEnum(req.Scheme), Tags: toSDKTags(req.Tags),
	})
	if err != nil {
		return nil, err
	}
	lbARN := aws.ToString(lb.LoadBalancerArn)
	undo.push(func(ctx context.Context) error { return d.c.DeleteLoadBalancer(ctx, lbARN) })
	name := groupName(req.Name)
	tg, err := d.c.CreateTargetGroup(ctx, &elbv2sdk.CreateTargetGroupInput{
		Name: aws.String(name), Protocol: p.protocol, Port: aws.Int32(p.groupPort),
		VpcId: lb.VpcId, TargetType: p.targetType, Tags: toSDKTags(map[string]string{OwnerTag: lbARN}),
	})
	if err != nil {
		if !refused(err) {
			undo.push(func(ctx context.Context) error { return d.deleteGroupNamed(ctx, name) })
		}
		return nil, undo.fail(ctx, err)
	}
	tgARN := aws.ToString(tg.TargetGroupArn)
	undo.push(func(ctx context.Context) error { return d.c.DeleteTargetGroup(ctx, tgARN) })
	if p.algorithm != "" {
		if _, err := d.c.ModifyTargetGroupAttributes(ctx, tgARN, map[string]string{algorithmAttr: p.algorithm}); err != nil {
			return nil, undo.fail(ctx, err)
		}
	}
	in := &elbv2sdk.CreateListenerInput{LoadBalancerArn: aws.String(lbARN), Port: aws.Int32(int32(req.Port)),
		Protocol: p.protocol, DefaultActions: forwardTo(tgARN)}
	if req.CertificateID != "" {
		in.Certificates = certificates([]string{req.CertificateID})
	}
	l, err := d.c.CreateListener(ctx, in)
	if err != nil {
		if !refused(err) {
			undo.push(func(ctx context.Context) error { return d.deleteListenersTo(ctx, lbARN, tgARN) })
		}
		return nil, undo.fail(ctx, err)
	}
	undo.push(func(ctx context.Context) error { return d.c.DeleteListener(ctx, aws.ToString(l.ListenerArn)) })
	if len(p.members) > 0 {
		if err := d.c.RegisterTargets(ctx, tgARN, targetList(p.members)...); err != nil {
			return nil, undo.fail(ctx, err)
		}
	}
	return d.created(ctx, lbARN, p.members, p.groupPort)
}

// refused reports a failure the service answered: nothing was made. Any other failure (the
// caller's cancellation, a broken connection) may have made the thing all the same, so its
// undo finds it by what the driver knows: the group's name, the listener's group.
func refused(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae)
}

// plan checks a request and resolves its members, before anything is made.
func (d *lbDriver) plan(ctx context.Context, req driver.CreateRequest) (plan, error) {
	p := plan{req: req}
	var err error
	if p.protocol, err = d.protocol(req.Protocol); err != nil {
		return p, err
	}
	if p.algorithm, err = d.algorithmValue(req.Algorithm); err != nil {
		return p, err
	}
	if p.algorithm == albAlgorithms[driver.RoundRobin] {
		p.algorithm = "" // the default: no call needed
	}
	if needsCertificate(p.protocol) && req.CertificateID == "" {
		return p, driver.Invalid(d.Provider(), "a %s listener needs a certificate (CertificateID, an ACM or IAM certificate ARN)", p.protocol)
	}
	if !needsCertificate(p.protocol) && req.CertificateID != "" {
		return p, driver.Invalid(d.Provider(), "a %s listener takes no certificate", p.protocol)
	}
	p.groupPort = int32(req.InstancePort)
	for _, m := range req.Members {
		if p.groupPort == 0 && m.Port != 0 {
			p.groupPort = int32(m.Port)
		}
	}
	if p.groupPort == 0 {
		p.groupPort = int32(req.Port)
	}
	if p.targetType, p.members, err = d.planTargets(ctx, req.Members); err != nil {
		return p, err
	}
	return p, nil
}

// subnetsFor is the request's subnets, else the default subnets of its zones (or of every
// zone). An Application Load Balancer needs subnets in two zones at least.
func (d *lbDriver) subnetsFor(ctx context.Context, req driver.CreateRequest) ([]string, error) {
	if len(req.Subnets) > 0 {
		return req.Subnets, nil
	}
	subs, err := d.ec2.DefaultSubnets(ctx, req.Zones)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(subs))
	zones := map[string]bool{}
	for i, s := range subs {
		ids[i] = s.ID
		zones[s.Zone] = true
	}
	need := 1
	if d.typ == ALB {
		need = 2
	}
	if len(zones) < need {
		return nil, driver.Invalid(d.Provider(), "an %s needs subnets in %d availability zone(s); the default VPC has default subnets in %d%s: give Subnets",
			d.longName(), need, len(zones), zonesNote(req.Zones))
	}
	return ids, nil
}

func zonesNote(zones []string) string {
	if len(zones) == 0 {
		return ""
	}
	return " of " + strings.Join(zones, ", ")
}

// createExisting answers a create for a balancer that exists: the same configuration is
// success (members given are registered with its member group), another is an error.
func (d *lbDriver) createExisting(ctx context.Context, existing types.LoadBalancer, p plan) (*driver.LoadBalancer, error) {
	arn := aws.ToString(existing.LoadBalancerArn)
	lb := toBalancer(existing)
	l, err := d.layoutOf(ctx, arn)
	if err != nil {
		return nil, err
	}
	withListeners(lb, l.listeners, l.groups)
	differs := func(what string) (*driver.LoadBalancer, error) {
		return nil, &driver.Error{Kind: driver.ErrAlreadyExists, Provider: d.Provider(), Op: "CreateLoadBalancer",
			Code: "DuplicateLoadBalancerName", Message: "a load balancer named " + p.req.Name + " exists with another " + what}
	}
	if p.req.Scheme != "" && p.req.Scheme != lb.Scheme {
		return differs("scheme")
	}
	if len(p.req.Subnets) > 0 && !sameSet(p.req.Subnets, lb.Subnets) {
		return differs("set of subnets")
	}
	i := slices.IndexFunc(lb.Listeners, func(ls driver.Listener) bool { return ls.Port == p.req.Port })
	if i < 0 || lb.Listeners[i].Protocol != driver.Protocol(p.protocol) {
		return differs("listener configuration")
	}
	var members []driver.Member
	if len(p.req.Members) > 0 {
		// Resolved again for the group that exists, whose target type may differ from the plan's.
		if members, err = d.AttachMembers(ctx, arn, p.req.Members); err != nil {
			return nil, err
		}
	}
	return d.created(ctx, arn, members, 0)
}

// created is the balancer as CreateBalancer returns it: described, with the members it
// registered; a member without a port has the group's.
func (d *lbDriver) created(ctx context.Context, arn string, members []driver.Member, groupPort int32) (*driver.LoadBalancer, error) {
	lb, err := d.GetBalancer(ctx, arn)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		if m.Port == 0 {
			m.Port = int(groupPort)
		}
		lb.Members = append(lb.Members, m)
	}
	return lb, nil
}

// groupName names the target group made for balancer name: as much of the name as fits
// with a random suffix, so that it never takes over a group of the same name.
func groupName(name string) string {
	b := make([]byte, 4)
	rand.Read(b)
	base := strings.TrimRight(name[:min(len(name), 23)], "-")
	return base + "-" + hex.EncodeToString(b)
}

func forwardTo(tgARN string) []types.Action {
	return []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tgARN)}}
}

func sameSet(a, b []string) bool {
	return slices.Equal(uniq(a), uniq(b))
}
