package elbv2

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// UpdateBalancer changes what ELBv2 can change in place: the first listener's port and
// protocol (one ModifyListener call) and, for an Application Load Balancer, the algorithm of
// the member group (the target group attribute load_balancing.algorithm.type). If the
// algorithm cannot be set after the listener changed, the listener is changed back. A
// balancer cannot be renamed, a listener cannot take a protocol its target group does not
// speak (an NLB's TCP listener and TCP group cannot become UDP), and a Network Load Balancer
// has no algorithm but FLOW_HASH: all are ErrUnsupported.
func (d *lbDriver) UpdateBalancer(ctx context.Context, id string, req driver.UpdateRequest) (*driver.LoadBalancer, error) {
	alg, err := d.algorithmValue(req.Algorithm)
	if err != nil {
		return nil, err
	}
	desc, err := d.describe(ctx, id)
	if err != nil {
		return nil, err
	}
	if req.Name != "" && req.Name != aws.ToString(desc.LoadBalancerName) {
		return nil, driver.Unsupported(d.Provider(), "an ELBv2 load balancer cannot be renamed")
	}
	arn := aws.ToString(desc.LoadBalancerArn)
	if req.Port == 0 && req.Protocol == "" && alg == "" {
		return d.GetBalancer(ctx, arn)
	}
	l, err := d.layoutOf(ctx, arn)
	if err != nil {
		return nil, err
	}
	if len(l.listeners) == 0 {
		return nil, driver.Invalid(d.Provider(), "load balancer %q has no listener to change", id)
	}
	first := sortListeners(l.listeners)[0]
	var undo undoStack
	if req.Port != 0 || req.Protocol != "" {
		back, err := d.modifyListener(ctx, first, l.groups[forwardGroup(first.DefaultActions)], req)
		if err != nil {
			return nil, err
		}
		if back != nil {
			undo.push(func(ctx context.Context) error { _, err := d.c.ModifyListener(ctx, back); return err })
		}
	}
	if alg != "" {
		tg := forwardGroup(first.DefaultActions)
		if tg == "" {
			return nil, undo.fail(ctx, driver.Invalid(d.Provider(), "the first listener of %q forwards to no target group, so it has no algorithm", id))
		}
		if _, err := d.c.ModifyTargetGroupAttributes(ctx, tg, map[string]string{algorithmAttr: alg}); err != nil {
			return nil, undo.fail(ctx, err)
		}
	}
	return d.GetBalancer(ctx, arn)
}

// modifyListener changes a listener's port and protocol as req asks, and returns the input
// that changes it back (nil when nothing changed). A protocol the listener's target group tg
// cannot take is refused before any change: the group would have to be replaced.
func (d *lbDriver) modifyListener(ctx context.Context, l types.Listener, tg types.TargetGroup, req driver.UpdateRequest) (*elbv2sdk.ModifyListenerInput, error) {
	port, proto := aws.ToInt32(l.Port), l.Protocol
	if req.Port != 0 {
		port = int32(req.Port)
	}
	if req.Protocol != "" {
		p, err := d.protocol(req.Protocol)
		if err != nil {
			return nil, err
		}
		proto = p
	}
	if port == aws.ToInt32(l.Port) && proto == l.Protocol {
		return nil, nil
	}
	if tg.Protocol != "" && !slices.Contains(groupProtocols[proto], tg.Protocol) {
		return nil, driver.Unsupported(d.Provider(), "a %s listener cannot forward to listener %d's %s target group; make one with Client.CreateTargetGroup and change the listener with Client.ModifyListener",
			proto, aws.ToInt32(l.Port), tg.Protocol)
	}
	if needsCertificate(proto) && len(l.Certificates) == 0 {
		return nil, driver.Invalid(d.Provider(), "a %s listener needs a certificate, and listener %d has none: add one with Client.ModifyListener", proto, aws.ToInt32(l.Port))
	}
	arn := l.ListenerArn
	if _, err := d.c.ModifyListener(ctx, &elbv2sdk.ModifyListenerInput{ListenerArn: arn, Port: aws.Int32(port), Protocol: proto}); err != nil {
		return nil, err
	}
	back := &elbv2sdk.ModifyListenerInput{ListenerArn: arn, Port: l.Port, Protocol: l.Protocol}
	if needsCertificate(l.Protocol) {
		back.Certificates, back.SslPolicy = l.Certificates, l.SslPolicy
	}
	return back, nil
}
