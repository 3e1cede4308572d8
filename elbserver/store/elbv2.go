package store

import (
	"fmt"
	"time"
)

// ELBv2 records (Application, Network and Gateway Load Balancers, API 2015-12-01). The JSON
// names are the file format; change them only with a migration.
//
// Keys, within each account/region partition, make every lookup by ARN a single Get and
// every "children of" listing a prefix scan:
//
//	load balancer   NAME/ID                        (ID: the last ARN segment)
//	target group    NAME/ID
//	trust store     NAME/ID
//	listener        LBKEY/LISTENERID               (LBKEY: its balancer's key)
//	rule            LISTENERKEY/RULEID
//	target          TGKEY|TARGETID|PORT            (V2TargetKey; PORT five digits)
//	target health   the target's key               (written by the data plane)
//	revocation      TSKEY/REVOCATIONID             (twenty digits)
//
// Attributes are stored only where they differ from the type's default, so a record keeps to
// what its owner chose; the room knows the defaults.

var (
	// V2LoadBalancers holds each balancer under NAME/ID.
	V2LoadBalancers = NewBucket[V2LoadBalancer]("elbv2-lb", 0)
	// V2TargetGroups holds each target group under NAME/ID.
	V2TargetGroups = NewBucket[V2TargetGroup]("elbv2-tg", 0)
	// V2Listeners holds each listener under its balancer's key and its own id.
	V2Listeners = NewBucket[V2Listener]("elbv2-listener", 0)
	// V2Rules holds each non-default rule under its listener's key and its own id.
	V2Rules = NewBucket[V2Rule]("elbv2-rule", 0)
	// V2Targets holds each registered (or draining) target under V2TargetKey.
	V2Targets = NewBucket[V2Target]("elbv2-target", 4<<10)
	// V2Health holds probe results under the target's key. Only the data plane writes it;
	// the API reads it, and simulates the health life cycle where it has no entry.
	V2Health = NewBucket[V2TargetHealth]("elbv2-health", 4<<10)
	// V2TrustStores holds each trust store under NAME/ID.
	V2TrustStores = NewBucket[V2TrustStore]("elbv2-ts", 0)
	// V2Bundles holds each trust store's CA certificates bundle (PEM) under the store's key.
	V2Bundles = NewBucket[V2Bundle]("elbv2-ts-bundle", 2<<20)
	// V2Revocations holds each revocation file of a trust store under TSKEY/ID.
	V2Revocations = NewBucket[V2Revocation]("elbv2-ts-revocation", 4<<20)
	// V2Policies holds resource policies under the resource's ARN.
	V2Policies = NewBucket[V2Policy]("elbv2-policy", 0)
	// V2Counters holds the partition's per-type counts under the key "counts".
	V2Counters = NewBucket[V2Counts]("elbv2-counts", 0)
)

// V2TargetKey is the key of a target, and of its health, in the target group whose key is
// tg.
func V2TargetKey(tg, id string, port int) string {
	return fmt.Sprintf("%s|%s|%05d", tg, id, port)
}

// V2RevocationKey is the key of revocation file id of the trust store whose key is ts.
func V2RevocationKey(ts string, id int64) string {
	return fmt.Sprintf("%s/%020d", ts, id)
}

// V2LoadBalancer is one Application, Network or Gateway Load Balancer.
type V2LoadBalancer struct {
	ARN     string    `json:"arn"`
	Name    string    `json:"name"`
	ID      string    `json:"id"`
	Type    string    `json:"type"`             // application, network, gateway
	Scheme  string    `json:"scheme,omitempty"` // internet-facing, internal; none for gateway
	DNSName string    `json:"dns,omitempty"`
	Created time.Time `json:"created"`
	VPCID   string    `json:"vpc"`
	// VPCInferred is set when no subnet named the VPC (undeclared subnets outside strict
	// mode): the VPC is then the default VPC, and target groups of other VPCs are accepted.
	VPCInferred   bool     `json:"vpcInferred,omitempty"`
	IPAddressType string   `json:"ipType"`
	Zones         []V2Zone `json:"zones"`
	// SecurityGroups is nil for a balancer created without any (NLB, GWLB).
	SecurityGroups []string `json:"sgs,omitempty"`
	// EnforcePrivateLink is EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic (NLB with
	// security groups): "on" or "off".
	EnforcePrivateLink string            `json:"plink,omitempty"`
	CoIPPool           string            `json:"coip,omitempty"`
	PrefixSourceNat    string            `json:"snat,omitempty"` // NLB: on, off
	IPAMPool           string            `json:"ipam,omitempty"`
	Attrs              map[string]string `json:"attrs,omitempty"`
	Tags               []Tag             `json:"tags,omitempty"`
	// TargetGroups are the keys of the target groups its listeners and rules forward to.
	TargetGroups []string `json:"tgs,omitempty"`
	// Counts of its listeners, non-default rules and listener certificates (not counting
	// default certificates), kept for the account limits.
	Listeners    int        `json:"nListeners,omitempty"`
	Rules        int        `json:"nRules,omitempty"`
	Certificates int        `json:"nCerts,omitempty"`
	Capacity     V2Capacity `json:"capacity"`
	// TargetOf are the ARNs of the target groups (of type alb) the balancer is registered
	// with.
	TargetOf []string `json:"targetOf,omitempty"`
}

// V2Zone is one enabled Availability Zone: its subnet and the addresses chosen for it.
type V2Zone struct {
	Zone          string `json:"zone"`
	Subnet        string `json:"subnet"`
	AllocationID  string `json:"eip,omitempty"`
	PrivateIPv4   string `json:"ip4,omitempty"`
	IPv6          string `json:"ip6,omitempty"`
	SourceNatIPv6 string `json:"snat6,omitempty"`
}

// V2Capacity is a balancer's capacity reservation.
type V2Capacity struct {
	Units    int       `json:"units,omitempty"` // 0: none reserved
	Modified time.Time `json:"modified,omitzero"`
	// Decreases are the times of the decreases of the last day, for the daily limit.
	Decreases []time.Time `json:"decreases,omitempty"`
}

// V2TargetGroup is one target group.
type V2TargetGroup struct {
	ARN               string            `json:"arn"`
	Name              string            `json:"name"`
	ID                string            `json:"id"`
	Created           time.Time         `json:"created"`
	TargetType        string            `json:"targetType"` // instance, ip, lambda, alb
	Protocol          string            `json:"protocol,omitempty"`
	ProtocolVersion   string            `json:"protocolVersion,omitempty"`
	Port              int               `json:"port,omitempty"`
	VPCID             string            `json:"vpc,omitempty"`
	IPAddressType     string            `json:"ipType,omitempty"`
	TargetControlPort int               `json:"controlPort,omitempty"`
	HealthCheck       V2HealthCheck     `json:"hc"`
	Attrs             map[string]string `json:"attrs,omitempty"`
	Tags              []Tag             `json:"tags,omitempty"`
	// Users are the ARNs of the listeners and rules that forward to the group; LoadBalancer
	// is the ARN of their balancer ("" when none does), and InUseSince when the first began.
	Users        []string  `json:"users,omitempty"`
	LoadBalancer string    `json:"lb,omitempty"`
	InUseSince   time.Time `json:"inUseSince,omitzero"`
	// Targets counts the registered targets (draining ones excluded).
	Targets int `json:"nTargets,omitempty"`
}

// V2HealthCheck is a target group's health check.
type V2HealthCheck struct {
	Enabled   bool   `json:"enabled"`
	Protocol  string `json:"protocol,omitempty"`
	Port      string `json:"port,omitempty"`
	Path      string `json:"path,omitempty"`
	Interval  int    `json:"interval"`
	Timeout   int    `json:"timeout"`
	Healthy   int    `json:"healthy"`
	Unhealthy int    `json:"unhealthy"`
	HTTPCode  string `json:"httpCode,omitempty"`
	GRPCCode  string `json:"grpcCode,omitempty"`
}

// V2Target is one registration of a target with a group. A deregistered target stays,
// draining, until Deregistered plus the group's deregistration delay.
type V2Target struct {
	ID           string    `json:"id"`
	Port         int       `json:"port,omitempty"`
	Zone         string    `json:"zone,omitempty"`
	QuicServerID string    `json:"quic,omitempty"`
	Registered   time.Time `json:"registered"`
	Deregistered time.Time `json:"deregistered,omitzero"`
}

// V2TargetHealth is a probe result for one target, written by the data plane under the
// target's key (V2TargetKey). The API reports it while it is newer than the target's
// registration. State and Reason use DescribeTargetHealth's values (healthy, unhealthy,
// Target.Timeout, ...).
type V2TargetHealth struct {
	State       string    `json:"state"`
	Reason      string    `json:"reason,omitempty"`
	Description string    `json:"description,omitempty"`
	Updated     time.Time `json:"updated"`
}

// V2Listener is one listener. Its default rule is not a V2Rule: its actions are the
// listener's DefaultActions, its id DefaultRuleID.
type V2Listener struct {
	ARN          string `json:"arn"`
	ID           string `json:"id"`
	LoadBalancer string `json:"lb"` // the balancer's key
	Port         int    `json:"port,omitempty"`
	Protocol     string `json:"protocol,omitempty"`
	// Certificate is the default certificate; Certificates the rest of the certificate list.
	Certificate     string            `json:"cert,omitempty"`
	Certificates    []string          `json:"certs,omitempty"`
	SSLPolicy       string            `json:"sslPolicy,omitempty"`
	ALPNPolicy      string            `json:"alpn,omitempty"`
	DefaultActions  []V2Action        `json:"actions"`
	MutualAuth      *V2MutualAuth     `json:"mtls,omitempty"`
	Attrs           map[string]string `json:"attrs,omitempty"`
	Tags            []Tag             `json:"tags,omitempty"`
	DefaultRuleID   string            `json:"defaultRule"`
	DefaultRuleTags []Tag             `json:"defaultRuleTags,omitempty"`
	// Rules are the listener's other rules, by priority.
	Rules []V2RuleRef `json:"rules,omitempty"`
}

// V2RuleRef is a rule of a listener and its priority.
type V2RuleRef struct {
	ID       string `json:"id"`
	Priority int    `json:"p"`
}

// V2MutualAuth is a listener's mutual TLS configuration.
type V2MutualAuth struct {
	Mode          string `json:"mode"` // off, passthrough, verify
	TrustStoreARN string `json:"ts,omitempty"`
	IgnoreExpiry  bool   `json:"ignoreExpiry,omitempty"`
	AdvertiseCAs  string `json:"advertise,omitempty"` // on, off
}

// V2Rule is one non-default listener rule.
type V2Rule struct {
	ARN        string        `json:"arn"`
	ID         string        `json:"id"`
	Listener   string        `json:"listener"` // the listener's key
	Priority   int           `json:"priority"`
	Conditions []V2Condition `json:"conditions"`
	Actions    []V2Action    `json:"actions"`
	Transforms []V2Transform `json:"transforms,omitempty"`
	Tags       []Tag         `json:"tags,omitempty"`
}

// V2Action is a rule's (or a listener's default) action; the config of its Type is set (a
// forward action given by TargetGroupArn alone has it as its one weighted group).
type V2Action struct {
	Type     string           `json:"type"`
	Order    int              `json:"order,omitempty"`
	Forward  *V2Forward       `json:"forward,omitempty"`
	Redirect *V2Redirect      `json:"redirect,omitempty"`
	Fixed    *V2FixedResponse `json:"fixed,omitempty"`
	OIDC     *V2OIDC          `json:"oidc,omitempty"`
	Cognito  *V2Cognito       `json:"cognito,omitempty"`
	JWT      *V2JWT           `json:"jwt,omitempty"`
}

// V2Forward spreads requests over weighted target groups.
type V2Forward struct {
	TargetGroups []V2WeightedGroup `json:"tgs"`
	Stickiness   bool              `json:"sticky,omitempty"`
	Duration     int               `json:"duration,omitempty"` // seconds
}

// V2WeightedGroup is a target group and its weight in a forward action.
type V2WeightedGroup struct {
	ARN    string `json:"arn"`
	Weight int    `json:"w"`
}

// V2Redirect is a redirect action; the empty parts were filled with their #{...} defaults.
type V2Redirect struct {
	Protocol   string `json:"protocol"`
	Port       string `json:"port"`
	Host       string `json:"host"`
	Path       string `json:"path"`
	Query      string `json:"query"`
	StatusCode string `json:"status"`
}

// V2FixedResponse is a fixed-response action.
type V2FixedResponse struct {
	StatusCode  string `json:"status"`
	ContentType string `json:"type,omitempty"`
	Body        string `json:"body,omitempty"`
}

// V2AuthCommon is what the two authenticate actions share.
type V2AuthCommon struct {
	SessionCookieName string      `json:"cookie"`
	Scope             string      `json:"scope"`
	SessionTimeout    int64       `json:"timeout"`
	ExtraParams       []Attribute `json:"extra,omitempty"`
	OnUnauthenticated string      `json:"onUnauth"`
}

// V2OIDC is an authenticate-oidc action. ClientSecret is kept for the data plane and never
// described.
type V2OIDC struct {
	V2AuthCommon
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authz"`
	TokenEndpoint         string `json:"token"`
	UserInfoEndpoint      string `json:"userinfo"`
	ClientID              string `json:"clientId"`
	ClientSecret          string `json:"clientSecret,omitempty"`
}

// V2Cognito is an authenticate-cognito action.
type V2Cognito struct {
	V2AuthCommon
	UserPoolARN      string `json:"pool"`
	UserPoolClientID string `json:"client"`
	UserPoolDomain   string `json:"domain"`
}

// V2JWT is a jwt-validation action.
type V2JWT struct {
	JWKSEndpoint string    `json:"jwks"`
	Issuer       string    `json:"issuer"`
	Claims       []V2Claim `json:"claims,omitempty"`
}

// V2Claim is an additional claim a jwt-validation action checks.
type V2Claim struct {
	Format string   `json:"format"`
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// V2Condition is one rule condition, kept in the form it was given: Values and RegexValues
// at the condition's top level, or the config of its Field.
type V2Condition struct {
	Field       string        `json:"field"`
	Values      []string      `json:"values,omitempty"`
	RegexValues []string      `json:"regex,omitempty"`
	Config      *V2CondConfig `json:"config,omitempty"`
}

// V2CondConfig is the config of a condition's field: HeaderName for http-header, Query for
// query-string, Values (and RegexValues where the field allows them) for the others.
type V2CondConfig struct {
	HeaderName  string        `json:"header,omitempty"`
	Values      []string      `json:"values,omitempty"`
	RegexValues []string      `json:"regex,omitempty"`
	Query       []V2QueryPair `json:"query,omitempty"`
}

// V2QueryPair is a key (optional) and value of a query-string condition.
type V2QueryPair struct {
	Key   string `json:"k,omitempty"`
	Value string `json:"v"`
}

// V2Transform is a rule transform: host-header-rewrite or url-rewrite.
type V2Transform struct {
	Type     string      `json:"type"`
	Rewrites []V2Rewrite `json:"rewrites"`
}

// V2Rewrite is a regular expression and its replacement.
type V2Rewrite struct {
	Regex   string `json:"regex"`
	Replace string `json:"replace"`
}

// V2TrustStore is one trust store; its bundle is in V2Bundles, its revocation files in
// V2Revocations.
type V2TrustStore struct {
	ARN            string    `json:"arn"`
	Name           string    `json:"name"`
	ID             string    `json:"id"`
	Created        time.Time `json:"created"`
	CACertificates int       `json:"nCAs"`
	// BundleLocation is where the bundle was read from (S3 bucket, key and version).
	BundleLocation V2S3Object `json:"bundleAt"`
	Revocations    int        `json:"nRevocations,omitempty"`
	RevokedEntries int64      `json:"nRevoked,omitempty"`
	NextRevocation int64      `json:"nextRevocation"`
	Tags           []Tag      `json:"tags,omitempty"`
	// Users are the ARNs of the listeners that verify clients with the store.
	Users []string `json:"users,omitempty"`
}

// V2S3Object names an S3 object.
type V2S3Object struct {
	Bucket  string `json:"bucket"`
	Key     string `json:"key"`
	Version string `json:"version,omitempty"`
}

// V2Bundle is a trust store's CA certificates bundle, as PEM.
type V2Bundle struct {
	PEM []byte `json:"pem"`
}

// V2Revocation is one revocation file of a trust store: where it was read from and the
// serial numbers (hexadecimal) of the certificates it revokes.
type V2Revocation struct {
	ID       int64      `json:"id"`
	Type     string     `json:"type"` // CRL
	Location V2S3Object `json:"at"`
	Serials  []string   `json:"serials"`
}

// V2Policy is a resource policy (JSON) attached to an ELBv2 resource.
type V2Policy struct {
	Document string `json:"doc"`
}

// V2Counts are the partition's counts the account limits need beyond bucket sizes.
type V2Counts struct {
	ByType       map[string]int `json:"byType,omitempty"`       // balancers by type
	GatewayByVPC map[string]int `json:"gatewayByVPC,omitempty"` // gateway balancers by VPC
	GeneveGroups int            `json:"geneve,omitempty"`       // GENEVE target groups
}
