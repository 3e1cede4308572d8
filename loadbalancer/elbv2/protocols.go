package elbv2

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// Protocols a Network Load Balancer has beyond the portable ones. The portable SSL is taken
// as TLS.
const (
	TLS     driver.Protocol = "TLS"
	TCPUDP  driver.Protocol = "TCP_UDP"
	QUIC    driver.Protocol = "QUIC"
	TCPQUIC driver.Protocol = "TCP_QUIC"
)

// FlowHash is how a Network Load Balancer picks a target, the only way it has: a hash of
// each flow's protocol, addresses and ports (and TCP sequence number), fixed for the flow's
// life. It cannot be chosen or changed, so the nlb provider lists it alone.
const FlowHash driver.Algorithm = "FLOW_HASH"

// algorithmAttr is the target group attribute that holds an ALB's algorithm.
const algorithmAttr = "load_balancing.algorithm.type"

// albAlgorithms maps the portable algorithms an Application Load Balancer offers to the
// values of load_balancing.algorithm.type. Least outstanding requests is reported as
// LEAST_CONNECTIONS, as the Classic driver does; weighted random (random, weighted away
// from anomalous targets when anomaly mitigation is on) as RANDOM.
var albAlgorithms = map[driver.Algorithm]string{
	driver.RoundRobin:       "round_robin",
	driver.LeastConnections: "least_outstanding_requests",
	driver.Random:           "weighted_random",
}

// ListProtocols lists the listener protocols of the type. An NLB lists the portable SSL,
// which it takes as TLS, beside its own names, so that a program written for every provider
// finds the protocol it asks for.
func (d *lbDriver) ListProtocols(context.Context) ([]driver.Protocol, error) {
	if d.typ == NLB {
		return []driver.Protocol{driver.TCP, driver.UDP, driver.SSL, TLS, TCPUDP, QUIC, TCPQUIC}, nil
	}
	return []driver.Protocol{driver.HTTP, driver.HTTPS}, nil
}

// ListSupportedAlgorithms lists what the type can do: for ALB, ROUND_ROBIN (the default),
// LEAST_CONNECTIONS (least outstanding requests) and RANDOM (weighted random); for NLB,
// FLOW_HASH alone.
func (d *lbDriver) ListSupportedAlgorithms(context.Context) ([]driver.Algorithm, error) {
	if d.typ == NLB {
		return []driver.Algorithm{FlowHash}, nil
	}
	return []driver.Algorithm{driver.RoundRobin, driver.LeastConnections, driver.Random}, nil
}

// algorithmValue checks a requested algorithm and returns the attribute value that sets it:
// "" when nothing is to be set (none asked, or NLB's only one).
func (d *lbDriver) algorithmValue(a driver.Algorithm) (string, error) {
	if a == "" {
		return "", nil
	}
	if d.typ == NLB {
		if a == FlowHash {
			return "", nil
		}
		return "", driver.Unsupported(d.Provider(), "algorithm %s is not available: a Network Load Balancer always routes by flow hash (FLOW_HASH)", a)
	}
	v, ok := albAlgorithms[a]
	if !ok {
		return "", driver.Unsupported(d.Provider(), "algorithm %s is not available: an Application Load Balancer offers ROUND_ROBIN, LEAST_CONNECTIONS (least outstanding requests) and RANDOM (weighted random)", a)
	}
	return v, nil
}

// protocol upper-cases p and checks that the type has it.
func (d *lbDriver) protocol(p driver.Protocol) (types.ProtocolEnum, error) {
	u := driver.Protocol(strings.ToUpper(strings.TrimSpace(string(p))))
	if u == driver.SSL && d.typ == NLB {
		u = TLS
	}
	if u == "" {
		return "", driver.Invalid(d.Provider(), "a protocol is required")
	}
	protos, _ := d.ListProtocols(context.Background())
	for _, ok := range protos {
		if u == ok {
			return types.ProtocolEnum(u), nil
		}
	}
	return "", driver.Unsupported(d.Provider(), "protocol %q is not supported by an %s (%v)", string(p), d.longName(), protos)
}

// groupProtocols lists, for each listener protocol, the protocols of the target groups it
// can forward to; ELBv2 refuses the others (IncompatibleProtocols).
var groupProtocols = map[types.ProtocolEnum][]types.ProtocolEnum{
	types.ProtocolEnumHttp:    {types.ProtocolEnumHttp, types.ProtocolEnumHttps},
	types.ProtocolEnumHttps:   {types.ProtocolEnumHttp, types.ProtocolEnumHttps},
	types.ProtocolEnumTcp:     {types.ProtocolEnumTcp, types.ProtocolEnumTcpUdp},
	types.ProtocolEnumTls:     {types.ProtocolEnumTcp, types.ProtocolEnumTls},
	types.ProtocolEnumUdp:     {types.ProtocolEnumUdp, types.ProtocolEnumTcpUdp},
	types.ProtocolEnumTcpUdp:  {types.ProtocolEnumTcpUdp},
	types.ProtocolEnumQuic:    {types.ProtocolEnumQuic},
	types.ProtocolEnumTcpQuic: {types.ProtocolEnumTcpQuic},
}

// needsCertificate reports listener protocols that terminate TLS.
func needsCertificate(p types.ProtocolEnum) bool {
	return p == types.ProtocolEnumHttps || p == types.ProtocolEnumTls
}

func (d *lbDriver) longName() string {
	if d.typ == NLB {
		return "Network Load Balancer"
	}
	return "Application Load Balancer"
}
