// Package dataplane is lbcloud's local data plane: load balancers that really forward
// connections, on loopback, to backends on loopback.
//
// # Model
//
// A Config is a plain-data snapshot of everything to serve: Balancers (Classic, application,
// network or gateway), each with Listeners (port, protocol, certificates, rules), and
// TargetGroups (protocol, algorithm, stickiness, PROXY protocol, health check, deregistration
// delay, slow start, targets). It holds no store or wire types, so whoever owns the state builds
// it. Engine.Apply makes the running listeners match a Config:
//
//   - the whole Config is checked first; if anything is wrong nothing changes
//     (errors.Is(err, ErrInvalidConfig));
//   - target groups are updated in place: a target that stays keeps its health, its connections
//     and its counters; a new target starts its health checks; a removed one drains for the
//     group's DeregistrationDelay (zero closes its connections at once); a removed group drains
//     all its targets that way;
//   - a listener whose socket family (TCP, UDP, both) is unchanged is updated in place, keeping
//     its address and its connections, even when its rules, certificates, protocol or idle
//     timeout change; requests and connections already accepted finish under the settings they
//     started with, the next ones get the new settings;
//   - a removed listener closes its socket, lets HTTP requests in flight finish within
//     Options.ShutdownGrace and closes its TCP connections with a FIN.
//
// Apply only swaps prepared snapshots, so it is cheap enough to call on every state change.
// Validate checks a Config as Apply would, without an engine, so that a caller building one from
// records can find which part is refused.
//
// Every listener gets a loopback socket (LocalAddr, Listeners): an ephemeral port by default, or
// its own port with Options.BindListenerPorts when the OS allows (otherwise an ephemeral one and
// ListenerInfo.Reason says why). VirtualHosts serves plain HTTP listeners by Host header on any
// server, so the endpoint can answer http://NAME.elb.amazonaws.com:PORT/ on its own port.
//
// Classic balancers use the same model: each Classic listener has a single default rule that
// forwards to one group holding the balancer's instances on the instance port; the balancer's
// health check, stickiness policies (StickyClassicLB, StickyClassicApp), back-end
// ProxyProtocolPolicyType (ProxyV1), connection draining (DeregistrationDelay) and the
// instance protocol (HTTPS/SSL for TLS to the back end) map onto that group. Left empty, the
// group's Algorithm is Classic's: least outstanding requests behind HTTP and HTTPS listeners,
// round robin behind TCP and SSL ones.
//
// # Health
//
// Targets are probed for real, per group: a TCP connect, an HTTP or HTTPS GET whose status must
// be in the matcher ("200", "200-299", "200,302"), or an SSL/TLS handshake, every Interval, each
// bounded by Timeout, with Healthy/UnhealthyThreshold consecutive results changing the state.
// Every change is reported to Options.OnHealth as a HealthEvent in AWS's words:
// DescribeInstanceHealth's InService/OutOfService with ReasonCode ELB, Instance or N/A and
// AWS's descriptions for Classic; DescribeTargetHealth's initial, healthy, unhealthy, draining,
// unused and unavailable with Elb.RegistrationInProgress, Elb.InitialHealthChecking,
// Target.ResponseCodeMismatch, Target.Timeout, Target.FailedHealthChecks,
// Target.DeregistrationInProgress, Target.NotInUse, Target.HealthCheckDisabled and
// Target.NotRegistered for the others. A target's last event has Removed set.
//
// Only healthy targets (or, with checks disabled, unavailable ones) receive new traffic. When
// none is healthy an ELBv2 group fails open and uses all its targets, as AWS documents; a
// Classic balancer answers 503.
//
// # Traffic
//
// HTTP and HTTPS listeners proxy with net/http/httputil.ReverseProxy: rules by priority with
// the six condition types (host-header, path-pattern, http-header, http-request-method,
// query-string, source-ip; wildcards * and ?, host, header values and query strings
// case-insensitive, paths and methods case-sensitive, RegexValues as unanchored RE2), forward
// (weighted groups, group stickiness), redirect (#{protocol}, #{host}, #{port}, #{path},
// #{query}; 301/302), fixed-response and the host-header-rewrite and url-rewrite transforms.
// Targets get the client's Host, X-Forwarded-For (the client appended), X-Forwarded-Proto,
// X-Forwarded-Port and, behind ELBv2, X-Amzn-Trace-Id. Errors are the balancer's own: 502 when
// a target refuses, resets or answers something that is not HTTP, 503 when there is no target,
// 504 when it does not answer within the idle timeout; ELBv2 with ALB's HTML page, Classic with
// an empty body.
//
// TCP, SSL and TLS listeners proxy bytes (terminating TLS when the listener does, opening TLS
// to TLS/SSL/HTTPS groups, sending a PROXY protocol v1 or v2 header first when the group asks);
// UDP listeners keep one flow per client address, ended after the idle timeout; TCP_UDP serves
// both on one address.
//
// # Limits
//
// Every read is bounded in time and size: request headers (64 KiB, within the idle timeout),
// request bodies and back-end reads and writes (each must progress within the idle timeout),
// back-end response headers (64 KiB, within the idle timeout, else 504), TLS handshakes and
// connects (Options.ConnectTimeout), UDP datagrams (64 KiB) and flows (4,096 per listener).
//
// # Loopback only
//
// The engine only ever connects to 127.0.0.0/8 and ::1. Apply refuses a target whose address
// is anything else, or a host name, with an error wrapping ErrNonLoopbackTarget, so no
// configuration can make it send traffic off the machine. Listeners bind 127.0.0.1 only.
//
// # What is not AWS
//
//   - authenticate-oidc, authenticate-cognito and jwt-validation need an identity provider round
//     trip that cannot happen locally: a rule whose first action is one of them answers 401 with
//     a text body naming the action, and nothing reaches the targets.
//   - Gateway balancers (GENEVE) open no socket; their groups are still health checked.
//   - Zones are labels: with cross-zone off traffic is split evenly per zone first, as one node
//     per zone would, but nothing is isolated and there is no DNS.
//   - Security policies set the minimum TLS version only (TLS13-1-3 policies: 1.3; -1-2-
//     families: 1.2, the default; -1-1- families: 1.1; others 1.0); cipher suites are Go's.
//     Target certificates are not verified, as on AWS.
//   - weighted_random is uniform random without anomaly mitigation; slow start ramps by
//     weighted random draws; source_ip stickiness uses rendezvous hashing over the group's
//     targets, ignoring zones.
//   - Stickiness cookie values are opaque tokens naming a target, not AWS's encrypted values;
//     app_cookie issues AWSALBAPP-0 only.
//   - A group's PROXY protocol header starts every back-end connection: a stream's names its
//     client; behind an HTTP or HTTPS listener (Classic's ProxyProtocol policy on an HTTP
//     listener's instance port) every request gets a connection of its own, headed with its
//     client; health checks send a LOCAL (v2) or UNKNOWN (v1) header.
//   - HTTPS listeners are not reachable through VirtualHosts.
package dataplane
