package elbserver

import (
	"encoding/xml"
	"strconv"
	"time"
)

// lbRecord is the stored form of one load balancer (JSON in bbolt, one key
// per balancer).
type lbRecord struct {
	Name           string                `json:"name"`
	DNSName        string                `json:"dns"`
	Scheme         string                `json:"scheme"`
	VPCID          string                `json:"vpc,omitempty"`
	Created        time.Time             `json:"created"`
	Listeners      []listenerRec         `json:"listeners"`
	Zones          []string              `json:"zones"`
	Subnets        []string              `json:"subnets,omitempty"`
	SecurityGroups []string              `json:"sgs,omitempty"`
	Instances      []string              `json:"instances,omitempty"`
	Health         map[string]healthRec  `json:"health,omitempty"`
	HealthCheck    healthCheckRec        `json:"hc"`
	Policies       []policyRec           `json:"policies,omitempty"`
	Backends       []backendRec          `json:"backends,omitempty"`
	Attrs          attrsRec              `json:"attrs"`
	Tags           []tagRec              `json:"tags,omitempty"`
	SourceGroup    sourceSecurityGroupRe `json:"ssg"`
}

type listenerRec struct {
	Protocol         string   `json:"p" xml:"Protocol"`
	LoadBalancerPort int      `json:"lp" xml:"LoadBalancerPort"`
	InstanceProtocol string   `json:"ip" xml:"InstanceProtocol"`
	InstancePort     int      `json:"iport" xml:"InstancePort"`
	SSLCertificateID string   `json:"cert,omitempty" xml:"SSLCertificateId,omitempty"`
	PolicyNames      []string `json:"policies,omitempty" xml:"-"`
}

// sameConfig compares listener settings, ignoring attached policies.
func (l listenerRec) sameConfig(o listenerRec) bool {
	return l.Protocol == o.Protocol && l.LoadBalancerPort == o.LoadBalancerPort &&
		l.InstanceProtocol == o.InstanceProtocol && l.InstancePort == o.InstancePort &&
		l.SSLCertificateID == o.SSLCertificateID
}

type healthRec struct {
	State       string `json:"s"`
	ReasonCode  string `json:"r"`
	Description string `json:"d"`
}

type healthCheckRec struct {
	Target             string `json:"t" xml:"Target"`
	Interval           int    `json:"i" xml:"Interval"`
	Timeout            int    `json:"to" xml:"Timeout"`
	UnhealthyThreshold int    `json:"u" xml:"UnhealthyThreshold"`
	HealthyThreshold   int    `json:"h" xml:"HealthyThreshold"`
}

type attrRec struct {
	Name  string `json:"n" xml:"AttributeName"`
	Value string `json:"v" xml:"AttributeValue"`
}

type policyRec struct {
	Name     string    `json:"n"`
	TypeName string    `json:"t"`
	Attrs    []attrRec `json:"a,omitempty"`
}

func (p policyRec) attr(name string) string {
	for _, a := range p.Attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

type backendRec struct {
	Port        int      `json:"port"`
	PolicyNames []string `json:"policies"`
}

type attrsRec struct {
	CrossZone       bool   `json:"cz"`
	AccessLog       bool   `json:"al"`
	S3Bucket        string `json:"alb,omitempty"`
	S3Prefix        string `json:"alp,omitempty"`
	EmitInterval    int    `json:"ali"`
	Draining        bool   `json:"cd"`
	DrainingTimeout int    `json:"cdt"`
	IdleTimeout     int    `json:"idle"`
	DesyncMode      string `json:"desync"`
}

type tagRec struct {
	Key   string `json:"k" xml:"Key"`
	Value string `json:"v" xml:"Value"`
}

type sourceSecurityGroupRe struct {
	OwnerAlias string `json:"o" xml:"OwnerAlias"`
	GroupName  string `json:"g" xml:"GroupName"`
}

const (
	policyTypeAppCookie = "AppCookieStickinessPolicyType"
	policyTypeLBCookie  = "LBCookieStickinessPolicyType"
)

func (lb *lbRecord) policy(name string) (policyRec, bool) {
	for _, p := range lb.Policies {
		if p.Name == name {
			return p, true
		}
	}
	return policyRec{}, false
}

func (lb *lbRecord) listener(port int) *listenerRec {
	for i := range lb.Listeners {
		if lb.Listeners[i].LoadBalancerPort == port {
			return &lb.Listeners[i]
		}
	}
	return nil
}

func (lb *lbRecord) hasInstance(id string) bool {
	for _, i := range lb.Instances {
		if i == id {
			return true
		}
	}
	return false
}

// XML views of the stored records, in the member order AWS uses.

type xmlListenerDescription struct {
	Listener    listenerRec `xml:"Listener"`
	PolicyNames []string    `xml:"PolicyNames>member"`
}

type xmlAppCookie struct {
	PolicyName string `xml:"PolicyName"`
	CookieName string `xml:"CookieName"`
}

type xmlLBCookie struct {
	PolicyName             string `xml:"PolicyName"`
	CookieExpirationPeriod string `xml:"CookieExpirationPeriod,omitempty"`
}

type xmlPolicies struct {
	AppCookie []xmlAppCookie `xml:"AppCookieStickinessPolicies>member"`
	LBCookie  []xmlLBCookie  `xml:"LBCookieStickinessPolicies>member"`
	Other     []string       `xml:"OtherPolicies>member"`
}

type xmlBackend struct {
	InstancePort int      `xml:"InstancePort"`
	PolicyNames  []string `xml:"PolicyNames>member"`
}

type xmlInstance struct {
	InstanceID string `xml:"InstanceId"`
}

type xmlLoadBalancer struct {
	XMLName                   xml.Name                 `xml:"member"`
	LoadBalancerName          string                   `xml:"LoadBalancerName"`
	DNSName                   string                   `xml:"DNSName"`
	CanonicalHostedZoneName   string                   `xml:"CanonicalHostedZoneName,omitempty"`
	CanonicalHostedZoneNameID string                   `xml:"CanonicalHostedZoneNameID"`
	ListenerDescriptions      []xmlListenerDescription `xml:"ListenerDescriptions>member"`
	Policies                  xmlPolicies              `xml:"Policies"`
	BackendServerDescriptions []xmlBackend             `xml:"BackendServerDescriptions>member"`
	AvailabilityZones         []string                 `xml:"AvailabilityZones>member"`
	Subnets                   []string                 `xml:"Subnets>member"`
	VPCID                     string                   `xml:"VPCId,omitempty"`
	Instances                 []xmlInstance            `xml:"Instances>member"`
	HealthCheck               healthCheckRec           `xml:"HealthCheck"`
	SourceSecurityGroup       sourceSecurityGroupRe    `xml:"SourceSecurityGroup"`
	SecurityGroups            []string                 `xml:"SecurityGroups>member"`
	CreatedTime               string                   `xml:"CreatedTime"`
	Scheme                    string                   `xml:"Scheme"`
}

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (lb *lbRecord) toXML(region string) xmlLoadBalancer {
	out := xmlLoadBalancer{
		LoadBalancerName:          lb.Name,
		DNSName:                   lb.DNSName,
		CanonicalHostedZoneNameID: hostedZoneID(region),
		AvailabilityZones:         lb.Zones,
		Subnets:                   lb.Subnets,
		VPCID:                     lb.VPCID,
		HealthCheck:               lb.HealthCheck,
		SourceSecurityGroup:       lb.SourceGroup,
		SecurityGroups:            lb.SecurityGroups,
		CreatedTime:               isoTime(lb.Created),
		Scheme:                    lb.Scheme,
	}
	// Internal balancers have no public hosted-zone alias name.
	if lb.Scheme != schemeInternal {
		out.CanonicalHostedZoneName = lb.DNSName
	}
	for _, l := range lb.Listeners {
		out.ListenerDescriptions = append(out.ListenerDescriptions, xmlListenerDescription{Listener: l, PolicyNames: l.PolicyNames})
	}
	for _, p := range lb.Policies {
		switch p.TypeName {
		case policyTypeAppCookie:
			out.Policies.AppCookie = append(out.Policies.AppCookie, xmlAppCookie{p.Name, p.attr("CookieName")})
		case policyTypeLBCookie:
			out.Policies.LBCookie = append(out.Policies.LBCookie, xmlLBCookie{p.Name, p.attr("CookieExpirationPeriod")})
		default:
			out.Policies.Other = append(out.Policies.Other, p.Name)
		}
	}
	for _, b := range lb.Backends {
		out.BackendServerDescriptions = append(out.BackendServerDescriptions, xmlBackend{b.Port, b.PolicyNames})
	}
	for _, id := range lb.Instances {
		out.Instances = append(out.Instances, xmlInstance{id})
	}
	return out
}

type xmlAttributes struct {
	CrossZone struct {
		Enabled bool `xml:"Enabled"`
	} `xml:"CrossZoneLoadBalancing"`
	AccessLog struct {
		Enabled        bool   `xml:"Enabled"`
		S3BucketName   string `xml:"S3BucketName,omitempty"`
		EmitInterval   string `xml:"EmitInterval,omitempty"`
		S3BucketPrefix string `xml:"S3BucketPrefix,omitempty"`
	} `xml:"AccessLog"`
	ConnectionDraining struct {
		Enabled bool `xml:"Enabled"`
		Timeout int  `xml:"Timeout"`
	} `xml:"ConnectionDraining"`
	ConnectionSettings struct {
		IdleTimeout int `xml:"IdleTimeout"`
	} `xml:"ConnectionSettings"`
	Additional []tagRec `xml:"AdditionalAttributes>member"`
}

func (a attrsRec) toXML() xmlAttributes {
	var x xmlAttributes
	x.CrossZone.Enabled = a.CrossZone
	x.AccessLog.Enabled = a.AccessLog
	x.AccessLog.S3BucketName = a.S3Bucket
	x.AccessLog.S3BucketPrefix = a.S3Prefix
	if a.AccessLog {
		x.AccessLog.EmitInterval = strconv.Itoa(a.EmitInterval)
	}
	x.ConnectionDraining.Enabled = a.Draining
	x.ConnectionDraining.Timeout = a.DrainingTimeout
	x.ConnectionSettings.IdleTimeout = a.IdleTimeout
	x.Additional = []tagRec{{Key: attrDesyncMode, Value: a.DesyncMode}}
	return x
}
