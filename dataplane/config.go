package dataplane

import "time"

// Config is a complete snapshot of what the data plane should serve. It holds plain data only, so
// the caller can build it from any store; Apply makes the live listeners match it.
type Config struct {
	Balancers    []Balancer
	TargetGroups []TargetGroup
}

// Kind is a balancer's product family. It selects health vocabulary and failure behaviour.
type Kind string

// Balancer kinds.
const (
	KindClassic     Kind = "classic"
	KindApplication Kind = "application"
	KindNetwork     Kind = "network"
	KindGateway     Kind = "gateway" // GENEVE cannot be served locally: no sockets, groups still health checked
)

// Balancer is one load balancer.
type Balancer struct {
	Key     string // stable identity (an ARN or a Classic name); unique in the Config
	Kind    Kind
	DNSName string // matched case-insensitively by VirtualHosts
	// IdleTimeout closes a client or backend connection idle this long and is the longest wait for a
	// backend's response headers (504 after it). Zero means AWS's default: 60 s for classic and
	// application balancers, 350 s for network balancers.
	IdleTimeout time.Duration
	CrossZone   bool     // off: traffic is split evenly across zones first, then within a zone
	Zones       []string // enabled zones, in order; zones only spread traffic, nothing is isolated
	Listeners   []Listener
}

// Protocol names a listener or target group protocol, spelled as AWS spells it.
type Protocol string

// Protocols.
const (
	HTTP   Protocol = "HTTP"
	HTTPS  Protocol = "HTTPS"
	TCP    Protocol = "TCP"
	SSL    Protocol = "SSL" // Classic's TLS-terminating TCP listener
	TLS    Protocol = "TLS"
	UDP    Protocol = "UDP"
	TCPUDP Protocol = "TCP_UDP"
	GENEVE Protocol = "GENEVE"
)

// Listener is one port of a balancer.
type Listener struct {
	Port     int
	Protocol Protocol
	// Certificates for HTTPS, SSL and TLS listeners: the first is the default, the others are
	// chosen by SNI (a client whose server name matches a certificate gets that certificate).
	Certificates []Certificate
	// SecurityPolicy is an ELBSecurityPolicy name; it sets the minimum TLS version (see tlsMinVersion).
	SecurityPolicy string
	// TLSPolicy, when set, is the security policy's definition and wins over SecurityPolicy.
	TLSPolicy *TLSPolicy
	// ALPNPolicy is the network balancer TLS listener's ALPN policy: HTTP1Only, HTTP2Only,
	// HTTP2Optional, HTTP2Preferred or None (the default).
	ALPNPolicy string
	// IdleTimeout overrides the balancer's for this listener (a network balancer's TCP idle timeout;
	// for UDP it is the flow timeout, AWS's 120 s when zero).
	IdleTimeout time.Duration
	// Rules in any order: they are evaluated by ascending Priority, the default rule (Priority 0) last.
	// Classic, network and TCP listeners have just a default rule forwarding to one group.
	Rules []Rule
}

// TLSPolicy is a security policy as AWS defines it: the protocol versions it accepts ("TLSv1",
// "TLSv1.1", "TLSv1.2", "TLSv1.3"; "SSLv3" is not served) and its cipher suites by OpenSSL name
// ("ECDHE-RSA-AES128-GCM-SHA256", ...). Suites crypto/tls does not implement (DHE, CBC with
// SHA-384, ...) are left out, and TLS 1.3 suites are always crypto/tls's own.
type TLSPolicy struct {
	Protocols []string
	Ciphers   []string
}

// Certificate is a PEM certificate chain and its PEM private key.
type Certificate struct {
	CertPEM []byte
	KeyPEM  []byte
}

// Rule is an application balancer listener rule (or the default rule of any listener).
type Rule struct {
	Priority   int // 1..50000; 0 marks the default rule, which matches every request
	Conditions []Condition
	Actions    []Action // performed by ascending Order; the last is forward, redirect or fixed-response
	Transforms []Transform
}

// Condition field names.
const (
	FieldHostHeader  = "host-header"
	FieldPathPattern = "path-pattern"
	FieldHTTPHeader  = "http-header"
	FieldMethod      = "http-request-method"
	FieldQueryString = "query-string"
	FieldSourceIP    = "source-ip"
)

// Condition is one rule condition; a rule matches when all its conditions match, and a condition
// matches when any of its values does.
type Condition struct {
	Field       string
	Values      []string   // wildcard patterns (* and ?), methods or CIDRs, by Field
	RegexValues []string   // host-header, path-pattern, http-header: RE2 expressions, unanchored
	HeaderName  string     // http-header
	QueryValues []KeyValue // query-string: Key may be empty (any key)
}

// KeyValue is a query-string condition pair; both may hold wildcards.
type KeyValue struct{ Key, Value string }

// ActionType names a rule action.
type ActionType string

// Action types.
const (
	ActionForward             ActionType = "forward"
	ActionRedirect            ActionType = "redirect"
	ActionFixedResponse       ActionType = "fixed-response"
	ActionAuthenticateOIDC    ActionType = "authenticate-oidc"
	ActionAuthenticateCognito ActionType = "authenticate-cognito"
	ActionJWTValidation       ActionType = "jwt-validation"
)

// Action is one rule action; only the field matching Type is read.
type Action struct {
	Type          ActionType
	Order         int
	Forward       *Forward
	Redirect      *Redirect
	FixedResponse *FixedResponse
}

// Forward sends the request to one of its groups, chosen by weight.
type Forward struct {
	TargetGroups []WeightedGroup
	// StickinessDuration, when positive, keeps a client on the group first chosen for it
	// (cookies AWSALBTG and AWSALBTGCORS).
	StickinessDuration time.Duration
}

// WeightedGroup is a target group of a forward action. A zero Weight (with one group) means 1.
type WeightedGroup struct {
	Key    string
	Weight int
}

// Redirect answers with a redirect. Empty fields keep the request's part; each field may use the
// #{protocol}, #{host}, #{port}, #{path} and #{query} placeholders.
type Redirect struct {
	Protocol   string // HTTP, HTTPS or #{protocol}
	Host       string
	Port       string
	Path       string
	Query      string
	StatusCode string // HTTP_301 or HTTP_302
}

// FixedResponse answers with a fixed status and body.
type FixedResponse struct {
	StatusCode  string // "200".."599"
	ContentType string // text/plain when empty
	MessageBody string
}

// Transform types.
const (
	TransformHostHeader = "host-header-rewrite"
	TransformURL        = "url-rewrite" // applies to the path and query (path?query)
)

// Transform rewrites a matched request before it is forwarded: the first match of Regex is
// replaced by Replace, which may use $1-style references.
type Transform struct {
	Type    string
	Regex   string
	Replace string
}

// Algorithm names a load balancing algorithm.
type Algorithm string

// Algorithms. Empty means round_robin, except for a group used by a Classic HTTP or HTTPS
// listener, where it means least_outstanding_requests as on Classic.
const (
	RoundRobin               Algorithm = "round_robin"
	LeastOutstandingRequests Algorithm = "least_outstanding_requests"
	WeightedRandom           Algorithm = "weighted_random"
)

// StickinessType names a stickiness flavour.
type StickinessType string

// Stickiness types. Empty means none.
const (
	StickyLBCookie   StickinessType = "lb_cookie"          // AWSALB and AWSALBCORS
	StickyAppCookie  StickinessType = "app_cookie"         // AWSALBAPP-0, set when the app sets CookieName
	StickySourceIP   StickinessType = "source_ip"          // network balancers: by client address
	StickyClassicLB  StickinessType = "classic_lb_cookie"  // AWSELB for Duration (0: browser session)
	StickyClassicApp StickinessType = "classic_app_cookie" // AWSELB, sticky while the app's cookie lives
)

// Stickiness keeps a client on one target.
type Stickiness struct {
	Type       StickinessType
	Duration   time.Duration
	CookieName string // the application's cookie, for app_cookie and classic_app_cookie
}

// ProxyProtocol selects the PROXY protocol header sent first on each back-end connection.
type ProxyProtocol string

// PROXY protocol versions. Empty means none.
const (
	ProxyNone ProxyProtocol = ""
	ProxyV1   ProxyProtocol = "v1"
	ProxyV2   ProxyProtocol = "v2"
)

// TargetGroup is a set of targets with its routing and health settings.
type TargetGroup struct {
	Key string
	// Protocol to the targets: HTTPS, SSL and TLS mean TLS to the backend (certificates are not
	// verified, as on AWS); HTTP, TCP, UDP and TCP_UDP mean plain.
	Protocol      Protocol
	Algorithm     Algorithm
	Stickiness    Stickiness
	ProxyProtocol ProxyProtocol // behind HTTP listeners, each request gets a connection of its own
	HealthCheck   HealthCheck
	// DeregistrationDelay lets a removed target finish in-flight work (draining) for at most this long;
	// Classic's connection draining timeout. Zero closes its connections at once.
	DeregistrationDelay time.Duration
	// SlowStart ramps a newly healthy target's share of requests linearly over this duration.
	SlowStart time.Duration
	Targets   []Target
}

// Target is one registered target.
type Target struct {
	ID   string // instance id or address; unique within the group together with Addr
	Addr string // loopback host:port, e.g. 127.0.0.1:8080 or [::1]:8080
	Zone string
	// CheckAddr, when set, is the loopback host:port health checks go to, whatever the check's
	// port: for a backend that answers all its ports at one address.
	CheckAddr string
}

// HealthCheck describes how targets are probed.
type HealthCheck struct {
	Disabled bool     // ELBv2 only: targets report unavailable and all receive traffic
	Protocol Protocol // HTTP, HTTPS, TCP, SSL or TLS; the group's protocol family when empty
	Port     string   // "traffic-port" (or empty) or a port number
	Path     string   // HTTP(S): "/" when empty
	Matcher  string   // HTTP(S) codes: "200", "200-299", "200,302"; "200" when empty
	Interval time.Duration
	Timeout  time.Duration
	// Consecutive successes and failures that change a target's state (defaults 5 and 2).
	HealthyThreshold   int
	UnhealthyThreshold int
}
