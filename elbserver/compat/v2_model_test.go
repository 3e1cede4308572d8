package compat

import (
	"encoding/json"
	"log/slog"
	"maps"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/catalog"
	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/elbv2"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// The botocore model is the spec: every operation it has is served, and none it lacks.
func TestV2ModelOperationsServed(t *testing.T) {
	ops := v2Model.read(t)
	env := &room.Env{Now: time.Now, Log: slog.New(slog.DiscardHandler)}
	served := elbv2.New(env, ec2.New(env), elbv2.Sources{}).Room().Query.Actions
	for op := range ops {
		if served[op] == nil {
			t.Errorf("%s is in the model but not served", op)
		}
	}
	for op := range served {
		if _, ok := ops[op]; !ok {
			t.Errorf("%s is served but not in the model", op)
		}
	}
}

// unreachableV2 are the model's error codes the endpoint never gives, and why.
var unreachableV2 = map[string]string{
	"HealthUnavailable":            "target health is always known: probed by the data plane, else simulated",
	"InsufficientCapacity":         "the endpoint never runs out of capacity for a reservation",
	"PriorRequestNotComplete":      "requests are applied one transaction at a time, so none finds another half done; a reservation still pending is CapacityReservationPending",
	"TrustStoreNotReady":           "trust stores are active as soon as created (their bundle is checked in the request)",
	"AvailabilityZoneNotSupported": "every zone of a region the endpoint places subnets in supports every balancer type",
}

// TestV2Errors provokes every error the endpoint can give through boto3 and checks each as
// botocore parses it: code, the model's HTTP status and exception class. Every error code of
// the model is either provoked or listed in unreachableV2 with its reason.
func TestV2Errors(t *testing.T) {
	t.Parallel()
	ops := v2Model.read(t)
	s := startV2(t, map[string]int{"application-load-balancers": 1, "target-groups": 3, "listeners-per-application-load-balancer": 1,
		"rules-per-application-load-balancer": 1, "targets-per-target-group": 2, "target-id-registrations-per-application-load-balancer": 1,
		"certificates-per-application-load-balancer": 1, "target-groups-per-application-load-balancer": 1}, 600)
	r := runPython(t, s.srv, "v2_boto3_errors.py", s.extraEnv()...)
	modelCodes := map[string]bool{}
	for _, op := range ops {
		for _, code := range op.Errors {
			modelCodes[code] = true
		}
	}
	errs := r.at("errors")
	for code := range modelCodes {
		_, unreachable := unreachableV2[code]
		e := errs.at(code)
		switch {
		case unreachable && e.v != nil:
			t.Errorf("%s is listed as unreachable but was provoked", code)
		case !unreachable && e.v == nil:
			t.Errorf("%s is in the model but neither provoked nor listed as unreachable", code)
		}
	}
	for _, code := range slices.Sorted(maps.Keys(errs.v.(map[string]any))) {
		e := errs.at(code)
		if e.at("succeeded").v == true {
			t.Errorf("%s: the call succeeded", code)
			continue
		}
		e.eq(t, code, "code")
		if e.at("message").str() == "" {
			t.Errorf("%s: empty message", code)
		}
		if m := r.at("model", code); m.v != nil {
			e.eq(t, m.at("status").v, "status")
			e.eq(t, m.at("shape").v, "exception")
		} else if code != "ValidationError" {
			t.Errorf("%s is not in the model", code)
		}
	}
}

// v2ExamplesScript prints the SSL policies of the examples that come with the official model.
const v2ExamplesScript = `
import json, os, botocore
p = os.path.join(os.path.dirname(botocore.__file__), "data", "elbv2", "2015-12-01", "examples-1.json")
ex = json.load(open(p))["examples"]
print(json.dumps([p for e in ex.get("DescribeSSLPolicies", []) for p in e["output"]["SslPolicies"]]))
`

// The predefined policies match AWS's own examples of them, cipher by cipher.
func TestV2SSLPoliciesMatchAWSExamples(t *testing.T) {
	py := testenv.RequirePython(t, "botocore")
	out, err := exec.Command(py, "-c", v2ExamplesScript).Output()
	if err != nil {
		t.Fatal(err)
	}
	type cipher struct {
		Name     string
		Priority int
	}
	var examples []struct {
		Name         string
		SslProtocols []string
		Ciphers      []cipher
	}
	if err := json.Unmarshal(out, &examples); err != nil || len(examples) == 0 {
		t.Fatalf("no examples of SSL policies (%v)", err)
	}
	for _, ex := range examples {
		p, ok := catalog.LookupSSLPolicyV2(ex.Name)
		if !ok {
			t.Errorf("%s is in AWS's examples but not in the catalog", ex.Name)
			continue
		}
		if !slices.Equal(slices.Sorted(slices.Values(p.Protocols)), slices.Sorted(slices.Values(ex.SslProtocols))) {
			t.Errorf("%s protocols %v, AWS's example %v", ex.Name, p.Protocols, ex.SslProtocols)
		}
		var want []string
		for _, c := range slices.SortedFunc(slices.Values(ex.Ciphers), func(a, b cipher) int { return a.Priority - b.Priority }) {
			want = append(want, c.Name)
		}
		if !slices.Equal(p.Ciphers, want) {
			t.Errorf("%s ciphers %v, AWS's example %v", ex.Name, p.Ciphers, want)
		}
	}
}
