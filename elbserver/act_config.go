package elbserver

import (
	"net/http"
	"regexp"
	"slices"
)

var bucketNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

type healthCheckResult struct {
	HealthCheck healthCheckRec `xml:"HealthCheck"`
}

func (s *Server) configureHealthCheck(c *call) (any, error) {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	hc, err := parseHealthCheck(c.p)
	if err != nil {
		return nil, err
	}
	return healthCheckResult{hc}, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		lb.HealthCheck = hc
		return nil
	})
}

type attributesResult struct {
	LoadBalancerName string        `xml:"LoadBalancerName,omitempty"`
	Attributes       xmlAttributes `xml:"LoadBalancerAttributes"`
}

func (s *Server) describeLoadBalancerAttributes(c *call) (any, error) {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	var res attributesResult
	return &res, s.st.view(c.account, c.region, func(p *part) error {
		lb, err := p.mustLB(name)
		if err == nil {
			res.Attributes = lb.Attrs.toXML()
		}
		return err
	})
}

// applyAttributes overlays LoadBalancerAttributes.* onto a, with the ranges
// AWS documents for each attribute.
func applyAttributes(p params, a attrsRec) (attrsRec, error) {
	const pre = "LoadBalancerAttributes."
	if !hasPrefix(p, pre) {
		return a, errMissing("LoadBalancerAttributes")
	}
	enabled := func(section string) (bool, bool, error) {
		if !hasPrefix(p, pre+section+".") {
			return false, false, nil
		}
		v, ok, err := p.boolOpt(pre + section + ".Enabled")
		if err != nil {
			return false, false, err
		}
		if !ok {
			return false, false, errMissing(pre + section + ".Enabled")
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
		t, given, err := p.intOpt(pre+"ConnectionDraining.Timeout", 1, 3600)
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
		if b, given := p.str(pre + "AccessLog.S3BucketName"); given {
			a.S3Bucket = b
		}
		if pf, given := p.str(pre + "AccessLog.S3BucketPrefix"); given {
			a.S3Prefix = pf
		}
		iv, given, err := p.intOpt(pre+"AccessLog.EmitInterval", 5, 60)
		if err != nil {
			return a, err
		}
		if given {
			if iv != 5 && iv != 60 {
				return a, errValidation("AccessLog EmitInterval must be 5 or 60 minutes")
			}
			a.EmitInterval = iv
		}
		if a.AccessLog && !bucketNameRE.MatchString(a.S3Bucket) {
			return a, errConfig("Access logs need a valid S3 bucket name, got '%s'", a.S3Bucket)
		}
	}
	if hasPrefix(p, pre+"ConnectionSettings.") {
		t, err := p.intReq(pre+"ConnectionSettings.IdleTimeout", 1, 3600)
		if err != nil {
			return a, err
		}
		a.IdleTimeout = t
	}
	n, _, err := p.members(pre + "AdditionalAttributes")
	if err != nil {
		return a, err
	}
	if n > 10 {
		return a, errValidation("At most 10 AdditionalAttributes may be given")
	}
	for i := 1; i <= n; i++ {
		m := member(pre+"AdditionalAttributes", i) + "."
		key, value := p[m+"Key"], p[m+"Value"]
		if key != attrDesyncMode {
			return a, errf(http.StatusBadRequest, "LoadBalancerAttributeNotFound", "The specified load balancer attribute does not exist: %s", key)
		}
		switch value {
		case "monitor", "defensive", "strictest":
			a.DesyncMode = value
		default:
			return a, errValidation("Invalid value '%s' for %s; must be monitor, defensive or strictest", value, key)
		}
	}
	return a, nil
}

func (s *Server) modifyLoadBalancerAttributes(c *call) (any, error) {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	res := attributesResult{LoadBalancerName: name}
	return &res, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		attrs, err := applyAttributes(c.p, lb.Attrs)
		if err != nil {
			return err
		}
		lb.Attrs = attrs
		res.Attributes = attrs.toXML()
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
func (s *Server) changeZones(c *call, enable bool) (any, error) {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	zones, err := c.p.strListReq("AvailabilityZones")
	if err != nil {
		return nil, err
	}
	if err := nonEmpty("AvailabilityZones", zones); err != nil {
		return nil, err
	}
	var res zonesResult
	return &res, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		dv := defaultVPCOf(p.account, p.region)
		if lb.VPCID != "" && lb.VPCID != dv.ID {
			return errConfig("Load balancer %s is in a non-default VPC; use AttachLoadBalancerToSubnets or DetachLoadBalancerFromSubnets", name)
		}
		if enable {
			for _, z := range zones {
				if !validZone(c.region, z) {
					return errValidation("Invalid Availability Zone '%s' for region %s", z, c.region)
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
				subs, err := s.resolveSubnets(p, lb.Subnets)
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

func (s *Server) changeSubnets(c *call, attach bool) (any, error) {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	ids, err := c.p.strListReq("Subnets")
	if err != nil {
		return nil, err
	}
	if err := nonEmpty("Subnets", ids); err != nil {
		return nil, err
	}
	var res subnetsResult
	return &res, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
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
		subs, err := s.resolveSubnets(p, next)
		if err != nil {
			return err
		}
		if _, err := subnetsVPC(subs, lb.VPCID); err != nil && attach {
			return err
		}
		zones, err := subnetZones(subs)
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

func (s *Server) applySecurityGroups(c *call) (any, error) {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	sgs, err := c.p.strListReq("SecurityGroups")
	if err != nil {
		return nil, err
	}
	if err := nonEmpty("SecurityGroups", sgs); err != nil {
		return nil, err
	}
	sgs = dedupe(sgs)
	var res securityGroupsResult
	return &res, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		if lb.VPCID == "" {
			return errConfig("Security groups can only be applied to load balancers in a VPC")
		}
		if err := s.checkSecurityGroups(p, lb.VPCID, sgs); err != nil {
			return err
		}
		lb.SecurityGroups = sgs
		res.SecurityGroups.Members = sgs
		lb.SourceGroup, err = sourceGroup(p, lb.VPCID, sgs)
		return err
	})
}
