package ec2_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

func tags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func describeTags(t *testing.T, c *ec2.Client, fs ...types.Filter) []string {
	t.Helper()
	var out []string
	p := ec2.NewDescribeTagsPaginator(c, &ec2.DescribeTagsInput{Filters: fs, MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		sdkcheck.NoErr(t, err)
		for _, tag := range page.Tags {
			out = append(out, fmt.Sprintf("%s %s %s=%s", aws.ToString(tag.ResourceId), tag.ResourceType, aws.ToString(tag.Key), aws.ToString(tag.Value)))
		}
	}
	return out
}

func TestTags(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{})
	dv := srv.Endpoint.DefaultVPC("", "")
	vpc := mkVPC(t, c, "10.0.0.0/16")
	sub := mkSubnet(t, c, vpc, "10.0.1.0/24", "us-east-1a")
	sg := mkGroup(t, c, vpc, "web")
	inst := instanceIDs(run(t, c, sub, 1))[0]
	defSub := dv.Subnet("us-east-1a")

	_, err := c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{vpc, sub, sg, inst, dv.ID, defSub}, Tags: tags("env", "test", "Name", "x")})
	sdkcheck.NoErr(t, err)
	_, err = c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{inst}, Tags: tags("Name", "web", "empty", "")})
	sdkcheck.NoErr(t, err)
	all := describeTags(t, c)
	if len(all) != 13 { // six resources with two each, Name replaced on one, empty added
		t.Fatalf("%d tags: %v", len(all), all)
	}
	for filters, want := range map[string][]types.Filter{
		inst + " instance Name=web":     {filter("resource-id", inst), filter("key", "Name")},
		sg + " security-group env=test": {filter("resource-type", "security-group"), filter("value", "te*")},
		defSub + " subnet Name=x":       {filter("resource-id", defSub), filter("key", "Name")},
		dv.ID + " vpc Name=x":           {filter("resource-id", dv.ID), filter("key", "Name")},
		inst + " instance empty=":       {filter("key", "empty")},
		sub + " subnet env=test":        {filter("resource-type", "subnet"), filter("resource-id", sub), filter("key", "env")},
	} {
		if got := describeTags(t, c, want...); len(got) != 1 || got[0] != filters {
			t.Errorf("filters %v: %v, want %s", want, got, filters)
		}
	}
	// The resources' own describes carry them.
	vpcs, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("tag:env", "test"), filter("is-default", "true")}})
	sdkcheck.NoErr(t, err)
	if len(vpcs.Vpcs) != 1 || len(vpcs.Vpcs[0].Tags) != 2 {
		t.Fatalf("the default VPC's tags: %+v", vpcs.Vpcs)
	}

	// DeleteTags: a key alone removes it, a key with a value only with that value, none all.
	_, err = c.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{inst}, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("other")}, {Key: aws.String("env")}}})
	sdkcheck.NoErr(t, err)
	if got := describeTags(t, c, filter("resource-id", inst)); strings.Join(got, ",") != inst+" instance Name=web,"+inst+" instance empty=" {
		t.Fatalf("after deleting env and Name=other: %v", got)
	}
	_, err = c.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{inst, vpc}})
	sdkcheck.NoErr(t, err)
	if got := describeTags(t, c, filter("resource-id", inst, vpc)); len(got) != 0 {
		t.Fatalf("after deleting every tag: %v", got)
	}

	many := make([]types.Tag, 49)
	for i := range many {
		many[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String("v")}
	}
	_, err = c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{sub}, Tags: many})
	sdkcheck.WantCode(t, err, "TagLimitExceeded") // with env and Name, 51
	_, err = c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{inst}, Tags: many})
	sdkcheck.NoErr(t, err)
	for name, tc := range map[string]struct {
		resources []string
		tags      []types.Tag
		code      string
	}{
		"aws prefix":        {[]string{inst}, tags("AWS:owner", "x"), "InvalidParameterValue"},
		"long key":          {[]string{inst}, tags(strings.Repeat("k", 129), "x"), "InvalidParameterValue"},
		"long value":        {[]string{inst}, tags("k", strings.Repeat("v", 257)), "InvalidParameterValue"},
		"empty key":         {[]string{inst}, tags("", "x"), "InvalidParameterValue"},
		"repeated key":      {[]string{inst}, tags("k", "1", "k", "2"), "InvalidParameterValue"},
		"unknown instance":  {[]string{"i-0123456789abcdef0"}, tags("k", "v"), "InvalidInstanceID.NotFound"},
		"unknown subnet":    {[]string{"subnet-0123456789abcdef0"}, tags("k", "v"), "InvalidSubnetID.NotFound"},
		"unknown group":     {[]string{"sg-0123456789abcdef0"}, tags("k", "v"), "InvalidGroup.NotFound"},
		"unknown vpc":       {[]string{vpc, "vpc-0123456789abcdef0"}, tags("k", "v"), "InvalidVpcID.NotFound"},
		"unknown kind":      {[]string{"ami-12345678"}, tags("k", "v"), "InvalidID"},
		"address not local": {[]string{inst}, tags("lbcloud:address", "192.0.2.1:80"), "InvalidParameterValue"},
		"address port 0":    {[]string{inst}, tags("lbcloud:address", "127.0.0.1:0"), "InvalidParameterValue"},
		"address a name":    {[]string{inst}, tags("lbcloud:address", "localhost:80"), "InvalidParameterValue"},
	} {
		_, err := c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: tc.resources, Tags: tc.tags})
		t.Run(name, func(t *testing.T) { sdkcheck.WantCode(t, err, tc.code) })
	}
	_, err = c.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{"i-0123456789abcdef0"}})
	sdkcheck.WantCode(t, err, "InvalidInstanceID.NotFound")
	_, err = c.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{filter("resource-kind", "x")}})
	sdkcheck.WantCode(t, err, "InvalidParameterValue")
	// The tags of a deleted resource go with it.
	_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(sg)})
	sdkcheck.NoErr(t, err)
	if got := describeTags(t, c, filter("resource-id", sg)); len(got) != 0 {
		t.Fatalf("a deleted group's tags: %v", got)
	}
}

// The lbcloud:address tag tells the data plane where an instance answers, through
// store.InstanceBackend; set from the API or DeclareTags, and gone with the instance.
func TestInstanceBackend(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{})
	withPort := instanceIDs(run(t, c, "", 1, "lbcloud:address", "127.0.0.2:8081"))[0]
	hostOnly := instanceIDs(run(t, c, "", 1, "lbcloud:address", "::1"))[0]
	untagged := instanceIDs(run(t, c, "", 1))[0]
	sdkcheck.NoErr(t, srv.Endpoint.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000a", PrivateIP: "10.9.0.1"}))
	sdkcheck.NoErr(t, srv.Endpoint.DeclareTags("", "", "i-0000000a", map[string]string{"lbcloud:address": "[::1]:9000", "Name": "declared"}))
	if err := srv.Endpoint.DeclareTags("", "", "i-0000000a", map[string]string{"lbcloud:address": "10.0.0.1"}); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("DeclareTags with a remote address: %v", err)
	}
	if err := srv.Endpoint.DeclareTags("", "", "i-0000000b", map[string]string{"a": "b"}); err == nil || !strings.Contains(err.Error(), "InvalidInstanceID.NotFound") {
		t.Fatalf("DeclareTags on an unknown instance: %v", err)
	}
	backend := func(id string) string {
		var addr netip.AddrPort
		var ok bool
		sdkcheck.NoErr(t, srv.Endpoint.Store().View("000000000000", "us-east-1", func(p *store.Part) error {
			var err error
			addr, ok, err = store.InstanceBackend(p, id, 80)
			return err
		}))
		if !ok {
			return "none"
		}
		return addr.String()
	}
	for id, want := range map[string]string{withPort: "127.0.0.2:8081", hostOnly: "[::1]:80", untagged: "none", "i-0000000a": "[::1]:9000", "i-0123456789abcdef0": "none"} {
		if got := backend(id); got != want {
			t.Errorf("backend of %s: %s, want %s", id, got, want)
		}
	}
	_, err := c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{withPort}})
	sdkcheck.NoErr(t, err)
	if got := backend(withPort); got != "none" {
		t.Errorf("a terminated instance's backend: %s", got)
	}
}

func TestParseBackendAddress(t *testing.T) {
	for v, want := range map[string]string{
		"127.0.0.1": "127.0.0.1 0", "127.8.9.10:65535": "127.8.9.10 65535", "::1": "::1 0", "[::1]:443": "::1 443",
		"10.0.0.1": "error", "127.0.0.1:0": "error", "127.0.0.1:70000": "error", "localhost": "error", "::ffff:127.0.0.1": "error",
		"[::1%lo]:80": "error", "": "error", "127.0.0.1:": "error", "::1:80": "error",
	} {
		host, port, err := store.ParseBackendAddress(v)
		got := fmt.Sprintf("%s %d", host, port)
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("%q: %s, want %s", v, got, want)
		}
	}
}
