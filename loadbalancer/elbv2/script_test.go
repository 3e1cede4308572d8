package elbv2

import (
	"net/url"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
)

// script answers each action with its handler; an action without one is refused, so a test
// also fails on a call it did not expect.
type script map[string]func(form url.Values) (int, string)

func (s script) fake(t *testing.T) *awstest.Fake {
	return awstest.NewFake(t, func(action string, form url.Values) (int, string) {
		if h, ok := s[action]; ok {
			return h(form)
		}
		return 400, awstest.QueryError(ns, "InvalidAction", "unscripted action "+action)
	})
}

// ok answers action with result.
func ok(action, result string) func(url.Values) (int, string) {
	return func(url.Values) (int, string) { return 200, awstest.QueryOK(ns, action, result) }
}

// fail answers with an ELBv2 error.
func fail(code string) func(url.Values) (int, string) {
	return func(url.Values) (int, string) { return 400, awstest.QueryError(ns, code, "scripted "+code) }
}

func listenerXML(arn string, port, proto, tg string, extra string) string {
	return `<ListenerArn>` + arn + `</ListenerArn><LoadBalancerArn>` + lbARN + `</LoadBalancerArn><Port>` + port +
		`</Port><Protocol>` + proto + `</Protocol><DefaultActions><member><Type>forward</Type><TargetGroupArn>` + tg +
		`</TargetGroupArn></member></DefaultActions>` + extra
}

func groupXML(arn, port, proto, targetType string, lbs ...string) string {
	return `<TargetGroupArn>` + arn + `</TargetGroupArn><TargetGroupName>g</TargetGroupName><Port>` + port +
		`</Port><Protocol>` + proto + `</Protocol><TargetType>` + targetType + `</TargetType><VpcId>vpc-1</VpcId>` +
		`<LoadBalancerArns>` + wrapEach("member", lbs) + `</LoadBalancerArns>`
}

func wrapEach(tag string, items []string) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString("<" + tag + ">" + it + "</" + tag + ">")
	}
	return b.String()
}

// oneALB scripts a balancer "web" (lbARN) whose listener on 80 forwards to tgARN, a group
// of targetType on port 8080.
func oneALB(s script, targetType string) script {
	s["DescribeLoadBalancers"] = ok("DescribeLoadBalancers", members("LoadBalancers", lbXML("web", lbARN, "application", "active")))
	s["DescribeListeners"] = ok("DescribeListeners", members("Listeners", listenerXML(lisARN, "80", "HTTP", tgARN, "")))
	s["DescribeTargetGroups"] = ok("DescribeTargetGroups", members("TargetGroups", groupXML(tgARN, "8080", "HTTP", targetType, lbARN)))
	return s
}

func ec2Instances(pairs ...[2]string) string {
	var items []string
	for _, p := range pairs {
		items = append(items, `<item><instanceId>`+p[0]+`</instanceId><privateIpAddress>`+p[1]+
			`</privateIpAddress><instanceState><code>16</code><name>running</name></instanceState></item>`)
	}
	return ec2OK("DescribeInstances", `<reservationSet><item><reservationId>r-1</reservationId><instancesSet>`+
		strings.Join(items, "")+`</instancesSet></item></reservationSet>`)
}
