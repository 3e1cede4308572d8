// Package reliability holds the project's reliability and security proofs: tests that drive
// the embedded Classic ELB endpoint (elbserver), the ELB driver and the command line
// together and assert guarantees that span them.
//
//   - Faults: a long scenario through the driver against an endpoint injecting server errors
//     and throttling ends in exactly the state that was asked for, with no error surfaced.
//   - Crash safety: an endpoint in a child process killed with SIGKILL at random moments
//     never loses an acknowledged write and never shows a half-applied one; damaged state
//     files are refused without being modified.
//   - Concurrency: simultaneous creates of one name converge on one balancer.
//   - Security: SigV4 tampering is refused, accounts are isolated, the state file is
//     private, the well-known test key never listens off loopback, and no secret key or
//     request signature reaches a log line, an error or the CLI's output.
//
// The package has no exported API; everything lives in its tests.
package reliability
