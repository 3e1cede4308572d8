package elbv2

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer"
)

// inventory is a scripted account of n Application Load Balancers with three tags each,
// every answer delayed by latency, as from a far-away region.
func inventory(n int, latency time.Duration) func(string, url.Values) (int, string) {
	arn := func(i int) string { return fmt.Sprintf("%s-%05d", lbARN, i) }
	entries := make([]string, n)
	for i := range entries {
		entries[i] = lbXML(fmt.Sprintf("web-%05d", i), arn(i), "application", "active")
	}
	return func(action string, form url.Values) (int, string) {
		time.Sleep(latency)
		switch action {
		case "DescribeLoadBalancers":
			start, _ := strconv.Atoi(form.Get("Marker"))
			size, _ := strconv.Atoi(form.Get("PageSize"))
			end := min(start+size, n)
			next := ""
			if end < n {
				next = "<NextMarker>" + strconv.Itoa(end) + "</NextMarker>"
			}
			return 200, awstest.QueryOK(ns, action, members("LoadBalancers", entries[start:end]...)+next)
		case "DescribeTags":
			var descs []string
			for i := 1; form.Get("ResourceArns.member."+strconv.Itoa(i)) != ""; i++ {
				a := form.Get("ResourceArns.member." + strconv.Itoa(i))
				descs = append(descs, "<ResourceArn>"+a+"</ResourceArn>"+members("Tags",
					"<Key>team</Key><Value>edge</Value>", "<Key>env</Key><Value>prod</Value>",
					"<Key>owner</Key><Value>"+a[len(a)-5:]+"</Value>"))
			}
			return 200, awstest.QueryOK(ns, action, members("TagDescriptions", descs...))
		}
		return 400, awstest.QueryError(ns, "InvalidAction", action)
	}
}

// BenchmarkInventory lists 5,000 ALBs with their tags at 25 ms latency per call through the
// portable layer. The lower bound is the 13 DescribeLoadBalancers pages, one after the
// other: 13 x 25 ms; x-bound reports the mean listing against it (the target is at most 2).
func BenchmarkInventory(b *testing.B) {
	const n, latency = 5000, 25 * time.Millisecond
	svc := service(fakeDriver(b, awstest.NewFake(b, inventory(n, latency)), ALB, 1))
	bound := time.Duration((n+MaxPageSize-1)/MaxPageSize) * latency
	var total time.Duration
	runs := 0
	for b.Loop() {
		start := time.Now()
		got := 0
		for lb, err := range svc.Balancers(b.Context(), loadbalancer.ListOptions{IncludeTags: true}) {
			if err != nil {
				b.Fatal(err)
			}
			if len(lb.Tags) != 3 || !strings.HasSuffix(lb.ID, lb.Tags["owner"]) {
				b.Fatalf("%s tags %v", lb.ID, lb.Tags)
			}
			got++
		}
		if got != n {
			b.Fatalf("listed %d, want %d", got, n)
		}
		total += time.Since(start)
		runs++
	}
	b.ReportMetric(float64(total)/float64(runs)/float64(bound), "x-bound")
}
