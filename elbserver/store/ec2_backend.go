package store

import (
	"fmt"
	"net/netip"
)

// AddressTag is the instance tag that tells a local data plane where an instance really
// answers: "HOST" or "HOST:PORT" ("[::1]:PORT" for IPv6), HOST a loopback address. The EC2
// room refuses any other value.
const AddressTag = "lbcloud:address"

// ParseBackendAddress checks a value of AddressTag and returns its host and its port (0 when
// the value names none).
func ParseBackendAddress(v string) (netip.Addr, uint16, error) {
	if a, err := netip.ParseAddr(v); err == nil {
		return a, 0, checkLoopback(a, v)
	}
	ap, err := netip.ParseAddrPort(v)
	if err != nil {
		return netip.Addr{}, 0, fmt.Errorf("%q is neither HOST nor HOST:PORT with HOST an IP address", v)
	}
	if ap.Port() == 0 {
		return netip.Addr{}, 0, fmt.Errorf("%q has port 0", v)
	}
	return ap.Addr(), ap.Port(), checkLoopback(ap.Addr(), v)
}

// checkLoopback accepts 127.0.0.0/8 and ::1 only: traffic never leaves the machine.
func checkLoopback(a netip.Addr, v string) error {
	if a.Zone() != "" || a.Is4In6() || !a.IsLoopback() {
		return fmt.Errorf("%q is not a loopback address (127.0.0.0/8 or ::1)", v)
	}
	return nil
}

// InstanceBackend returns where the live instance id answers for a listener whose instance
// port is port: the host of its AddressTag and the tag's port, or port when the tag names
// none. ok is false when the instance is not live (unknown or terminated) or has no such tag.
func InstanceBackend(p *Part, id string, port uint16) (addr netip.AddrPort, ok bool, err error) {
	if !Instances.Has(p, id) {
		return netip.AddrPort{}, false, nil
	}
	tags, err := EC2Tags.Get(p, id)
	if tags == nil || err != nil {
		return netip.AddrPort{}, false, err
	}
	for _, t := range *tags {
		if t.Key != AddressTag {
			continue
		}
		host, tagPort, err := ParseBackendAddress(t.Value)
		if err != nil {
			// Refused on every write; a value that fails now was damaged in the file.
			return netip.AddrPort{}, false, p.damaged(EC2Tags.name, []byte(id), "invalid "+AddressTag+": "+err.Error())
		}
		if tagPort != 0 {
			port = tagPort
		}
		return netip.AddrPortFrom(host, port), true, nil
	}
	return netip.AddrPort{}, false, nil
}
