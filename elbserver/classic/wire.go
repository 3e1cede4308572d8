package classic

import (
	"encoding/xml"
	"strconv"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// XML forms of the stored records, in the member order AWS uses. Each mirrors its record's
// fields, so a conversion is a type conversion.

type xmlListener struct {
	Protocol         string   `xml:"Protocol"`
	LoadBalancerPort int      `xml:"LoadBalancerPort"`
	InstanceProtocol string   `xml:"InstanceProtocol"`
	InstancePort     int      `xml:"InstancePort"`
	SSLCertificateID string   `xml:"SSLCertificateId,omitempty"`
	PolicyNames      []string `xml:"-"`
}

type xmlHealthCheck struct {
	Target             string `xml:"Target"`
	Interval           int    `xml:"Interval"`
	Timeout            int    `xml:"Timeout"`
	UnhealthyThreshold int    `xml:"UnhealthyThreshold"`
	HealthyThreshold   int    `xml:"HealthyThreshold"`
}

type xmlAttribute struct {
	Name  string `xml:"AttributeName"`
	Value string `xml:"AttributeValue"`
}

type xmlTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type xmlSourceGroup struct {
	OwnerAlias string `xml:"OwnerAlias"`
	GroupName  string `xml:"GroupName"`
}

type xmlListenerDescription struct {
	Listener    xmlListener `xml:"Listener"`
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
	HealthCheck               xmlHealthCheck           `xml:"HealthCheck"`
	SourceSecurityGroup       xmlSourceGroup           `xml:"SourceSecurityGroup"`
	SecurityGroups            []string                 `xml:"SecurityGroups>member"`
	CreatedTime               string                   `xml:"CreatedTime"`
	Scheme                    string                   `xml:"Scheme"`
}

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// describeXML is a balancer's DescribeLoadBalancers member. A change to what it renders must
// change descriptionsVersion (see view.go).
func describeXML(lb *store.ClassicBalancer, region string) xmlLoadBalancer {
	out := xmlLoadBalancer{
		LoadBalancerName:          lb.Name,
		DNSName:                   lb.DNSName,
		CanonicalHostedZoneNameID: hostedZoneID(region),
		AvailabilityZones:         lb.Zones,
		Subnets:                   lb.Subnets,
		VPCID:                     lb.VPCID,
		HealthCheck:               xmlHealthCheck(lb.HealthCheck),
		SourceSecurityGroup:       xmlSourceGroup(lb.SourceGroup),
		SecurityGroups:            lb.SecurityGroups,
		CreatedTime:               isoTime(lb.Created),
		Scheme:                    lb.Scheme,
	}
	// Internal balancers have no public hosted-zone alias name.
	if lb.Scheme != schemeInternal {
		out.CanonicalHostedZoneName = lb.DNSName
	}
	for _, l := range lb.Listeners {
		out.ListenerDescriptions = append(out.ListenerDescriptions, xmlListenerDescription{Listener: xmlListener(l), PolicyNames: l.PolicyNames})
	}
	for _, p := range lb.Policies {
		switch p.TypeName {
		case policyTypeAppCookie:
			out.Policies.AppCookie = append(out.Policies.AppCookie, xmlAppCookie{p.Name, policyAttr(p, "CookieName")})
		case policyTypeLBCookie:
			out.Policies.LBCookie = append(out.Policies.LBCookie, xmlLBCookie{p.Name, policyAttr(p, "CookieExpirationPeriod")})
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
	Additional []xmlTag `xml:"AdditionalAttributes>member"`
}

func attributesXML(a store.ClassicAttributes) xmlAttributes {
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
	x.Additional = []xmlTag{{Key: attrDesyncMode, Value: a.DesyncMode}}
	return x
}

func tagsXML(tags []store.Tag) []xmlTag {
	out := make([]xmlTag, len(tags))
	for i, t := range tags {
		out[i] = xmlTag(t)
	}
	return out
}

func attributeXML(attrs []store.Attribute) []xmlAttribute {
	out := make([]xmlAttribute, len(attrs))
	for i, a := range attrs {
		out[i] = xmlAttribute(a)
	}
	return out
}
