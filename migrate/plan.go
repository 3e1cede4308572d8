package migrate

import (
	"context"
	"fmt"
	"slices"
)

// Target is the kind of balancer a migration makes.
type Target string

// Targets of a migration.
const (
	ToALB Target = "alb" // Application Load Balancer: HTTP and HTTPS (TCP and SSL listeners go to a second, network balancer)
	ToNLB Target = "nlb" // Network Load Balancer: every listener at layer 4
)

// ELBv2 load balancer types, as the API names them.
const (
	typeApplication = "application"
	typeNetwork     = "network"
)

// PlanVersion is the version of the plan's JSON shape. Fields are only ever added; a field
// that changes meaning or goes away changes the version.
const PlanVersion = 1

// Plan is what a migration makes of one Classic balancer: the ELBv2 resources (one balancer,
// or two for a Classic balancer with both HTTP(S) and TCP/SSL listeners migrated to an ALB)
// and, for every setting of the Classic balancer, its ELBv2 counterpart or why there is none.
// Its JSON form is lbctl's `migrate -o json` output.
type Plan struct {
	Version   int        `json:"version"`
	Source    string     `json:"source"` // the Classic balancer's name
	Region    string     `json:"region"`
	Target    Target     `json:"target"`
	Ready     bool       `json:"ready"` // false while a setting is blocked: Apply refuses
	Balancers []Balancer `json:"balancers"`
	Settings  []Setting  `json:"settings"`
}

// Balancer is an ELBv2 load balancer to make, with its listeners and target groups.
type Balancer struct {
	Name           string            `json:"name"`
	Type           string            `json:"type"` // application or network
	Scheme         string            `json:"scheme"`
	Subnets        []string          `json:"subnets"`
	SecurityGroups []string          `json:"security_groups"`
	Attributes     map[string]string `json:"attributes"`
	Tags           map[string]string `json:"tags"`
	Listeners      []Listener        `json:"listeners"`
	TargetGroups   []TargetGroup     `json:"target_groups"`
}

// Listener is an ELBv2 listener whose default action forwards to one of the balancer's
// target groups.
type Listener struct {
	Port        int               `json:"port"`
	Protocol    string            `json:"protocol"`
	Certificate string            `json:"certificate,omitempty"`
	SSLPolicy   string            `json:"ssl_policy,omitempty"`
	TargetGroup string            `json:"target_group"` // its name
	Attributes  map[string]string `json:"attributes,omitempty"`
	From        string            `json:"from"` // the Classic listener it carries, "HTTPS:443 -> HTTP:8080"
}

// TargetGroup is an instance target group: the Classic balancer's instances on one port.
type TargetGroup struct {
	Name        string            `json:"name"`
	Protocol    string            `json:"protocol"`
	Port        int               `json:"port"`
	VPCID       string            `json:"vpc_id"`
	HealthCheck HealthCheck       `json:"health_check"`
	Attributes  map[string]string `json:"attributes"`
	Tags        map[string]string `json:"tags"`
	Targets     []string          `json:"targets"` // instance IDs
}

// HealthCheck is a target group's health check.
type HealthCheck struct {
	Protocol           string `json:"protocol"`
	Port               string `json:"port"` // traffic-port or a port number
	Path               string `json:"path,omitempty"`
	Matcher            string `json:"matcher,omitempty"` // HTTP codes, HTTP and HTTPS checks only
	IntervalSeconds    int    `json:"interval_seconds"`
	TimeoutSeconds     int    `json:"timeout_seconds"`
	HealthyThreshold   int    `json:"healthy_threshold"`
	UnhealthyThreshold int    `json:"unhealthy_threshold"`
}

// Status says how a Classic setting fares.
type Status string

// Statuses of a setting.
const (
	Carried    Status = "carried"     // the ELBv2 setting means the same; Reason may add a note
	Adjusted   Status = "adjusted"    // carried with a change that Reason explains
	NotCarried Status = "not_carried" // ELBv2 has no equivalent: Reason says why, Instead what to do
	Blocked    Status = "blocked"     // Apply refuses until it is resolved as Instead says
)

// Setting is one setting of the Classic balancer beside its ELBv2 counterpart.
type Setting struct {
	Setting string `json:"setting"` // what it is: "listener HTTPS:443", "health check (group web-8080-http)"
	Classic string `json:"classic"` // its value on the Classic balancer
	ELBv2   string `json:"elbv2"`   // its value on the new balancer, "" when not carried
	Status  Status `json:"status"`
	Reason  string `json:"reason,omitempty"`
	Instead string `json:"instead,omitempty"`
	Source  string `json:"source,omitempty"` // the AWS documentation the mapping follows
}

// Request is what to migrate to.
type Request struct {
	To Target
	// Name is the new balancer's name; the Classic balancer's when empty. A second, network
	// balancer is named NAME-nlb.
	Name string
	// Subnets are added to the Classic balancer's (an ALB needs subnets in two zones).
	Subnets []string
	// PickSubnet adds, when an ALB lacks a second zone, a subnet of the balancer's VPC in
	// another zone (the default subnet of that zone when there is one). Plan resolves it.
	PickSubnet bool
}

// Plan reads the Classic balancer name and plans its migration. It only reads.
func (m *Migrator) Plan(ctx context.Context, name string, req Request) (*Plan, error) {
	c, err := m.ReadClassic(ctx, name)
	if err != nil {
		return nil, err
	}
	if err := m.resolveSubnets(ctx, c, &req); err != nil {
		return nil, err
	}
	p, err := Build(c, req)
	if err != nil {
		return nil, err
	}
	p.Region = m.region
	return p, nil
}

// Build plans the migration of c. It makes no call: Plan reads c and resolves the request's
// subnets first.
func Build(c *Classic, req Request) (*Plan, error) {
	if req.To != ToALB && req.To != ToNLB {
		return nil, fmt.Errorf("migrate to %q: %w: the target is alb or nlb", req.To, ErrBlocked)
	}
	b := newBuilder(c, req)
	b.listeners()
	b.healthChecks()
	b.network()
	b.attributes()
	b.tags()
	b.instances()
	b.unusedPolicies()
	p := &Plan{Version: PlanVersion, Source: c.Name, Target: req.To, Settings: b.rows, Ready: true}
	for _, nb := range b.lbs {
		if len(nb.Listeners) > 0 {
			p.Balancers = append(p.Balancers, *nb)
		}
	}
	if len(p.Balancers) == 0 {
		b.row(Setting{Setting: "listeners", Classic: "none", Status: Blocked, Source: docMigrate,
			Reason: "the Classic balancer has no listener, so there is nothing to route", Instead: "add a listener to the Classic balancer first"})
		p.Settings = b.rows
	}
	p.Ready = !slices.ContainsFunc(p.Settings, func(s Setting) bool { return s.Status == Blocked })
	return p, nil
}

// Blocked lists the settings that keep the plan from being applied.
func (p *Plan) Blocked() []Setting {
	var out []Setting
	for _, s := range p.Settings {
		if s.Status == Blocked {
			out = append(out, s)
		}
	}
	return out
}
