package storesync

import (
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// backend is where the data plane reaches a target, or why it does not.
type backend struct {
	addr      string // loopback host:port
	checkAddr string // set when the address is fixed: health checks go there whatever their port
	zone      string
	why       string // set when the target is not dialled: the reason, for its health
}

func (be backend) dialled() bool { return be.why == "" }

// Why a target is not dialled, in the words its health description uses.
const (
	whyNoTag      = "it has no " + store.AddressTag + " tag"
	whyNoInstance = "it is not a running EC2 instance the endpoint knows"
	whyBadTag     = "its " + store.AddressTag + " tag cannot be read"
)

// instanceBackend is where instance id answers on port: its lbcloud:address tag's host, and the
// tag's port if it names one (then every port of the instance, health checks included, is that
// one), else port.
func instanceBackend(p *store.Part, id string, port int) backend {
	inst, err := store.Instances.Get(p, id)
	if err != nil || inst == nil {
		return backend{why: whyNoInstance}
	}
	be := backend{zone: inst.AvailabilityZone}
	a, ok, err := store.InstanceBackend(p, id, 0)
	switch {
	case err != nil:
		be.why = whyBadTag
	case !ok:
		be.why = whyNoTag
	case a.Port() != 0:
		be.addr = a.String()
		be.checkAddr = be.addr
	default:
		be.addr = net.JoinHostPort(a.Addr().String(), strconv.Itoa(port))
	}
	return be
}

// ipBackend is an ip target: dialled only at a loopback address.
func ipBackend(ip string, port int, zone string) backend {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Unmap().IsLoopback() {
		return backend{why: ip + " is not a loopback address", zone: zone}
	}
	return backend{addr: netip.AddrPortFrom(a.Unmap(), uint16(port)).String(), zone: zone}
}

// notDialledClassic is the health of an instance the data plane does not send traffic to.
func notDialledClassic(why string, at time.Time) health {
	return health{state: "OutOfService", reason: "Instance",
		description: "Instance is not served by the local data plane: " + why + ".", updated: at}
}

// notDialledV2 is the health of an ELBv2 target the data plane does not send traffic to.
func notDialledV2(why string, at time.Time) health {
	return health{state: "unhealthy", reason: "Target.FailedHealthChecks",
		description: "Target is not served by the local data plane: " + why, updated: at}
}
