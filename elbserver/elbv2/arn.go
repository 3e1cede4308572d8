package elbv2

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"
)

// Balancer types, and the short forms ARNs use for them.
const (
	typeALB  = "application"
	typeNLB  = "network"
	typeGWLB = "gateway"
)

var arnTypes = map[string]string{typeALB: "app", typeNLB: "net", typeGWLB: "gwy"}

const arnPrefix = "arn:aws:elasticloadbalancing:"

// newID returns a new 16-hex-digit resource id, as AWS's are.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Resource keys in the store (see store/elbv2.go): NAME/ID for balancers, target groups and
// trust stores; children under their parent's key.

func lbARN(region, account, lbType, name, id string) string {
	return fmt.Sprintf("%s%s:%s:loadbalancer/%s/%s/%s", arnPrefix, region, account, arnTypes[lbType], name, id)
}

func tgARN(region, account, name, id string) string {
	return fmt.Sprintf("%s%s:%s:targetgroup/%s/%s", arnPrefix, region, account, name, id)
}

func tsARN(region, account, name, id string) string {
	return fmt.Sprintf("%s%s:%s:truststore/%s/%s", arnPrefix, region, account, name, id)
}

// listenerARN is the ARN of listener id of the balancer whose ARN is lb.
func listenerARN(lb, id string) string {
	return strings.Replace(lb, ":loadbalancer/", ":listener/", 1) + "/" + id
}

// ruleARN is the ARN of rule id of the listener whose ARN is listener.
func ruleARN(listener, id string) string {
	return strings.Replace(listener, ":listener/", ":listener-rule/", 1) + "/" + id
}

var (
	lbARNRE       = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):(\d{12}):loadbalancer/(app|net|gwy)/([^/]+/[0-9a-f]+)$`)
	listenerARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):(\d{12}):listener/(app|net|gwy)/([^/]+/[0-9a-f]+/[0-9a-f]+)$`)
	ruleARNRE     = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):(\d{12}):listener-rule/(app|net|gwy)/([^/]+/[0-9a-f]+/[0-9a-f]+/[0-9a-f]+)$`)
	tgARNRE       = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):(\d{12}):targetgroup/([^/]+/[0-9a-f]+)$`)
	tsARNRE       = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):(\d{12}):truststore/([^/]+/[0-9a-f]+)$`)
)

// Resource kinds, as messages name them.
const (
	kindLB       = "load balancer"
	kindListener = "listener"
	kindRule     = "rule"
	kindTG       = "target group"
	kindTS       = "trust store"
)

// arnRef is a parsed ARN: its partition, kind and the key of its resource.
type arnRef struct {
	region, account, kind, key string
}

// parseARN reads an ELBv2 ARN of any kind; ok is false for anything else.
func parseARN(arn string) (arnRef, bool) {
	for _, k := range []struct {
		re       *regexp.Regexp
		kind     string
		keyGroup int
	}{{lbARNRE, kindLB, 4}, {listenerARNRE, kindListener, 4}, {ruleARNRE, kindRule, 4}, {tgARNRE, kindTG, 3}, {tsARNRE, kindTS, 3}} {
		if m := k.re.FindStringSubmatch(arn); m != nil {
			return arnRef{region: m[1], account: m[2], kind: k.kind, key: m[k.keyGroup]}, true
		}
	}
	return arnRef{}, false
}

// keyOf returns the store key of an ARN of the given kind, or the ValidationError for a
// malformed one. An ARN of another account or region has no key here: ok is false, and the
// caller answers as for a resource that does not exist.
func keyOf(arn, kind, account, region string) (key string, ok bool, err error) {
	ref, parsed := parseARN(arn)
	if !parsed || ref.kind != kind {
		return "", false, errMalformedARN(kind, arn)
	}
	if ref.account != account || ref.region != region {
		return "", false, nil
	}
	return ref.key, true, nil
}

// lbARNOfListener is the ARN of the balancer of the listener whose ARN is listener.
func lbARNOfListener(listener string) string {
	return strings.Replace(listener[:strings.LastIndexByte(listener, '/')], ":listener/", ":loadbalancer/", 1)
}

// listenerARNOfRule is the ARN of the listener of the rule whose ARN is rule.
func listenerARNOfRule(rule string) string {
	return strings.Replace(rule[:strings.LastIndexByte(rule, '/')], ":listener-rule/", ":listener/", 1)
}

// parentKey is the key of a listener's balancer or a rule's listener.
func parentKey(key string) string {
	return key[:strings.LastIndexByte(key, '/')]
}

// nameOfKey is the name part of a NAME/ID key.
func nameOfKey(key string) string {
	name, _, _ := strings.Cut(key, "/")
	return name
}

// stableNumber derives a number from parts, for the parts of DNS names AWS chooses at random.
func stableNumber(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// dnsName is a balancer's DNS name: NAME-NUMBER.REGION.elb.amazonaws.com for Application
// Load Balancers, NAME-HEX.elb.REGION.amazonaws.com for Network Load Balancers, "internal-"
// before either for an internal one. Gateway Load Balancers have none.
func dnsName(region, lbType, scheme, name, id string) string {
	prefix := ""
	if scheme == schemeInternal {
		prefix = "internal-"
	}
	n := stableNumber(region, name, id)
	switch lbType {
	case typeALB:
		return fmt.Sprintf("%s%s-%d.%s.elb.amazonaws.com", prefix, name, n%1_000_000_000+1_000_000_000, region)
	case typeNLB:
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], n)
		return fmt.Sprintf("%s%s-%s.elb.%s.amazonaws.com", prefix, name, hex.EncodeToString(b[:]), region)
	}
	return ""
}

// hostedZones are the Route 53 hosted zones of Application (and Classic) and of Network
// Load Balancers, per region.
var hostedZones = map[string][2]string{
	"us-east-1":      {"Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"},
	"us-east-2":      {"Z3AADJGX6KTTL2", "ZLMOA37VPKANP"},
	"us-west-1":      {"Z368ELLRRE2KJ0", "Z24FKFUX50B4VW"},
	"us-west-2":      {"Z1H1FL5HABSF5", "Z18D5FSROUN65G"},
	"ca-central-1":   {"ZQSVJUPU6J1EY", "Z2EPGBW3API2WT"},
	"eu-west-1":      {"Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F"},
	"eu-west-2":      {"ZHURV8PSTC4K8", "ZD4D7Y8KGAS4G"},
	"eu-west-3":      {"Z3Q77PNBQS71R4", "Z1CMS0P5QUZ6D5"},
	"eu-central-1":   {"Z215JYRZR1TBD5", "Z3F0SRJ5LGBH90"},
	"eu-north-1":     {"Z23TAZ7KKUGIDB", "Z1UDT6IFJ4EJM"},
	"ap-northeast-1": {"Z14GRHDCWA56QT", "Z31USIVHYNEOWT"},
	"ap-northeast-2": {"ZWKZPGTI48KDX", "ZIBE1TIR4HY56"},
	"ap-southeast-1": {"Z1LMS91P8CMLE5", "ZKVM4W9LS7TM"},
	"ap-southeast-2": {"Z1GM3OXH4ZPM65", "ZCT6FZBF4DROD"},
	"ap-south-1":     {"ZP97RAFLXTNZK", "ZVDDRBQ08TROA"},
	"sa-east-1":      {"Z2P70J7HTTTPLU", "ZTK26PT1VY4CU"},
}

// hostedZoneID is the canonical hosted zone of a balancer of lbType in region ("" for a
// Gateway Load Balancer). Regions missing from the table get a stable made-up zone.
func hostedZoneID(region, lbType string) string {
	col := 0
	switch lbType {
	case typeNLB:
		col = 1
	case typeGWLB:
		return ""
	}
	if z, ok := hostedZones[region]; ok {
		return z[col]
	}
	return fmt.Sprintf("Z%013X", stableNumber(region, lbType, "hosted-zone")%(1<<52))
}
