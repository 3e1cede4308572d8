package elbv2

import (
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type setSubnetsResult struct {
	AvailabilityZones []xmlAZ `xml:"AvailabilityZones>member"`
	IPAddressType     string  `xml:"IpAddressType"`
	PrefixSourceNat   string  `xml:"EnablePrefixForIpv6SourceNat,omitempty"`
}

func (r *Room) setSubnets(c *query.Call) (any, error) {
	ms, err := parseSubnets(c.Params)
	if err != nil {
		return nil, err
	}
	var res *setSubnetsResult
	err = r.updateLB(c, func(p *store.Part, lb *lbRec) error {
		if t, ok := c.Params.Str("IpAddressType"); ok {
			if err := r.changeIPAddressType(p, lb, t); err != nil {
				return err
			}
		}
		if v, ok := c.Params.Str("EnablePrefixForIpv6SourceNat"); ok {
			if !oneOf(v, "on", "off") {
				return enumError("EnablePrefixForIpv6SourceNat", v, "on", "off")
			}
			if lb.Type != typeNLB || (v == "on" && lb.IPAddressType != dualstack) {
				return errConfig("EnablePrefixForIpv6SourceNat applies to dualstack Network Load Balancers only")
			}
			lb.PrefixSourceNat = v
		}
		if lb.Type == typeGWLB {
			for _, z := range lb.Zones {
				if !slices.ContainsFunc(ms, func(m subnetMapping) bool { return m.Subnet == z.Subnet }) {
					return errConfig("Subnet %s is enabled: a Gateway Load Balancer's subnets can be added to, not removed", z.Subnet)
				}
			}
		}
		if err := r.place(p, lb, ms); err != nil {
			return err
		}
		res = &setSubnetsResult{AvailabilityZones: zonesXML(lb), IPAddressType: lb.IPAddressType, PrefixSourceNat: lb.PrefixSourceNat}
		return nil
	})
	return res, err
}

type setSecurityGroupsResult struct {
	SecurityGroupIDs   []string `xml:"SecurityGroupIds>member"`
	EnforcePrivateLink string   `xml:"EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic,omitempty"`
}

func (r *Room) setSecurityGroups(c *query.Call) (any, error) {
	sgs, err := c.Params.StrListReq("SecurityGroups")
	if err != nil {
		return nil, err
	}
	enforce, enforceGiven := c.Params.Str("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic")
	if enforceGiven && !oneOf(enforce, "on", "off") {
		return nil, enumError("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", enforce, "on", "off")
	}
	var res *setSecurityGroupsResult
	err = r.updateLB(c, func(p *store.Part, lb *lbRec) error {
		switch {
		case lb.Type == typeGWLB:
			return errConfig("Security groups are not supported for Gateway Load Balancers")
		case lb.Type == typeNLB && lb.EnforcePrivateLink == "":
			return errConfig("Security groups can be set on a Network Load Balancer only if it was created with security groups")
		case enforceGiven && lb.Type != typeNLB:
			return errConfig("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic applies to Network Load Balancers only")
		}
		if err := r.placeGroups(p, lb, sgs, true); err != nil {
			return err
		}
		if enforceGiven {
			lb.EnforcePrivateLink = enforce
		}
		res = &setSecurityGroupsResult{SecurityGroupIDs: lb.SecurityGroups, EnforcePrivateLink: lb.EnforcePrivateLink}
		return nil
	})
	return res, err
}

type ipAddressTypeResult struct {
	IPAddressType string `xml:"IpAddressType"`
}

func (r *Room) setIPAddressType(c *query.Call) (any, error) {
	t, err := c.Params.Required("IpAddressType")
	if err != nil {
		return nil, err
	}
	var res *ipAddressTypeResult
	err = r.updateLB(c, func(p *store.Part, lb *lbRec) error {
		if err := r.changeIPAddressType(p, lb, t); err != nil {
			return err
		}
		res = &ipAddressTypeResult{lb.IPAddressType}
		return nil
	})
	return res, err
}

// changeIPAddressType: a Network Load Balancer with UDP or QUIC listeners stays ipv4 (unless
// it uses source NAT prefixes).
func (r *Room) changeIPAddressType(p *store.Part, lb *lbRec, t string) error {
	if err := checkIPAddressType(lb, t); err != nil {
		return err
	}
	if lb.Type == typeNLB && t != ipv4 {
		var blocked string
		err := store.V2Listeners.ForEachPrefix(p, lbKey(lb)+"/", "", func(_ string, l *store.V2Listener) (bool, error) {
			if oneOf(l.Protocol, protoUDP, protoTCPUDP, protoQUIC, protoTCPQUIC) && lb.PrefixSourceNat != "on" {
				blocked = l.Protocol
			}
			return blocked == "", nil
		})
		if err != nil || blocked != "" {
			return firstErr(err, errConfig("A Network Load Balancer with %s listeners must use the ipv4 IP address type", blocked))
		}
		if lb.PrefixSourceNat == "" {
			lb.PrefixSourceNat = "off"
		}
	}
	if t == ipv4 {
		lb.PrefixSourceNat = ""
		for i := range lb.Zones {
			lb.Zones[i].IPv6, lb.Zones[i].SourceNatIPv6 = "", ""
		}
	}
	lb.IPAddressType = t
	return nil
}

type ipPoolsResult struct {
	IPAMPools *xmlIPAMPools `xml:"IpamPools,omitempty"`
}

func (r *Room) modifyIPPools(c *query.Call) (any, error) {
	pool, poolGiven := c.Params.Str("IpamPools.Ipv4IpamPoolId")
	remove, _, err := c.Params.StrList("RemoveIpamPools")
	if err != nil {
		return nil, err
	}
	for _, v := range remove {
		if v != ipv4 {
			return nil, enumError("RemoveIpamPools", v, ipv4)
		}
	}
	if poolGiven == (len(remove) > 0) {
		return nil, query.Validation("Specify either IpamPools or RemoveIpamPools")
	}
	var res *ipPoolsResult
	err = r.updateLB(c, func(p *store.Part, lb *lbRec) error {
		if poolGiven {
			if err := checkIPAMPool(lb, pool); err != nil {
				return err
			}
			lb.IPAMPool = pool
		} else {
			if lb.Type != typeALB {
				return query.Validation("IPAM pools can be used by Application Load Balancers only")
			}
			lb.IPAMPool = ""
		}
		res = &ipPoolsResult{}
		if lb.IPAMPool != "" {
			res.IPAMPools = &xmlIPAMPools{lb.IPAMPool}
		}
		return nil
	})
	return res, err
}

type policyResult struct {
	Policy string `xml:"Policy"`
}

// getResourcePolicy returns a resource's policy. The API has no way to attach one (on AWS,
// resource sharing does): PutResourcePolicy attaches one from Go.
func (r *Room) getResourcePolicy(c *query.Call) (any, error) {
	arn, err := c.Params.Required("ResourceArn")
	if err != nil {
		return nil, err
	}
	if _, ok := parseARN(arn); !ok {
		return nil, query.Validation("'%s' is not a valid Elastic Load Balancing resource ARN", arn)
	}
	var res policyResult
	return &res, r.view(c, func(p *store.Part) error {
		pol, err := store.V2Policies.Get(p, arn)
		if err != nil || pol == nil {
			return firstErr(err, sender("ResourceNotFound", "Resource '%s' has no resource policy", arn))
		}
		res.Policy = pol.Document
		return nil
	})
}

// PutResourcePolicy attaches a policy document (JSON) to the resource whose ARN is arn, in
// the partition of account and region: what sharing a trust store attaches on AWS.
func (r *Room) PutResourcePolicy(account, region, arn, document string) error {
	if _, ok := parseARN(arn); !ok {
		return errMalformedARN("resource", arn)
	}
	return r.env.Store.Update(account, region, func(p *store.Part) error {
		return store.V2Policies.Put(p, arn, &store.V2Policy{Document: document})
	})
}
