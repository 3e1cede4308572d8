package classic_test

import (
	"context"
	"strings"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

func TestConfigureHealthCheck(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t)
	sdkcheck.CreateLB(t, c, "hc")
	hc := func(target string, interval, timeout, unhealthy, healthy int32) error {
		_, err := c.ConfigureHealthCheck(ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String("hc"), HealthCheck: &types.HealthCheck{
			Target: aws.String(target), Interval: aws.Int32(interval), Timeout: aws.Int32(timeout),
			UnhealthyThreshold: aws.Int32(unhealthy), HealthyThreshold: aws.Int32(healthy)}})
		return err
	}
	sdkcheck.NoErr(t, hc("HTTP:8080/health", 10, 5, 3, 4))
	d := sdkcheck.DescribeOne(t, c, "hc")
	if aws.ToString(d.HealthCheck.Target) != "HTTP:8080/health" || aws.ToInt32(d.HealthCheck.Interval) != 10 || aws.ToInt32(d.HealthCheck.HealthyThreshold) != 4 {
		t.Fatalf("health check %+v", d.HealthCheck)
	}
	for _, bad := range []struct {
		target                       string
		interval, timeout, unh, heal int32
	}{
		{"HTTP:8080", 10, 5, 3, 3},    // HTTP needs a path
		{"TCP:80/x", 10, 5, 3, 3},     // TCP takes no path
		{"UDP:80", 10, 5, 3, 3},       // unknown protocol
		{"TCP:0", 10, 5, 3, 3},        // port range
		{"TCP:80", 4, 2, 3, 3},        // interval < 5
		{"TCP:80", 301, 5, 3, 3},      // interval > 300
		{"TCP:80", 10, 10, 3, 3},      // timeout must be < interval
		{"TCP:80", 100, 61, 3, 3},     // timeout > 60
		{"TCP:80", 10, 5, 1, 3},       // unhealthy < 2
		{"TCP:80", 10, 5, 3, 11},      // healthy > 10
		{"tcp:80", 10, 5, 3, 3},       // protocol is case-sensitive on AWS
		{"TCP:80:90", 10, 5, 3, 3},    // garbage
		{"HTTPS:443", 10, 5, 3, 3},    // HTTPS needs a path
		{"SSL:443/x", 10, 5, 3, 3},    // SSL takes no path
		{"TCP:99999", 10, 5, 3, 3},    // port range
		{"TCP:", 10, 5, 3, 3},         // no port
		{":80", 10, 5, 3, 3},          // no protocol
		{"HTTP:80/ok", 300, 60, 2, 2}, // boundary values are fine
	} {
		err := hc(bad.target, bad.interval, bad.timeout, bad.unh, bad.heal)
		if bad.target == "HTTP:80/ok" {
			sdkcheck.NoErr(t, err)
			continue
		}
		sdkcheck.WantCode(t, err, "ValidationError")
	}
	_, err := c.ConfigureHealthCheck(ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String("ghost"), HealthCheck: &types.HealthCheck{
		Target: aws.String("TCP:80"), Interval: aws.Int32(10), Timeout: aws.Int32(5), UnhealthyThreshold: aws.Int32(2), HealthyThreshold: aws.Int32(2)}})
	sdkcheck.WantCode(t, err, "LoadBalancerNotFound")
}

func TestAttributes(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t)
	sdkcheck.CreateLB(t, c, "attrs")
	got, err := c.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: aws.String("attrs")})
	sdkcheck.NoErr(t, err)
	a := got.LoadBalancerAttributes
	if a.CrossZoneLoadBalancing.Enabled || a.ConnectionDraining.Enabled || aws.ToInt32(a.ConnectionDraining.Timeout) != 300 ||
		aws.ToInt32(a.ConnectionSettings.IdleTimeout) != 60 || a.AccessLog.Enabled {
		t.Fatalf("defaults %+v", a)
	}
	mod, err := c.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String("attrs"), LoadBalancerAttributes: &types.LoadBalancerAttributes{
		CrossZoneLoadBalancing: &types.CrossZoneLoadBalancing{Enabled: true},
		ConnectionDraining:     &types.ConnectionDraining{Enabled: true, Timeout: aws.Int32(120)},
		ConnectionSettings:     &types.ConnectionSettings{IdleTimeout: aws.Int32(3600)},
		AccessLog:              &types.AccessLog{Enabled: true, S3BucketName: aws.String("my-logs"), EmitInterval: aws.Int32(5), S3BucketPrefix: aws.String("elb")},
		AdditionalAttributes:   []types.AdditionalAttribute{{Key: aws.String("elb.http.desyncmitigationmode"), Value: aws.String("strictest")}},
	}})
	sdkcheck.NoErr(t, err)
	if aws.ToString(mod.LoadBalancerName) != "attrs" || !mod.LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled {
		t.Fatalf("modify result %+v", mod)
	}
	got, err = c.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: aws.String("attrs")})
	sdkcheck.NoErr(t, err)
	a = got.LoadBalancerAttributes
	if !a.CrossZoneLoadBalancing.Enabled || aws.ToInt32(a.ConnectionDraining.Timeout) != 120 || aws.ToInt32(a.ConnectionSettings.IdleTimeout) != 3600 ||
		!a.AccessLog.Enabled || aws.ToString(a.AccessLog.S3BucketName) != "my-logs" || aws.ToInt32(a.AccessLog.EmitInterval) != 5 ||
		aws.ToString(a.AdditionalAttributes[0].Value) != "strictest" {
		t.Fatalf("after modify %+v", a)
	}
	modify := func(attrs types.LoadBalancerAttributes) error {
		_, err := c.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String("attrs"), LoadBalancerAttributes: &attrs})
		return err
	}
	sdkcheck.WantCode(t, modify(types.LoadBalancerAttributes{ConnectionSettings: &types.ConnectionSettings{IdleTimeout: aws.Int32(3601)}}), "ValidationError")
	sdkcheck.WantCode(t, modify(types.LoadBalancerAttributes{ConnectionSettings: &types.ConnectionSettings{IdleTimeout: aws.Int32(0)}}), "ValidationError")
	sdkcheck.WantCode(t, modify(types.LoadBalancerAttributes{ConnectionDraining: &types.ConnectionDraining{Enabled: true, Timeout: aws.Int32(3601)}}), "ValidationError")
	sdkcheck.WantCode(t, modify(types.LoadBalancerAttributes{AccessLog: &types.AccessLog{Enabled: true, S3BucketName: aws.String("b-b-b"), EmitInterval: aws.Int32(30)}}), "ValidationError")
	sdkcheck.WantCode(t, modify(types.LoadBalancerAttributes{AccessLog: &types.AccessLog{Enabled: true, S3BucketName: aws.String("")}}), "InvalidConfigurationRequest")
	sdkcheck.WantCode(t, modify(types.LoadBalancerAttributes{AdditionalAttributes: []types.AdditionalAttribute{{Key: aws.String("no.such"), Value: aws.String("x")}}}), "LoadBalancerAttributeNotFound")
	sdkcheck.WantCode(t, modify(types.LoadBalancerAttributes{}), "MissingParameter")
	// Failed modifications changed nothing.
	got, err = c.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: aws.String("attrs")})
	sdkcheck.NoErr(t, err)
	if aws.ToInt32(got.LoadBalancerAttributes.ConnectionSettings.IdleTimeout) != 3600 {
		t.Fatalf("idle timeout changed by a failed request: %+v", got.LoadBalancerAttributes.ConnectionSettings)
	}
}

func TestZones(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t)
	sdkcheck.CreateLB(t, c, "zones")
	en, err := c.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("zones"), AvailabilityZones: []string{"us-east-1b", "us-east-1c"}})
	sdkcheck.NoErr(t, err)
	if len(en.AvailabilityZones) != 3 {
		t.Fatalf("after enable %v", en.AvailabilityZones)
	}
	_, err = c.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("zones"), AvailabilityZones: []string{"mars-1a"}})
	sdkcheck.WantCode(t, err, "ValidationError")
	dis, err := c.DisableAvailabilityZonesForLoadBalancer(ctx, &elb.DisableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("zones"), AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
	sdkcheck.NoErr(t, err)
	if len(dis.AvailabilityZones) != 1 || dis.AvailabilityZones[0] != "us-east-1c" {
		t.Fatalf("after disable %v", dis.AvailabilityZones)
	}
	_, err = c.DisableAvailabilityZonesForLoadBalancer(ctx, &elb.DisableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("zones"), AvailabilityZones: []string{"us-east-1c"}})
	sdkcheck.WantCode(t, err, "InvalidConfigurationRequest")
	// Outside strict mode undeclared subnets are accepted in a default VPC,
	// where zones can be enabled too (each adds its default subnet).
	_, err = c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("vpc"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}, Subnets: []string{"subnet-12345678"}})
	sdkcheck.NoErr(t, err)
	d := sdkcheck.DescribeOne(t, c, "vpc")
	if !strings.HasPrefix(aws.ToString(d.VPCId), "vpc-") || len(d.SecurityGroups) != 1 || d.AvailabilityZones[0] != "us-east-1a" {
		t.Fatalf("default VPC placement %+v", d)
	}
	_, err = c.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("vpc"), AvailabilityZones: []string{"us-east-1b"}})
	sdkcheck.NoErr(t, err)
}

func TestTagsAndLimits(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-load-balancers": 5000}}))
	sdkcheck.CreateLB(t, c, "tagged")
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	add := func(tags ...types.Tag) error {
		_, err := c.AddTags(ctx, &elb.AddTagsInput{LoadBalancerNames: []string{"tagged"}, Tags: tags})
		return err
	}
	sdkcheck.NoErr(t, add(tag("env", "dev"), tag("team", "web")))
	sdkcheck.NoErr(t, add(tag("env", "prod")))
	sdkcheck.WantCode(t, add(tag("a", "1"), tag("a", "2")), "DuplicateTagKeys")
	sdkcheck.WantCode(t, add(tag("bad{key}", "1")), "ValidationError")
	sdkcheck.WantCode(t, add(tag(strings.Repeat("k", 129), "1")), "ValidationError")
	var many []types.Tag
	for i := range 9 {
		many = append(many, tag("k"+string(rune('a'+i)), "v"))
	}
	sdkcheck.WantCode(t, add(many...), "TooManyTags")
	_, err := c.AddTags(ctx, &elb.AddTagsInput{LoadBalancerNames: []string{"ghost"}, Tags: []types.Tag{tag("a", "b")}})
	sdkcheck.WantCode(t, err, "LoadBalancerNotFound")

	_, err = c.RemoveTags(ctx, &elb.RemoveTagsInput{LoadBalancerNames: []string{"tagged"}, Tags: []types.TagKeyOnly{{Key: aws.String("team")}, {Key: aws.String("absent")}}})
	sdkcheck.NoErr(t, err)
	out, err := c.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: []string{"tagged"}})
	sdkcheck.NoErr(t, err)
	if tags := out.TagDescriptions[0].Tags; len(tags) != 1 || aws.ToString(tags[0].Key) != "env" || aws.ToString(tags[0].Value) != "prod" {
		t.Fatalf("tags %+v", tags)
	}
	names := make([]string, 21)
	for i := range names {
		names[i] = "tagged"
	}
	_, err = c.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: names})
	sdkcheck.WantCode(t, err, "ValidationError")
	_, err = c.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: []string{"tagged", "ghost"}})
	sdkcheck.WantCode(t, err, "LoadBalancerNotFound")

	lim, err := c.DescribeAccountLimits(ctx, &elb.DescribeAccountLimitsInput{})
	sdkcheck.NoErr(t, err)
	want := map[string]string{"classic-load-balancers": "5000", "classic-listeners": "100", "classic-registered-instances": "1000"}
	if len(lim.Limits) != 3 {
		t.Fatalf("limits %+v", lim.Limits)
	}
	for _, l := range lim.Limits {
		if want[aws.ToString(l.Name)] != aws.ToString(l.Max) {
			t.Fatalf("limit %s = %s", aws.ToString(l.Name), aws.ToString(l.Max))
		}
	}
	page, err := c.DescribeAccountLimits(ctx, &elb.DescribeAccountLimitsInput{PageSize: aws.Int32(2)})
	sdkcheck.NoErr(t, err)
	rest, err := c.DescribeAccountLimits(ctx, &elb.DescribeAccountLimitsInput{PageSize: aws.Int32(2), Marker: page.NextMarker})
	sdkcheck.NoErr(t, err)
	if len(page.Limits) != 2 || page.NextMarker == nil || len(rest.Limits) != 1 || rest.NextMarker != nil {
		t.Fatalf("limit pages %d/%v then %d/%v", len(page.Limits), page.NextMarker, len(rest.Limits), rest.NextMarker)
	}
}
