package elbserver_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2sdk "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	lbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

// BenchmarkServeDescribeByName measures the endpoint's own cost for one
// DescribeLoadBalancers by name: a request signed once and served in-process,
// without a client or a socket.
func BenchmarkServeDescribeByName(b *testing.B) {
	e := newFuzzEndpoint(b)
	w, _ := e.do(b, "Version=2012-06-01&Action=CreateLoadBalancer&LoadBalancerName=web&Listeners.member.1.Protocol=HTTP&Listeners.member.1.LoadBalancerPort=80&Listeners.member.1.InstancePort=8080")
	if w.Code != http.StatusOK {
		b.Fatalf("create: %d", w.Code)
	}
	body := "Version=2012-06-01&Action=DescribeLoadBalancers&LoadBalancerNames.member.1=web"
	signed := signedForm(b, body)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "http://elb.local/", strings.NewReader(body))
		r.Header = signed.Header
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("describe: %d %s", w.Code, w.Body)
		}
	}
}

// BenchmarkServeELBv2Reads measures the endpoint's own cost for the ELBv2 reads of the
// versus-moto benchmark, in turn: DescribeLoadBalancers and DescribeTargetGroups by name,
// DescribeTargetHealth of a group with two instances; each signed once and served in-process.
func BenchmarkServeELBv2Reads(b *testing.B) {
	srv := elbtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, ec := lbv2.NewFromConfig(srv.AWSConfig()), ec2sdk.NewFromConfig(srv.AWSConfig())
	dv := srv.Endpoint.DefaultVPC("", "")
	lb, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{dv.Subnet("us-east-1a"), dv.Subnet("us-east-1b")}})
	if err != nil {
		b.Fatal(err)
	}
	tg, err := c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String("web-tg"), Protocol: "HTTP", Port: aws.Int32(80), VpcId: aws.String(dv.ID)})
	if err != nil {
		b.Fatal(err)
	}
	tgARN := *tg.TargetGroups[0].TargetGroupArn
	run, err := ec.RunInstances(ctx, &ec2sdk.RunInstancesInput{ImageId: aws.String("ami-12c6146b"), InstanceType: ec2types.InstanceTypeT2Micro,
		SubnetId: aws.String(dv.Subnet("us-east-1a")), MinCount: aws.Int32(2), MaxCount: aws.Int32(2)})
	if err != nil {
		b.Fatal(err)
	}
	var targets []lbv2types.TargetDescription
	for _, in := range run.Instances {
		targets = append(targets, lbv2types.TargetDescription{Id: in.InstanceId, Port: aws.Int32(8080)})
	}
	if _, err := c.RegisterTargets(ctx, &lbv2.RegisterTargetsInput{TargetGroupArn: aws.String(tgARN), Targets: targets}); err != nil {
		b.Fatal(err)
	}
	if _, err := c.CreateListener(ctx, &lbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: "HTTP", Port: aws.Int32(80),
		DefaultActions: []lbv2types.Action{{Type: "forward", TargetGroupArn: aws.String(tgARN)}}}); err != nil {
		b.Fatal(err)
	}
	reads := []struct{ body, want string }{
		{"Version=2015-12-01&Action=DescribeLoadBalancers&Names.member.1=web", "<LoadBalancerName>web</LoadBalancerName>"},
		{"Version=2015-12-01&Action=DescribeTargetGroups&Names.member.1=web-tg", "<TargetGroupName>web-tg</TargetGroupName>"},
		{"Version=2015-12-01&Action=DescribeTargetHealth&TargetGroupArn=" + url.QueryEscape(tgARN), "<Id>" + *run.Instances[1].InstanceId + "</Id>"},
	}
	signed := make([]*http.Request, len(reads))
	for i, rd := range reads {
		signed[i] = signedForm(b, rd.body)
		w := httptest.NewRecorder()
		srv.Endpoint.ServeHTTP(w, signedForm(b, rd.body))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), rd.want) {
			b.Fatalf("%s: %d %s", rd.body, w.Code, w.Body)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		rd := reads[i%len(reads)]
		// A shallow copy with a fresh body: the harness's own cost stays small.
		r := new(http.Request)
		*r = *signed[i%len(reads)]
		r.Body = io.NopCloser(strings.NewReader(rd.body))
		i++
		w := httptest.NewRecorder()
		srv.Endpoint.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", rd.body, w.Code, w.Body)
		}
	}
}
