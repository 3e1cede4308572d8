package cli

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/spf13/cobra"
)

// An ELBv2 balancer's addressing and capacity, changed after creation: its IP address type,
// the IPAM pool an ALB takes its addresses from, and the capacity reserved for it.

// ipAddressTypes are the address types each ELBv2 API accepts.
var ipAddressTypes = map[string][]string{
	apiALB: {"ipv4", "dualstack", "dualstack-without-public-ipv4"},
	apiNLB: {"ipv4", "dualstack"},
}

func ipAddressTypesOf(_ context.Context, s *session, _ []string) ([]string, error) {
	return ipAddressTypes[s.api], nil
}

// addressingJSON is the output of ip-address-type and ip-pools.
type addressingJSON struct {
	LoadBalancer  string `json:"load_balancer"`
	IPAddressType string `json:"ip_address_type,omitempty"`
	IPv4IPAMPool  string `json:"ipv4_ipam_pool,omitempty"`
}

func (a *app) renderAddressing(v addressingJSON) error {
	return a.render(v, func() table {
		if v.IPAddressType != "" {
			return table{header: []string{"LOAD BALANCER", "IP ADDRESS TYPE"}, rows: [][]string{{v.LoadBalancer, v.IPAddressType}}}
		}
		return table{header: []string{"LOAD BALANCER", "IPV4 IPAM POOL"}, rows: [][]string{{v.LoadBalancer, v.IPv4IPAMPool}}}
	})
}

func (a *app) ipAddressTypeCommand() *cobra.Command {
	set := a.onResource(&cobra.Command{
		Use:               "set NAME TYPE",
		Short:             "Set the IP address type of a balancer: ipv4, dualstack or (ALB) dualstack-without-public-ipv4",
		Example:           "  lbctl --api alb ip-address-type set web dualstack",
		Args:              nArgs(2, 2),
		ValidArgsFunction: a.completeArgs(false, balancerNames, ipAddressTypesOf),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if allowed := ipAddressTypes[a.kind]; !slices.Contains(allowed, args[1]) {
				return usagef(cmd, "TYPE must be %s for %s, not %q", orList(allowed), apiNames[a.kind], args[1])
			}
			return nil
		},
	}, balancerArg, func(ctx context.Context, s *session, arn string, args []string) error {
		t, err := s.v2.SetIpAddressType(ctx, arn, types.IpAddressType(args[1]))
		if err != nil {
			return err
		}
		return a.renderAddressing(addressingJSON{LoadBalancer: args[0], IPAddressType: string(t)})
	})
	return onlyFor(group("ip-address-type", "Set the IP address type of an ELBv2 balancer", set),
		"a Classic balancer in a VPC is IPv4; its dualstack name is 'dualstack.' before its DNS name", v2Only...)
}

func (a *app) ipPoolsCommand() *cobra.Command {
	modify := func(ctx context.Context, s *session, arn, name string, in *elbv2sdk.ModifyIpPoolsInput) error {
		in.LoadBalancerArn = aws.String(arn)
		pools, err := s.v2.ModifyIpPools(ctx, in)
		if err != nil {
			return err
		}
		v := addressingJSON{LoadBalancer: name}
		if pools != nil {
			v.IPv4IPAMPool = aws.ToString(pools.Ipv4IpamPoolId)
		}
		return a.renderAddressing(v)
	}
	set := a.onResource(&cobra.Command{
		Use:     "set NAME POOL",
		Short:   "Take the balancer's IPv4 addresses from an IPAM pool (ipam-pool-...)",
		Example: "  lbctl --api alb ip-pools set web ipam-pool-0123456789abcdef0",
		Args:    nArgs(2, 2),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if !strings.HasPrefix(args[1], "ipam-pool-") {
				return usagef(cmd, "POOL must be an IPAM pool id (ipam-pool-...), not %q", args[1])
			}
			return nil
		},
	}, balancerArg, func(ctx context.Context, s *session, arn string, args []string) error {
		return modify(ctx, s, arn, args[0], &elbv2sdk.ModifyIpPoolsInput{IpamPools: &types.IpamPools{Ipv4IpamPoolId: aws.String(args[1])}})
	})
	remove := a.onResource(&cobra.Command{
		Use:   "remove NAME",
		Short: "Stop taking the balancer's IPv4 addresses from an IPAM pool",
		Args:  nArgs(1, 1),
	}, balancerArg, func(ctx context.Context, s *session, arn string, args []string) error {
		return modify(ctx, s, arn, args[0], &elbv2sdk.ModifyIpPoolsInput{RemoveIpamPools: []types.RemoveIpamPoolEnum{types.RemoveIpamPoolEnumIpv4}})
	})
	return onlyFor(group("ip-pools", "Set or remove the IPAM pool an ALB takes its IPv4 addresses from", set, remove),
		"IPAM pools are an ALB's", apiALB)
}

// capacityJSON is a balancer's capacity reservation.
type capacityJSON struct {
	LoadBalancer       string             `json:"load_balancer"`
	MinimumUnits       int32              `json:"minimum_capacity_units"` // 0: none reserved
	DecreasesRemaining int32              `json:"decrease_requests_remaining"`
	LastModified       *time.Time         `json:"last_modified,omitempty"`
	Zones              []zoneCapacityJSON `json:"zones"`
}

type zoneCapacityJSON struct {
	Zone           string  `json:"zone"`
	State          string  `json:"state"`
	Reason         string  `json:"reason,omitempty"`
	EffectiveUnits float64 `json:"effective_capacity_units"`
}

func capacityView(name string, out *elbv2sdk.DescribeCapacityReservationOutput) capacityJSON {
	v := capacityJSON{LoadBalancer: name, DecreasesRemaining: aws.ToInt32(out.DecreaseRequestsRemaining),
		LastModified: out.LastModifiedTime, Zones: []zoneCapacityJSON{}}
	if m := out.MinimumLoadBalancerCapacity; m != nil {
		v.MinimumUnits = aws.ToInt32(m.CapacityUnits)
	}
	for _, z := range out.CapacityReservationState {
		zc := zoneCapacityJSON{Zone: aws.ToString(z.AvailabilityZone), EffectiveUnits: aws.ToFloat64(z.EffectiveCapacityUnits)}
		if z.State != nil {
			zc.State, zc.Reason = string(z.State.Code), aws.ToString(z.State.Reason)
		}
		v.Zones = append(v.Zones, zc)
	}
	return v
}

func (a *app) renderCapacity(v capacityJSON) error {
	return a.render(v, func() table {
		t := table{header: []string{"ZONE", "STATE", "EFFECTIVE UNITS"}}
		t.add("(minimum)", "", strconv.Itoa(int(v.MinimumUnits)))
		for _, z := range v.Zones {
			t.add(z.Zone, z.State, strconv.FormatFloat(z.EffectiveUnits, 'f', -1, 64))
		}
		return t
	})
}

func (a *app) capacityCommand() *cobra.Command {
	get := a.onResource(&cobra.Command{
		Use:   "get NAME",
		Short: "Show a balancer's capacity reservation, zone by zone",
		Args:  nArgs(1, 1),
	}, balancerArg, func(ctx context.Context, s *session, arn string, args []string) error {
		out, err := s.v2.CapacityReservation(ctx, arn)
		if err != nil {
			return err
		}
		return a.renderCapacity(capacityView(args[0], out))
	})
	modify := func(ctx context.Context, s *session, arn, name string, in *elbv2sdk.ModifyCapacityReservationInput) error {
		in.LoadBalancerArn = aws.String(arn)
		out, err := s.v2.ModifyCapacityReservation(ctx, in)
		if err != nil {
			return err
		}
		return a.renderCapacity(capacityView(name, (*elbv2sdk.DescribeCapacityReservationOutput)(out)))
	}
	var units int32
	set := a.onResource(&cobra.Command{
		Use:     "set NAME UNITS",
		Short:   "Reserve a minimum capacity for a balancer, in capacity units",
		Example: "  lbctl --api alb capacity set web 100",
		Args:    nArgs(2, 2),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			n, err := strconv.ParseInt(args[1], 10, 32)
			if err != nil || n < 1 {
				return usagef(cmd, "UNITS must be a positive number of capacity units, not %q", args[1])
			}
			units = int32(n)
			return nil
		},
	}, balancerArg, func(ctx context.Context, s *session, arn string, args []string) error {
		return modify(ctx, s, arn, args[0], &elbv2sdk.ModifyCapacityReservationInput{
			MinimumLoadBalancerCapacity: &types.MinimumLoadBalancerCapacity{CapacityUnits: aws.Int32(units)}})
	})
	reset := a.onResource(&cobra.Command{
		Use:   "reset NAME",
		Short: "Give up a balancer's capacity reservation",
		Args:  nArgs(1, 1),
	}, balancerArg, func(ctx context.Context, s *session, arn string, args []string) error {
		return modify(ctx, s, arn, args[0], &elbv2sdk.ModifyCapacityReservationInput{ResetCapacityReservation: aws.Bool(true)})
	})
	return onlyFor(group("capacity", "Show, reserve and reset the minimum capacity of an ELBv2 balancer", get, set, reset),
		"Classic ELB has no capacity reservations", v2Only...)
}
