package classic

import (
	"net/http"
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type healthCheckResult struct {
	HealthCheck xmlHealthCheck `xml:"HealthCheck"`
}

func (r *Room) configureHealthCheck(c *query.Call) (any, error) {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	hc, err := parseHealthCheck(c.Params)
	if err != nil {
		return nil, err
	}
	return healthCheckResult{xmlHealthCheck(hc)}, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		lb.HealthCheck = hc
		return nil
	})
}

type attributesResult struct {
	LoadBalancerName string        `xml:"LoadBalancerName,omitempty"`
	Attributes       xmlAttributes `xml:"LoadBalancerAttributes"`
}

func (r *Room) describeLoadBalancerAttributes(c *query.Call) (any, error) {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	var res attributesResult
	return &res, r.view(c, func(p *store.Part) error {
		lb, err := mustLB(p, name)
		if err == nil {
			res.Attributes = attributesXML(lb.Attrs)
		}
		return err
	})
}

// applyAttributes overlays LoadBalancerAttributes.* onto a, with the ranges
// AWS documents for each attribute.
func applyAttributes(p query.Params, a store.ClassicAttributes) (store.ClassicAttributes, error) {
	const pre = "LoadBalancerAttributes."
	if !p.HasPrefix(pre) {
		return a, query.Missing("LoadBalancerAttributes")
	}
	enabled := func(section string) (bool, bool, error) {
		if !p.HasPrefix(pre + section + ".") {
			return false, false, nil
		}
		v, ok, err := p.BoolOpt(pre + section + ".Enabled")
		if err != nil {
			return false, false, err
		}
		if !ok {
			return false, false, query.Missing(pre + section + ".Enabled")
		}
		return v, true, nil
	}
	if v, ok, err := enabled("CrossZoneLoadBalancing"); err != nil {
		return a, err
	} else if ok {
		a.CrossZone = v
	}
	if v, ok, err := enabled("ConnectionDraining"); err != nil {
		return a, err
	} else if ok {
		a.Draining = v
		t, given, err := p.IntOpt(pre+"ConnectionDraining.Timeout", 1, 3600)
		if err != nil {
			return a, err
		}
		if given {
			a.DrainingTimeout = t
		}
	}
	if v, ok, err := enabled("AccessLog"); err != nil {
		return a, err
	} else if ok {
		a.AccessLog = v
		if b, given, err := p.Text(pre+"AccessLog.S3BucketName", maxBucketName); err != nil {
			return a, err
		} else if given {
			a.S3Bucket = b
		}
		if pf, given := p.Str(pre + "AccessLog.S3BucketPrefix"); len(pf) > maxLogPrefixBytes {
			return a, query.TooLong(pre+"AccessLog.S3BucketPrefix", maxLogPrefixBytes)
		} else if given {
			a.S3Prefix = pf
		}
		iv, given, err := p.IntOpt(pre+"AccessLog.EmitInterval", 5, 60)
		if err != nil {
			return a, err
		}
		if given {
			if iv != 5 && iv != 60 {
				return a, query.Validation("AccessLog EmitInterval must be 5 or 60 minutes")
			}
			a.EmitInterval = iv
		}
		if a.AccessLog && !query.BucketName(a.S3Bucket) {
			return a, errConfig("Access logs need a valid S3 bucket name, got '%s'", a.S3Bucket)
		}
	}
	if p.HasPrefix(pre + "ConnectionSettings.") {
		t, err := p.IntReq(pre+"ConnectionSettings.IdleTimeout", 1, 3600)
		if err != nil {
			return a, err
		}
		a.IdleTimeout = t
	}
	n, _, err := p.Members(pre + "AdditionalAttributes")
	if err != nil {
		return a, err
	}
	if n > 10 {
		return a, query.Validation("At most 10 AdditionalAttributes may be given")
	}
	for i := 1; i <= n; i++ {
		m := query.Member(pre+"AdditionalAttributes", i) + "."
		key, value := p[m+"Key"], p[m+"Value"]
		if key != attrDesyncMode {
			return a, query.Errorf(http.StatusBadRequest, "LoadBalancerAttributeNotFound", "The specified load balancer attribute does not exist: %s", key)
		}
		switch value {
		case "monitor", "defensive", "strictest":
			a.DesyncMode = value
		default:
			return a, query.Validation("Invalid value '%s' for %s; must be monitor, defensive or strictest", value, key)
		}
	}
	return a, nil
}

func (r *Room) modifyLoadBalancerAttributes(c *query.Call) (any, error) {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	res := attributesResult{LoadBalancerName: name}
	return &res, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		attrs, err := applyAttributes(c.Params, lb.Attrs)
		if err != nil {
			return err
		}
		lb.Attrs = attrs
		res.Attributes = attributesXML(attrs)
		return nil
	})
}

type zonesResult struct {
	AvailabilityZones struct {
		Members []string `xml:"member"`
	} `xml:"AvailabilityZones"`
}

// changeZones implements Enable/DisableAvailabilityZonesForLoadBalancer,
// which apply to balancers in the default VPC (each zone standing for its
// default subnet) and to balancers from before EC2-Classic retired (no VPC).
func (r *Room) changeZones(c *query.Call, enable bool) (any, error) {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	zones, err := c.Params.StrListReq("AvailabilityZones")
	if err != nil {
		return nil, err
	}
	if err := query.NonEmpty("AvailabilityZones", zones); err != nil {
		return nil, err
	}
	var res zonesResult
	return &res, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		dv := ec2.DefaultVPCOf(p.Account, p.Region)
		if lb.VPCID != "" && lb.VPCID != dv.ID {
			return errConfig("Load balancer %s is in a non-default VPC; use AttachLoadBalancerToSubnets or DetachLoadBalancerFromSubnets", name)
		}
		if enable {
			for _, z := range zones {
				if !ec2.ValidZone(c.Region, z) {
					return query.Validation("Invalid Availability Zone '%s' for region %s", z, c.Region)
				}
				if lb.VPCID != "" && !slices.Contains(lb.Zones, z) {
					lb.Subnets = append(lb.Subnets, dv.Subnet(z))
				}
			}
			lb.Zones = dedupe(append(lb.Zones, zones...))
		} else {
			left := slices.DeleteFunc(slices.Clone(lb.Zones), func(z string) bool { return slices.Contains(zones, z) })
			if len(left) == 0 {
				return errConfig("Cannot remove all Availability Zones from load balancer %s", name)
			}
			if lb.VPCID != "" {
				subs, err := r.ec2.ResolveSubnets(p, lb.Subnets)
				if err != nil {
					return err
				}
				lb.Subnets = lb.Subnets[:0]
				for _, sub := range subs {
					if !slices.Contains(zones, sub.AvailabilityZone) {
						lb.Subnets = append(lb.Subnets, sub.ID)
					}
				}
			}
			lb.Zones = left
		}
		res.AvailabilityZones.Members = lb.Zones
		return nil
	})
}

type subnetsResult struct {
	Subnets struct {
		Members []string `xml:"member"`
	} `xml:"Subnets"`
}

func (r *Room) changeSubnets(c *query.Call, attach bool) (any, error) {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	ids, err := c.Params.StrListReq("Subnets")
	if err != nil {
		return nil, err
	}
	if err := query.NonEmpty("Subnets", ids); err != nil {
		return nil, err
	}
	var res subnetsResult
	return &res, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		if lb.VPCID == "" {
			return errConfig("Load balancer %s is not in a VPC", name)
		}
		next := dedupe(append(slices.Clone(lb.Subnets), ids...))
		if !attach {
			next = slices.DeleteFunc(slices.Clone(lb.Subnets), func(id string) bool { return slices.Contains(ids, id) })
			if len(next) == 0 {
				return errConfig("Cannot detach all subnets from load balancer %s", name)
			}
		}
		subs, err := r.ec2.ResolveSubnets(p, next)
		if err != nil {
			return err
		}
		if _, err := ec2.SubnetsVPC(subs, lb.VPCID); err != nil && attach {
			return err
		}
		zones, err := ec2.SubnetZones(subs)
		if err != nil {
			return err
		}
		lb.Subnets, lb.Zones = next, zones
		res.Subnets.Members = next
		return nil
	})
}

type securityGroupsResult struct {
	SecurityGroups struct {
		Members []string `xml:"member"`
	} `xml:"SecurityGroups"`
}

func (r *Room) applySecurityGroups(c *query.Call) (any, error) {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	sgs, err := c.Params.StrListReq("SecurityGroups")
	if err != nil {
		return nil, err
	}
	if err := query.NonEmpty("SecurityGroups", sgs); err != nil {
		return nil, err
	}
	sgs = dedupe(sgs)
	var res securityGroupsResult
	return &res, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		if lb.VPCID == "" {
			return errConfig("Security groups can only be applied to load balancers in a VPC")
		}
		if err := r.ec2.CheckSecurityGroups(p, lb.VPCID, sgs); err != nil {
			return err
		}
		lb.SecurityGroups = sgs
		res.SecurityGroups.Members = sgs
		lb.SourceGroup, err = sourceGroup(p, lb.VPCID, sgs)
		return err
	})
}
