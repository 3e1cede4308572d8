package cli

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// The stable output forms (snake_case JSON) of ELBv2 objects. The SDK's types carry no JSON
// names of their own, and some hold what must never be printed (an OIDC client secret).

type targetGroupJSON struct {
	ARN             string           `json:"arn"`
	Name            string           `json:"name"`
	Protocol        string           `json:"protocol,omitempty"`
	Port            int              `json:"port,omitempty"`
	TargetType      string           `json:"target_type"`
	VPCID           string           `json:"vpc_id,omitempty"`
	ProtocolVersion string           `json:"protocol_version,omitempty"`
	IPAddressType   string           `json:"ip_address_type,omitempty"`
	LoadBalancers   []string         `json:"load_balancers"`
	HealthCheck     *healthCheckJSON `json:"health_check,omitempty"`
}

type healthCheckJSON struct {
	Enabled            bool   `json:"enabled"`
	Protocol           string `json:"protocol,omitempty"`
	Port               string `json:"port,omitempty"`
	Path               string `json:"path,omitempty"`
	IntervalSeconds    int    `json:"interval_seconds,omitempty"`
	TimeoutSeconds     int    `json:"timeout_seconds,omitempty"`
	HealthyThreshold   int    `json:"healthy_threshold,omitempty"`
	UnhealthyThreshold int    `json:"unhealthy_threshold,omitempty"`
	Matcher            string `json:"matcher,omitempty"`
}

func targetGroupView(tg types.TargetGroup) targetGroupJSON {
	v := targetGroupJSON{ARN: aws.ToString(tg.TargetGroupArn), Name: aws.ToString(tg.TargetGroupName),
		Protocol: string(tg.Protocol), Port: int(aws.ToInt32(tg.Port)), TargetType: string(tg.TargetType),
		VPCID: aws.ToString(tg.VpcId), ProtocolVersion: aws.ToString(tg.ProtocolVersion),
		IPAddressType: string(tg.IpAddressType), LoadBalancers: nonNil(tg.LoadBalancerArns)}
	if tg.HealthCheckEnabled != nil {
		hc := &healthCheckJSON{Enabled: aws.ToBool(tg.HealthCheckEnabled), Protocol: string(tg.HealthCheckProtocol),
			Port: aws.ToString(tg.HealthCheckPort), Path: aws.ToString(tg.HealthCheckPath),
			IntervalSeconds: int(aws.ToInt32(tg.HealthCheckIntervalSeconds)), TimeoutSeconds: int(aws.ToInt32(tg.HealthCheckTimeoutSeconds)),
			HealthyThreshold: int(aws.ToInt32(tg.HealthyThresholdCount)), UnhealthyThreshold: int(aws.ToInt32(tg.UnhealthyThresholdCount))}
		if m := tg.Matcher; m != nil {
			hc.Matcher = aws.ToString(m.HttpCode) + aws.ToString(m.GrpcCode)
		}
		v.HealthCheck = hc
	}
	return v
}

// healthCheckText is a target group's health check on one line, for tables.
func healthCheckText(hc *healthCheckJSON) string {
	if hc == nil || !hc.Enabled {
		return "off"
	}
	s := hc.Protocol + ":" + hc.Port + hc.Path
	s += " every " + strconv.Itoa(hc.IntervalSeconds) + "s, timeout " + strconv.Itoa(hc.TimeoutSeconds) + "s"
	s += ", healthy after " + strconv.Itoa(hc.HealthyThreshold) + ", unhealthy after " + strconv.Itoa(hc.UnhealthyThreshold)
	if hc.Matcher != "" {
		s += ", codes " + hc.Matcher
	}
	return s
}

type targetJSON struct {
	ID          string `json:"id"`
	Port        int    `json:"port,omitempty"`
	Zone        string `json:"zone,omitempty"`
	State       string `json:"state"`
	Reason      string `json:"reason,omitempty"`
	Description string `json:"description,omitempty"`
}

func targetView(h types.TargetHealthDescription) targetJSON {
	var v targetJSON
	if t := h.Target; t != nil {
		v.ID, v.Port, v.Zone = aws.ToString(t.Id), int(aws.ToInt32(t.Port)), aws.ToString(t.AvailabilityZone)
	}
	if th := h.TargetHealth; th != nil {
		v.State, v.Reason, v.Description = string(th.State), string(th.Reason), aws.ToString(th.Description)
	}
	return v
}

func (t targetJSON) key() string { return t.ID + ":" + strconv.Itoa(t.Port) }

type listenerJSON struct {
	ARN            string       `json:"arn"`
	LoadBalancer   string       `json:"load_balancer_arn"`
	Port           int          `json:"port"`
	Protocol       string       `json:"protocol"`
	Certificate    string       `json:"certificate,omitempty"` // the default one
	SSLPolicy      string       `json:"ssl_policy,omitempty"`
	ALPNPolicy     string       `json:"alpn_policy,omitempty"`
	MutualTLS      *mtlsJSON    `json:"mutual_tls,omitempty"`
	DefaultActions []actionJSON `json:"default_actions"`
}

type mtlsJSON struct {
	Mode       string `json:"mode"`
	TrustStore string `json:"trust_store_arn,omitempty"`
}

func listenerView(l types.Listener) listenerJSON {
	v := listenerJSON{ARN: aws.ToString(l.ListenerArn), LoadBalancer: aws.ToString(l.LoadBalancerArn),
		Port: int(aws.ToInt32(l.Port)), Protocol: string(l.Protocol), SSLPolicy: aws.ToString(l.SslPolicy),
		ALPNPolicy: strings.Join(l.AlpnPolicy, ","), DefaultActions: actionsView(l.DefaultActions)}
	if len(l.Certificates) > 0 {
		v.Certificate = aws.ToString(l.Certificates[0].CertificateArn)
	}
	if m := l.MutualAuthentication; m != nil && aws.ToString(m.Mode) != "" && aws.ToString(m.Mode) != "off" {
		v.MutualTLS = &mtlsJSON{Mode: aws.ToString(m.Mode), TrustStore: aws.ToString(m.TrustStoreArn)}
	}
	return v
}

// actionJSON is an action: its type, the readable form ("forward=web"), and the target
// groups it forwards to by ARN. Authentication settings (and their secrets) are left out.
type actionJSON struct {
	Type         string   `json:"type"`
	Text         string   `json:"text"`
	TargetGroups []string `json:"target_groups,omitempty"`
}

func actionsView(as []types.Action) []actionJSON {
	out := []actionJSON{}
	for _, a := range as {
		v := actionJSON{Type: string(a.Type), Text: actionString(a)}
		if arn := aws.ToString(a.TargetGroupArn); arn != "" {
			v.TargetGroups = []string{arn}
		} else if a.ForwardConfig != nil {
			for _, t := range a.ForwardConfig.TargetGroups {
				v.TargetGroups = append(v.TargetGroups, aws.ToString(t.TargetGroupArn))
			}
		}
		out = append(out, v)
	}
	return out
}

func actionsText(as []actionJSON) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.Text
	}
	return strings.Join(parts, " then ")
}

type ruleJSON struct {
	ARN        string       `json:"arn"`
	Priority   string       `json:"priority"` // "default" for the listener's default rule
	Conditions []string     `json:"conditions"`
	Actions    []actionJSON `json:"actions"`
}

func ruleView(r types.Rule) ruleJSON {
	v := ruleJSON{ARN: aws.ToString(r.RuleArn), Priority: aws.ToString(r.Priority), Conditions: []string{}, Actions: actionsView(r.Actions)}
	for _, c := range r.Conditions {
		v.Conditions = append(v.Conditions, conditionString(c))
	}
	return v
}

type sslPolicyJSON struct {
	Name      string   `json:"name"`
	Protocols []string `json:"protocols"`
	Ciphers   []string `json:"ciphers"` // in order of preference
	Types     []string `json:"load_balancer_types,omitempty"`
}

func sslPolicyView(p types.SslPolicy) sslPolicyJSON {
	v := sslPolicyJSON{Name: aws.ToString(p.Name), Protocols: nonNil(p.SslProtocols), Ciphers: []string{}, Types: p.SupportedLoadBalancerTypes}
	for _, c := range p.Ciphers {
		v.Ciphers = append(v.Ciphers, aws.ToString(c.Name))
	}
	return v
}

type trustStoreJSON struct {
	ARN            string `json:"arn"`
	Name           string `json:"name"`
	Status         string `json:"status"`
	CACertificates int    `json:"ca_certificates"`
	RevokedEntries int64  `json:"revoked_entries"`
}

func trustStoreView(t types.TrustStore) trustStoreJSON {
	return trustStoreJSON{ARN: aws.ToString(t.TrustStoreArn), Name: aws.ToString(t.Name), Status: string(t.Status),
		CACertificates: int(aws.ToInt32(t.NumberOfCaCertificates)), RevokedEntries: aws.ToInt64(t.TotalRevokedEntries)}
}

type revocationJSON struct {
	ID      int64  `json:"id"`
	Type    string `json:"type"`
	Entries int64  `json:"entries"`
}

type certificateJSON struct {
	ARN     string `json:"arn"`
	Default bool   `json:"default"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
