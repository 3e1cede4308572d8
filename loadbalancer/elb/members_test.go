package elb

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// ec2Instances answers DescribeInstances with the instances whose address matches the
// request's filter, in the order given: {id, private, public}.
func ec2Instances(instances ...[3]string) func(string, url.Values) (int, string) {
	return func(action string, form url.Values) (int, string) {
		if action != "DescribeInstances" {
			return 200, elbOK(action, "")
		}
		field := 1 // private-ip-address
		if form.Get("Filter.1.Name") == "ip-address" {
			field = 2
		}
		want := map[string]bool{}
		for i := 1; form.Get(fmt.Sprintf("Filter.1.Value.%d", i)) != ""; i++ {
			want[form.Get(fmt.Sprintf("Filter.1.Value.%d", i))] = true
		}
		var b strings.Builder
		b.WriteString(`<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet><item><instancesSet>`)
		for _, in := range instances {
			if want[in[field]] {
				fmt.Fprintf(&b, "<item><instanceId>%s</instanceId><privateIpAddress>%s</privateIpAddress><ipAddress>%s</ipAddress>"+
					"<instanceState><name>running</name></instanceState></item>", in[0], in[1], in[2])
			}
		}
		b.WriteString(`</instancesSet></item></reservationSet></DescribeInstancesResponse>`)
		return 200, b.String()
	}
}

// An address that is one instance's private address and another's public one names the
// first: private addresses are resolved first, whatever order EC2 lists instances in.
func TestResolveMembersPrefersPrivateAddresses(t *testing.T) {
	f := newFake(t, ec2Instances(
		[3]string{"i-b", "10.0.0.2", ""},
		[3]string{"i-a", "10.0.0.1", "10.0.0.2"},
		[3]string{"i-c", "10.0.0.3", "54.0.0.3"},
	))
	d := fakeDriver(t, f, 1)
	got, err := d.resolveMembers(shortCtx(t), []driver.Member{{IP: "10.0.0.1"}, {IP: "10.0.0.2"}, {IP: "54.0.0.3"}, {ID: "i-z"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"i-a", "i-b", "i-c", "i-z"}
	for i, m := range got {
		if m.ID != want[i] {
			t.Errorf("member %d (%s) resolved to %s, want %s", i, m.IP, m.ID, want[i])
		}
	}
	if n := f.count("DescribeInstances"); n != 2 {
		t.Errorf("DescribeInstances calls = %d, want one by private and one by public address", n)
	}
	if v := f.last("DescribeInstances"); v.Get("Filter.1.Name") != "ip-address" || v.Get("Filter.1.Value.1") != "54.0.0.3" || v.Get("Filter.1.Value.2") != "" {
		t.Errorf("public lookup asked for %v, want only the address left", v)
	}
}
