// Package storesync keeps a data plane engine (package dataplane) serving what the endpoint's
// store holds: every listener of every Classic and ELBv2 balancer, in every account and region,
// on a loopback socket, forwarding to the registered instances and targets that answer on
// loopback. It writes the health the engine finds back into the store, where
// DescribeInstanceHealth and DescribeTargetHealth report it.
//
// # What it reads and writes
//
// It works through one narrow interface, Source (*store.Store is one): Subscribe for change
// notices, ViewAll to read every partition in one transaction, Update to write its records. It
// reads the Classic balancers (store.ClassicBalancers), the ELBv2 balancers, listeners, rules,
// target groups and targets (store.V2*), EC2 instances and their lbcloud:address tag
// (store.InstanceBackend), and certificates (store.LookupCertificate); ELBv2 attributes through
// the functions in Options.Attributes, the endpoint's elbv2.LoadBalancerAttributes and
// siblings, so that it imports no API handler. It writes two records, and nothing else:
//
//   - store.ClassicProbes under store.ClassicProbeKey(balancer, instance): InService or
//     OutOfService with DescribeInstanceHealth's reason code and description;
//   - store.V2Health under store.V2TargetKey(group key, target id, port): DescribeTargetHealth's
//     state, reason and description, stamped with when the state began.
//
// Writes are batched (100 ms, one transaction per partition) and made only when a state changes.
// A record of a target the configuration no longer has is deleted; Start deletes every record a
// previous run left, and Close deletes the records of its run, so that without a data plane the
// endpoint reports health as it always has.
//
// # How records map onto the engine
//
// A change notice, coalesced for 50 ms, rebuilds a whole dataplane.Config, applied only when it
// differs from the one in effect (a health write, for one, changes nothing). A balancer the
// engine refuses (dataplane.Validate) is left out with a log line; the others are served.
//
// A Classic balancer is keyed by its ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:
// loadbalancer/NAME). Each listener forwards to a group of its own (the ARN and "|PORT") holding
// the registered instances at their instance port, with the balancer's health check (its
// target: TCP:PORT, SSL:PORT, HTTP:PORT/PATH, HTTPS:PORT/PATH; 200 is the one success), the
// listener's LBCookieStickinessPolicyType or AppCookieStickinessPolicyType policy, the
// ProxyProtocolPolicyType policy of its instance port (PROXY v1), connection draining as the
// deregistration delay, and the instance protocol (HTTPS and SSL open TLS to the instance). An
// instance's health is that of its first listener's group. An HTTPS or SSL listener presents its
// certificate under its SSLNegotiationPolicyType policy (its protocols and ciphers, as stored
// with the referenced security policy spelled out), ELBSecurityPolicy-2016-08 without one.
//
// An ELBv2 balancer and its target groups are keyed by their ARNs. Listeners keep their protocol,
// port, default actions, rules (priority, conditions in either form, actions, transforms),
// certificates (the default one first, the listener certificates after it, chosen by SNI),
// security policy (catalog.LookupSSLPolicyV2: protocols and ciphers) and ALPN policy; the NLB
// TCP listener's tcp.idle_timeout.seconds. Groups keep their protocol, health check, matcher,
// algorithm, stickiness, deregistration delay, slow start and proxy_protocol_v2. Registered
// targets are dialled (draining ones are left to drain): instances where their lbcloud:address
// tag says, ip targets at their loopback address. A target dialled nowhere (no tag, an unknown
// instance, an address off loopback, an alb target) gets a record saying why and no traffic;
// Lambda targets get neither. QUIC listeners are not served.
//
// # Certificates
//
// A certificate ARN the endpoint does not know (accepted outside strict mode) is served with a
// self-signed certificate for the balancer's DNS name, made once and kept while a listener uses
// it: the listener works, and a client sees plainly that nobody vouches for it.
//
// # Addresses
//
// Sync.Engine gives the running engine (LocalAddr, Listeners); LocalListeners lists one
// account's and region's listeners with the names the API uses; Handler puts the engine's
// VirtualHosts and package localaddr's request in front of the endpoint's handler.
package storesync
