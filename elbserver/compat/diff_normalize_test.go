package compat

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// outcome is one step's normalised result on one side: flattened fields, or
// the error code and HTTP status.
type outcome map[string]string

var (
	// A Classic ELB DNS name is NAME-ID.REGION.elb.amazonaws.com; the ID is
	// random on AWS, a hash here and absent on moto.
	dnsPartRE = regexp.MustCompile(`^((?:internal-)?[A-Za-z0-9-]+?)(?:-\d+)?\.([a-z0-9-]+)\.elb\.amazonaws\.com$`)
)

// normalise turns an SDK output (or error) into flat "path = value" fields:
// request metadata dropped, timestamps and the random part of DNS names
// replaced, resource ids mapped onto placeholders by ids, empty values
// dropped (the SDK cannot tell absent from empty), and lists sorted so that
// only content is compared, since AWS documents no order for them. api holds what differs
// between the APIs.
func normalise(out any, err error, ids *strings.Replacer, api apiRules) outcome {
	o := outcome{}
	if err != nil {
		var ae smithy.APIError
		if !errors.As(err, &ae) {
			o["error"] = "transport: " + err.Error()
			return o
		}
		o["error.code"] = ae.ErrorCode()
		var re *awshttp.ResponseError
		if errors.As(err, &re) && re.HTTPStatusCode() != http.StatusBadRequest {
			o["error.status"] = fmt.Sprint(re.HTTPStatusCode())
		}
		return o
	}
	b, jerr := json.Marshal(out)
	if jerr != nil {
		o["error"] = "marshal: " + jerr.Error()
		return o
	}
	var v any
	_ = json.Unmarshal(b, &v)
	if m, ok := v.(map[string]any); ok {
		delete(m, "ResultMetadata")
	}
	flatten(o, "", canonical(v, "", ids, api))
	return o
}

// listKeys are the fields that identify the members of a response list, so
// that lists are compared member by member whatever their order (AWS
// documents no order) and a missing member shows as one difference.
var listKeys = []string{"LoadBalancerName", "PolicyName", "PolicyTypeName", "InstanceId", "Key", "AttributeName", "Name", "InstancePort"}

// apiRules are what normalising differs in between the APIs.
type apiRules struct {
	keyList     func([]any) map[string]any // keys a list's members, or nil
	times       []string                   // fields holding a time
	dnsNames    []string                   // fields holding a DNS name with a random part
	dropEmpty   bool                       // drop empty strings, which the SDK cannot tell from absent ones
	jsonMembers bool                       // list members other than strings as JSON, not fmt's form
}

// classicRules normalise Classic ELB responses.
var classicRules = apiRules{keyList: keyList, times: []string{"CreatedTime"},
	dnsNames: []string{"DNSName", "CanonicalHostedZoneName"}, jsonMembers: true}

// canonical rewrites values recursively; lists of objects become maps keyed
// by their identifying field, lists of scalars one sorted, joined value.
func canonical(v any, key string, ids *strings.Replacer, api apiRules) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = canonical(e, k, ids, api)
		}
		return x
	case []any:
		if len(x) == 0 {
			return nil
		}
		for i := range x {
			x[i] = canonical(x[i], key, ids, api)
		}
		if keyed := api.keyList(x); keyed != nil {
			return keyed
		}
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmt.Sprint(e)
			if _, ok := e.(string); !ok && api.jsonMembers {
				parts[i] = jsonString(e)
			}
		}
		sort.Strings(parts)
		return strings.Join(parts, ",")
	case string:
		switch {
		case x == "" && api.dropEmpty:
			return nil
		case slices.Contains(api.times, key):
			return "<time>"
		case slices.Contains(api.dnsNames, key):
			return dnsPartRE.ReplaceAllString(x, "$1-<id>.$2.elb.amazonaws.com")
		}
		return ids.Replace(x)
	}
	return v
}

// keyList maps list members onto "[id]" keys, or returns nil when the
// members are not objects sharing an identifying field.
func keyList(x []any) map[string]any {
	if len(x) == 0 {
		return nil
	}
	id := func(m map[string]any, f string) (string, bool) {
		if f == "Listener" {
			l, _ := m["Listener"].(map[string]any)
			p, ok := l["LoadBalancerPort"]
			return fmt.Sprint(p), ok
		}
		v, ok := m[f]
		return fmt.Sprint(v), ok
	}
	for _, f := range append([]string{"Listener"}, listKeys...) {
		out := map[string]any{}
		for _, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				return nil
			}
			k, ok := id(m, f)
			if !ok {
				break
			}
			out["["+k+"]"] = m
		}
		if len(out) == len(x) {
			return out
		}
	}
	return nil
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func flatten(o outcome, prefix string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := k
			switch {
			case strings.HasPrefix(k, "["):
				p = prefix + k
			case prefix != "":
				p = prefix + "." + k
			}
			flatten(o, p, e)
		}
	case nil:
	default:
		o[prefix] = fmt.Sprint(x)
	}
}

// difference is one field on which the two sides disagree.
type difference struct {
	Step   int
	Action string
	Field  string // with list member keys, e.g. LoadBalancerDescriptions[web].Scheme
	Moto   string // "" when moto has no such field
	Ours   string
}

func (d difference) String() string {
	return fmt.Sprintf("step %d %s %s: moto %q, ours %q", d.Step, d.Action, d.Field, d.Moto, d.Ours)
}

func compareOutcomes(step int, action string, moto, ours outcome) []difference {
	var out []difference
	for k, mv := range moto {
		if ov, ok := ours[k]; !ok || ov != mv {
			out = append(out, difference{step, action, k, mv, ov})
		}
	}
	for k, ov := range ours {
		if _, ok := moto[k]; !ok {
			out = append(out, difference{step, action, k, "", ov})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}
