package elbserver

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
)

type dnsResult struct {
	DNSName string `xml:"DNSName"`
}

func (s *Server) createLoadBalancer(c *call) (any, error) {
	name := c.p["LoadBalancerName"]
	if err := validateName(name); err != nil {
		return nil, err
	}
	listeners, err := parseListeners(c.p, "Listeners")
	if err != nil {
		return nil, err
	}
	zones, zonesGiven, err1 := c.p.strList("AvailabilityZones")
	subnets, subnetsGiven, err2 := c.p.strList("Subnets")
	sgs, sgsGiven, err3 := c.p.strList("SecurityGroups")
	if err := firstErr(err1, err2, err3); err != nil {
		return nil, err
	}
	zones, subnets, sgs = dedupe(zones), dedupe(subnets), dedupe(sgs)
	if subnetsGiven && len(subnets) == 0 {
		return nil, errValidation("Subnets must contain at least one subnet")
	}
	if len(zones) > 0 && len(subnets) > 0 {
		return nil, errValidation("Specify either AvailabilityZones or Subnets, not both")
	}
	if sgsGiven && len(subnets) == 0 {
		// In the default VPC, Elastic Load Balancing provides the group.
		return nil, errConfig("Security groups cannot be chosen for a load balancer created with AvailabilityZones in the default VPC; specify Subnets")
	}
	scheme := c.p["Scheme"]
	switch scheme {
	case "":
		scheme = schemeInternetFacing
	case schemeInternetFacing:
	case schemeInternal:
		if len(subnets) == 0 {
			return nil, errf(http.StatusBadRequest, "InvalidScheme", "The internal scheme is only valid for load balancers created with Subnets")
		}
	default:
		return nil, errf(http.StatusBadRequest, "InvalidScheme", "Invalid scheme '%s'; must be internet-facing or internal", scheme)
	}
	var tags []tagRec
	if _, present := c.p["Tags"]; present || hasPrefix(c.p, "Tags.") {
		if tags, err = parseTags(c.p, false); err != nil {
			return nil, err
		}
		if tags, err = mergeTags(nil, tags); err != nil {
			return nil, err
		}
	}
	if len(listeners) > s.limits[limitListeners] {
		return nil, errConfig("A load balancer can have at most %d listeners", s.limits[limitListeners])
	}
	var dns string
	err = s.st.update(c.account, c.region, func(p *part) error {
		lb := &lbRecord{
			Name:      name,
			Scheme:    scheme,
			Created:   s.now().UTC(),
			Listeners: listeners,
			Tags:      tags,
			DNSName:   dnsName(c.account, c.region, name, scheme),
			HealthCheck: healthCheckRec{
				Target: "TCP:" + itoa(listeners[0].InstancePort), Interval: 30, Timeout: 5,
				UnhealthyThreshold: 2, HealthyThreshold: 10,
			},
			Attrs: attrsRec{DrainingTimeout: 300, IdleTimeout: 60, EmitInterval: 60, DesyncMode: "defensive"},
		}
		if len(subnets) > 0 {
			if err := s.placeInVPC(p, lb, subnets, sgs, sgsGiven); err != nil {
				return err
			}
		} else if err := placeInDefaultVPC(p, lb, zones, zonesGiven); err != nil {
			return err
		}
		existing, err := p.getLB(name)
		if err != nil {
			return err
		}
		if existing != nil {
			if !sameCreateConfig(existing, lb, sgsGiven) {
				return errf(http.StatusBadRequest, "DuplicateLoadBalancerName", "Load balancer name '%s' is already in use with a different configuration", name)
			}
			dns = existing.DNSName
			return nil
		}
		if p.lbCount() >= s.limits[limitLoadBalancers] {
			return errf(http.StatusBadRequest, "TooManyLoadBalancers", "Exceeded quota of account %s: at most %d load balancers", c.account, s.limits[limitLoadBalancers])
		}
		dns = lb.DNSName
		return p.createLB(lb)
	})
	if err != nil {
		return nil, err
	}
	return dnsResult{dns}, nil
}

func validZone(region, zone string) bool {
	if !strings.HasPrefix(zone, region) || len(zone) != len(region)+1 {
		return false
	}
	c := zone[len(region)]
	return c >= 'a' && c <= 'z'
}

// sameCreateConfig decides whether a repeated CreateLoadBalancer is the
// idempotent retry of the original one.
func sameCreateConfig(a, b *lbRecord, compareSGs bool) bool {
	if a.Scheme != b.Scheme || !sameSet(a.Zones, b.Zones) || !sameSet(a.Subnets, b.Subnets) {
		return false
	}
	if compareSGs && !sameSet(a.SecurityGroups, b.SecurityGroups) {
		return false
	}
	if len(a.Listeners) != len(b.Listeners) {
		return false
	}
	for _, l := range b.Listeners {
		if !containsListener(a.Listeners, l) {
			return false
		}
	}
	return true
}

func (s *Server) deleteLoadBalancer(c *call) (any, error) {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	// Deleting a balancer that does not exist succeeds, as on AWS.
	return nil, s.st.update(c.account, c.region, func(p *part) error {
		_, err := p.deleteLB(name)
		return err
	})
}

// The container element is kept even when empty; Members holds the stored <member>
// descriptions verbatim (see view.go).
type describeLBsResult struct {
	LoadBalancerDescriptions struct {
		Members []byte `xml:",innerxml"`
	} `xml:"LoadBalancerDescriptions"`
	NextMarker string `xml:"NextMarker,omitempty"`
}

func (s *Server) describeLoadBalancers(c *call) (any, error) {
	names, _, err := c.p.strList("LoadBalancerNames")
	if err != nil {
		return nil, err
	}
	pageSize, _, err := c.p.intOpt("PageSize", 1, 400)
	if err != nil {
		return nil, err
	}
	if pageSize == 0 {
		pageSize = 400
	}
	after := ""
	if m, ok := c.p["Marker"]; ok && m != "" {
		if after, err = decodeMarker(m); err != nil {
			return nil, err
		}
	}
	var res describeLBsResult
	err = s.st.view(c.account, c.region, func(p *part) error {
		buf := &res.LoadBalancerDescriptions.Members
		if len(names) > 0 {
			for _, n := range dedupe(names) {
				var found bool
				var err error
				if *buf, found, err = p.appendView(*buf, n); err != nil {
					return err
				} else if !found {
					return errLBNotFound(n)
				}
			}
			return nil
		}
		var last string
		var more bool
		if *buf, last, more = p.scanView(*buf, after, pageSize); more {
			res.NextMarker = encodeMarker(last)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Markers are the opaque encoding of the last name returned, so pages stay
// stable while balancers are added or removed.
func encodeMarker(name string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("lb1:" + name))
}

func decodeMarker(m string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil || !strings.HasPrefix(string(raw), "lb1:") {
		return "", errValidation("Invalid Marker '%s'", m)
	}
	return string(raw[4:]), nil
}

func (s *Server) createLoadBalancerListeners(c *call) (any, error) {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	listeners, err := parseListeners(c.p, "Listeners")
	if err != nil {
		return nil, err
	}
	return nil, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		for _, l := range listeners {
			if cur := lb.listener(l.LoadBalancerPort); cur != nil {
				if !cur.sameConfig(l) {
					return errf(http.StatusBadRequest, "DuplicateListener", "A listener already exists for %s with port %d", name, l.LoadBalancerPort)
				}
				continue
			}
			lb.Listeners = append(lb.Listeners, l)
		}
		if len(lb.Listeners) > s.limits[limitListeners] {
			return errConfig("A load balancer can have at most %d listeners", s.limits[limitListeners])
		}
		return nil
	})
}

func (s *Server) deleteLoadBalancerListeners(c *call) (any, error) {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	ports, err := intList(c.p, "LoadBalancerPorts", 1, 65535)
	if err != nil {
		return nil, err
	}
	return nil, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		// Ports without a listener are ignored, as on AWS.
		lb.Listeners = slices.DeleteFunc(lb.Listeners, func(l listenerRec) bool { return slices.Contains(ports, l.LoadBalancerPort) })
		return nil
	})
}

func (s *Server) setLoadBalancerListenerSSLCertificate(c *call) (any, error) {
	name, port, err := c.p.nameAndPort("LoadBalancerPort")
	if err != nil {
		return nil, err
	}
	cert, err := c.p.required("SSLCertificateId")
	if err != nil {
		return nil, err
	}
	if !certRE.MatchString(cert) {
		return nil, errf(http.StatusBadRequest, "CertificateNotFound", "Server Certificate not found for the key: %s", cert)
	}
	return nil, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		l := lb.listener(port)
		if l == nil {
			return errListenerNotFound(name, port)
		}
		if l.Protocol != "HTTPS" && l.Protocol != "SSL" {
			return errConfig("The listener on port %d uses %s; certificates apply only to HTTPS and SSL listeners", port, l.Protocol)
		}
		l.SSLCertificateID = cert
		return nil
	})
}
