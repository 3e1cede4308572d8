package classic

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// descriptionDigests pins what describeXML renders for richBalancer at each descriptionsVersion.
// Stored descriptions are rebuilt only when that version changes, so a change to the rendering
// must come with a new version, and its digest here.
var descriptionDigests = map[string]string{
	"1": "2794f1491b3aaa1ae29ba350ea4e21bbba4edf51e295d9fe07cc662f6d334a6f",
}

// richBalancer uses every part of a balancer's description.
var richBalancer = store.ClassicBalancer{
	Name: "web", DNSName: "web-1.us-east-1.elb.amazonaws.com", Scheme: schemeInternetFacing, VPCID: "vpc-11111111",
	Created: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
	Listeners: []store.ClassicListener{
		{Protocol: "HTTP", LoadBalancerPort: 80, InstanceProtocol: "HTTP", InstancePort: 8080, PolicyNames: []string{"app"}},
		{Protocol: "HTTPS", LoadBalancerPort: 443, InstanceProtocol: "HTTPS", InstancePort: 8443, SSLCertificateID: "arn:aws:iam::123456789012:server-certificate/web"},
	},
	Zones: []string{"us-east-1a", "us-east-1b"}, Subnets: []string{"subnet-0000000a", "subnet-0000000b"},
	SecurityGroups: []string{"sg-0000000a"}, Instances: []string{"i-0000000a", "i-0000000b"},
	Health:      map[string]store.ClassicHealth{"i-0000000b": {State: "OutOfService", ReasonCode: "Instance", Description: "down"}},
	HealthCheck: store.ClassicHealthCheck{Target: "HTTP:8080/health?x=<1>", Interval: 10, Timeout: 5, UnhealthyThreshold: 3, HealthyThreshold: 4},
	Policies: []store.ClassicPolicy{
		{Name: "app", TypeName: policyTypeAppCookie, Attrs: []store.Attribute{{Name: "CookieName", Value: `S<&>"'`}}},
		{Name: "lbc", TypeName: policyTypeLBCookie, Attrs: []store.Attribute{{Name: "CookieExpirationPeriod", Value: "600"}}},
		{Name: "proxy", TypeName: policyTypeProxyProtocol, Attrs: []store.Attribute{{Name: "ProxyProtocol", Value: "true"}}},
	},
	Backends:    []store.ClassicBackend{{Port: 8443, PolicyNames: []string{"proxy"}}},
	Attrs:       store.ClassicAttributes{CrossZone: true, DrainingTimeout: 300, IdleTimeout: 60, EmitInterval: 60, DesyncMode: "defensive"},
	Tags:        []store.Tag{{Key: "env", Value: "prod"}},
	SourceGroup: store.ClassicSourceGroup{OwnerAlias: "000000000000", GroupName: "web-tier"},
}

func TestDescriptionRenderingPinnedToItsVersion(t *testing.T) {
	raw, err := xml.Marshal(describeXML(&richBalancer, "us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	got := hex.EncodeToString(sum[:])
	want, pinned := descriptionDigests[descriptionsVersion]
	if !pinned || got != want {
		t.Fatalf("describeXML renders differently from what descriptionsVersion %q pins: give descriptionsVersion a new "+
			"value (stored descriptions are then rebuilt on open) and pin that value to %q in descriptionDigests.\nrendering: %s",
			descriptionsVersion, got, raw)
	}
}
