package store

import "time"

// Classic ELB records: one ClassicBalancer per balancer, under its name. The JSON names are
// the file format; change them only with a migration.

var (
	// ClassicBalancers holds each Classic balancer under its name.
	ClassicBalancers = NewBucket[ClassicBalancer]("lb", 0)
	// ClassicProbes holds the data plane's health of each registered instance under
	// ClassicProbeKey. Only the data plane writes it; DescribeInstanceHealth reports it.
	ClassicProbes = NewBucket[ClassicProbe]("classic-health", 4<<10)
)

// ClassicProbeKey is the key of the health of instance id behind the balancer named lb.
func ClassicProbeKey(lb, id string) string { return lb + "|" + id }

// ClassicBalancer is the stored form of one Classic load balancer.
type ClassicBalancer struct {
	Name           string                   `json:"name"`
	DNSName        string                   `json:"dns"`
	Scheme         string                   `json:"scheme"`
	VPCID          string                   `json:"vpc,omitempty"`
	Created        time.Time                `json:"created"`
	Listeners      []ClassicListener        `json:"listeners"`
	Zones          []string                 `json:"zones"`
	Subnets        []string                 `json:"subnets,omitempty"`
	SecurityGroups []string                 `json:"sgs,omitempty"`
	Instances      []string                 `json:"instances,omitempty"`
	Health         map[string]ClassicHealth `json:"health,omitempty"`
	HealthCheck    ClassicHealthCheck       `json:"hc"`
	Policies       []ClassicPolicy          `json:"policies,omitempty"`
	Backends       []ClassicBackend         `json:"backends,omitempty"`
	Attrs          ClassicAttributes        `json:"attrs"`
	Tags           []Tag                    `json:"tags,omitempty"`
	SourceGroup    ClassicSourceGroup       `json:"ssg"`
}

// ClassicListener is one listener with the policies enabled on it.
type ClassicListener struct {
	Protocol         string   `json:"p"`
	LoadBalancerPort int      `json:"lp"`
	InstanceProtocol string   `json:"ip"`
	InstancePort     int      `json:"iport"`
	SSLCertificateID string   `json:"cert,omitempty"`
	PolicyNames      []string `json:"policies,omitempty"`
}

// ClassicHealth is a registered instance's health, as set through SetInstanceHealth.
type ClassicHealth struct {
	State       string `json:"s"`
	ReasonCode  string `json:"r"`
	Description string `json:"d"`
}

// ClassicProbe is the data plane's view of an instance's health, in DescribeInstanceHealth's
// words (InService, OutOfService; reason codes ELB, Instance, N/A). It is reported while it is
// not older than its balancer: a balancer deleted and created again starts afresh.
type ClassicProbe struct {
	ClassicHealth
	Updated time.Time `json:"updated"`
}

// ClassicHealthCheck is a balancer's health check.
type ClassicHealthCheck struct {
	Target             string `json:"t"`
	Interval           int    `json:"i"`
	Timeout            int    `json:"to"`
	UnhealthyThreshold int    `json:"u"`
	HealthyThreshold   int    `json:"h"`
}

// Attribute is a name and a value (a policy's attributes).
type Attribute struct {
	Name  string `json:"n"`
	Value string `json:"v"`
}

// ClassicPolicy is a policy created on a balancer, or a predefined one copied onto it.
type ClassicPolicy struct {
	Name     string      `json:"n"`
	TypeName string      `json:"t"`
	Attrs    []Attribute `json:"a,omitempty"`
}

// ClassicBackend is the policies enabled for one instance port.
type ClassicBackend struct {
	Port        int      `json:"port"`
	PolicyNames []string `json:"policies"`
}

// ClassicAttributes are a balancer's attributes.
type ClassicAttributes struct {
	CrossZone       bool   `json:"cz"`
	AccessLog       bool   `json:"al"`
	S3Bucket        string `json:"alb,omitempty"`
	S3Prefix        string `json:"alp,omitempty"`
	EmitInterval    int    `json:"ali"`
	Draining        bool   `json:"cd"`
	DrainingTimeout int    `json:"cdt"`
	IdleTimeout     int    `json:"idle"`
	DesyncMode      string `json:"desync"`
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"k"`
	Value string `json:"v"`
}

// ClassicSourceGroup is the source security group a balancer reports.
type ClassicSourceGroup struct {
	OwnerAlias string `json:"o"`
	GroupName  string `json:"g"`
}

// Policy returns the balancer's policy named name.
func (lb *ClassicBalancer) Policy(name string) (ClassicPolicy, bool) {
	for _, p := range lb.Policies {
		if p.Name == name {
			return p, true
		}
	}
	return ClassicPolicy{}, false
}

// Attr returns the value of the policy's attribute name, "" when it has none.
func (p ClassicPolicy) Attr(name string) string {
	for _, a := range p.Attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}
