package classic

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type dnsResult struct {
	DNSName string `xml:"DNSName"`
}

func (r *Room) createLoadBalancer(c *query.Call) (any, error) {
	name := c.Params["LoadBalancerName"]
	if err := validateName(name); err != nil {
		return nil, err
	}
	listeners, err := parseListeners(c.Params, "Listeners")
	if err != nil {
		return nil, err
	}
	zones, zonesGiven, err1 := c.Params.StrList("AvailabilityZones")
	subnets, subnetsGiven, err2 := c.Params.StrList("Subnets")
	sgs, sgsGiven, err3 := c.Params.StrList("SecurityGroups")
	if err := firstErr(err1, err2, err3); err != nil {
		return nil, err
	}
	zones, subnets, sgs = dedupe(zones), dedupe(subnets), dedupe(sgs)
	if subnetsGiven && len(subnets) == 0 {
		return nil, query.Validation("Subnets must contain at least one subnet")
	}
	if len(zones) > 0 && len(subnets) > 0 {
		return nil, query.Validation("Specify either AvailabilityZones or Subnets, not both")
	}
	if sgsGiven && len(subnets) == 0 {
		// In the default VPC, Elastic Load Balancing provides the group.
		return nil, errConfig("Security groups cannot be chosen for a load balancer created with AvailabilityZones in the default VPC; specify Subnets")
	}
	scheme := c.Params["Scheme"]
	switch scheme {
	case "":
		scheme = schemeInternetFacing
	case schemeInternetFacing:
	case schemeInternal:
		if len(subnets) == 0 {
			return nil, query.Errorf(http.StatusBadRequest, "InvalidScheme", "The internal scheme is only valid for load balancers created with Subnets")
		}
	default:
		return nil, query.Errorf(http.StatusBadRequest, "InvalidScheme", "Invalid scheme '%s'; must be internet-facing or internal", scheme)
	}
	var tags []store.Tag
	if _, present := c.Params["Tags"]; present || c.Params.HasPrefix("Tags.") {
		if tags, err = parseTags(c.Params, false); err != nil {
			return nil, err
		}
		if tags, err = mergeTags(nil, tags); err != nil {
			return nil, err
		}
	}
	if len(listeners) > r.env.Limits.Get(limitListeners) {
		return nil, errConfig("A load balancer can have at most %d listeners", r.env.Limits.Get(limitListeners))
	}
	var dns string
	err = r.update(c, func(p *store.Part) error {
		lb := &store.ClassicBalancer{
			Name:      name,
			Scheme:    scheme,
			Created:   r.env.Now().UTC(),
			Listeners: listeners,
			Tags:      tags,
			DNSName:   dnsName(c.Account, c.Region, name, scheme),
			HealthCheck: store.ClassicHealthCheck{
				Target: "TCP:" + itoa(listeners[0].InstancePort), Interval: 30, Timeout: 5,
				UnhealthyThreshold: 2, HealthyThreshold: 10,
			},
			Attrs: store.ClassicAttributes{DrainingTimeout: 300, IdleTimeout: 60, EmitInterval: 60, DesyncMode: "defensive"},
		}
		if len(subnets) > 0 {
			if err := r.placeInVPC(p, lb, subnets, sgs, sgsGiven); err != nil {
				return err
			}
		} else if err := placeInDefaultVPC(p, lb, zones, zonesGiven); err != nil {
			return err
		}
		if err := r.checkCertificates(p, listeners); err != nil {
			return err
		}
		existing, err := store.ClassicBalancers.Get(p, name)
		if err != nil {
			return err
		}
		if existing != nil {
			if !sameCreateConfig(existing, lb, sgsGiven) {
				return query.Errorf(http.StatusBadRequest, "DuplicateLoadBalancerName", "Load balancer name '%s' is already in use with a different configuration", name)
			}
			dns = existing.DNSName
			return nil
		}
		n, err := store.ClassicBalancers.Count(p)
		if err != nil {
			return err
		}
		if n >= r.env.Limits.Get(limitLoadBalancers) {
			return query.Errorf(http.StatusBadRequest, "TooManyLoadBalancers", "Exceeded quota of account %s: at most %d load balancers", c.Account, r.env.Limits.Get(limitLoadBalancers))
		}
		for i := range lb.Listeners {
			if err := secureByDefault(lb, &lb.Listeners[i]); err != nil {
				return err
			}
		}
		dns = lb.DNSName
		return descriptions.Put(p, name, lb)
	})
	if err != nil {
		return nil, err
	}
	return dnsResult{dns}, nil
}

// sameCreateConfig decides whether a repeated CreateLoadBalancer is the
// idempotent retry of the original one.
func sameCreateConfig(a, b *store.ClassicBalancer, compareSGs bool) bool {
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

func (r *Room) deleteLoadBalancer(c *query.Call) (any, error) {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	// Deleting a balancer that does not exist succeeds, as on AWS.
	return nil, r.update(c, func(p *store.Part) error {
		_, err := descriptions.Delete(p, name)
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

func (r *Room) describeLoadBalancers(c *query.Call) (any, error) {
	names, _, err := c.Params.StrList("LoadBalancerNames")
	if err != nil {
		return nil, err
	}
	pageSize, _, err := c.Params.IntOpt("PageSize", 1, 400)
	if err != nil {
		return nil, err
	}
	if pageSize == 0 {
		pageSize = 400
	}
	after := ""
	if m, ok := c.Params["Marker"]; ok && m != "" {
		if after, err = decodeMarker(m); err != nil {
			return nil, err
		}
	}
	var res describeLBsResult
	err = r.view(c, func(p *store.Part) error {
		buf := &res.LoadBalancerDescriptions.Members
		if len(names) > 0 {
			for _, n := range dedupe(names) {
				var found bool
				var err error
				if *buf, found, err = descriptions.Append(p, *buf, n); err != nil {
					return err
				} else if !found {
					return errLBNotFound(n)
				}
			}
			return nil
		}
		var last string
		var more bool
		var err error
		if *buf, last, more, err = descriptions.Scan(p, *buf, after, pageSize); more {
			res.NextMarker = encodeMarker(last)
		}
		return err
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
		return "", query.Validation("Invalid Marker '%s'", m)
	}
	return string(raw[4:]), nil
}

func (r *Room) createLoadBalancerListeners(c *query.Call) (any, error) {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	listeners, err := parseListeners(c.Params, "Listeners")
	if err != nil {
		return nil, err
	}
	return nil, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		if err := r.checkCertificates(p, listeners); err != nil {
			return err
		}
		for _, l := range listeners {
			if cur := listenerOn(lb, l.LoadBalancerPort); cur != nil {
				if !sameListener(*cur, l) {
					return query.Errorf(http.StatusBadRequest, "DuplicateListener", "A listener already exists for %s with port %d", name, l.LoadBalancerPort)
				}
				continue
			}
			lb.Listeners = append(lb.Listeners, l)
			if err := secureByDefault(lb, &lb.Listeners[len(lb.Listeners)-1]); err != nil {
				return err
			}
		}
		if len(lb.Listeners) > r.env.Limits.Get(limitListeners) {
			return errConfig("A load balancer can have at most %d listeners", r.env.Limits.Get(limitListeners))
		}
		return nil
	})
}

func (r *Room) deleteLoadBalancerListeners(c *query.Call) (any, error) {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	ports, err := c.Params.IntList("LoadBalancerPorts", 1, 65535)
	if err != nil {
		return nil, err
	}
	return nil, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		// Ports without a listener are ignored, as on AWS.
		lb.Listeners = slices.DeleteFunc(lb.Listeners, func(l store.ClassicListener) bool { return slices.Contains(ports, l.LoadBalancerPort) })
		return nil
	})
}

func (r *Room) setLoadBalancerListenerSSLCertificate(c *query.Call) (any, error) {
	name, port, err := nameAndPort(c.Params, "LoadBalancerPort")
	if err != nil {
		return nil, err
	}
	cert, err := c.Params.RequiredText("SSLCertificateId", maxCertificateID)
	if err != nil {
		return nil, err
	}
	if !certRE.MatchString(cert) {
		return nil, errCertificateNotFound(cert)
	}
	return nil, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		l := listenerOn(lb, port)
		if l == nil {
			return errListenerNotFound(name, port)
		}
		if l.Protocol != "HTTPS" && l.Protocol != "SSL" {
			return errConfig("The listener on port %d uses %s; certificates apply only to HTTPS and SSL listeners", port, l.Protocol)
		}
		l.SSLCertificateID = cert
		return r.checkCertificates(p, []store.ClassicListener{*l})
	})
}
