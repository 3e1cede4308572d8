package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/spf13/cobra"
)

// The readable syntax of rule conditions and actions (--condition, --action), and the JSON
// escape hatch (--conditions-json, --actions-json) that takes what awscli's --conditions and
// --actions take. conditionString and actionString write the syntax back, for tables.
const syntaxHelp = `Conditions (--condition, repeatable; a rule matches when all do, a condition when any value does):
  path=/api/*,/v2/*          path-pattern        host=example.com,*.example.org   host-header
  method=GET,POST            http-request-method source-ip=10.0.0.0/8             source-ip
  header:User-Agent=*Mobile* http-header         query=version=v1,beta            query-string (KEY=VALUE or VALUE)
Actions (--action, repeatable, in order):
  forward=TARGET_GROUP                     forward to a target group (name or ARN)
  forward=blue:80,green:20[,stickiness=1h] weighted forward, optionally sticky to a group
  redirect=[301:|302:]URL                  redirect; parts of https://HOST:PORT/PATH?QUERY may be #{protocol},
                                           #{host}, #{port}, #{path}, #{query}; parts left out keep the request's
  fixed-response=STATUS[,CONTENT_TYPE[,BODY]]
Anything else (regular expressions, authentication, values with commas): --conditions-json and
--actions-json take JSON as awscli's --conditions and --actions do, or file://PATH.`

// conditionFields maps the readable names to ELBv2's fields.
var conditionFields = map[string]string{
	"path": "path-pattern", "host": "host-header", "method": "http-request-method",
	"source-ip": "source-ip", "header": "http-header", "query": "query-string",
}

// parseCondition reads one --condition.
func parseCondition(cmd *cobra.Command, s string) (types.RuleCondition, error) {
	name, value, ok := strings.Cut(s, "=")
	header := ""
	if n, h, isHeader := strings.Cut(name, ":"); isHeader && n == "header" {
		name, header = n, h
	}
	field := conditionFields[name]
	if !ok || field == "" || value == "" || (name == "header") != (header != "") {
		return types.RuleCondition{}, usagef(cmd, "--condition %q: want path=, host=, method=, source-ip=, header:NAME= or query= and values (see --help)", s)
	}
	values := strings.Split(value, ",")
	c := types.RuleCondition{Field: aws.String(field)}
	switch name {
	case "path":
		c.PathPatternConfig = &types.PathPatternConditionConfig{Values: values}
	case "host":
		c.HostHeaderConfig = &types.HostHeaderConditionConfig{Values: values}
	case "method":
		c.HttpRequestMethodConfig = &types.HttpRequestMethodConditionConfig{Values: values}
	case "source-ip":
		c.SourceIpConfig = &types.SourceIpConditionConfig{Values: values}
	case "header":
		c.HttpHeaderConfig = &types.HttpHeaderConditionConfig{HttpHeaderName: aws.String(header), Values: values}
	case "query":
		c.QueryStringConfig = &types.QueryStringConditionConfig{}
		for _, v := range values {
			pair := types.QueryStringKeyValuePair{Value: aws.String(v)}
			if k, val, hasKey := strings.Cut(v, "="); hasKey {
				pair = types.QueryStringKeyValuePair{Key: aws.String(k), Value: aws.String(val)}
			}
			c.QueryStringConfig.Values = append(c.QueryStringConfig.Values, pair)
		}
	}
	return c, nil
}

// conditionString writes a condition in the readable syntax (regular expressions as ~=).
func conditionString(c types.RuleCondition) string {
	field := aws.ToString(c.Field)
	name := field
	for n, f := range conditionFields {
		if f == field {
			name = n
		}
	}
	values, regex := c.Values, c.RegexValues
	switch {
	case c.PathPatternConfig != nil:
		values, regex = c.PathPatternConfig.Values, c.PathPatternConfig.RegexValues
	case c.HostHeaderConfig != nil:
		values, regex = c.HostHeaderConfig.Values, c.HostHeaderConfig.RegexValues
	case c.HttpRequestMethodConfig != nil:
		values = c.HttpRequestMethodConfig.Values
	case c.SourceIpConfig != nil:
		values = c.SourceIpConfig.Values
	case c.HttpHeaderConfig != nil:
		name += ":" + aws.ToString(c.HttpHeaderConfig.HttpHeaderName)
		values, regex = c.HttpHeaderConfig.Values, c.HttpHeaderConfig.RegexValues
	case c.QueryStringConfig != nil:
		values = nil
		for _, p := range c.QueryStringConfig.Values {
			values = append(values, strings.TrimPrefix(aws.ToString(p.Key)+"="+aws.ToString(p.Value), "="))
		}
	}
	if len(regex) > 0 {
		return name + "~=" + strings.Join(regex, ",")
	}
	return name + "=" + strings.Join(values, ",")
}

// parseAction reads one --action. Forward targets stay as given (names or ARNs) until
// resolveActions finds the ARNs of names.
func parseAction(cmd *cobra.Command, s string) (types.Action, error) {
	kind, value, _ := strings.Cut(s, "=")
	bad := func(want string) (types.Action, error) {
		return types.Action{}, usagef(cmd, "--action %q: %s (see --help)", s, want)
	}
	if value == "" {
		return bad("want forward=, redirect= or fixed-response= and its value")
	}
	switch kind {
	case "forward":
		return parseForward(value, bad)
	case "redirect":
		code := types.RedirectActionStatusCodeEnumHttp301
		if c, rest, ok := strings.Cut(value, ":"); ok && (c == "301" || c == "302") {
			code, value = types.RedirectActionStatusCodeEnum("HTTP_"+c), rest
		}
		rc, ok := parseRedirectURL(value)
		if !ok {
			return bad("want redirect=[301:|302:]PROTOCOL://HOST:PORT/PATH?QUERY, any part left out")
		}
		rc.StatusCode = code
		return types.Action{Type: types.ActionTypeEnumRedirect, RedirectConfig: rc}, nil
	case "fixed-response":
		parts := strings.SplitN(value, ",", 3)
		if !regexp.MustCompile(`^[2-5]\d\d$`).MatchString(parts[0]) {
			return bad("want fixed-response=STATUS[,CONTENT_TYPE[,BODY]], STATUS 2XX, 4XX or 5XX")
		}
		fr := &types.FixedResponseActionConfig{StatusCode: aws.String(parts[0])}
		if len(parts) > 1 {
			fr.ContentType = aws.String(parts[1])
		}
		if len(parts) > 2 {
			fr.MessageBody = aws.String(parts[2])
		}
		return types.Action{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: fr}, nil
	}
	return bad("want forward=, redirect= or fixed-response=")
}

func parseForward(value string, bad func(string) (types.Action, error)) (types.Action, error) {
	fc := &types.ForwardActionConfig{}
	weighted := false
	for _, item := range strings.Split(value, ",") {
		if d, ok := strings.CutPrefix(item, "stickiness="); ok {
			secs, err := wholeSeconds(d)
			if err != nil {
				return bad("stickiness wants a duration of whole seconds, such as 1h or 300s")
			}
			fc.TargetGroupStickinessConfig = &types.TargetGroupStickinessConfig{Enabled: aws.Bool(true), DurationSeconds: aws.Int32(int32(secs))}
			continue
		}
		tuple := types.TargetGroupTuple{TargetGroupArn: aws.String(item)}
		// A weight follows the last colon, unless the group is an ARN without one.
		if i := strings.LastIndex(item, ":"); i > 0 && (!isARN(item) || strings.Count(item, ":") > 5) {
			w, err := strconv.Atoi(item[i+1:])
			if err != nil || w < 0 || w > 999 {
				return bad("a weight is a number in 0-999: forward=GROUP:WEIGHT,...")
			}
			tuple = types.TargetGroupTuple{TargetGroupArn: aws.String(item[:i]), Weight: aws.Int32(int32(w))}
			weighted = true
		}
		if aws.ToString(tuple.TargetGroupArn) == "" {
			return bad("a target group name or ARN is missing")
		}
		fc.TargetGroups = append(fc.TargetGroups, tuple)
	}
	if len(fc.TargetGroups) == 0 {
		return bad("forward= needs a target group")
	}
	a := types.Action{Type: types.ActionTypeEnumForward}
	if len(fc.TargetGroups) == 1 && !weighted && fc.TargetGroupStickinessConfig == nil {
		a.TargetGroupArn = fc.TargetGroups[0].TargetGroupArn
	} else {
		a.ForwardConfig = fc
	}
	return a, nil
}

// parseRedirectURL reads [PROTOCOL://][HOST][:PORT][/PATH][?QUERY]; #{...} keywords stay.
func parseRedirectURL(s string) (*types.RedirectActionConfig, bool) {
	rc := &types.RedirectActionConfig{}
	set := func(p **string, v string) {
		if v != "" {
			*p = aws.String(v)
		}
	}
	if proto, rest, ok := strings.Cut(s, "://"); ok {
		if p := strings.ToUpper(proto); p == "HTTP" || p == "HTTPS" {
			proto = p
		}
		set(&rc.Protocol, proto)
		s = rest
	}
	if rest, q, ok := strings.Cut(s, "?"); ok {
		set(&rc.Query, q)
		s = rest
	}
	if i := strings.Index(s, "/"); i >= 0 {
		set(&rc.Path, s[i:])
		s = s[:i]
	}
	if i := strings.LastIndex(s, ":"); i >= 0 {
		if p := s[i+1:]; p == "#{port}" || (p != "" && strings.Trim(p, "0123456789") == "") {
			set(&rc.Port, p)
			s = s[:i]
		}
	}
	set(&rc.Host, s)
	return rc, *rc != (types.RedirectActionConfig{})
}

// actionString writes an action in the readable syntax, target groups by name.
func actionString(a types.Action) string {
	switch a.Type {
	case types.ActionTypeEnumForward:
		if a.ForwardConfig == nil || len(a.ForwardConfig.TargetGroups) == 0 {
			return "forward=" + nameOfARN(aws.ToString(a.TargetGroupArn))
		}
		var parts []string
		for _, t := range a.ForwardConfig.TargetGroups {
			p := nameOfARN(aws.ToString(t.TargetGroupArn))
			if t.Weight != nil && len(a.ForwardConfig.TargetGroups) > 1 {
				p += ":" + strconv.Itoa(int(*t.Weight))
			}
			parts = append(parts, p)
		}
		if st := a.ForwardConfig.TargetGroupStickinessConfig; st != nil && aws.ToBool(st.Enabled) {
			parts = append(parts, fmt.Sprintf("stickiness=%ds", aws.ToInt32(st.DurationSeconds)))
		}
		return "forward=" + strings.Join(parts, ",")
	case types.ActionTypeEnumRedirect:
		rc := a.RedirectConfig
		if rc == nil {
			return "redirect"
		}
		code := strings.TrimPrefix(string(rc.StatusCode), "HTTP_")
		u := aws.ToString(rc.Host)
		if p := aws.ToString(rc.Protocol); p != "" {
			u = strings.ToLower(p) + "://" + u
		}
		if p := aws.ToString(rc.Port); p != "" {
			u += ":" + p
		}
		u += aws.ToString(rc.Path)
		if q := aws.ToString(rc.Query); q != "" {
			u += "?" + q
		}
		return "redirect=" + code + ":" + u
	case types.ActionTypeEnumFixedResponse:
		fr := a.FixedResponseConfig
		if fr == nil {
			return "fixed-response"
		}
		return strings.TrimRight("fixed-response="+aws.ToString(fr.StatusCode)+","+aws.ToString(fr.ContentType)+","+aws.ToString(fr.MessageBody), ",")
	case types.ActionTypeEnumAuthenticateOidc:
		if a.AuthenticateOidcConfig != nil {
			return "authenticate-oidc=" + aws.ToString(a.AuthenticateOidcConfig.Issuer)
		}
	case types.ActionTypeEnumAuthenticateCognito:
		if a.AuthenticateCognitoConfig != nil {
			return "authenticate-cognito=" + aws.ToString(a.AuthenticateCognitoConfig.UserPoolArn)
		}
	}
	return string(a.Type)
}

// parseJSONFlag decodes a JSON flag value (or file://PATH) into v, refusing fields v does not
// have, so that a misspelt key is a usage error rather than silently ignored.
func parseJSONFlag(cmd *cobra.Command, flag, value string, v any) error {
	b := []byte(value)
	if path, ok := strings.CutPrefix(value, "file://"); ok {
		var err error
		if b, err = os.ReadFile(path); err != nil {
			return usagef(cmd, "--%s: %v", flag, err)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return usagef(cmd, "--%s is not the JSON it takes (as awscli's): %v", flag, err)
	}
	return nil
}

// ruleFlags are a command's conditions and actions, in either syntax.
type ruleFlags struct {
	conditions, actions         []string
	conditionsJSON, actionsJSON string
}

func (r *ruleFlags) add(c *cobra.Command, withConditions bool) {
	f := c.Flags()
	if withConditions {
		f.StringArrayVar(&r.conditions, "condition", nil, "condition, e.g. path=/api/* or host=example.com (repeatable)")
		f.StringVar(&r.conditionsJSON, "conditions-json", "", "conditions as awscli's --conditions JSON, or file://PATH")
	}
	f.StringArrayVar(&r.actions, "action", nil, "action, e.g. forward=TARGET_GROUP (repeatable, in order)")
	f.StringVar(&r.actionsJSON, "actions-json", "", "actions as awscli's --actions JSON, or file://PATH")
}

// parse reads the flags given; nil slices for a kind not given.
func (r *ruleFlags) parse(cmd *cobra.Command) (conditions []types.RuleCondition, actions []types.Action, err error) {
	if len(r.conditions) > 0 && r.conditionsJSON != "" {
		return nil, nil, usagef(cmd, "--condition and --conditions-json cannot be given together")
	}
	if len(r.actions) > 0 && r.actionsJSON != "" {
		return nil, nil, usagef(cmd, "--action and --actions-json cannot be given together")
	}
	for _, s := range r.conditions {
		c, err := parseCondition(cmd, s)
		if err != nil {
			return nil, nil, err
		}
		conditions = append(conditions, c)
	}
	if r.conditionsJSON != "" {
		if err := parseJSONFlag(cmd, "conditions-json", r.conditionsJSON, &conditions); err != nil {
			return nil, nil, err
		}
	}
	for _, s := range r.actions {
		a, err := parseAction(cmd, s)
		if err != nil {
			return nil, nil, err
		}
		actions = append(actions, a)
	}
	if r.actionsJSON != "" {
		if err := parseJSONFlag(cmd, "actions-json", r.actionsJSON, &actions); err != nil {
			return nil, nil, err
		}
	}
	for i := range actions {
		if len(actions) > 1 && actions[i].Order == nil {
			actions[i].Order = aws.Int32(int32(i + 1))
		}
	}
	return conditions, actions, nil
}
