package loadbalancer

import (
	"net/netip"
	"strings"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// These checks are the provider-neutral minimum; drivers and providers validate further.

func (s *Service) checkID(id string) error {
	if strings.TrimSpace(id) == "" {
		return driver.Invalid(s.d.Provider(), "a load balancer id is required")
	}
	return nil
}

func (s *Service) checkPort(what string, p int) error {
	if p < 1 || p > 65535 {
		return driver.Invalid(s.d.Provider(), "%s %d is out of range 1-65535", what, p)
	}
	return nil
}

func (s *Service) checkCreate(req CreateRequest) error {
	if err := s.checkID(req.Name); err != nil {
		return err
	}
	if err := s.checkPort("port", req.Port); err != nil {
		return err
	}
	if req.InstancePort != 0 {
		if err := s.checkPort("instance port", req.InstancePort); err != nil {
			return err
		}
	}
	if req.Protocol == "" {
		return driver.Invalid(s.d.Provider(), "a protocol is required")
	}
	for i, m := range req.Members {
		if err := s.checkMember(i, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) checkMembers(id string, members []Member) error {
	if err := s.checkID(id); err != nil {
		return err
	}
	if len(members) == 0 {
		return driver.Invalid(s.d.Provider(), "at least one member is required")
	}
	for i, m := range members {
		if err := s.checkMember(i, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) checkMember(i int, m Member) error {
	if m.ID == "" && m.IP == "" {
		return driver.Invalid(s.d.Provider(), "member %d has neither an id nor an ip", i+1)
	}
	if m.IP != "" {
		if _, err := netip.ParseAddr(m.IP); err != nil {
			return driver.Invalid(s.d.Provider(), "member %d: %q is not an IP address", i+1, m.IP)
		}
	}
	if m.Port != 0 {
		return s.checkPort("member port", m.Port)
	}
	return nil
}
