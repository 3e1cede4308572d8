package elb

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

func TestParseListenerTuple(t *testing.T) {
	const arn = "arn:aws:iam::123456789012:server-certificate/servercert"
	ok := []struct {
		in   []any
		want ListenerSpec
	}{
		{[]any{1024, 65533, "HTTPS", arn}, ListenerSpec{1024, 65533, driver.HTTPS, "", arn}},
		{[]any{80, 8080, "http"}, ListenerSpec{80, 8080, driver.HTTP, "", ""}},
		{[]any{float64(443), "8443", "ssl", "tcp", arn}, ListenerSpec{443, 8443, driver.SSL, driver.TCP, arn}},
		{[]any{int64(25), int32(25), driver.TCP}, ListenerSpec{25, 25, driver.TCP, "", ""}},
	}
	for _, c := range ok {
		got, err := ParseListenerTuple(c.in...)
		if err != nil || got != c.want {
			t.Errorf("ParseListenerTuple(%v) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	bad := []struct {
		in   []any
		kind error
	}{
		{[]any{80, 80}, driver.ErrInvalid},
		{[]any{80, 80, "HTTP", "x", "y", "z"}, driver.ErrInvalid},
		{[]any{0, 80, "HTTP"}, driver.ErrInvalid},
		{[]any{80, 70000, "HTTP"}, driver.ErrInvalid},
		{[]any{80.5, 80, "HTTP"}, driver.ErrInvalid},
		{[]any{"eighty", 80, "HTTP"}, driver.ErrInvalid},
		{[]any{80, 80, 7}, driver.ErrInvalid},
		{[]any{80, 80, "UDP"}, driver.ErrUnsupported},
		{[]any{443, 443, "HTTPS"}, driver.ErrInvalid},   // needs a certificate
		{[]any{80, 80, "HTTP", arn}, driver.ErrInvalid}, // takes none
		{[]any{80, 80, "HTTP", "QUIC", ""}, driver.ErrUnsupported},
	}
	for _, c := range bad {
		if _, err := ParseListenerTuple(c.in...); !errors.Is(err, c.kind) {
			t.Errorf("ParseListenerTuple(%v) = %v, want %v", c.in, err, c.kind)
		}
	}
}

func TestCreateListenerDefaults(t *testing.T) {
	cases := []struct {
		req                  driver.CreateRequest
		port                 int32
		proto, instanceProto string
	}{
		{driver.CreateRequest{Port: 80, Protocol: "http"}, 80, "HTTP", "HTTP"},
		{driver.CreateRequest{Port: 80, Protocol: driver.HTTP, Members: []driver.Member{{ID: "i-1"}, {IP: "10.0.0.1", Port: 8080}}}, 8080, "HTTP", "HTTP"},
		{driver.CreateRequest{Port: 80, Protocol: driver.HTTP, InstancePort: 9000, Members: []driver.Member{{ID: "i-1", Port: 9000}}}, 9000, "HTTP", "HTTP"},
		{driver.CreateRequest{Port: 443, Protocol: driver.HTTPS, CertificateID: "arn:c"}, 443, "HTTPS", "HTTPS"},
		{driver.CreateRequest{Port: 25, Protocol: "tcp"}, 25, "TCP", "TCP"},
		{driver.CreateRequest{Port: 993, Protocol: driver.SSL, CertificateID: "arn:c"}, 993, "SSL", "SSL"},
	}
	for _, c := range cases {
		l, err := createListener(c.req)
		if err != nil {
			t.Errorf("%+v: %v", c.req, err)
			continue
		}
		sl, err := l.sdk()
		if err != nil || aws.ToInt32(sl.InstancePort) != c.port || aws.ToString(sl.Protocol) != c.proto || aws.ToString(sl.InstanceProtocol) != c.instanceProto {
			t.Errorf("%+v: listener %+v, %v", c.req, l, err)
		}
	}
	bad := []struct {
		req  driver.CreateRequest
		kind error
	}{
		{driver.CreateRequest{Port: 80, Protocol: driver.HTTP, Members: []driver.Member{{ID: "a", Port: 80}, {ID: "b", Port: 81}}}, driver.ErrInvalid},
		{driver.CreateRequest{Port: 80, Protocol: driver.HTTP, InstancePort: 8080, Members: []driver.Member{{ID: "a", Port: 80}}}, driver.ErrInvalid},
		{driver.CreateRequest{Port: 443, Protocol: driver.HTTPS}, driver.ErrInvalid},
		{driver.CreateRequest{Port: 53, Protocol: driver.UDP}, driver.ErrUnsupported},
		{driver.CreateRequest{Port: 80}, driver.ErrInvalid},
	}
	for _, c := range bad {
		if _, err := createListener(c.req); !errors.Is(err, c.kind) {
			t.Errorf("%+v: %v, want %v", c.req, err, c.kind)
		}
	}
}

func TestAlgorithms(t *testing.T) {
	d := newDriver(NewClient(aws.Config{}))
	algs, _ := d.ListSupportedAlgorithms(t.Context())
	for _, a := range append(algs, "") {
		if err := checkAlgorithm(a); err != nil {
			t.Errorf("%q refused: %v", a, err)
		}
	}
	for _, a := range []driver.Algorithm{driver.Random, driver.WeightedRoundRobin, driver.ShortestResponse, driver.PersistentIP, "bogus"} {
		if err := checkAlgorithm(a); !errors.Is(err, driver.ErrUnsupported) {
			t.Errorf("%q: %v, want ErrUnsupported", a, err)
		}
		_, err := d.CreateBalancer(t.Context(), driver.CreateRequest{Name: "x", Port: 80, Protocol: driver.HTTP, Algorithm: a})
		if !errors.Is(err, driver.ErrUnsupported) {
			t.Errorf("CreateBalancer with %q: %v, want ErrUnsupported before any call", a, err)
		}
	}
	protos, _ := d.ListProtocols(t.Context())
	if len(protos) != 4 {
		t.Errorf("protocols = %v", protos)
	}
}
