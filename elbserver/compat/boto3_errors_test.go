package compat

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

// TestBoto3Errors checks the error envelope as botocore parses it: each case
// must give the expected code, and every code the model declares must come
// with the model's HTTP status and map onto the model's exception class.
func TestBoto3Errors(t *testing.T) {
	t.Parallel()
	srv := startServer(t, elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-load-balancers": 2}}))
	r := runPython(t, srv, "boto3_errors.py")
	want := map[string]string{
		"not_found":             "LoadBalancerNotFound",
		"duplicate_name":        "DuplicateLoadBalancerName",
		"bad_name":              "ValidationError",
		"too_many_lbs":          "TooManyLoadBalancers",
		"invalid_scheme":        "InvalidScheme",
		"duplicate_listener":    "DuplicateListener",
		"certificate_not_found": "CertificateNotFound",
		"listener_not_found":    "ListenerNotFound",
		"policy_not_found":      "PolicyNotFound",
		"policy_type_not_found": "PolicyTypeNotFound",
		"duplicate_policy":      "DuplicatePolicyName",
		"sticky_on_tcp":         "InvalidConfigurationRequest",
		"invalid_instance":      "InvalidInstance",
		"attribute_not_found":   "LoadBalancerAttributeNotFound",
		"too_many_tags":         "TooManyTags",
		"duplicate_tag_keys":    "DuplicateTagKeys",
		"bad_marker":            "ValidationError",
	}
	model := r.at("model")
	got := r.at("errors")
	if n := len(got.v.(map[string]any)); n != len(want) {
		t.Errorf("script ran %d cases, test expects %d", n, len(want))
	}
	for label, code := range want {
		e := got.at(label)
		if e.at("succeeded").v == true {
			t.Errorf("%s: call succeeded, want %s", label, code)
			continue
		}
		e.eq(t, code, "code")
		e.eq(t, "Sender", "type")
		if !uuidRE.MatchString(e.at("request_id").str()) {
			t.Errorf("%s: request id %q", label, e.at("request_id").str())
		}
		if e.at("message").str() == "" {
			t.Errorf("%s: empty message", label)
		}
		if m := model.at(code); m.v != nil {
			// Declared by the model: botocore must raise its modeled class.
			e.eq(t, m.at("shape").v, "exception")
			e.eq(t, m.at("status").v, "status")
		} else {
			e.eq(t, "ClientError", "exception")
			e.eq(t, 400, "status")
		}
	}
	// Every error code of the model that the endpoint can produce is
	// exercised above, except those tied to AWS internals.
	notProduced := []string{"DependencyThrottle", "OperationNotPermitted", "UnsupportedProtocol",
		"InvalidSecurityGroup", "InvalidSubnet", "SubnetNotFound", "TooManyPolicies"}
	for code := range model.v.(map[string]any) {
		if !slices.Contains(notProduced, code) && !mapHasValue(want, code) {
			t.Errorf("model error %s is not exercised", code)
		}
	}
}

func mapHasValue(m map[string]string, v string) bool {
	for _, x := range m {
		if x == v {
			return true
		}
	}
	return false
}

// TestBoto3Paginators pages through 450 balancers and the account limits with
// botocore's paginators (PageSize, MaxItems, StartingToken).
func TestBoto3Paginators(t *testing.T) {
	t.Parallel()
	const n = 450
	srv := startServer(t, elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-load-balancers": n}}))
	r := runPython(t, srv, "boto3_paginate.py", fmt.Sprintf("LB_COUNT=%d", n))
	r.eq(t, []int{100, 100, 100, 100, 50}, "page_sizes")
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("lb-%04d", i))
	}
	names := r.at("names").strs()
	if !slices.Equal(names, want) {
		t.Errorf("paginated names: %d, want lb-0000..lb-%04d once each in order", len(names), n-1)
	}
	r.eq(t, 150, "first_count")
	if resumed := r.at("resumed").strs(); !slices.Equal(resumed, want) {
		t.Errorf("MaxItems + StartingToken gave %d names, want all %d in order", len(resumed), n)
	}
	r.eq(t, []any{[]any{"classic-load-balancers"}, []any{"classic-listeners"}, []any{"classic-registered-instances"}}, "limit_pages")
	// Without PageSize a page holds at most 400 descriptions (the model's maximum).
	r.eq(t, 400, "default_page")
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
