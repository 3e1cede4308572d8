package elb

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

func TestToBalancer(t *testing.T) {
	created := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	got := toBalancer(types.LoadBalancerDescription{
		LoadBalancerName:  aws.String("web"),
		DNSName:           aws.String("web-1.us-east-1.elb.amazonaws.com"),
		AvailabilityZones: []string{"us-east-1a"},
		Subnets:           []string{"subnet-1"},
		SecurityGroups:    []string{"sg-1"},
		Scheme:            aws.String("internet-facing"),
		VPCId:             aws.String("vpc-1"),
		CreatedTime:       &created,
		ListenerDescriptions: []types.ListenerDescription{
			{Listener: &types.Listener{LoadBalancerPort: 443, InstancePort: aws.Int32(8080), Protocol: aws.String("https"),
				InstanceProtocol: aws.String("HTTP"), SSLCertificateId: aws.String("arn:cert")}, PolicyNames: []string{"p1"}},
			{Listener: &types.Listener{LoadBalancerPort: 80, InstancePort: aws.Int32(8080), Protocol: aws.String("HTTP"),
				InstanceProtocol: aws.String("HTTP")}},
			{}, // a description without a listener is skipped
		},
		HealthCheck: &types.HealthCheck{Target: aws.String("HTTP:8080/"), Interval: aws.Int32(30), Timeout: aws.Int32(5),
			HealthyThreshold: aws.Int32(10), UnhealthyThreshold: aws.Int32(2)},
		Instances: []types.Instance{{InstanceId: aws.String("i-1")}},
	})
	want := &driver.LoadBalancer{
		ID: "web", Name: "web", State: driver.StateRunning, DNSName: "web-1.us-east-1.elb.amazonaws.com", Port: 443,
		Listeners: []driver.Listener{
			{Port: 443, Protocol: driver.HTTPS, InstancePort: 8080, InstanceProtocol: driver.HTTP, CertificateID: "arn:cert", Policies: []string{"p1"}},
			{Port: 80, Protocol: driver.HTTP, InstancePort: 8080, InstanceProtocol: driver.HTTP},
		},
		Zones: []string{"us-east-1a"}, Subnets: []string{"subnet-1"}, SecurityGroups: []string{"sg-1"},
		Scheme: "internet-facing", VPCID: "vpc-1", CreatedAt: created,
		HealthCheck: &driver.HealthCheck{Target: "HTTP:8080/", Interval: 30 * time.Second, Timeout: 5 * time.Second,
			HealthyThreshold: 10, UnhealthyThreshold: 2},
		Members: []driver.Member{{ID: "i-1", Port: 8080}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("toBalancer =\n%+v\nwant\n%+v", got, want)
	}
}

func TestToMember(t *testing.T) {
	for health, cond := range map[string]driver.MemberCondition{
		"InService": driver.MemberEnabled, "OutOfService": driver.MemberDisabled, "Unknown": driver.MemberUnknown, "": driver.MemberUnknown,
	} {
		m := toMember(types.InstanceState{InstanceId: aws.String("i-1"), State: aws.String(health), Description: aws.String("why")}, 80)
		if m.ID != "i-1" || m.Port != 80 || m.Health != health || m.Reason != "why" || m.Condition != cond {
			t.Errorf("%q: %+v", health, m)
		}
	}
}

func TestHealthCheckConversion(t *testing.T) {
	hc := driver.HealthCheck{Target: "TCP:80", Interval: 30 * time.Second, Timeout: 5 * time.Second, HealthyThreshold: 3, UnhealthyThreshold: 2}
	sdk, err := fromHealthCheck(hc)
	if err != nil {
		t.Fatal(err)
	}
	if back := toHealthCheck(*sdk); back != hc {
		t.Errorf("round trip = %+v", back)
	}
	for _, bad := range []driver.HealthCheck{
		{Interval: time.Second, Timeout: time.Second},
		{Target: "TCP:80", Interval: 1500 * time.Millisecond, Timeout: time.Second},
		{Target: "TCP:80", Interval: time.Second},
	} {
		if _, err := fromHealthCheck(bad); !errors.Is(err, driver.ErrInvalid) {
			t.Errorf("%+v: %v, want ErrInvalid", bad, err)
		}
	}
}

func TestAttributesConversion(t *testing.T) {
	a := Attributes{
		CrossZone:          aws.Bool(true),
		ConnectionDraining: &ConnectionDraining{Enabled: true, Timeout: 300 * time.Second},
		IdleTimeout:        60 * time.Second,
		AccessLog:          &AccessLog{Enabled: true, S3BucketName: "logs", S3BucketPrefix: "elb", EmitInterval: 5 * time.Minute},
		Additional:         map[string]string{"b": "2", "a": "1"},
	}
	sdk, err := fromAttributes(a)
	if err != nil {
		t.Fatal(err)
	}
	if k := aws.ToString(sdk.AdditionalAttributes[0].Key); k != "a" {
		t.Errorf("additional attributes not sorted: first key %q", k)
	}
	if back := toAttributes(sdk); !reflect.DeepEqual(back, a) {
		t.Errorf("round trip = %+v", back)
	}
	// Only what is set is sent.
	sdk, err = fromAttributes(Attributes{IdleTimeout: 10 * time.Second})
	if err != nil || sdk.CrossZoneLoadBalancing != nil || sdk.ConnectionDraining != nil || sdk.AccessLog != nil ||
		aws.ToInt32(sdk.ConnectionSettings.IdleTimeout) != 10 {
		t.Errorf("partial = %+v, %v", sdk, err)
	}
	for name, bad := range map[string]Attributes{
		"empty":         {},
		"emit interval": {AccessLog: &AccessLog{Enabled: true, S3BucketName: "b", EmitInterval: 10 * time.Minute}},
		"no bucket":     {AccessLog: &AccessLog{Enabled: true}},
		"idle fraction": {IdleTimeout: 1500 * time.Millisecond},
		"draining":      {ConnectionDraining: &ConnectionDraining{Enabled: true, Timeout: -time.Second}},
	} {
		if _, err := fromAttributes(bad); !errors.Is(err, driver.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

func TestPolicyList(t *testing.T) {
	for _, in := range [][]string{nil, {}, {""}, {"", ""}} {
		got := policyList(in)
		if got == nil || len(got) != 0 {
			t.Errorf("policyList(%q) = %#v, want an empty non-nil list", in, got)
		}
	}
	if got := policyList([]string{"a", "", "b"}); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("policyList = %q", got)
	}
}
