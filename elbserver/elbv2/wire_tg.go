package elbv2

import (
	"encoding/xml"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlMatcher struct {
	HTTPCode string `xml:"HttpCode,omitempty"`
	GRPCCode string `xml:"GrpcCode,omitempty"`
}

type xmlTG struct {
	XMLName                    xml.Name    `xml:"member"`
	TargetGroupArn             string      `xml:"TargetGroupArn"`
	TargetGroupName            string      `xml:"TargetGroupName"`
	Protocol                   string      `xml:"Protocol,omitempty"`
	Port                       int         `xml:"Port,omitempty"`
	VpcID                      string      `xml:"VpcId,omitempty"`
	HealthCheckProtocol        string      `xml:"HealthCheckProtocol,omitempty"`
	HealthCheckPort            string      `xml:"HealthCheckPort,omitempty"`
	HealthCheckEnabled         bool        `xml:"HealthCheckEnabled"`
	HealthCheckIntervalSeconds int         `xml:"HealthCheckIntervalSeconds"`
	HealthCheckTimeoutSeconds  int         `xml:"HealthCheckTimeoutSeconds"`
	HealthyThresholdCount      int         `xml:"HealthyThresholdCount"`
	UnhealthyThresholdCount    int         `xml:"UnhealthyThresholdCount"`
	HealthCheckPath            string      `xml:"HealthCheckPath,omitempty"`
	Matcher                    *xmlMatcher `xml:"Matcher,omitempty"`
	LoadBalancerArns           []string    `xml:"LoadBalancerArns>member"`
	TargetType                 string      `xml:"TargetType"`
	ProtocolVersion            string      `xml:"ProtocolVersion,omitempty"`
	IPAddressType              string      `xml:"IpAddressType,omitempty"`
	TargetControlPort          int         `xml:"TargetControlPort,omitempty"`
}

// tgXML is a target group's description. A change to what it renders must change
// tgViewVersion.
func tgXML(tg *tgRec) xmlTG {
	hc := tg.HealthCheck
	out := xmlTG{
		TargetGroupArn: tg.ARN, TargetGroupName: tg.Name, Protocol: tg.Protocol, Port: tg.Port, VpcID: tg.VPCID,
		HealthCheckProtocol: hc.Protocol, HealthCheckPort: hc.Port, HealthCheckEnabled: hc.Enabled,
		HealthCheckIntervalSeconds: hc.Interval, HealthCheckTimeoutSeconds: hc.Timeout,
		HealthyThresholdCount: hc.Healthy, UnhealthyThresholdCount: hc.Unhealthy, HealthCheckPath: hc.Path,
		TargetType: tg.TargetType, ProtocolVersion: tg.ProtocolVersion, IPAddressType: tg.IPAddressType,
		TargetControlPort: tg.TargetControlPort,
	}
	if hc.HTTPCode != "" || hc.GRPCCode != "" {
		out.Matcher = &xmlMatcher{hc.HTTPCode, hc.GRPCCode}
	}
	if tg.LoadBalancer != "" {
		out.LoadBalancerArns = []string{tg.LoadBalancer}
	}
	return out
}

type tgsResult struct {
	TargetGroups struct {
		Members []byte `xml:",innerxml"`
	} `xml:"TargetGroups"`
	NextMarker string `xml:"NextMarker,omitempty"`
}

type tgResult struct {
	TargetGroups []xmlTG `xml:"TargetGroups>member"`
}

// tgViews keeps each target group's <member> description beside its record. Write target
// groups through it.
var tgViews = store.NewView("elbv2-tg-view", store.V2TargetGroups, tgViewVersion,
	func(_ *store.Part, _ string, tg *tgRec) ([]byte, error) { return xml.Marshal(tgXML(tg)) })

// tgViewVersion names what tgXML renders (see lbViewVersion).
const tgViewVersion = "1"
