package migrate

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// Report is what Verify found. Its JSON form is lbctl's `migrate --verify -o json` output.
type Report struct {
	Source  string         `json:"source"`
	OK      bool           `json:"ok"`
	Checks  []Check        `json:"checks"`
	Traffic []TrafficCheck `json:"traffic,omitempty"`
	// TrafficSkipped says why no requests were sent, when none were.
	TrafficSkipped string `json:"traffic_skipped,omitempty"`
}

// Check is one planned setting beside what the ELBv2 API now describes.
type Check struct {
	What    string `json:"what"`
	Classic string `json:"classic,omitempty"`
	Planned string `json:"planned"`
	Actual  string `json:"actual"`
	OK      bool   `json:"ok"`
}

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// Endpoint is the URL of an lbcloud endpoint running the data plane: requests are then
	// sent through both balancers' local addresses. Empty: settings only.
	Endpoint string
	// Requests is how many requests each listener gets through each balancer; 8 when zero.
	Requests int
	// Path is the path requested; "/" when empty.
	Path string
}

// Verify compares the Classic balancer with what the plan made: every planned setting beside
// what ELBv2 describes, and, with an lbcloud endpoint's data plane, the same requests sent
// through both.
func (m *Migrator) Verify(ctx context.Context, p *Plan, opts VerifyOptions) (*Report, error) {
	r := &Report{Source: p.Source, Checks: []Check{}}
	if !p.Ready {
		r.check("plan", "", "ready", fmt.Sprintf("blocked by %d settings", len(p.Blocked())))
	}
	classic, err := m.ReadClassic(ctx, p.Source)
	if err != nil {
		return nil, err
	}
	for i := range p.Balancers {
		if err := m.verifyBalancer(ctx, r, classic, &p.Balancers[i]); err != nil {
			return nil, err
		}
	}
	if opts.Endpoint == "" {
		r.TrafficSkipped = "no lbcloud endpoint with a data plane given: settings only"
	} else if err := m.verifyTraffic(ctx, r, p, opts); err != nil {
		return nil, err
	}
	r.OK = !slices.ContainsFunc(r.Checks, func(c Check) bool { return !c.OK }) &&
		!slices.ContainsFunc(r.Traffic, func(c TrafficCheck) bool { return !c.OK })
	return r, nil
}

func (r *Report) check(what, classic, planned, actual string) {
	r.Checks = append(r.Checks, Check{What: what, Classic: classic, Planned: planned, Actual: actual, OK: planned == actual})
}

func (m *Migrator) verifyBalancer(ctx context.Context, r *Report, classic *Classic, b *Balancer) error {
	c := m.client(b.Type)
	lb, err := findBalancer(ctx, c, b.Name)
	if err != nil {
		return err
	}
	if lb == nil {
		r.check("load balancer "+b.Name, "", b.Type+" "+b.Scheme, "missing")
		return nil
	}
	arn := aws.ToString(lb.LoadBalancerArn)
	r.check("load balancer "+b.Name, classic.Scheme, b.Type+" "+b.Scheme, string(lb.Type)+" "+string(lb.Scheme))
	var subnets []string
	for _, z := range lb.AvailabilityZones {
		subnets = append(subnets, aws.ToString(z.SubnetId))
	}
	r.check("subnets of "+b.Name, list(classic.Subnets), list(b.Subnets), list(subnets))
	r.check("security groups of "+b.Name, list(classic.SecurityGroups), list(b.SecurityGroups), list(lb.SecurityGroups))
	tags, err := c.Tags(ctx, arn)
	if err != nil {
		return err
	}
	r.check("tags of "+b.Name, "", pairs(b.Tags), pairs(tags[arn]))
	attrs, err := c.LoadBalancerAttributes(ctx, arn)
	if err != nil {
		return err
	}
	checkAttrs(r, "load balancer "+b.Name, b.Attributes, attrs)
	groups := map[string]string{} // ARN -> name
	for _, tg := range b.TargetGroups {
		arn, err := m.verifyGroup(ctx, r, c, classic, &tg)
		if err != nil {
			return err
		}
		groups[arn] = tg.Name
	}
	actual := map[int]types.Listener{}
	for l, err := range c.Listeners(ctx, arn) {
		if err != nil {
			return err
		}
		actual[int(aws.ToInt32(l.Port))] = l
	}
	for _, l := range b.Listeners {
		what := "listener " + b.Name + " " + strconv.Itoa(l.Port)
		got, ok := actual[l.Port]
		if !ok {
			r.check(what, l.From, describeListener(l), "missing")
			continue
		}
		have := Listener{Port: l.Port, Protocol: string(got.Protocol), SSLPolicy: aws.ToString(got.SslPolicy)}
		if len(got.Certificates) > 0 {
			have.Certificate = aws.ToString(got.Certificates[0].CertificateArn)
		}
		if have.Certificate == "" {
			have.SSLPolicy = "" // an endpoint may name a policy on plain listeners
		}
		for _, a := range got.DefaultActions {
			have.TargetGroup = groups[aws.ToString(a.TargetGroupArn)]
		}
		r.check(what, l.From, describeListener(l), describeListener(have))
		if len(l.Attributes) > 0 {
			attrs, err := c.ListenerAttributes(ctx, aws.ToString(got.ListenerArn))
			if err != nil {
				return err
			}
			checkAttrs(r, what, l.Attributes, attrs)
		}
	}
	return nil
}

func describeListener(l Listener) string {
	s := fmt.Sprintf("%s:%d -> %s", l.Protocol, l.Port, l.TargetGroup)
	if l.Certificate != "" {
		s += " certificate " + l.Certificate
	}
	if l.SSLPolicy != "" {
		s += " policy " + l.SSLPolicy
	}
	return s
}

// verifyGroup checks a target group's protocol, health check, attributes and targets.
func (m *Migrator) verifyGroup(ctx context.Context, r *Report, c *elbv2.Client, classic *Classic, tg *TargetGroup) (string, error) {
	what := "target group " + tg.Name
	found, err := findGroup(ctx, c, tg.Name)
	if err != nil {
		return "", err
	}
	if found == nil {
		r.check(what, "", tg.Protocol+":"+strconv.Itoa(tg.Port), "missing")
		return "", nil
	}
	arn := aws.ToString(found.TargetGroupArn)
	r.check(what, "", tg.Protocol+":"+strconv.Itoa(tg.Port), string(found.Protocol)+":"+strconv.Itoa(int(aws.ToInt32(found.Port))))
	r.check("health check of "+tg.Name, "", describeCheck(tg.HealthCheck), describeCheck(healthCheckOf(*found, tg.HealthCheck)))
	attrs, err := c.TargetGroupAttributes(ctx, arn)
	if err != nil {
		return "", err
	}
	checkAttrs(r, what, tg.Attributes, attrs)
	health, err := c.TargetHealth(ctx, arn)
	if err != nil {
		return "", err
	}
	var targets []string
	for _, h := range health {
		if h.Target != nil {
			targets = append(targets, aws.ToString(h.Target.Id))
		}
	}
	r.check("targets of "+tg.Name, list(classic.Instances), list(tg.Targets), list(targets))
	return arn, nil
}

// healthCheckOf is a target group's health check in the plan's terms; the matcher counts only
// where the plan has one (services report a default on checks that ignore it).
func healthCheckOf(tg types.TargetGroup, planned HealthCheck) HealthCheck {
	hc := HealthCheck{Protocol: string(tg.HealthCheckProtocol), Port: aws.ToString(tg.HealthCheckPort),
		Path: aws.ToString(tg.HealthCheckPath), IntervalSeconds: int(aws.ToInt32(tg.HealthCheckIntervalSeconds)),
		TimeoutSeconds: int(aws.ToInt32(tg.HealthCheckTimeoutSeconds)), HealthyThreshold: int(aws.ToInt32(tg.HealthyThresholdCount)),
		UnhealthyThreshold: int(aws.ToInt32(tg.UnhealthyThresholdCount))}
	if planned.Path == "" {
		hc.Path = ""
	}
	if tg.Matcher != nil && planned.Matcher != "" {
		hc.Matcher = aws.ToString(tg.Matcher.HttpCode)
	}
	return hc
}

func checkAttrs(r *Report, what string, planned, actual map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(planned)) {
		got, ok := actual[k]
		if !ok {
			got = "absent"
		}
		r.check(what+" "+k, "", planned[k], got)
	}
}

// group is the planned target group named name, nil when there is none.
func (b *Balancer) group(name string) *TargetGroup {
	for i := range b.TargetGroups {
		if b.TargetGroups[i].Name == name {
			return &b.TargetGroups[i]
		}
	}
	return nil
}

// list is a set of IDs, sorted, as Check shows it.
func list(ids []string) string { return strings.Join(slices.Sorted(slices.Values(ids)), ", ") }

// pairs is a tag set as Check shows it: KEY=VALUE, by key.
func pairs(m map[string]string) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, k+"="+m[k])
	}
	return strings.Join(out, ", ")
}
