package elbv2

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// ns is the XML namespace of the ELBv2 API.
const ns = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

func ec2OK(action, body string) string {
	return `<` + action + `Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1234</requestId>` +
		body + `</` + action + `Response>`
}

// members renders items as the members of a list element.
func members(list string, items ...string) string {
	return "<" + list + "><member>" + strings.Join(items, "</member><member>") + "</member></" + list + ">"
}

const (
	lbARN  = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"
	tgARN  = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-1a2b3c4d/73e2d6bc24d8a067"
	lisARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"
)

// lbXML is a DescribeLoadBalancers entry.
func lbXML(name, arn, typ, state string) string {
	return `<LoadBalancerArn>` + arn + `</LoadBalancerArn><LoadBalancerName>` + name + `</LoadBalancerName><Type>` + typ +
		`</Type><State><Code>` + state + `</Code></State><DNSName>` + name + `-1.eu-west-1.elb.amazonaws.com</DNSName>` +
		`<Scheme>internet-facing</Scheme><VpcId>vpc-1</VpcId><CreatedTime>2024-01-02T03:04:05.000Z</CreatedTime>` +
		`<AvailabilityZones><member><ZoneName>eu-west-1a</ZoneName><SubnetId>subnet-a</SubnetId></member>` +
		`<member><ZoneName>eu-west-1b</ZoneName><SubnetId>subnet-b</SubnetId></member></AvailabilityZones>`
}

// fakeDriver opens the provider typ on f with isolated credentials, as Open does, and
// returns the driver behind the Service.
func fakeDriver(t testing.TB, f *awstest.Fake, typ Type, attempts int, more ...Option) *lbDriver {
	t.Helper()
	testenv.AWSEnv(t)
	c, err := openClient(context.Background(), typ, driver.Options{Region: "eu-west-1", AccessKeyID: "AKIDTEST",
		SecretAccessKey: "s3cr3t-never-shown", Endpoint: f.URL, MaxAttempts: attempts}, more...)
	if err != nil {
		t.Fatal(err)
	}
	return newDriver(c)
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// service is the portable Service over d, as users hold it.
func service(d *lbDriver) *loadbalancer.Service { return loadbalancer.NewService(d) }
