package elbv2

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Protocols.
const (
	protoHTTP    = "HTTP"
	protoHTTPS   = "HTTPS"
	protoTCP     = "TCP"
	protoTLS     = "TLS"
	protoUDP     = "UDP"
	protoTCPUDP  = "TCP_UDP"
	protoGENEVE  = "GENEVE"
	protoQUIC    = "QUIC"
	protoTCPQUIC = "TCP_QUIC"

	trafficPort = "traffic-port"
	genevePort  = 6081
	grpc        = "GRPC"
)

var allProtocols = []string{protoHTTP, protoHTTPS, protoTCP, protoTLS, protoUDP, protoTCPUDP, protoGENEVE, protoQUIC, protoTCPQUIC}

// Target types.
const (
	targetInstance = "instance"
	targetIP       = "ip"
	targetLambda   = "lambda"
	targetALB      = "alb"
)

type tgRec = store.V2TargetGroup

// tgFamily is the kind of balancer a target group serves, by its protocol: application
// (HTTP, HTTPS, and lambda), gateway (GENEVE) or network (the rest).
func tgFamily(tg *tgRec) string {
	switch {
	case tg.TargetType == targetLambda, tg.Protocol == protoHTTP, tg.Protocol == protoHTTPS:
		return typeALB
	case tg.Protocol == protoGENEVE:
		return typeGWLB
	}
	return typeNLB
}

func isHTTP(proto string) bool { return proto == protoHTTP || proto == protoHTTPS }

// defaultHealthCheck is AWS's health check for a new target group.
func defaultHealthCheck(tg *tgRec) store.V2HealthCheck {
	hc := store.V2HealthCheck{Enabled: true, Port: trafficPort, Interval: 30, Healthy: 5, Unhealthy: 2}
	switch tgFamily(tg) {
	case typeALB:
		hc.Protocol, hc.Timeout = tg.Protocol, 5
		if tg.TargetType == targetLambda {
			hc = store.V2HealthCheck{Interval: 35, Timeout: 30, Healthy: 5, Unhealthy: 5}
		}
	case typeGWLB:
		hc.Protocol, hc.Port, hc.Interval, hc.Timeout = protoTCP, "80", 10, 5
	default:
		hc.Protocol, hc.Timeout = protoTCP, 10
		if tg.TargetType == targetALB {
			hc.Protocol, hc.Timeout = protoHTTP, 6
		}
	}
	return hc
}

// setHealthCheckDefaults fills the path and matcher an HTTP health check implies.
func setHealthCheckDefaults(tg *tgRec, hc *store.V2HealthCheck, pathGiven, matcherGiven bool) {
	httpCheck := isHTTP(hc.Protocol) || tg.TargetType == targetLambda
	switch {
	case !httpCheck:
		hc.Path, hc.HTTPCode, hc.GRPCCode = "", "", ""
		return
	case !pathGiven && hc.Path == "":
		hc.Path = "/"
		if tg.ProtocolVersion == grpc {
			hc.Path = "/AWS.ALB/healthcheck"
		}
	}
	if matcherGiven || hc.HTTPCode != "" || hc.GRPCCode != "" {
		return
	}
	switch {
	case tg.ProtocolVersion == grpc:
		hc.GRPCCode = "12"
	case tgFamily(tg) == typeALB:
		hc.HTTPCode = "200"
	default:
		hc.HTTPCode = "200-399"
	}
}

var codesRE = regexp.MustCompile(`^\d+(-\d+)?(,\d+(-\d+)?)*$`)

// checkCodes checks a matcher: codes and ranges within [lo, hi].
func checkCodes(param, v string, lo, hi int) error {
	if !codesRE.MatchString(v) {
		return query.Validation("%s '%s' must be codes or ranges of codes separated by commas", param, v)
	}
	for _, part := range strings.Split(v, ",") {
		a, b, isRange := strings.Cut(part, "-")
		from, _ := strconv.Atoi(a)
		to := from
		if isRange {
			to, _ = strconv.Atoi(b)
		}
		if from < lo || to > hi || from > to {
			return query.Validation("%s '%s' must be within %d-%d", param, v, lo, hi)
		}
	}
	return nil
}

// readHealthCheck applies the health check parameters given to hc, for tg.
func readHealthCheck(p query.Params, tg *tgRec, hc *store.V2HealthCheck) error {
	var err error
	if v, ok := p.Str("HealthCheckProtocol"); ok {
		if err := checkHealthCheckProtocol(tg, v); err != nil {
			return err
		}
		hc.Protocol = v
	}
	if v, ok := p.Str("HealthCheckPort"); ok {
		if n, err := strconv.Atoi(v); v != trafficPort && (err != nil || n < 1 || n > 65535) {
			return query.Validation("Health check port '%s' must be traffic-port or a port from 1 to 65535", v)
		}
		hc.Port = v
	}
	if e, ok, err := p.BoolOpt("HealthCheckEnabled"); err != nil {
		return err
	} else if ok {
		if !e && tg.TargetType != targetLambda {
			return query.Validation("Health checks cannot be disabled for target groups with target type '%s'", tg.TargetType)
		}
		hc.Enabled = e
	}
	for _, f := range []struct {
		name   string
		lo, hi int
		dst    *int
	}{{"HealthCheckIntervalSeconds", 5, 300, &hc.Interval}, {"HealthCheckTimeoutSeconds", 2, 120, &hc.Timeout},
		{"HealthyThresholdCount", 2, 10, &hc.Healthy}, {"UnhealthyThresholdCount", 2, 10, &hc.Unhealthy}} {
		n, ok, err := p.IntOpt(f.name, f.lo, f.hi)
		if err != nil {
			return err
		}
		if ok {
			*f.dst = n
		}
	}
	if hc.Timeout >= hc.Interval {
		return query.Validation("Health check timeout (%d) must be smaller than the interval (%d)", hc.Timeout, hc.Interval)
	}
	path, pathGiven := p.Str("HealthCheckPath")
	httpCode, httpGiven := p.Str("Matcher.HttpCode")
	grpcCode, grpcGiven := p.Str("Matcher.GrpcCode")
	httpCheck := isHTTP(hc.Protocol) || tg.TargetType == targetLambda
	if (pathGiven || httpGiven || grpcGiven) && !httpCheck {
		return query.Validation("A health check path and matcher apply to HTTP and HTTPS health checks only")
	}
	if pathGiven {
		if path == "" || len(path) > 1024 || !strings.HasPrefix(path, "/") {
			return query.Validation("Health check path '%s' must start with '/' and have 1 to 1024 characters", path)
		}
		hc.Path = path
	}
	if err = readMatcher(tg, hc, httpCode, httpGiven, grpcCode, grpcGiven); err != nil {
		return err
	}
	setHealthCheckDefaults(tg, hc, pathGiven, httpGiven || grpcGiven)
	return nil
}

func readMatcher(tg *tgRec, hc *store.V2HealthCheck, httpCode string, httpGiven bool, grpcCode string, grpcGiven bool) error {
	switch {
	case httpGiven && grpcGiven:
		return query.Validation("Specify either Matcher.HttpCode or Matcher.GrpcCode, not both")
	case grpcGiven:
		if tg.ProtocolVersion != grpc {
			return query.Validation("Matcher.GrpcCode applies to target groups with protocol version GRPC only")
		}
		if err := checkCodes("Matcher.GrpcCode", grpcCode, 0, 99); err != nil {
			return err
		}
		hc.GRPCCode, hc.HTTPCode = grpcCode, ""
	case httpGiven:
		if tg.ProtocolVersion == grpc {
			return query.Validation("Target groups with protocol version GRPC take Matcher.GrpcCode")
		}
		lo, hi := 200, 499
		switch tgFamily(tg) {
		case typeNLB:
			hi = 599
		case typeGWLB:
			hi = 399
		}
		if err := checkCodes("Matcher.HttpCode", httpCode, lo, hi); err != nil {
			return err
		}
		hc.HTTPCode, hc.GRPCCode = httpCode, ""
	}
	return nil
}

// checkHealthCheckProtocol: HTTP and HTTPS everywhere, TCP except for HTTP and HTTPS target
// groups; never GENEVE, TLS, UDP, TCP_UDP, QUIC or TCP_QUIC.
func checkHealthCheckProtocol(tg *tgRec, v string) error {
	if !oneOf(v, allProtocols...) {
		return enumError("HealthCheckProtocol", v, allProtocols...)
	}
	switch {
	case v == protoTCP && (tgFamily(tg) == typeALB || tg.TargetType == targetALB):
		return query.Validation("Health check protocol TCP is not supported for target groups with the %s protocol", tg.Protocol)
	case !oneOf(v, protoHTTP, protoHTTPS, protoTCP):
		return query.Validation("Health check protocol %s is not supported", v)
	}
	return nil
}
