package awsclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// fakeEC2 answers DescribeInstances with the instances ({id, private, public}) whose address
// matches the request's one filter, DescribeAvailabilityZones with zones (or, when zones is
// nil, UnauthorizedOperation) and DescribeSubnets with the default subnets ({id, zone}) of
// the zones asked for. Its Fake keeps every request's form.
type fakeEC2 struct {
	*awstest.Fake
	instances [][3]string
	zones     []string
	subnets   [][2]string
}

func (f *fakeEC2) answer(action string, form url.Values) (int, string) {
	const ns = `xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"`
	var b strings.Builder
	switch action {
	case "DescribeAvailabilityZones":
		if f.zones == nil {
			return http.StatusForbidden, `<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>no</Message></Error></Errors><RequestID>r</RequestID></Response>`
		}
		fmt.Fprintf(&b, `<DescribeAvailabilityZonesResponse %s><availabilityZoneInfo>`, ns)
		for _, z := range f.zones {
			fmt.Fprintf(&b, `<item><zoneName>%s</zoneName><regionName>eu-west-1</regionName></item>`, z)
		}
		b.WriteString(`</availabilityZoneInfo></DescribeAvailabilityZonesResponse>`)
	case "DescribeSubnets":
		zones := map[string]bool{}
		for i := 1; form.Get(fmt.Sprintf("Filter.%d.Name", i)) != ""; i++ {
			if form.Get(fmt.Sprintf("Filter.%d.Name", i)) == "availability-zone" {
				for j := 1; form.Get(fmt.Sprintf("Filter.%d.Value.%d", i, j)) != ""; j++ {
					zones[form.Get(fmt.Sprintf("Filter.%d.Value.%d", i, j))] = true
				}
			}
		}
		fmt.Fprintf(&b, `<DescribeSubnetsResponse %s><subnetSet>`, ns)
		for _, sn := range f.subnets {
			if len(zones) == 0 || zones[sn[1]] {
				fmt.Fprintf(&b, `<item><subnetId>%s</subnetId><availabilityZone>%s</availabilityZone><defaultForAz>true</defaultForAz></item>`, sn[0], sn[1])
			}
		}
		b.WriteString(`</subnetSet></DescribeSubnetsResponse>`)
	case "DescribeInstances":
		field := 1 // private-ip-address
		if form.Get("Filter.1.Name") == "ip-address" {
			field = 2
		}
		want := map[string]bool{}
		for i := 1; form.Get(fmt.Sprintf("Filter.1.Value.%d", i)) != ""; i++ {
			want[form.Get(fmt.Sprintf("Filter.1.Value.%d", i))] = true
		}
		fmt.Fprintf(&b, `<DescribeInstancesResponse %s><reservationSet><item><instancesSet>`, ns)
		for _, in := range f.instances {
			if want[in[field]] {
				fmt.Fprintf(&b, "<item><instanceId>%s</instanceId><privateIpAddress>%s</privateIpAddress><ipAddress>%s</ipAddress>"+
					"<instanceState><name>running</name></instanceState></item>", in[0], in[1], in[2])
			}
		}
		b.WriteString(`</instancesSet></item></reservationSet></DescribeInstancesResponse>`)
	default:
		return http.StatusBadRequest, "unexpected action"
	}
	return http.StatusOK, b.String()
}

func newFakeEC2(t *testing.T, f *fakeEC2) *EC2 {
	f.Fake = awstest.NewFake(t, f.answer)
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		BaseEndpoint: aws.String(f.URL), Retryer: func() aws.Retryer { return aws.NopRetryer{} }, HTTPClient: ownBody{}}
	return NewEC2(ec2.NewFromConfig(cfg), "fake", "eu-west-1")
}

// ownBody gives the transport its own copy of each request body. The SDK closes the body it
// sent as soon as Do returns, while the transport may still be reading it to check its
// length; against a loopback server that answers within that window, the transport then
// drops the connection under the answer (one large DescribeInstances in ten here).
type ownBody struct{}

func (ownBody) Do(r *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return http.DefaultClient.Do(r)
}

// An address that is one instance's private address and another's public one names the
// first: private addresses are resolved first, whatever order EC2 lists instances in.
func TestResolveMembersPrefersPrivateAddresses(t *testing.T) {
	f := &fakeEC2{instances: [][3]string{{"i-b", "10.0.0.2", ""}, {"i-a", "10.0.0.1", "10.0.0.2"}, {"i-c", "10.0.0.3", "54.0.0.3"}}}
	e := newFakeEC2(t, f)
	got, err := e.ResolveMembers(t.Context(), []driver.Member{{IP: "10.0.0.1"}, {IP: "10.0.0.2"}, {IP: "54.0.0.3"}, {ID: "i-z"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"i-a", "i-b", "i-c", "i-z"}
	for i, m := range got {
		if m.ID != want[i] {
			t.Errorf("member %d (%s) resolved to %s, want %s", i, m.IP, m.ID, want[i])
		}
	}
	calls := f.Sent("DescribeInstances")
	if len(calls) != 2 {
		t.Fatalf("DescribeInstances calls = %d, want one by private and one by public address", len(calls))
	}
	if v := calls[1]; v.Get("Filter.1.Name") != "ip-address" || v.Get("Filter.1.Value.1") != "54.0.0.3" || v.Get("Filter.1.Value.2") != "" {
		t.Errorf("public lookup asked for %v, want only the address left", v)
	}
}

// Hundreds of addresses go IPFilterBatch to a call; an address nobody has fails the call,
// naming it once however often it was given.
func TestResolveMembersBatchesAndNamesTheMissing(t *testing.T) {
	f := &fakeEC2{}
	var members []driver.Member
	for i := range 450 {
		ip := fmt.Sprintf("10.1.%d.%d", i/200, i%200+1)
		f.instances = append(f.instances, [3]string{fmt.Sprintf("i-%d", i), ip, ""})
		members = append(members, driver.Member{IP: ip})
	}
	e := newFakeEC2(t, f)
	got, err := e.ResolveMembers(t.Context(), members)
	if err != nil || len(got) != 450 || got[449].ID != "i-449" {
		t.Fatalf("ResolveMembers = %d members, %v", len(got), err)
	}
	if n := len(f.Sent("DescribeInstances")); n != 3 {
		t.Errorf("DescribeInstances calls = %d, want 3 (200 + 200 + 50 addresses)", n)
	}
	_, err = e.ResolveMembers(t.Context(), []driver.Member{{IP: "192.0.2.9"}, {IP: "192.0.2.9"}, {IP: "10.1.0.1"}})
	var de *driver.Error
	if !errors.Is(err, driver.ErrNotFound) || !errors.As(err, &de) || de.Provider != "fake" ||
		strings.Count(err.Error(), "192.0.2.9") != 1 || strings.Contains(err.Error(), "10.1.0.1") {
		t.Errorf("missing address: %v", err)
	}
	if _, err := e.ResolveMembers(t.Context(), []driver.Member{{Port: 80}}); !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("member without id or ip: %v, want ErrInvalid", err)
	}
}

func TestFirstZone(t *testing.T) {
	f := &fakeEC2{zones: []string{"eu-west-1c", "eu-west-1b"}}
	e := newFakeEC2(t, f)
	if z := e.FirstZone(t.Context()); z != "eu-west-1b" {
		t.Errorf("FirstZone = %s, want the first by name", z)
	}
	e.FirstZone(t.Context())
	if n := len(f.Sent("DescribeAvailabilityZones")); n != 1 {
		t.Errorf("zones asked %d times, want once", n)
	}
	// EC2 refusing: the region's "a" zone, kept; a cancelled caller: the same, not kept.
	denied := newFakeEC2(t, &fakeEC2{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if z := denied.FirstZone(ctx); z != "eu-west-1a" || denied.zone != "" {
		t.Errorf("cancelled: FirstZone = %s, kept %q", z, denied.zone)
	}
	if z := denied.FirstZone(t.Context()); z != "eu-west-1a" || denied.zone != "eu-west-1a" {
		t.Errorf("denied: FirstZone = %s, kept %q", z, denied.zone)
	}
}

func TestDefaultSubnets(t *testing.T) {
	f := &fakeEC2{subnets: [][2]string{{"subnet-c", "eu-west-1c"}, {"subnet-a", "eu-west-1a"}, {"subnet-b", "eu-west-1b"}}}
	e := newFakeEC2(t, f)
	all, err := e.DefaultSubnets(t.Context(), nil)
	if err != nil || len(all) != 3 || all[0] != (Subnet{"subnet-a", "eu-west-1a"}) || all[2].Zone != "eu-west-1c" {
		t.Errorf("DefaultSubnets = %v, %v; want all three by zone", all, err)
	}
	some, err := e.DefaultSubnets(t.Context(), []string{"eu-west-1b"})
	if err != nil || len(some) != 1 || some[0].ID != "subnet-b" {
		t.Errorf("DefaultSubnets(eu-west-1b) = %v, %v", some, err)
	}
	if v := f.Sent("DescribeSubnets")[1]; v.Get("Filter.1.Name") != "default-for-az" || v.Get("Filter.1.Value.1") != "true" ||
		v.Get("Filter.2.Name") != "availability-zone" {
		t.Errorf("asked for %v, want the default subnets of the zone", v)
	}
	if _, err := newFakeEC2(t, &fakeEC2{}).DefaultSubnets(t.Context(), nil); err != nil {
		t.Errorf("no default VPC: %v, want no subnets and no error", err)
	}
}
