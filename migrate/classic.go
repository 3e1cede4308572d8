package migrate

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// Classic is a Classic balancer as the Classic ELB API describes it: everything a migration
// maps. Read it with Migrator.ReadClassic, or build one for Build.
type Classic struct {
	Name           string
	DNSName        string
	Scheme         string
	VPCID          string
	Zones          []string
	Subnets        []string
	SubnetZones    map[string]string // subnet -> zone, where EC2 knows the subnet
	SecurityGroups []string
	SourceGroup    string // owner/name of the group instances' rules may admit
	Listeners      []ClassicListener
	HealthCheck    ClassicHealthCheck
	Instances      []string
	InstanceTypes  map[string]string // instance -> type, where EC2 knows the instance
	Backends       map[int][]string  // instance port -> back-end policy names
	Policies       map[string]ClassicPolicy
	Attributes     elb.Attributes
	Tags           map[string]string
}

// ClassicListener is one listener with the policies enabled on it.
type ClassicListener struct {
	Port             int
	Protocol         string // HTTP, HTTPS, TCP or SSL
	InstancePort     int
	InstanceProtocol string
	Certificate      string
	Policies         []string
}

// String is the listener as the console shows it: HTTPS:443 -> HTTP:8080.
func (l ClassicListener) String() string {
	return l.Protocol + ":" + strconv.Itoa(l.Port) + " -> " + l.InstanceProtocol + ":" + strconv.Itoa(l.InstancePort)
}

// ClassicHealthCheck is the balancer's health check; Target is PROTOCOL:PORT[/PATH].
type ClassicHealthCheck struct {
	Target             string
	Interval, Timeout  int
	Healthy, Unhealthy int
}

// Classic policy types (DescribeLoadBalancerPolicyTypes).
const (
	policyLBCookie    = "LBCookieStickinessPolicyType"
	policyAppCookie   = "AppCookieStickinessPolicyType"
	policyProxy       = "ProxyProtocolPolicyType"
	policySSL         = "SSLNegotiationPolicyType"
	policyBackendAuth = "BackendServerAuthenticationPolicyType"
	policyPublicKey   = "PublicKeyPolicyType"
)

// ClassicPolicy is a policy of the balancer: its type and attributes. Stickiness policies
// carry their cookie settings as DescribeLoadBalancers reports them.
type ClassicPolicy struct {
	Name       string
	Type       string
	Attributes map[string]string
	CookieName string // application cookie stickiness
	Expiration int64  // LB cookie stickiness, seconds; 0 for the browser session
}

// ReadClassic describes the Classic balancer name with every call that only reads:
// DescribeLoadBalancers, DescribeLoadBalancerAttributes, DescribeLoadBalancerPolicies,
// DescribeTags, and EC2's DescribeSubnets and DescribeInstances (zones, instance types).
func (m *Migrator) ReadClassic(ctx context.Context, name string) (*Classic, error) {
	out, err := m.api.DescribeLoadBalancers(ctx, &elbsdk.DescribeLoadBalancersInput{LoadBalancerNames: []string{name}})
	if err != nil {
		return nil, awsclient.Wrap(elb.ProviderName, "DescribeLoadBalancers", err)
	}
	if len(out.LoadBalancerDescriptions) == 0 {
		return nil, awsclient.NotFound(elb.ProviderName, "DescribeLoadBalancers", "LoadBalancerNotFound", "there is no Classic load balancer named %q", name)
	}
	c := fromDescription(out.LoadBalancerDescriptions[0])
	if c.Attributes, err = m.classic.Attributes(ctx, name); err != nil {
		return nil, err
	}
	policies, err := m.classic.DescribeBalancerPolicies(ctx, name)
	if err != nil {
		return nil, err
	}
	for _, p := range policies {
		cp := c.Policies[p.Name]
		cp.Name, cp.Attributes = p.Name, p.Attributes
		if cp.Type == "" {
			cp.Type = p.Type
		}
		c.Policies[p.Name] = cp
	}
	tags, err := m.classic.Tags(ctx, name)
	if err != nil {
		return nil, err
	}
	c.Tags = tags[name]
	if c.SubnetZones, err = m.subnetZones(ctx, c.Subnets); err != nil {
		return nil, err
	}
	if c.InstanceTypes, err = m.instanceTypes(ctx, c.Instances); err != nil {
		return nil, err
	}
	return c, nil
}

func fromDescription(d elbtypes.LoadBalancerDescription) *Classic {
	c := &Classic{
		Name: aws.ToString(d.LoadBalancerName), DNSName: aws.ToString(d.DNSName), Scheme: aws.ToString(d.Scheme),
		VPCID: aws.ToString(d.VPCId), Zones: d.AvailabilityZones, Subnets: d.Subnets, SecurityGroups: d.SecurityGroups,
		Backends: map[int][]string{}, Policies: map[string]ClassicPolicy{},
	}
	if g := d.SourceSecurityGroup; g != nil && aws.ToString(g.GroupName) != "" {
		c.SourceGroup = aws.ToString(g.OwnerAlias) + "/" + aws.ToString(g.GroupName)
	}
	for _, ld := range d.ListenerDescriptions {
		if l := ld.Listener; l != nil {
			c.Listeners = append(c.Listeners, ClassicListener{
				Port: int(l.LoadBalancerPort), Protocol: strings.ToUpper(aws.ToString(l.Protocol)),
				InstancePort: int(aws.ToInt32(l.InstancePort)), InstanceProtocol: strings.ToUpper(aws.ToString(l.InstanceProtocol)),
				Certificate: aws.ToString(l.SSLCertificateId), Policies: ld.PolicyNames,
			})
		}
	}
	slices.SortFunc(c.Listeners, func(a, b ClassicListener) int { return a.Port - b.Port })
	if h := d.HealthCheck; h != nil {
		c.HealthCheck = ClassicHealthCheck{Target: aws.ToString(h.Target), Interval: int(aws.ToInt32(h.Interval)),
			Timeout: int(aws.ToInt32(h.Timeout)), Healthy: int(aws.ToInt32(h.HealthyThreshold)),
			Unhealthy: int(aws.ToInt32(h.UnhealthyThreshold))}
	}
	for _, in := range d.Instances {
		c.Instances = append(c.Instances, aws.ToString(in.InstanceId))
	}
	for _, b := range d.BackendServerDescriptions {
		c.Backends[int(aws.ToInt32(b.InstancePort))] = b.PolicyNames
	}
	// The stickiness policies' settings come from the description: every endpoint reports
	// them there, where some report neither type nor attributes in the policy describe.
	if p := d.Policies; p != nil {
		for _, s := range p.LBCookieStickinessPolicies {
			n := aws.ToString(s.PolicyName)
			c.Policies[n] = ClassicPolicy{Name: n, Type: policyLBCookie, Expiration: aws.ToInt64(s.CookieExpirationPeriod)}
		}
		for _, s := range p.AppCookieStickinessPolicies {
			n := aws.ToString(s.PolicyName)
			c.Policies[n] = ClassicPolicy{Name: n, Type: policyAppCookie, CookieName: aws.ToString(s.CookieName)}
		}
	}
	return c
}

// subnetZones maps each subnet EC2 knows to its zone. Filters, unlike IDs, make unknown
// subnets (an endpoint that does not check them) absent rather than an error.
func (m *Migrator) subnetZones(ctx context.Context, subnets []string) (map[string]string, error) {
	zones := map[string]string{}
	if len(subnets) == 0 {
		return zones, nil
	}
	p := ec2.NewDescribeSubnetsPaginator(m.ec2, &ec2.DescribeSubnetsInput{
		Filters: []ec2types.Filter{{Name: aws.String("subnet-id"), Values: subnets}}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, awsclient.Wrap(elb.ProviderName, "DescribeSubnets", err)
		}
		for _, s := range page.Subnets {
			zones[aws.ToString(s.SubnetId)] = aws.ToString(s.AvailabilityZone)
		}
	}
	return zones, nil
}

// instanceTypes maps each instance EC2 knows to its type: a Network Load Balancer cannot take
// some old types by instance ID.
func (m *Migrator) instanceTypes(ctx context.Context, ids []string) (map[string]string, error) {
	types := map[string]string{}
	for _, batch := range awsclient.Chunks(ids, awsclient.IPFilterBatch) {
		p := ec2.NewDescribeInstancesPaginator(m.ec2, &ec2.DescribeInstancesInput{
			Filters: []ec2types.Filter{{Name: aws.String("instance-id"), Values: batch}}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, awsclient.Wrap(elb.ProviderName, "DescribeInstances", err)
			}
			for _, r := range page.Reservations {
				for _, in := range r.Instances {
					types[aws.ToString(in.InstanceId)] = string(in.InstanceType)
				}
			}
		}
	}
	return types, nil
}
