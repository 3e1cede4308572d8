package elbv2

import (
	"encoding/xml"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// XML forms of the balancer records, in the model's member order.

type xmlLBAddress struct {
	IPAddress    string `xml:"IpAddress,omitempty"`
	AllocationID string `xml:"AllocationId,omitempty"`
	PrivateIPv4  string `xml:"PrivateIPv4Address,omitempty"`
	IPv6         string `xml:"IPv6Address,omitempty"`
}

type xmlAZ struct {
	ZoneName              string         `xml:"ZoneName"`
	SubnetID              string         `xml:"SubnetId"`
	LoadBalancerAddresses []xmlLBAddress `xml:"LoadBalancerAddresses>member"`
	SourceNatIPv6Prefixes []string       `xml:"SourceNatIpv6Prefixes>member,omitempty"`
}

type xmlState struct {
	Code   string `xml:"Code"`
	Reason string `xml:"Reason,omitempty"`
}

type xmlIPAMPools struct {
	IPv4PoolID string `xml:"Ipv4IpamPoolId,omitempty"`
}

type xmlLB struct {
	XMLName               xml.Name      `xml:"member"`
	LoadBalancerArn       string        `xml:"LoadBalancerArn"`
	DNSName               string        `xml:"DNSName,omitempty"`
	CanonicalHostedZoneID string        `xml:"CanonicalHostedZoneId,omitempty"`
	CreatedTime           string        `xml:"CreatedTime"`
	LoadBalancerName      string        `xml:"LoadBalancerName"`
	Scheme                string        `xml:"Scheme,omitempty"`
	VpcID                 string        `xml:"VpcId"`
	State                 xmlState      `xml:"State"`
	Type                  string        `xml:"Type"`
	AvailabilityZones     []xmlAZ       `xml:"AvailabilityZones>member"`
	SecurityGroups        []string      `xml:"SecurityGroups>member,omitempty"`
	IPAddressType         string        `xml:"IpAddressType"`
	CoIPPool              string        `xml:"CustomerOwnedIpv4Pool,omitempty"`
	EnforcePrivateLink    string        `xml:"EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic,omitempty"`
	PrefixSourceNat       string        `xml:"EnablePrefixForIpv6SourceNat,omitempty"`
	IPAMPools             *xmlIPAMPools `xml:"IpamPools,omitempty"`
}

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// Balancer states. A balancer is active as soon as it is created: the create response alone
// reports provisioning, as AWS's does, and every describe after it active.
const (
	stateProvisioning = "provisioning"
	stateActive       = "active"
)

// lbXML is a balancer's description. A change to what it renders must change lbViewVersion.
func lbXML(lb *lbRec, region, state string) xmlLB {
	out := xmlLB{
		LoadBalancerArn:       lb.ARN,
		DNSName:               lb.DNSName,
		CanonicalHostedZoneID: hostedZoneID(region, lb.Type),
		CreatedTime:           isoTime(lb.Created),
		LoadBalancerName:      lb.Name,
		Scheme:                lb.Scheme,
		VpcID:                 lb.VPCID,
		State:                 xmlState{Code: state},
		Type:                  lb.Type,
		AvailabilityZones:     zonesXML(lb),
		SecurityGroups:        lb.SecurityGroups,
		IPAddressType:         lb.IPAddressType,
		CoIPPool:              lb.CoIPPool,
		EnforcePrivateLink:    lb.EnforcePrivateLink,
		PrefixSourceNat:       lb.PrefixSourceNat,
	}
	if lb.IPAMPool != "" {
		out.IPAMPools = &xmlIPAMPools{lb.IPAMPool}
	}
	return out
}

func zonesXML(lb *lbRec) []xmlAZ {
	out := make([]xmlAZ, len(lb.Zones))
	for i, z := range lb.Zones {
		out[i] = xmlAZ{ZoneName: z.Zone, SubnetID: z.Subnet}
		if z.AllocationID != "" || z.PrivateIPv4 != "" || z.IPv6 != "" {
			out[i].LoadBalancerAddresses = []xmlLBAddress{{AllocationID: z.AllocationID, PrivateIPv4: z.PrivateIPv4, IPv6: z.IPv6}}
		}
		if z.SourceNatIPv6 != "" {
			out[i].SourceNatIPv6Prefixes = []string{z.SourceNatIPv6}
		}
	}
	return out
}

// lbsResult holds stored <member> descriptions verbatim.
type lbsResult struct {
	LoadBalancers struct {
		Members []byte `xml:",innerxml"`
	} `xml:"LoadBalancers"`
	NextMarker string `xml:"NextMarker,omitempty"`
}

type createLBResult struct {
	LoadBalancers []xmlLB `xml:"LoadBalancers>member"`
}

// lbViews keeps each balancer's <member> description beside its record: describes copy
// stored bytes. Write balancers through it, never through the bucket alone.
var lbViews = store.NewView("elbv2-lb-view", store.V2LoadBalancers, lbViewVersion,
	func(p *store.Part, _ string, lb *lbRec) ([]byte, error) {
		return xml.Marshal(lbXML(lb, p.Region, stateActive))
	})

// lbViewVersion names what lbXML renders; stored descriptions of another version are rebuilt
// when the endpoint opens the store. A digest test pins the rendering to it.
const lbViewVersion = "1"
