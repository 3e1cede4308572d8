// Package driver defines the interface that every load balancer provider implements, and the
// types shared between providers and the portable loadbalancer package. Users import
// loadbalancer, which re-exports these types; provider packages import driver.
package driver

import (
	"encoding/json"
	"time"
)

// Protocol is a front-end or back-end protocol, spelled the way providers spell it (upper case).
type Protocol string

// Protocols known to the portable API. A driver lists the subset it supports.
const (
	HTTP  Protocol = "HTTP"
	HTTPS Protocol = "HTTPS"
	TCP   Protocol = "TCP"
	SSL   Protocol = "SSL"
	UDP   Protocol = "UDP"
)

// Algorithm is a member-selection algorithm, as in libcloud.
type Algorithm string

// Algorithms known to the portable API.
const (
	RoundRobin               Algorithm = "ROUND_ROBIN"
	Random                   Algorithm = "RANDOM"
	LeastConnections         Algorithm = "LEAST_CONNECTIONS"
	WeightedRoundRobin       Algorithm = "WEIGHTED_ROUND_ROBIN"
	WeightedLeastConnections Algorithm = "WEIGHTED_LEAST_CONNECTIONS"
	ShortestResponse         Algorithm = "SHORTEST_RESPONSE"
	PersistentIP             Algorithm = "PERSISTENT_IP"
)

// State is the life-cycle state of a load balancer.
type State string

// States a balancer can be in.
const (
	StateRunning State = "RUNNING"
	StatePending State = "PENDING"
	StateError   State = "ERROR"
	StateDeleted State = "DELETED"
	StateUnknown State = "UNKNOWN"
)

// MemberCondition says whether a member receives traffic.
type MemberCondition string

// Member conditions, after libcloud's MemberCondition.
const (
	MemberEnabled  MemberCondition = "ENABLED"  // healthy and in service
	MemberDisabled MemberCondition = "DISABLED" // out of service
	MemberDraining MemberCondition = "DRAINING" // finishing in-flight requests
	MemberUnknown  MemberCondition = "UNKNOWN"  // health not yet known
)

// Member is a back-end target of a balancer. For ELB, ID is an EC2 instance ID; a member given
// only by IP is resolved to its instance by the driver.
type Member struct {
	ID        string          `json:"id,omitempty"`
	IP        string          `json:"ip,omitempty"`
	Port      int             `json:"port,omitempty"`
	Condition MemberCondition `json:"condition,omitempty"`
	// Health is the provider's own word for the member's state (ELB: InService, OutOfService,
	// Unknown) and Reason its explanation, kept because Condition alone loses detail.
	Health string `json:"health,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// Listener maps a front-end port and protocol to a back-end port and protocol.
type Listener struct {
	Port             int      `json:"port"`
	Protocol         Protocol `json:"protocol"`
	InstancePort     int      `json:"instance_port"`
	InstanceProtocol Protocol `json:"instance_protocol"`
	CertificateID    string   `json:"certificate_id,omitempty"`
	Policies         []string `json:"policies,omitempty"`
}

// HealthCheck is how a balancer decides that a member is healthy. In JSON the durations are
// whole seconds (interval_seconds, timeout_seconds), the unit providers use.
type HealthCheck struct {
	Target             string
	Interval           time.Duration
	Timeout            time.Duration
	HealthyThreshold   int
	UnhealthyThreshold int
}

type healthCheckJSON struct {
	Target             string `json:"target"`
	IntervalSeconds    int64  `json:"interval_seconds"`
	TimeoutSeconds     int64  `json:"timeout_seconds"`
	HealthyThreshold   int    `json:"healthy_threshold"`
	UnhealthyThreshold int    `json:"unhealthy_threshold"`
}

// MarshalJSON writes durations as whole seconds.
func (h HealthCheck) MarshalJSON() ([]byte, error) {
	return json.Marshal(healthCheckJSON{h.Target, int64(h.Interval / time.Second), int64(h.Timeout / time.Second),
		h.HealthyThreshold, h.UnhealthyThreshold})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (h *HealthCheck) UnmarshalJSON(b []byte) error {
	var j healthCheckJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*h = HealthCheck{j.Target, time.Duration(j.IntervalSeconds) * time.Second,
		time.Duration(j.TimeoutSeconds) * time.Second, j.HealthyThreshold, j.UnhealthyThreshold}
	return nil
}

// LoadBalancer is one balancer as a provider describes it.
type LoadBalancer struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	State State  `json:"state"`
	// DNSName is where clients reach the balancer; IP is kept for providers that hand out one.
	DNSName        string            `json:"dns_name,omitempty"`
	IP             string            `json:"ip,omitempty"`
	Port           int               `json:"port,omitempty"` // the first listener's port, as libcloud reports it
	Listeners      []Listener        `json:"listeners,omitempty"`
	Zones          []string          `json:"zones,omitempty"`
	Subnets        []string          `json:"subnets,omitempty"`
	SecurityGroups []string          `json:"security_groups,omitempty"`
	Scheme         string            `json:"scheme,omitempty"`
	VPCID          string            `json:"vpc_id,omitempty"`
	HealthCheck    *HealthCheck      `json:"health_check,omitempty"`
	Members        []Member          `json:"members,omitempty"`
	CreatedAt      time.Time         `json:"created_at,omitzero"`
	Tags           map[string]string `json:"tags,omitempty"`
}

// CreateRequest describes a balancer to create. Port and Protocol build the first listener;
// InstancePort defaults to the members' port, then to Port.
type CreateRequest struct {
	Name           string
	Port           int
	Protocol       Protocol
	InstancePort   int
	Algorithm      Algorithm
	Members        []Member
	Zones          []string
	Subnets        []string
	SecurityGroups []string
	Scheme         string // "" or "internet-facing", or "internal"
	CertificateID  string // for HTTPS and SSL listeners
	Tags           map[string]string
}

// UpdateRequest changes a balancer; nil and zero fields are left alone.
type UpdateRequest struct {
	Name      string
	Algorithm Algorithm
	Port      int
	Protocol  Protocol
}

// ListOptions controls the portable listing.
type ListOptions struct {
	Names       []string // only these balancers; empty means all
	IncludeTags bool
	PageSize    int // 0 means the provider's maximum
}

// ListPageOptions asks a driver for one page.
type ListPageOptions struct {
	Names     []string // only these balancers; empty means all
	PageSize  int      // 0 means the provider's maximum
	PageToken string   // "" for the first page, else the NextPageToken of the previous one
	// OnNextPageToken, when not nil, is for a driver that learns the page's NextPageToken
	// before it has finished reading the page (from the raw answer, ahead of decoding it): it
	// calls it with that token (never "") so that the portable layer asks for the next page
	// meanwhile. It does not block. The portable layer acts on the first call only and
	// checks the token against the returned ListPage: a wrong one costs a wasted request,
	// never a wrong listing. A driver that cannot learn the token early never calls it, and
	// the next page is asked for once this one is returned.
	OnNextPageToken func(token string)
}

// ListPage is one page of balancers. NextPageToken is "" on the last page.
type ListPage struct {
	Balancers     []*LoadBalancer
	NextPageToken string
}
