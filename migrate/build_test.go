package migrate_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/migrate"
)

// base is a Classic balancer in a VPC with subnets in two zones, an HTTP listener and two
// instances, as ReadClassic would describe it.
func base() *migrate.Classic {
	return &migrate.Classic{Name: "shop", Scheme: "internet-facing", VPCID: "vpc-1", Zones: []string{"z-a", "z-b"},
		Subnets: []string{"subnet-a", "subnet-b"}, SubnetZones: map[string]string{"subnet-a": "z-a", "subnet-b": "z-b"},
		SecurityGroups: []string{"sg-1"},
		Listeners:      []migrate.ClassicListener{{Port: 80, Protocol: "HTTP", InstancePort: 8080, InstanceProtocol: "HTTP"}},
		HealthCheck:    migrate.ClassicHealthCheck{Target: "HTTP:8080/", Interval: 30, Timeout: 5, Healthy: 10, Unhealthy: 2},
		Instances:      []string{"i-1", "i-2"}, InstanceTypes: map[string]string{"i-1": "t3.micro", "i-2": "m1.small"},
		Backends: map[int][]string{}, Policies: map[string]migrate.ClassicPolicy{}, Tags: map[string]string{},
	}
}

func setting(p *migrate.Plan, name string) migrate.Setting {
	for _, s := range p.Settings {
		if s.Setting == name {
			return s
		}
	}
	return migrate.Setting{}
}

// TestBuildRefusesAndExplains: settings a migration cannot carry, planned without a call.
func TestBuildRefusesAndExplains(t *testing.T) {
	many := map[string]string{}
	for i := range 50 {
		many[fmt.Sprintf("k%02d", i)] = "v"
	}
	for _, c := range []struct {
		name    string
		change  func(*migrate.Classic)
		to      migrate.Target
		setting string
		status  migrate.Status
		check   func(*migrate.Plan) error
	}{
		{"aws tags dropped", func(c *migrate.Classic) {
			c.Tags = map[string]string{"aws:cloudformation:stack-name": "s", "team": "web"}
		}, migrate.ToALB,
			"tags with the aws: prefix", migrate.NotCarried, func(p *migrate.Plan) error {
				if got := fmt.Sprint(p.Balancers[0].Tags); got != "map[lbcloud:migrated-from:shop team:web]" {
					return fmt.Errorf("tags %s", got)
				}
				return nil
			}},
		{"too many tags", func(c *migrate.Classic) { c.Tags = many }, migrate.ToALB, "tags", migrate.Blocked, nil},
		{"EC2-Classic", func(c *migrate.Classic) { c.VPCID, c.Subnets = "", nil }, migrate.ToNLB, "VPC", migrate.Blocked, nil},
		{"bad health target", func(c *migrate.Classic) { c.HealthCheck.Target = "ICMP:8080" }, migrate.ToALB,
			"health check (target group shop-8080-http)", migrate.Blocked, nil},
		{"no listeners", func(c *migrate.Classic) { c.Listeners = nil }, migrate.ToALB, "listeners", migrate.Blocked, nil},
		{"timeout not below interval", func(c *migrate.Classic) { c.HealthCheck.Timeout, c.HealthCheck.Interval = 10, 10 }, migrate.ToALB,
			"health check (target group shop-8080-http)", migrate.Adjusted, func(p *migrate.Plan) error {
				if hc := p.Balancers[0].TargetGroups[0].HealthCheck; hc.TimeoutSeconds != 9 || hc.IntervalSeconds != 10 {
					return fmt.Errorf("check %+v", hc)
				}
				return nil
			}},
		{"old instance type on an NLB", func(*migrate.Classic) {}, migrate.ToNLB, "instance i-2", migrate.NotCarried, func(p *migrate.Plan) error {
			if got := p.Balancers[0].TargetGroups[0].Targets; !slices.Equal(got, []string{"i-1"}) {
				return fmt.Errorf("targets %v", got)
			}
			return nil
		}},
		{"access logs every hour", func(c *migrate.Classic) {
			c.Attributes.AccessLog = &elb.AccessLog{Enabled: true, S3BucketName: "logs", S3BucketPrefix: "shop", EmitInterval: time.Hour}
		}, migrate.ToALB, "access logs (application load balancer shop)", migrate.Adjusted, func(p *migrate.Plan) error {
			if a := p.Balancers[0].Attributes; a["access_logs.s3.bucket"] != "logs" || a["access_logs.s3.prefix"] != "shop" || a["access_logs.s3.enabled"] != "true" {
				return fmt.Errorf("attributes %v", a)
			}
			return nil
		}},
		{"desync on an NLB", func(c *migrate.Classic) {
			c.Attributes.Additional = map[string]string{"elb.http.desyncmitigationmode": "strictest"}
		}, migrate.ToNLB,
			"desync mitigation mode (network load balancer shop)", migrate.NotCarried, nil},
		{"long name", func(c *migrate.Classic) { c.Name = strings.Repeat("n", 32) }, migrate.ToALB, "load balancer", migrate.Carried, func(p *migrate.Plan) error {
			if tg := p.Balancers[0].TargetGroups[0].Name; tg != strings.Repeat("n", 22)+"-8080-http" {
				return fmt.Errorf("target group name %q", tg)
			}
			return nil
		}},
		{"one port, two stickiness settings", func(c *migrate.Classic) {
			c.Listeners = append(c.Listeners, migrate.ClassicListener{Port: 81, Protocol: "HTTP", InstancePort: 8080, InstanceProtocol: "HTTP", Policies: []string{"s"}})
			c.Policies["s"] = migrate.ClassicPolicy{Name: "s", Type: "LBCookieStickinessPolicyType", Expiration: 60}
		}, migrate.ToALB, "stickiness (listener HTTP:81)", migrate.Carried, func(p *migrate.Plan) error {
			var got []string
			for _, tg := range p.Balancers[0].TargetGroups {
				got = append(got, tg.Name+" "+tg.Attributes["stickiness.lb_cookie.duration_seconds"])
			}
			if l := p.Balancers[0].Listeners; fmt.Sprint(got) != "[shop-8080-http  shop-8080-http-2 60]" || l[1].TargetGroup != "shop-8080-http-2" {
				return fmt.Errorf("target groups %q, listeners %+v", got, l)
			}
			return nil
		}},
		{"one zone for an ALB", func(c *migrate.Classic) { c.Subnets, c.Zones = c.Subnets[:1], c.Zones[:1] }, migrate.ToALB,
			"subnets (application load balancer shop)", migrate.Blocked, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := base()
			c.change(cl)
			p, err := migrate.Build(cl, migrate.Request{To: c.to})
			must(t, err)
			s := setting(p, c.setting)
			if s.Status != c.status || s.Source == "" || (c.status != migrate.Carried && s.Reason == "") {
				t.Fatalf("setting %q: %+v, want %s with a source and a reason", c.setting, s, c.status)
			}
			if (c.status == migrate.Blocked) != !p.Ready || (c.status == migrate.Blocked && s.Instead == "") {
				t.Errorf("ready %t with %+v", p.Ready, s)
			}
			if c.check != nil {
				if err := c.check(p); err != nil {
					t.Error(err)
				}
			}
		})
	}
	if _, err := migrate.Build(base(), migrate.Request{To: "gwlb"}); !errors.Is(err, migrate.ErrBlocked) {
		t.Errorf("Build to gwlb: %v", err)
	}
}
