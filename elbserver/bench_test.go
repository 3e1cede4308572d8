package elbserver_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
