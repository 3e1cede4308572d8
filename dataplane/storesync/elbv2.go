package storesync

import (
	"strings"

	"github.com/lbcloud/lbcloud/dataplane"
	"github.com/lbcloud/lbcloud/elbserver/catalog"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// v2part builds the ELBv2 balancers of one partition. Target groups are the engine's groups under
// their ARNs; each is built once, for the balancer whose listeners forward to it (AWS lets a
// group serve one balancer).
type v2part struct {
	*build
	p       *store.Part
	tgs     map[string]*store.V2TargetGroup // by ARN
	tgKeys  map[string]string               // ARN -> record key
	targets map[string][]*store.V2Target    // group key -> registered targets (draining ones left out)
	made    map[string]*dataplane.TargetGroup
}

// genevePort is the port a Gateway Load Balancer's listener has in the engine's model: AWS gives
// it none, and it opens no socket.
const genevePort = 6081

// load reads the partition's target groups and targets.
func (v *v2part) load() error {
	v.tgs, v.tgKeys = map[string]*store.V2TargetGroup{}, map[string]string{}
	v.targets, v.made = map[string][]*store.V2Target{}, map[string]*dataplane.TargetGroup{}
	err := store.V2TargetGroups.ForEach(v.p, func(key string, tg *store.V2TargetGroup) error {
		v.tgs[tg.ARN], v.tgKeys[tg.ARN] = tg, key
		return nil
	})
	if err != nil {
		return err
	}
	return store.V2Targets.ForEach(v.p, func(key string, t *store.V2Target) error {
		if t.Deregistered.IsZero() {
			tgKey, _, _ := strings.Cut(key, "|")
			v.targets[tgKey] = append(v.targets[tgKey], t)
		}
		return nil
	})
}

// balancer adds an Application, Network or Gateway Load Balancer with its listeners and rules.
func (v *v2part) balancer(key string, lb *store.V2LoadBalancer) {
	attrs := attrMap(v.opts.Attributes.LoadBalancer(lb))
	bal := dataplane.Balancer{Key: lb.ARN, Kind: dataplane.Kind(lb.Type), DNSName: lb.DNSName,
		IdleTimeout: seconds(intAttr(attrs, "idle_timeout.timeout_seconds")),
		CrossZone:   attrs["load_balancing.cross_zone.enabled"] == "true"}
	for _, z := range lb.Zones {
		bal.Zones = append(bal.Zones, z.Zone)
	}
	var groups []*dataplane.TargetGroup
	err := store.V2Listeners.ForEachPrefix(v.p, key+"/", "", func(lkey string, l *store.V2Listener) (bool, error) {
		dl, used, ok := v.listener(lkey, l, lb)
		if ok {
			bal.Listeners = append(bal.Listeners, dl)
			groups = append(groups, used...)
		}
		return true, nil
	})
	if err != nil {
		v.log.Error("storesync: balancer not served: its listeners cannot be read", "arn", lb.ARN, "error", err)
		return
	}
	v.addBalancer(bal, balancerRef{Account: v.p.Account, Region: v.p.Region, Name: lb.Name, ARN: lb.ARN,
		Type: lb.Type, DNSName: lb.DNSName}, groups)
}

// listener maps one listener and its rules; ok is false for one the engine cannot serve (QUIC).
func (v *v2part) listener(key string, l *store.V2Listener, lb *store.V2LoadBalancer) (dataplane.Listener, []*dataplane.TargetGroup, bool) {
	dl := dataplane.Listener{Port: l.Port, Protocol: dataplane.Protocol(l.Protocol), ALPNPolicy: l.ALPNPolicy,
		SecurityPolicy: l.SSLPolicy}
	switch l.Protocol {
	case "QUIC", "TCP_QUIC":
		return dl, nil, false
	case "":
		dl.Port, dl.Protocol = genevePort, dataplane.GENEVE
	case "HTTPS", "TLS":
		for _, arn := range append([]string{l.Certificate}, l.Certificates...) {
			if arn != "" {
				dl.Certificates = append(dl.Certificates, v.certificate(v.p, arn, lb.DNSName))
			}
		}
		if pol, ok := catalog.LookupSSLPolicyV2(l.SSLPolicy); ok {
			dl.TLSPolicy = &dataplane.TLSPolicy{Protocols: pol.Protocols, Ciphers: pol.Ciphers}
		}
	}
	if l.Protocol == "TCP" && lb.Type == "network" {
		dl.IdleTimeout = seconds(intAttr(attrMap(v.opts.Attributes.Listener(l, lb.Type)), "tcp.idle_timeout.seconds"))
	}
	var used []*dataplane.TargetGroup
	def, g := v.actions(l.DefaultActions)
	dl.Rules = append(dl.Rules, dataplane.Rule{Actions: def})
	used = append(used, g...)
	err := store.V2Rules.ForEachPrefix(v.p, key+"/", "", func(_ string, r *store.V2Rule) (bool, error) {
		acts, g := v.actions(r.Actions)
		dl.Rules = append(dl.Rules, dataplane.Rule{Priority: r.Priority, Conditions: conditions(r.Conditions),
			Actions: acts, Transforms: transforms(r.Transforms)})
		used = append(used, g...)
		return true, nil
	})
	if err != nil {
		v.log.Error("storesync: listener not served: its rules cannot be read", "arn", l.ARN, "error", err)
		return dl, nil, false
	}
	return dl, used, true
}

// actions maps a rule's actions; forward actions name their groups by ARN, which are built here.
func (v *v2part) actions(acts []store.V2Action) ([]dataplane.Action, []*dataplane.TargetGroup) {
	var out []dataplane.Action
	var used []*dataplane.TargetGroup
	for _, a := range acts {
		da := dataplane.Action{Type: dataplane.ActionType(a.Type), Order: a.Order}
		switch {
		case a.Forward != nil:
			fw := &dataplane.Forward{}
			if a.Forward.Stickiness {
				fw.StickinessDuration = seconds(a.Forward.Duration)
			}
			for _, wg := range a.Forward.TargetGroups {
				g := v.group(wg.ARN)
				if g == nil {
					continue
				}
				fw.TargetGroups = append(fw.TargetGroups, dataplane.WeightedGroup{Key: g.Key, Weight: wg.Weight})
				used = append(used, g)
			}
			da.Forward = fw
		case a.Redirect != nil:
			r := a.Redirect
			da.Redirect = &dataplane.Redirect{Protocol: r.Protocol, Host: r.Host, Port: r.Port, Path: r.Path,
				Query: r.Query, StatusCode: r.StatusCode}
		case a.Fixed != nil:
			da.FixedResponse = &dataplane.FixedResponse{StatusCode: a.Fixed.StatusCode, ContentType: a.Fixed.ContentType,
				MessageBody: a.Fixed.Body}
		}
		out = append(out, da)
	}
	return out, used
}

// conditions maps rule conditions, given at the top level (the older form) or in their field's
// config.
func conditions(conds []store.V2Condition) []dataplane.Condition {
	out := make([]dataplane.Condition, 0, len(conds))
	for _, c := range conds {
		dc := dataplane.Condition{Field: c.Field, Values: c.Values, RegexValues: c.RegexValues}
		if cfg := c.Config; cfg != nil {
			dc.HeaderName = cfg.HeaderName
			dc.Values = append(dc.Values, cfg.Values...)
			dc.RegexValues = append(dc.RegexValues, cfg.RegexValues...)
			for _, q := range cfg.Query {
				dc.QueryValues = append(dc.QueryValues, dataplane.KeyValue{Key: q.Key, Value: q.Value})
			}
		}
		out = append(out, dc)
	}
	return out
}

// transforms maps rule transforms: each has one rewrite.
func transforms(ts []store.V2Transform) []dataplane.Transform {
	var out []dataplane.Transform
	for _, t := range ts {
		for _, rw := range t.Rewrites {
			out = append(out, dataplane.Transform{Type: t.Type, Regex: rw.Regex, Replace: rw.Replace})
		}
	}
	return out
}
