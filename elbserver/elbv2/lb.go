package elbv2

import (
	"regexp"
	"slices"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

var (
	coipPoolRE = regexp.MustCompile(`^ipv4pool-coip-[a-zA-Z0-9]+$`)
	ipamPoolRE = regexp.MustCompile(`^ipam-pool-[a-zA-Z0-9]+$`)
)

const countsKey = "counts"

// lbTypeLimit is the account limit on balancers of a type.
var lbTypeLimit = map[string]string{typeALB: limitALBs, typeNLB: limitNLBs, typeGWLB: limitGWLBs}

func (r *Room) createLoadBalancer(c *query.Call) (any, error) {
	lb, ms, sgs, sgsGiven, err := parseCreateLB(c)
	if err != nil {
		return nil, err
	}
	lb.ID, lb.Created = newID(), r.env.Now().UTC()
	lb.ARN = lbARN(c.Region, c.Account, lb.Type, lb.Name, lb.ID)
	lb.DNSName = dnsName(c.Region, lb.Type, lb.Scheme, lb.Name, lb.ID)
	var out *lbRec
	err = r.update(c, func(p *store.Part) error {
		rec := *lb
		if err := r.place(p, &rec, ms); err != nil {
			return err
		}
		if err := r.placeGroups(p, &rec, sgs, sgsGiven); err != nil {
			return err
		}
		existingKey, err := store.V2LoadBalancers.FirstWithPrefix(p, rec.Name+"/")
		if err != nil {
			return err
		}
		if existingKey != "" {
			existing, err := store.V2LoadBalancers.Get(p, existingKey)
			if err != nil {
				return err
			}
			if !sameLBConfig(existing, &rec, sgsGiven) {
				return sender("DuplicateLoadBalancerName", "A load balancer with the name '%s' already exists", rec.Name)
			}
			out = existing
			return nil
		}
		if err := r.countLB(p, &rec, 1); err != nil {
			return err
		}
		out = &rec
		return lbViews.Put(p, lbKey(&rec), &rec)
	})
	if err != nil {
		return nil, err
	}
	return &createLBResult{LoadBalancers: []xmlLB{lbXML(out, c.Region, stateProvisioning)}}, nil
}

// parseCreateLB reads and checks what CreateLoadBalancer can check without the store.
func parseCreateLB(c *query.Call) (lb *lbRec, ms []subnetMapping, sgs []string, sgsGiven bool, err error) {
	p := c.Params
	lb = &lbRec{Name: p["Name"], Type: typeALB, IPAddressType: ipv4}
	if err = validName("Name", lb.Name); err != nil {
		return
	}
	if strings.HasPrefix(strings.ToLower(lb.Name), "internal-") {
		err = query.Validation("Load balancer names cannot begin with 'internal-'")
		return
	}
	if t, ok := p.Str("Type"); ok {
		if !oneOf(t, typeALB, typeNLB, typeGWLB) {
			err = enumError("Type", t, typeALB, typeNLB, typeGWLB)
			return
		}
		lb.Type = t
	}
	if lb.Scheme, err = parseScheme(p, lb.Type); err != nil {
		return
	}
	if t, ok := p.Str("IpAddressType"); ok {
		lb.IPAddressType = t
	}
	if err = checkIPAddressType(lb, lb.IPAddressType); err != nil {
		return
	}
	if err = parseLBExtras(p, lb); err != nil {
		return
	}
	if lb.Tags, _, err = parseTags(p, "Tags"); err != nil {
		return
	}
	if len(lb.Tags) > maxTagsPerResource {
		err = sender("TooManyTags", "A resource can have at most %d tags", maxTagsPerResource)
		return
	}
	if sgs, sgsGiven, err = p.StrList("SecurityGroups"); err != nil {
		return
	}
	ms, err = parseSubnets(p)
	return
}

func parseScheme(p query.Params, lbType string) (string, error) {
	s, given := p.Str("Scheme")
	switch {
	case lbType == typeGWLB && given:
		return "", errConfig("A scheme cannot be specified for a Gateway Load Balancer")
	case lbType == typeGWLB:
		return "", nil
	case !given:
		return schemeInternetFacing, nil
	case !oneOf(s, schemeInternetFacing, schemeInternal):
		return "", sender("InvalidScheme", "Scheme '%s' is not valid: it must be %s or %s", s, schemeInternetFacing, schemeInternal)
	}
	return s, nil
}

// parseLBExtras reads the options of some types only: customer-owned and IPAM pools (ALB),
// the IPv6 source NAT prefix (NLB).
func parseLBExtras(p query.Params, lb *lbRec) error {
	if v, ok := p.Str("CustomerOwnedIpv4Pool"); ok {
		if len(v) > 256 || !coipPoolRE.MatchString(v) {
			return notPattern("CustomerOwnedIpv4Pool", v)
		}
		if lb.Type != typeALB {
			return errConfig("A customer-owned address pool can be used by Application Load Balancers only")
		}
		lb.CoIPPool = v
	}
	if v, ok := p.Str("IpamPools.Ipv4IpamPoolId"); ok {
		if err := checkIPAMPool(lb, v); err != nil {
			return err
		}
		lb.IPAMPool = v
	}
	if v, ok := p.Str("EnablePrefixForIpv6SourceNat"); ok {
		if !oneOf(v, "on", "off") {
			return enumError("EnablePrefixForIpv6SourceNat", v, "on", "off")
		}
		if lb.Type != typeNLB {
			return errConfig("EnablePrefixForIpv6SourceNat applies to Network Load Balancers only")
		}
		if v == "on" && lb.IPAddressType != dualstack {
			return errConfig("EnablePrefixForIpv6SourceNat needs the dualstack IP address type")
		}
		lb.PrefixSourceNat = v
	} else if lb.Type == typeNLB && lb.IPAddressType == dualstack {
		lb.PrefixSourceNat = "off"
	}
	return nil
}

func checkIPAMPool(lb *lbRec, v string) error {
	if len(v) > 1000 || !ipamPoolRE.MatchString(v) {
		return notPattern("IpamPools.Ipv4IpamPoolId", v)
	}
	if lb.Type != typeALB {
		return sender("ValidationError", "IPAM pools can be used by Application Load Balancers only")
	}
	return nil
}

// sameLBConfig decides whether a repeated CreateLoadBalancer is the idempotent retry of the
// original one: same type, scheme, IP address type, subnets with their addresses, and
// security groups when given.
func sameLBConfig(a, b *lbRec, compareSGs bool) bool {
	if a.Type != b.Type || a.Scheme != b.Scheme || a.IPAddressType != b.IPAddressType || len(a.Zones) != len(b.Zones) {
		return false
	}
	for _, z := range b.Zones {
		if !slices.Contains(a.Zones, z) {
			return false
		}
	}
	if compareSGs {
		as, bs := slices.Clone(a.SecurityGroups), slices.Clone(b.SecurityGroups)
		slices.Sort(as)
		slices.Sort(bs)
		return slices.Equal(as, bs)
	}
	return true
}

// countLB adds delta balancers of lb's type (and, for gateways, of its VPC) to the
// partition's counts, refusing to go over the account limits.
func (r *Room) countLB(p *store.Part, lb *lbRec, delta int) error {
	counts, err := store.V2Counters.Get(p, countsKey)
	if err != nil {
		return err
	}
	if counts == nil {
		counts = &store.V2Counts{}
	}
	if counts.ByType == nil {
		counts.ByType = map[string]int{}
	}
	counts.ByType[lb.Type] += delta
	if delta > 0 && counts.ByType[lb.Type] > r.limit(lbTypeLimit[lb.Type]) {
		return errTooMany("TooManyLoadBalancers", lb.Type+" load balancers", r.limit(lbTypeLimit[lb.Type]))
	}
	if lb.Type == typeGWLB {
		if counts.GatewayByVPC == nil {
			counts.GatewayByVPC = map[string]int{}
		}
		counts.GatewayByVPC[lb.VPCID] += delta
		if delta > 0 && counts.GatewayByVPC[lb.VPCID] > r.limit(limitGWLBsPerVPC) {
			return errTooMany("TooManyLoadBalancers", "gateway load balancers in VPC "+lb.VPCID, r.limit(limitGWLBsPerVPC))
		}
		if counts.GatewayByVPC[lb.VPCID] <= 0 {
			delete(counts.GatewayByVPC, lb.VPCID)
		}
	}
	return store.V2Counters.Put(p, countsKey, counts)
}

func (r *Room) describeLoadBalancers(c *query.Call) (any, error) {
	d, err := readDescribeArgs(c.Params, "LoadBalancerArns", "Names")
	if err != nil {
		return nil, err
	}
	arns, arnsGiven, names, namesGiven, size, after := d.arns, d.arnsGiven, d.names, d.namesGiven, d.size, d.after
	if arnsGiven && namesGiven {
		return nil, query.Validation("Load balancer names and load balancer ARNs cannot be specified at the same time")
	}
	if len(arns) > maxNamedResources || len(names) > maxNamedResources {
		return nil, query.Validation("At most %d load balancers can be described at once", maxNamedResources)
	}
	var res lbsResult
	err = r.view(c, func(p *store.Part) error {
		buf := &res.LoadBalancers.Members
		for _, arn := range dedupe(arns) {
			key, ok, err := keyOf(arn, kindLB, c.Account, c.Region)
			if err != nil {
				return err
			}
			found := false
			if ok {
				if *buf, found, err = lbViews.Append(p, *buf, key); err != nil {
					return err
				}
			}
			if !found {
				return errLBNotFound(arn)
			}
		}
		for _, name := range dedupe(names) {
			key, err := store.V2LoadBalancers.FirstWithPrefix(p, name+"/")
			if err != nil {
				return err
			}
			found := false
			if key != "" {
				if *buf, found, err = lbViews.Append(p, *buf, key); err != nil {
					return err
				}
			}
			if !found {
				return errLBNotFound(name)
			}
		}
		if arnsGiven || namesGiven {
			return nil
		}
		var last string
		var more bool
		var err error
		if *buf, last, more, err = lbViews.Scan(p, *buf, after, size); more {
			res.NextMarker = encodeMarker(last)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

func (r *Room) deleteLoadBalancer(c *query.Call) (any, error) {
	arn, err := c.Params.Required("LoadBalancerArn")
	if err != nil {
		return nil, err
	}
	key, ok, err := keyOf(arn, kindLB, c.Account, c.Region)
	if err != nil || !ok {
		return nil, err // deleting what does not exist succeeds, as on AWS
	}
	return nil, r.update(c, func(p *store.Part) error {
		lb, err := store.V2LoadBalancers.Get(p, key)
		if err != nil || lb == nil {
			return err
		}
		if attrValue(lbAttrs, lb, lb.Attrs, "deletion_protection.enabled") == "true" {
			return errNotPermitted("Load balancer '%s' cannot be deleted because deletion protection is enabled", arn)
		}
		if err := r.inUseAsTarget(p, lb); err != nil {
			return err
		}
		if err := r.deleteListenersOf(p, lb); err != nil {
			return err
		}
		if err := r.countLB(p, lb, -1); err != nil {
			return err
		}
		_, err = lbViews.Delete(p, key)
		return err
	})
}
