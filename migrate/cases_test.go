package migrate_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/migrate"
)

// migration is one Classic configuration, migrated: what must be made (lines as env.made
// renders them, @ standing for the balancer's name), how some settings must fare, and what moto,
// which deviates, shows instead.
type migration struct {
	name    string
	classic classic
	req     migrate.Request
	want    []string                  // lb, listener, tg and tags lines exactly; attr lines at least
	rows    map[string]migrate.Status // setting -> status in the plan
	blocked bool                      // the plan is refused: nothing is made
	moto    []string                  // old, new pairs replaced in want on moto ("" drops a line)
}

var (
	on, off  = true, false
	alb, nlb = migrate.Request{To: migrate.ToALB}, migrate.Request{To: migrate.ToNLB}
	// the tutorial's balancer: an HTTP listener with LB-cookie stickiness, an HTTPS listener
	// with a certificate, and a ProxyProtocol policy on back-end port 80.
	tutorial = classic{listeners: []string{"HTTP:80>HTTP:80", "HTTPS:1024>HTTP:65533"}, check: "HTTP:80/ 10 5 3 4",
		lbSticky: map[int]time.Duration{80: time.Hour}, proxy: []int{80}}
	// motoHTTPS: moto gives an HTTPS or SSL listener an instance protocol of its own protocol.
	motoHTTPS = []string{"-65533-http", "-65533-https", "HTTP:65533", "HTTPS:65533"}
)

func tg(name, rest string) string { return "tg @" + name + " " + rest }

func migrations() []migration {
	const tags = "lbcloud:migrated-from=@"
	return []migration{
		{name: "http", classic: classic{listeners: []string{"HTTP:80>HTTP:8080"}, check: "HTTP:8080/health 30 5 10 2"}, req: alb,
			want: []string{"lb @ application internet-facing subnets=0,1 groups=1", "listener @ HTTP:80 forward->@-8080-http", "tags @ " + tags,
				tg("-8080-http", "HTTP:8080 instance vpc=true check=HTTP:traffic-port/health codes=200 every=30 timeout=5 healthy=10 unhealthy=2 targets=0:8080,1:8080"),
				"tags @-8080-http " + tags, "attr @ idle_timeout.timeout_seconds=60", "attr @-8080-http deregistration_delay.timeout_seconds=0",
				"attr @-8080-http stickiness.enabled=false"},
			rows: map[string]migrate.Status{"listener HTTP:80": migrate.Carried, "connection draining": migrate.Carried, "source security group": migrate.NotCarried}},
		{name: "tutorial-alb", classic: tutorial, req: alb, moto: motoHTTPS,
			want: []string{"lb @ application internet-facing subnets=0,1 groups=1", "tags @ " + tags,
				"listener @ HTTP:80 forward->@-80-http", "listener @ HTTPS:1024 forward->@-65533-http cert=CERT policy=ELBSecurityPolicy-2016-08",
				tg("-80-http", "HTTP:80 instance vpc=true check=HTTP:traffic-port/ codes=200 every=10 timeout=5 healthy=3 unhealthy=4 targets=0:80,1:80"),
				tg("-65533-http", "HTTP:65533 instance vpc=true check=HTTP:80/ codes=200 every=10 timeout=5 healthy=3 unhealthy=4 targets=0:65533,1:65533"),
				"tags @-80-http " + tags, "tags @-65533-http " + tags,
				"attr @-80-http stickiness.enabled=true", "attr @-80-http stickiness.type=lb_cookie", "attr @-80-http stickiness.lb_cookie.duration_seconds=3600",
				"attr @-65533-http stickiness.enabled=false"},
			rows: map[string]migrate.Status{"PROXY protocol (instance port 80)": migrate.NotCarried, "stickiness (listener HTTP:80)": migrate.Carried,
				"certificate (listener HTTPS:1024)": migrate.Carried, "security policy (listener HTTPS:1024)": migrate.Carried}},
		{name: "tutorial-nlb", classic: tutorial, req: nlb,
			moto: []string{"-65533-tcp", "-65533-tls", "TCP:65533", "TLS:65533"},
			want: []string{"lb @ network internet-facing subnets=0,1 groups=1", "tags @ " + tags,
				"listener @ TCP:80 forward->@-80-tcp", "listener @ TLS:1024 forward->@-65533-tcp cert=CERT policy=ELBSecurityPolicy-2016-08",
				tg("-80-tcp", "TCP:80 instance vpc=true check=HTTP:traffic-port/ codes=200 every=10 timeout=5 healthy=3 unhealthy=4 targets=0:80,1:80"),
				tg("-65533-tcp", "TCP:65533 instance vpc=true check=HTTP:80/ codes=200 every=10 timeout=5 healthy=3 unhealthy=4 targets=0:65533,1:65533"),
				"tags @-80-tcp " + tags, "tags @-65533-tcp " + tags, "attr @-80-tcp proxy_protocol_v2.enabled=true"},
			rows: map[string]migrate.Status{"PROXY protocol (instance port 80)": migrate.Adjusted, "stickiness (listener HTTP:80)": migrate.NotCarried,
				"listener HTTP:80": migrate.Adjusted}},
		{name: "mixed", classic: classic{listeners: []string{"HTTP:80>HTTP:8080", "TCP:5432>TCP:5432", "SSL:993>TCP:143"}, check: "TCP:8080 30 5 10 2"}, req: alb,
			moto: []string{"-nlb-143-tcp", "-nlb-143-tls", "TCP:143", "TLS:143"},
			want: []string{"lb @ application internet-facing subnets=0,1 groups=1", "lb @-nlb network internet-facing subnets=0,1 groups=1",
				"tags @ " + tags, "tags @-nlb " + tags,
				"listener @ HTTP:80 forward->@-8080-http", "listener @-nlb TCP:5432 forward->@-nlb-5432-tcp",
				"listener @-nlb TLS:993 forward->@-nlb-143-tcp cert=CERT policy=ELBSecurityPolicy-2016-08",
				tg("-8080-http", "HTTP:8080 instance vpc=true check=HTTP:traffic-port/ codes=200-499 every=30 timeout=5 healthy=10 unhealthy=2 targets=0:8080,1:8080"),
				tg("-nlb-5432-tcp", "TCP:5432 instance vpc=true check=TCP:8080 every=30 timeout=5 healthy=10 unhealthy=2 targets=0:5432,1:5432"),
				tg("-nlb-143-tcp", "TCP:143 instance vpc=true check=TCP:8080 every=30 timeout=5 healthy=10 unhealthy=2 targets=0:143,1:143"),
				"tags @-8080-http " + tags, "tags @-nlb-5432-tcp " + tags, "tags @-nlb-143-tcp " + tags},
			rows: map[string]migrate.Status{"second load balancer": migrate.Adjusted, "listener TCP:5432": migrate.Adjusted,
				"health check (target group mixed-8080-http)": migrate.Adjusted, "health check (target group mixed-nlb-5432-tcp)": migrate.Carried}},
		{name: "tcp-only", classic: classic{listeners: []string{"TCP:25>TCP:25"}, check: "TCP:25 30 5 10 2"}, req: alb,
			want: []string{"lb @ network internet-facing subnets=0,1 groups=1", "tags @ " + tags, "listener @ TCP:25 forward->@-25-tcp",
				tg("-25-tcp", "TCP:25 instance vpc=true check=TCP:traffic-port every=30 timeout=5 healthy=10 unhealthy=2 targets=0:25,1:25"), "tags @-25-tcp " + tags},
			rows: map[string]migrate.Status{"load balancer": migrate.Adjusted, "listener TCP:25": migrate.Carried}},
		{name: "sticky-session", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", lbSticky: map[int]time.Duration{80: 0}}, req: alb,
			want: httpALB("attr @-80-http stickiness.type=lb_cookie", "attr @-80-http stickiness.lb_cookie.duration_seconds=86400"),
			rows: map[string]migrate.Status{"stickiness (listener HTTP:80)": migrate.Adjusted}},
		{name: "sticky-month", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", lbSticky: map[int]time.Duration{80: 30 * 24 * time.Hour}}, req: alb,
			want: httpALB("attr @-80-http stickiness.enabled=true", "attr @-80-http stickiness.lb_cookie.duration_seconds=604800"),
			rows: map[string]migrate.Status{"stickiness (listener HTTP:80)": migrate.Adjusted}},
		{name: "app-cookie", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", appSticky: map[int]string{80: "JSESSIONID"}}, req: alb,
			want: httpALB("attr @-80-http stickiness.enabled=true", "attr @-80-http stickiness.type=app_cookie", "attr @-80-http stickiness.app_cookie.cookie_name=JSESSIONID"),
			rows: map[string]migrate.Status{"stickiness (listener HTTP:80)": migrate.Carried}},
		{name: "app-cookie-reserved", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", appSticky: map[int]string{80: "AWSALBsession"}}, req: alb,
			want: httpALB("attr @-80-http stickiness.enabled=false"),
			rows: map[string]migrate.Status{"stickiness (listener HTTP:80)": migrate.NotCarried}},
		{name: "policy-kept", classic: classic{listeners: []string{"HTTPS:443>HTTPS:8443"}, check: "HTTPS:8443/ 30 5 10 2", ssl: map[int]string{443: "ELBSecurityPolicy-TLS-1-2-2017-01"}}, req: alb,
			want: httpsALB("ELBSecurityPolicy-TLS-1-2-2017-01"), rows: map[string]migrate.Status{"security policy (listener HTTPS:443)": migrate.Carried}},
		{name: "policy-old", classic: classic{listeners: []string{"HTTPS:443>HTTPS:8443"}, check: "HTTPS:8443/ 30 5 10 2", ssl: map[int]string{443: "ELBSecurityPolicy-2015-03"}}, req: alb,
			want: httpsALB("ELBSecurityPolicy-TLS-1-0-2015-04"), rows: map[string]migrate.Status{"security policy (listener HTTPS:443)": migrate.Adjusted}},
		{name: "policy-custom", classic: classic{listeners: []string{"HTTPS:443>HTTPS:8443"}, check: "HTTPS:8443/ 30 5 10 2", custom: map[int]string{443: "TLSv1.1"}}, req: alb,
			want: httpsALB("ELBSecurityPolicy-TLS-1-1-2017-01"), rows: map[string]migrate.Status{"security policy (listener HTTPS:443)": migrate.Adjusted}},
		{name: "backend-auth", classic: classic{listeners: []string{"HTTPS:443>HTTPS:8443"}, check: "HTTPS:8443/ 30 5 10 2", auth: []int{8443}}, req: alb,
			want: httpsALB("ELBSecurityPolicy-2016-08"), rows: map[string]migrate.Status{"back-end authentication (instance port 8443)": migrate.NotCarried}},
		{name: "ssl-nlb", classic: classic{listeners: []string{"SSL:443>SSL:8443"}, check: "SSL:8443 30 5 10 2"}, req: nlb,
			want: []string{"lb @ network internet-facing subnets=0,1 groups=1", "tags @ " + tags,
				"listener @ TLS:443 forward->@-8443-tls cert=CERT policy=ELBSecurityPolicy-2016-08",
				tg("-8443-tls", "TLS:8443 instance vpc=true check=TCP:traffic-port every=30 timeout=5 healthy=10 unhealthy=2 targets=0:8443,1:8443"), "tags @-8443-tls " + tags},
			rows: map[string]migrate.Status{"health check (target group ssl-nlb-8443-tls)": migrate.Adjusted, "listener SSL:443": migrate.Carried}},
		{name: "proxy-tcp", classic: classic{listeners: []string{"TCP:80>TCP:80"}, check: "TCP:80 30 5 10 2", proxy: []int{80}}, req: nlb,
			want: []string{"lb @ network internet-facing subnets=0,1 groups=1", "tags @ " + tags, "listener @ TCP:80 forward->@-80-tcp",
				tg("-80-tcp", "TCP:80 instance vpc=true check=TCP:traffic-port every=30 timeout=5 healthy=10 unhealthy=2 targets=0:80,1:80"), "tags @-80-tcp " + tags,
				"attr @-80-tcp proxy_protocol_v2.enabled=true", "attr @:80 tcp.idle_timeout.seconds=60"},
			rows: map[string]migrate.Status{"PROXY protocol (instance port 80)": migrate.Adjusted}},
		{name: "draining", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", draining: &elb.ConnectionDraining{Enabled: true, Timeout: 120 * time.Second}}, req: alb,
			want: httpALB("attr @-80-http deregistration_delay.timeout_seconds=120"), rows: map[string]migrate.Status{"connection draining": migrate.Carried}},
		{name: "idle-alb", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", idle: 300 * time.Second}, req: alb,
			want: httpALB("attr @ idle_timeout.timeout_seconds=300"), rows: map[string]migrate.Status{"idle timeout (application load balancer idle-alb)": migrate.Carried}},
		{name: "idle-nlb", classic: classic{listeners: []string{"TCP:80>TCP:80"}, check: "TCP:80 30 5 10 2", idle: 30 * time.Second}, req: nlb,
			want: []string{"lb @ network internet-facing subnets=0,1 groups=1", "tags @ " + tags, "listener @ TCP:80 forward->@-80-tcp",
				tg("-80-tcp", "TCP:80 instance vpc=true check=TCP:traffic-port every=30 timeout=5 healthy=10 unhealthy=2 targets=0:80,1:80"), "tags @-80-tcp " + tags,
				"attr @:80 tcp.idle_timeout.seconds=60"},
			rows: map[string]migrate.Status{"idle timeout (network load balancer idle-nlb)": migrate.Adjusted}},
		{name: "cross-zone-nlb", classic: classic{listeners: []string{"TCP:80>TCP:80"}, check: "TCP:80 30 5 10 2", crossZone: &on}, req: nlb,
			want: []string{"lb @ network internet-facing subnets=0,1 groups=1", "tags @ " + tags, "listener @ TCP:80 forward->@-80-tcp",
				tg("-80-tcp", "TCP:80 instance vpc=true check=TCP:traffic-port every=30 timeout=5 healthy=10 unhealthy=2 targets=0:80,1:80"), "tags @-80-tcp " + tags,
				"attr @ load_balancing.cross_zone.enabled=true"},
			rows: map[string]migrate.Status{"cross-zone load balancing (network load balancer cross-zone-nlb)": migrate.Carried}},
		{name: "cross-zone-off", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", crossZone: &off}, req: alb,
			want: httpALB("attr @-80-http load_balancing.cross_zone.enabled=false")},
		{name: "check-bounds", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/status 300 60 10 10"}, req: alb,
			want: replaced(httpALB(), "check=HTTP:traffic-port/ codes=200 every=30 timeout=5 healthy=10 unhealthy=2", "check=HTTP:traffic-port/status codes=200 every=300 timeout=60 healthy=10 unhealthy=10"),
			rows: map[string]migrate.Status{"health check (target group check-bounds-80-http)": migrate.Carried}},
		{name: "tags", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", tags: map[string]string{"team": "web", "cost": "42"}}, req: alb,
			want: replaced(httpALB(), "tags @ "+tags, "tags @ cost=42 "+tags+" team=web"), rows: map[string]migrate.Status{"tags": migrate.Carried}},
		{name: "unused-policy", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", unused: true}, req: alb,
			want: httpALB("attr @-80-http stickiness.enabled=false"), rows: map[string]migrate.Status{"policy spare": migrate.NotCarried}},
		{name: "internal", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", scheme: "internal"}, req: alb,
			want: replaced(httpALB(), "internet-facing", "internal"), rows: map[string]migrate.Status{"scheme": migrate.Carried}},
		{name: "one-zone-alb", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", subnets: 1}, req: alb, blocked: true,
			rows: map[string]migrate.Status{"subnets (application load balancer one-zone-alb)": migrate.Blocked}},
		{name: "one-zone-pick", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2", subnets: 1},
			req: migrate.Request{To: migrate.ToALB, PickSubnet: true}, want: httpALB(),
			rows: map[string]migrate.Status{"subnets (application load balancer one-zone-pick)": migrate.Adjusted}},
		{name: "one-zone-nlb", classic: classic{listeners: []string{"TCP:80>TCP:80"}, check: "TCP:80 30 5 10 2", subnets: 1}, req: nlb,
			want: []string{"lb @ network internet-facing subnets=0 groups=1", "tags @ " + tags, "listener @ TCP:80 forward->@-80-tcp",
				tg("-80-tcp", "TCP:80 instance vpc=true check=TCP:traffic-port every=30 timeout=5 healthy=10 unhealthy=2 targets=0:80,1:80"), "tags @-80-tcp " + tags},
			rows: map[string]migrate.Status{"subnets (network load balancer one-zone-nlb)": migrate.Carried}},
		{name: "renamed", classic: classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 30 5 10 2"}, req: migrate.Request{To: migrate.ToALB, Name: "renamed-v2"},
			want: httpALB()},
	}
}

// httpALB is what an HTTP:80 -> HTTP:80 balancer checked by HTTP:80/ becomes on an ALB, with more.
func httpALB(more ...string) []string {
	return append([]string{"lb @ application internet-facing subnets=0,1 groups=1", "tags @ lbcloud:migrated-from=@",
		"listener @ HTTP:80 forward->@-80-http",
		tg("-80-http", "HTTP:80 instance vpc=true check=HTTP:traffic-port/ codes=200 every=30 timeout=5 healthy=10 unhealthy=2 targets=0:80,1:80"),
		"tags @-80-http lbcloud:migrated-from=@"}, more...)
}

// httpsALB is what an HTTPS:443 -> HTTPS:8443 balancer becomes on an ALB with policy.
func httpsALB(policy string) []string {
	return []string{"lb @ application internet-facing subnets=0,1 groups=1", "tags @ lbcloud:migrated-from=@",
		"listener @ HTTPS:443 forward->@-8443-https cert=CERT policy=" + policy,
		tg("-8443-https", "HTTPS:8443 instance vpc=true check=HTTPS:traffic-port/ codes=200 every=30 timeout=5 healthy=10 unhealthy=2 targets=0:8443,1:8443"),
		"tags @-8443-https lbcloud:migrated-from=@"}
}

// replaced is lines with each old, new pair replaced; a line replaced by "" is dropped.
func replaced(lines []string, pairs ...string) []string {
	r := strings.NewReplacer(pairs...)
	var out []string
	for _, l := range lines {
		exact := slices.Index(pairs, l)
		switch {
		case exact >= 0 && exact%2 == 0 && pairs[exact+1] == "":
		case exact >= 0 && exact%2 == 0:
			out = append(out, pairs[exact+1])
		default:
			out = append(out, r.Replace(l))
		}
	}
	return out
}

// runMigrations migrates every configuration on e, each checked by what the service then
// describes.
func runMigrations(t *testing.T, e *env) {
	ctx := context.Background()
	for _, c := range migrations() {
		t.Run(c.name, func(t *testing.T) {
			c.classic.make(t, e, c.name)
			name := c.name
			if c.req.Name != "" {
				name = c.req.Name
			}
			p, err := e.m.Plan(ctx, c.name, c.req)
			must(t, err)
			for setting, want := range c.rows {
				i := slices.IndexFunc(p.Settings, func(s migrate.Setting) bool { return s.Setting == setting })
				if i < 0 {
					t.Errorf("no setting %q in the plan", setting)
				} else if got := p.Settings[i]; got.Status != want || got.Source == "" || (want != migrate.Carried && got.Reason == "") {
					t.Errorf("setting %q: %+v, want status %s with a source and a reason", setting, got, want)
				}
			}
			res, err := e.m.Apply(ctx, p, migrate.ApplyOptions{})
			if c.blocked {
				if !errors.Is(err, migrate.ErrBlocked) || p.Ready {
					t.Fatalf("Apply of a blocked plan: %v (ready %t), want ErrBlocked", err, p.Ready)
				}
				if after := e.made(t, name); len(after) > 0 {
					t.Errorf("a refused plan made %v", after)
				}
				if rep, err := e.m.Verify(ctx, p, migrate.VerifyOptions{}); err != nil || rep.OK {
					t.Errorf("Verify of a blocked plan: %+v, %v", rep, err)
				}
				return
			}
			must(t, err)
			want := c.want
			if e.kind == "moto" {
				want = replaced(want, c.moto...)
			}
			checkMade(t, e, want, name, c.name)
			if len(res.Made) == 0 || len(res.Found) != 0 {
				t.Errorf("first run: made %v, found %v", res.Made, res.Found)
			}
			rep, err := e.m.Verify(ctx, p, migrate.VerifyOptions{})
			must(t, err)
			for _, c := range rep.Checks {
				if !c.OK {
					t.Errorf("verify: %+v", c)
				}
			}
			if !rep.OK || len(rep.Checks) < 8 {
				t.Errorf("verify: ok %t after %d checks", rep.OK, len(rep.Checks))
			}
		})
	}
}

// checkMade compares what the migration made on e with want: its lb, listener, tg and tags
// lines exactly, its attr lines at least.
func checkMade(t *testing.T, e *env, want []string, name, source string) {
	t.Helper()
	var gotShape, gotAttrs []string
	for _, l := range e.made(t, name) {
		if strings.HasPrefix(l, "attr ") {
			gotAttrs = append(gotAttrs, l)
		} else {
			gotShape = append(gotShape, l)
		}
	}
	var wantShape []string
	r := strings.NewReplacer("migrated-from=@", "migrated-from="+source, "@", name)
	for _, l := range want {
		l = r.Replace(l)
		if strings.HasPrefix(l, "attr ") {
			if !slices.Contains(gotAttrs, l) {
				t.Errorf("missing %q in\n%s", l, strings.Join(gotAttrs, "\n"))
			}
			continue
		}
		wantShape = append(wantShape, l)
	}
	slices.Sort(wantShape)
	if !slices.Equal(gotShape, wantShape) {
		t.Errorf("made:\n%s\nwant:\n%s", strings.Join(gotShape, "\n"), strings.Join(wantShape, "\n"))
	}
}

func TestMigrationsEndpoint(t *testing.T) {
	runMigrations(t, endpointEnv(t, elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-load-balancers": 100}})))
}

func TestMigrationsMoto(t *testing.T) { runMigrations(t, motoEnv(t)) }
