package elbv2

import (
	"reflect"
	"slices"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

func (r *Room) createTargetGroup(c *query.Call) (any, error) {
	tg, err := parseCreateTG(c.Params)
	if err != nil {
		return nil, err
	}
	tg.ID, tg.Created = newID(), r.env.Now().UTC()
	tg.ARN = tgARN(c.Region, c.Account, tg.Name, tg.ID)
	var out *tgRec
	err = r.update(c, func(p *store.Part) error {
		if tg.VPCID != "" && r.env.Strict {
			if known, err := ec2.KnownVPCV2(p, tg.VPCID); err != nil || !known {
				return firstErr(err, query.Validation("The VPC ID '%s' is not found", tg.VPCID))
			}
		}
		existingKey, err := store.V2TargetGroups.FirstWithPrefix(p, tg.Name+"/")
		if err != nil {
			return err
		}
		if existingKey != "" {
			existing, err := store.V2TargetGroups.Get(p, existingKey)
			if err != nil {
				return err
			}
			if !sameTGConfig(existing, tg) {
				return sender("DuplicateTargetGroupName", "A target group with the same name '%s' exists, but with different settings", tg.Name)
			}
			out = existing
			return nil
		}
		if err := r.countTG(p, tg, 1); err != nil {
			return err
		}
		out = tg
		return tgViews.Put(p, tgKey(tg), tg)
	})
	if err != nil {
		return nil, err
	}
	return &tgResult{TargetGroups: []xmlTG{tgXML(out)}}, nil
}

// parseCreateTG reads and checks a new target group.
func parseCreateTG(p query.Params) (*tgRec, error) {
	tg := &tgRec{Name: p["Name"], TargetType: targetInstance}
	if err := validName("Name", tg.Name); err != nil {
		return nil, err
	}
	if t, ok := p.Str("TargetType"); ok {
		if !oneOf(t, targetInstance, targetIP, targetLambda, targetALB) {
			return nil, enumError("TargetType", t, targetInstance, targetIP, targetLambda, targetALB)
		}
		tg.TargetType = t
	}
	if err := readTGProtocol(p, tg); err != nil {
		return nil, err
	}
	tg.HealthCheck = defaultHealthCheck(tg)
	if err := readHealthCheck(p, tg, &tg.HealthCheck); err != nil {
		return nil, err
	}
	var err error
	if tg.Tags, _, err = parseTags(p, "Tags"); err != nil {
		return nil, err
	}
	if len(tg.Tags) > maxTagsPerResource {
		return nil, sender("TooManyTags", "A resource can have at most %d tags", maxTagsPerResource)
	}
	return tg, nil
}

// readTGProtocol reads the protocol, version, port, VPC, IP address type and control port,
// which lambda target groups have none of.
func readTGProtocol(p query.Params, tg *tgRec) error {
	if tg.TargetType == targetLambda {
		for _, name := range []string{"Protocol", "ProtocolVersion", "Port", "VpcId", "IpAddressType", "TargetControlPort"} {
			if _, ok := p.Str(name); ok {
				return query.Validation("%s cannot be specified for target groups with target type lambda", name)
			}
		}
		return nil
	}
	proto, err := p.Required("Protocol")
	if err != nil {
		return err
	}
	if !oneOf(proto, allProtocols...) {
		return enumError("Protocol", proto, allProtocols...)
	}
	tg.Protocol = proto
	if tg.Port, err = p.IntReq("Port", 1, 65535); err != nil {
		return err
	}
	if tg.VPCID, err = p.Required("VpcId"); err != nil {
		return err
	}
	if !ec2.VPCIDRE.MatchString(tg.VPCID) {
		return query.Validation("The VPC ID '%s' is not valid", tg.VPCID)
	}
	switch {
	case tg.TargetType == targetALB && proto != protoTCP:
		return query.Validation("Target groups with target type alb must use the TCP protocol")
	case proto == protoGENEVE && tg.Port != genevePort:
		return query.Validation("Target groups with the GENEVE protocol must use port %d", genevePort)
	}
	if v, ok := p.Str("ProtocolVersion"); ok {
		v = strings.ToUpper(v)
		if !isHTTP(proto) {
			return query.Validation("A protocol version can be specified for HTTP and HTTPS target groups only")
		}
		if !oneOf(v, "HTTP1", "HTTP2", grpc) {
			return query.Validation("Protocol version '%s' must be HTTP1, HTTP2 or GRPC", v)
		}
		tg.ProtocolVersion = v
	} else if isHTTP(proto) {
		tg.ProtocolVersion = "HTTP1"
	}
	tg.IPAddressType = ipv4
	if v, ok := p.Str("IpAddressType"); ok {
		if !oneOf(v, ipv4, "ipv6") {
			return enumError("IpAddressType", v, ipv4, "ipv6")
		}
		if v == "ipv6" && tg.TargetType != targetIP {
			return query.Validation("The ipv6 IP address type is supported for target groups with target type ip only")
		}
		tg.IPAddressType = v
	}
	if n, ok, err := p.IntOpt("TargetControlPort", 1, 65535); err != nil {
		return err
	} else if ok {
		if !isHTTP(proto) {
			return query.Validation("A target control port can be specified for HTTP and HTTPS target groups only")
		}
		tg.TargetControlPort = n
	}
	return nil
}

// sameTGConfig decides whether a repeated CreateTargetGroup is the idempotent retry of the
// original one: every setting but the tags equal.
func sameTGConfig(a, b *tgRec) bool {
	return a.TargetType == b.TargetType && a.Protocol == b.Protocol && a.ProtocolVersion == b.ProtocolVersion &&
		a.Port == b.Port && a.VPCID == b.VPCID && a.IPAddressType == b.IPAddressType &&
		a.TargetControlPort == b.TargetControlPort && reflect.DeepEqual(a.HealthCheck, b.HealthCheck)
}

// countTG adds delta target groups, refusing to go over the account limits.
func (r *Room) countTG(p *store.Part, tg *tgRec, delta int) error {
	if delta > 0 {
		n, err := store.V2TargetGroups.Count(p)
		if err != nil {
			return err
		}
		if n >= r.limit(limitTargetGroups) {
			return errTooMany("TooManyTargetGroups", "target groups", r.limit(limitTargetGroups))
		}
	}
	if tg.Protocol != protoGENEVE {
		return nil
	}
	counts, err := store.V2Counters.Get(p, countsKey)
	if err != nil {
		return err
	}
	if counts == nil {
		counts = &store.V2Counts{}
	}
	counts.GeneveGroups += delta
	if delta > 0 && counts.GeneveGroups > r.limit(limitGeneveGroups) {
		return errTooMany("TooManyTargetGroups", "GENEVE target groups", r.limit(limitGeneveGroups))
	}
	return store.V2Counters.Put(p, countsKey, counts)
}

func (r *Room) describeTargetGroups(c *query.Call) (any, error) {
	d, err := readDescribeArgs(c.Params, "TargetGroupArns", "Names")
	if err != nil {
		return nil, err
	}
	arns, arnsGiven, names, namesGiven, size, after := d.arns, d.arnsGiven, d.names, d.namesGiven, d.size, d.after
	lbARN, lbGiven := c.Params.Str("LoadBalancerArn")
	given := 0
	for _, g := range []bool{arnsGiven, namesGiven, lbGiven} {
		if g {
			given++
		}
	}
	if given > 1 {
		return nil, query.Validation("Specify only one of LoadBalancerArn, TargetGroupArns and Names")
	}
	if len(arns) > maxPageSize || len(names) > maxPageSize {
		return nil, query.Validation("At most %d target groups can be described at once", maxPageSize)
	}
	var res tgsResult
	err = r.view(c, func(p *store.Part) error {
		buf := &res.TargetGroups.Members
		var err error
		switch {
		case arnsGiven:
			*buf, err = appendByARN(p, c, *buf, arns)
		case namesGiven:
			*buf, err = appendByName(p, *buf, names)
		case lbGiven:
			var lb *lbRec
			if lb, err = getLB(p, lbARN); err != nil {
				return err
			}
			keys := slices.Sorted(slices.Values(lb.TargetGroups))
			start, _ := slices.BinarySearch(keys, after)
			if start < len(keys) && keys[start] == after {
				start++
			}
			end := min(start+size, len(keys))
			for _, k := range keys[start:end] {
				if *buf, _, err = tgViews.Append(p, *buf, k); err != nil {
					return err
				}
			}
			if end < len(keys) {
				res.NextMarker = encodeMarker(keys[end-1])
			}
		default:
			var last string
			var more bool
			if *buf, last, more, err = tgViews.Scan(p, *buf, after, size); more {
				res.NextMarker = encodeMarker(last)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

func appendByARN(p *store.Part, c *query.Call, buf []byte, arns []string) ([]byte, error) {
	for _, arn := range dedupe(arns) {
		key, ok, err := keyOf(arn, kindTG, c.Account, c.Region)
		if err != nil {
			return buf, err
		}
		found := false
		if ok {
			if buf, found, err = tgViews.Append(p, buf, key); err != nil {
				return buf, err
			}
		}
		if !found {
			return buf, errTGNotFound(arn)
		}
	}
	return buf, nil
}

func appendByName(p *store.Part, buf []byte, names []string) ([]byte, error) {
	for _, name := range dedupe(names) {
		key, err := store.V2TargetGroups.FirstWithPrefix(p, name+"/")
		if err != nil {
			return buf, err
		}
		found := false
		if key != "" {
			if buf, found, err = tgViews.Append(p, buf, key); err != nil {
				return buf, err
			}
		}
		if !found {
			return buf, errTGNotFound(name)
		}
	}
	return buf, nil
}

// updateTG loads the target group of TargetGroupArn in one write transaction, lets fn change
// it and stores it.
func (r *Room) updateTG(c *query.Call, fn func(p *store.Part, tg *tgRec) error) error {
	arn, err := c.Params.Required("TargetGroupArn")
	if err != nil {
		return err
	}
	return r.update(c, func(p *store.Part) error {
		tg, err := getTG(p, arn)
		if err != nil {
			return err
		}
		if err := fn(p, tg); err != nil {
			return err
		}
		return tgViews.Put(p, tgKey(tg), tg)
	})
}

func (r *Room) modifyTargetGroup(c *query.Call) (any, error) {
	var out *tgRec
	err := r.updateTG(c, func(p *store.Part, tg *tgRec) error {
		hc := tg.HealthCheck
		if err := readHealthCheck(c.Params, tg, &hc); err != nil {
			return err
		}
		tg.HealthCheck, out = hc, tg
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &tgResult{TargetGroups: []xmlTG{tgXML(out)}}, nil
}

func (r *Room) deleteTargetGroup(c *query.Call) (any, error) {
	arn, err := c.Params.Required("TargetGroupArn")
	if err != nil {
		return nil, err
	}
	key, ok, err := keyOf(arn, kindTG, c.Account, c.Region)
	if err != nil || !ok {
		return nil, err // deleting what does not exist succeeds, as on AWS
	}
	return nil, r.update(c, func(p *store.Part) error {
		tg, err := store.V2TargetGroups.Get(p, key)
		if err != nil || tg == nil {
			return err
		}
		if len(tg.Users) > 0 {
			return errInUse("Target group '%s' is currently in use by a listener or a rule", arn)
		}
		if err := r.dropTargets(p, tg); err != nil {
			return err
		}
		if err := r.countTG(p, tg, -1); err != nil {
			return err
		}
		_, err = tgViews.Delete(p, key)
		return err
	})
}
