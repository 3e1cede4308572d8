// Package cli implements lbctl, the command line of lbcloud. cmd/lbctl only calls Main.
//
// Every command prints a table by default and JSON or YAML with --output json|yaml. The JSON
// forms below are stable: keys are snake_case, fields are only added, never renamed or
// removed. YAML has exactly the JSON keys. The reference is also 'lbctl help output'.
package cli

import "github.com/spf13/cobra"

// outputReference documents the JSON output of each command.
const outputReference = `JSON output (--output json; --output yaml has the same keys)

Keys are snake_case and stable: new fields may be added, none are renamed or removed.
Empty and zero fields are omitted unless shown without "?" below.

balancers list, balancers get, balancers create
  A load balancer (list: an array of them), as the library's loadbalancer.LoadBalancer:
  {"id", "name", "state" (RUNNING|PENDING|ERROR|DELETED|UNKNOWN), "dns_name"?, "ip"?,
   "port"? (first listener's port), "listeners"?: [listener], "zones"?, "subnets"?,
   "security_groups"?, "scheme"?, "vpc_id"?, "health_check"?: health check,
   "members"?: [member], "created_at"? (RFC 3339), "tags"? (only with --tags): {key: value}}
  listener: {"port", "protocol", "instance_port", "instance_protocol", "certificate_id"?,
   "policies"?}
  health check: {"target", "interval_seconds", "timeout_seconds", "healthy_threshold",
   "unhealthy_threshold"}

members list, members attach
  [member]; member: {"id"?, "ip"?, "port"?, "condition"? (ENABLED|DISABLED|DRAINING|UNKNOWN),
   "health"? (InService|OutOfService|Unknown), "reason"?}

health-check
  health check, as above.

policies list
  [{"name", "type", "attributes": {name: value}}]
policies types
  [{"name", "description", "attributes": [{"name", "type", "cardinality", "default"?,
   "description"?}]}]

attributes get, attributes set
  {"cross_zone"?, "idle_timeout_seconds"?, "connection_draining"?: {"enabled",
   "timeout_seconds"}, "access_log"?: {"enabled", "s3_bucket_name"?, "s3_bucket_prefix"?,
   "emit_interval_minutes"?}, "additional"?: {key: value}}

tags list
  {balancer name: {key: value}}

zones enable|disable, subnets attach|detach|set, security-groups apply
  {"load_balancer", "items": [the balancer's zones, subnets or groups after the change]}

ip-address-type set, ip-pools set|remove (ELBv2)
  {"load_balancer", "ip_address_type"? (ip-address-type), "ipv4_ipam_pool"? (ip-pools)}

capacity get|set|reset (ELBv2)
  {"load_balancer", "minimum_capacity_units" (0: none reserved), "decrease_requests_remaining",
   "last_modified"? (RFC 3339), "zones": [{"zone", "state", "reason"?,
   "effective_capacity_units"}]}

trust-stores ca-bundle, trust-stores revocations content (ALB)
  {"trust_store", "revocation_id"?, "location" (as ELBv2 answers it), "file"? and "bytes"?
   (with --file)}
trust-stores policy (ALB)
  {"resource_arn", "policy": the policy document}

limits
  [{"name", "max"}]

Commands that change something without returning it (balancers delete, members detach,
listeners create|delete, policies create|delete|set-listener|set-backend|sticky-app|sticky-lb,
tags add|remove, certificate set):
  {"load_balancer"?, "action", "policy"?, "port"?, "items"?}

Errors are not JSON: they go to stderr as "lbctl: CODE: message (request id ID)" followed by a
"hint:" line, and the exit code is 1 (operation failed) or 2 (usage error).
`

func outputHelpTopic() *cobra.Command {
	return &cobra.Command{
		Use:   "output",
		Short: "Reference of the JSON and YAML output of every command",
		Long:  outputReference,
	}
}
