package elb

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// toBalancer maps a DescribeLoadBalancers entry. Classic ELB has no provisioning state: a
// balancer that is described is serving, so State is RUNNING. Port is the first listener's
// port, the way libcloud reports it.
func toBalancer(lb types.LoadBalancerDescription) *driver.LoadBalancer {
	name := aws.ToString(lb.LoadBalancerName)
	out := &driver.LoadBalancer{
		ID:             name,
		Name:           name,
		State:          driver.StateRunning,
		DNSName:        aws.ToString(lb.DNSName),
		Zones:          lb.AvailabilityZones,
		Subnets:        lb.Subnets,
		SecurityGroups: lb.SecurityGroups,
		Scheme:         aws.ToString(lb.Scheme),
		VPCID:          aws.ToString(lb.VPCId),
		CreatedAt:      aws.ToTime(lb.CreatedTime),
	}
	for _, ld := range lb.ListenerDescriptions {
		if ld.Listener == nil {
			continue
		}
		l := toListener(*ld.Listener)
		l.Policies = ld.PolicyNames
		out.Listeners = append(out.Listeners, l)
	}
	if len(out.Listeners) > 0 {
		out.Port = out.Listeners[0].Port
	}
	if lb.HealthCheck != nil {
		hc := toHealthCheck(*lb.HealthCheck)
		out.HealthCheck = &hc
	}
	port := instancePortOf(out.Listeners)
	for _, in := range lb.Instances {
		out.Members = append(out.Members, driver.Member{ID: aws.ToString(in.InstanceId), Port: port})
	}
	return out
}

func toListener(l types.Listener) driver.Listener {
	return driver.Listener{
		Port:             int(l.LoadBalancerPort),
		Protocol:         driver.Protocol(strings.ToUpper(aws.ToString(l.Protocol))),
		InstancePort:     int(aws.ToInt32(l.InstancePort)),
		InstanceProtocol: driver.Protocol(strings.ToUpper(aws.ToString(l.InstanceProtocol))),
		CertificateID:    aws.ToString(l.SSLCertificateId),
	}
}

// instancePortOf is the port members receive traffic on: the first listener's instance port.
func instancePortOf(ls []driver.Listener) int {
	if len(ls) == 0 {
		return 0
	}
	return ls[0].InstancePort
}

func toHealthCheck(h types.HealthCheck) driver.HealthCheck {
	return driver.HealthCheck{
		Target:             aws.ToString(h.Target),
		Interval:           time.Duration(aws.ToInt32(h.Interval)) * time.Second,
		Timeout:            time.Duration(aws.ToInt32(h.Timeout)) * time.Second,
		HealthyThreshold:   int(aws.ToInt32(h.HealthyThreshold)),
		UnhealthyThreshold: int(aws.ToInt32(h.UnhealthyThreshold)),
	}
}

func fromHealthCheck(h driver.HealthCheck) (*types.HealthCheck, error) {
	if h.Target == "" {
		return nil, driver.Invalid(ProviderName, "a health check target is required, e.g. HTTP:80/ping or TCP:80")
	}
	iv, err := seconds("health check interval", h.Interval)
	if err != nil {
		return nil, err
	}
	to, err := seconds("health check timeout", h.Timeout)
	if err != nil {
		return nil, err
	}
	return &types.HealthCheck{
		Target:             aws.String(h.Target),
		Interval:           aws.Int32(iv),
		Timeout:            aws.Int32(to),
		HealthyThreshold:   aws.Int32(int32(h.HealthyThreshold)),
		UnhealthyThreshold: aws.Int32(int32(h.UnhealthyThreshold)),
	}, nil
}

// seconds converts a positive whole number of seconds, the unit of every ELB duration.
func seconds(what string, d time.Duration) (int32, error) {
	if d <= 0 || d%time.Second != 0 || d/time.Second > 1<<31-1 {
		return 0, driver.Invalid(ProviderName, "%s %v must be a positive whole number of seconds", what, d)
	}
	return int32(d / time.Second), nil
}

// toMember maps a DescribeInstanceHealth entry; Health and Reason keep ELB's own words.
func toMember(s types.InstanceState, port int) driver.Member {
	health := aws.ToString(s.State)
	return driver.Member{
		ID:        aws.ToString(s.InstanceId),
		Port:      port,
		Health:    health,
		Reason:    aws.ToString(s.Description),
		Condition: conditionOf(health),
	}
}

func conditionOf(health string) driver.MemberCondition {
	switch health {
	case "InService":
		return driver.MemberEnabled
	case "OutOfService":
		return driver.MemberDisabled
	}
	return driver.MemberUnknown
}

// instanceProtocolFor is the back-end protocol used when none is given: the front-end's own,
// so HTTP stays HTTP, HTTPS re-encrypts to HTTPS, TCP stays TCP and SSL stays SSL.
func instanceProtocolFor(p driver.Protocol) driver.Protocol { return p }

// normProtocol upper-cases p and checks that Classic ELB supports it.
func normProtocol(p driver.Protocol) (driver.Protocol, error) {
	u := driver.Protocol(strings.ToUpper(strings.TrimSpace(string(p))))
	switch u {
	case driver.HTTP, driver.HTTPS, driver.TCP, driver.SSL:
		return u, nil
	case "":
		return "", driver.Invalid(ProviderName, "a protocol is required")
	}
	return "", driver.Unsupported(ProviderName, "protocol %q is not supported by Classic ELB (HTTP, HTTPS, TCP, SSL)", string(p))
}

func needsCertificate(p driver.Protocol) bool { return p == driver.HTTPS || p == driver.SSL }

func toSDKTags(tags map[string]string) []types.Tag {
	return awsclient.KeyValueList(tags, func(k, v *string) types.Tag { return types.Tag{Key: k, Value: v} })
}

func fromSDKTags(tags []types.Tag) map[string]string {
	return awsclient.KeyValueMap(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
