package migrate

import (
	"fmt"
	"strconv"
	"strings"
)

// ELBv2's health check ranges (docALBHealth, docNLBHealth; the API model's
// HealthCheckIntervalSeconds, HealthCheckTimeoutSeconds and HealthCheckThresholdCount).
const (
	minInterval, maxInterval   = 5, 300
	minTimeout, maxTimeout     = 2, 120
	minThreshold, maxThreshold = 2, 10
	trafficPort                = "traffic-port"
	// anyAnswer is the matcher of an ALB check standing for a TCP one: any HTTP answer ELBv2
	// accepts as a code (200-499) counts, the nearest to "the port accepts connections".
	anyAnswer = "200-499"
)

// Classic's health check when a balancer has none described (docClassicHealth).
var classicDefaultCheck = ClassicHealthCheck{Interval: 30, Timeout: 5, Healthy: 10, Unhealthy: 2}

// classicTarget is a parsed Classic health check target, PROTOCOL:PORT[/PATH].
type classicTarget struct {
	protocol string
	port     int
	path     string
}

func parseTarget(s string) (classicTarget, error) {
	proto, rest, ok := strings.Cut(s, ":")
	if !ok {
		return classicTarget{}, fmt.Errorf("health check target %q is not PROTOCOL:PORT", s)
	}
	t := classicTarget{protocol: strings.ToUpper(proto)}
	portText, path, hasPath := strings.Cut(rest, "/")
	port, err := strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		return classicTarget{}, fmt.Errorf("health check target %q has no port", s)
	}
	t.port = port
	if hasPath {
		t.path = "/" + path
	}
	switch t.protocol {
	case protoHTTP, protoHTTPS:
		if t.path == "" {
			t.path = "/"
		}
	case protoTCP, protoSSL:
	default:
		return classicTarget{}, fmt.Errorf("health check target %q has an unknown protocol", s)
	}
	return t, nil
}

// healthChecks gives every target group the Classic balancer's health check, in the form its
// balancer type takes.
func (b *builder) healthChecks() {
	hc := b.c.HealthCheck
	if hc.Target == "" {
		hc = classicDefaultCheck
		if len(b.c.Listeners) > 0 {
			hc.Target = "TCP:" + strconv.Itoa(b.c.Listeners[0].InstancePort)
		}
	}
	t, err := parseTarget(hc.Target)
	b.allGroups(func(lb *Balancer, tg *TargetGroup) {
		row := Setting{Setting: "health check (target group " + tg.Name + ")", Classic: describeClassicCheck(hc), Source: docALBHealth}
		if lb.Type == typeNetwork {
			row.Source = docNLBHealth
		}
		if err != nil {
			row.Status, row.Reason = Blocked, err.Error()
			row.Instead = "configure a valid health check on the Classic balancer (lbctl health-check), then plan again"
			b.row(row)
			return
		}
		var notes []string
		tg.HealthCheck, notes = mapCheck(hc, t, lb.Type, tg)
		row.ELBv2 = describeCheck(tg.HealthCheck)
		row.Status = Carried
		if len(notes) > 0 {
			row.Status, row.Reason = Adjusted, strings.Join(notes, "; ")
		}
		if t.protocol == protoTCP && lb.Type == typeApplication {
			row.Instead = "give the instances a health path answering 200 and set it with aws elbv2 modify-target-group --health-check-path"
		}
		b.row(row)
	})
}

// mapCheck is the ELBv2 check for one target group, with notes on what changed.
func mapCheck(hc ClassicHealthCheck, t classicTarget, lbType string, tg *TargetGroup) (HealthCheck, []string) {
	var notes []string
	out := HealthCheck{Protocol: t.protocol, Port: trafficPort, Path: t.path}
	if t.port != tg.Port {
		out.Port = strconv.Itoa(t.port)
	}
	switch {
	case lbType == typeApplication && (t.protocol == protoTCP || t.protocol == protoSSL):
		// An ALB checks over HTTP or HTTPS only: a request to / whose any answer counts.
		out.Protocol, out.Path, out.Matcher = protoHTTP, "/", anyAnswer
		if t.protocol == protoSSL {
			out.Protocol = protoHTTPS
		}
		notes = append(notes, fmt.Sprintf("an Application Load Balancer cannot check by %s: a %s GET / on port %d is used instead, any answer %s counting as healthy, the nearest to %s",
			t.protocol, out.Protocol, t.port, anyAnswer, map[string]string{protoTCP: "a connection being accepted", protoSSL: "a handshake succeeding"}[t.protocol]))
	case t.protocol == protoSSL:
		out.Protocol = protoTCP
		notes = append(notes, "a Network Load Balancer checks by TCP, HTTP or HTTPS: the SSL handshake check becomes a TCP connection check")
	case t.protocol == protoHTTP || t.protocol == protoHTTPS:
		// Classic counts 200 alone as healthy; ELBv2's default matcher differs for NLB.
		out.Matcher = "200"
	}
	clamp := func(name string, v, lo, hi int) int {
		c := min(max(v, lo), hi)
		if c != v {
			notes = append(notes, fmt.Sprintf("%s %d is outside ELBv2's %d-%d: %d", name, v, lo, hi, c))
		}
		return c
	}
	out.IntervalSeconds = clamp("interval", hc.Interval, minInterval, maxInterval)
	out.TimeoutSeconds = clamp("timeout", hc.Timeout, minTimeout, maxTimeout)
	out.HealthyThreshold = clamp("healthy threshold", hc.Healthy, minThreshold, maxThreshold)
	out.UnhealthyThreshold = clamp("unhealthy threshold", hc.Unhealthy, minThreshold, maxThreshold)
	if out.TimeoutSeconds >= out.IntervalSeconds {
		to := out.IntervalSeconds - 1
		notes = append(notes, fmt.Sprintf("the timeout must be shorter than the interval: %d becomes %d", out.TimeoutSeconds, to))
		out.TimeoutSeconds = to
	}
	return out, notes
}

func describeClassicCheck(hc ClassicHealthCheck) string {
	return fmt.Sprintf("%s every %d s, timeout %d s, healthy after %d, unhealthy after %d",
		hc.Target, hc.Interval, hc.Timeout, hc.Healthy, hc.Unhealthy)
}

func describeCheck(hc HealthCheck) string {
	s := hc.Protocol + ":" + hc.Port + hc.Path
	if hc.Matcher != "" {
		s += " (codes " + hc.Matcher + ")"
	}
	return fmt.Sprintf("%s every %d s, timeout %d s, healthy after %d, unhealthy after %d",
		s, hc.IntervalSeconds, hc.TimeoutSeconds, hc.HealthyThreshold, hc.UnhealthyThreshold)
}
