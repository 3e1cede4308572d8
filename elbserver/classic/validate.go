package classic

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

const (
	schemeInternetFacing = "internet-facing"
	schemeInternal       = "internal"
	maxTagsPerLB         = 10
	maxPoliciesPerLB     = 50 // AWS does not publish this quota; generous but bounded
	attrDesyncMode       = "elb.http.desyncmitigationmode"
)

// Bounds on the free text the API model leaves open, so that no request can make a record, or
// every describe of it, large: AWS's documented limits where there are some, else lbcloud's.
// Names, tags, zones and ids have their own syntax, which bounds them.
const (
	maxCertificateID  = 2048 // an ARN: IAM's limit
	maxCookieName     = 1024 // lbcloud: far above any real cookie name
	maxAttributeValue = 4096 // lbcloud: the longest real policy attribute, a public key, is under 3000
	maxBucketName     = 63   // S3's limit
	maxLogPrefixBytes = 1024 // S3's limit on an object key
)

var (
	certRE     = regexp.MustCompile(`^arn:aws[a-z-]*:(?:iam::\d{12}:server-certificate/.+|acm:[a-z0-9-]+:\d{12}:certificate/.+)$`)
	hcTargetRE = regexp.MustCompile(`^(HTTP|HTTPS|TCP|SSL):(\d{1,5})(/.*)?$`)
	policyRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9-]{1,255}$`) })
)

func validateName(name string) error {
	if name == "" {
		return query.Missing("LoadBalancerName")
	}
	if !query.ELBName(name) {
		return query.Validation("LoadBalancer name cannot be longer than 32 characters, must contain only alphanumeric characters or hyphens, and cannot begin or end with a hyphen: '%s'", name)
	}
	return nil
}

func validatePolicyName(name string) error {
	if !policyRE().MatchString(name) {
		return query.Validation("Policy name '%s' must be 1-255 alphanumeric characters or hyphens", name)
	}
	return nil
}

// protocolLayer groups the listener protocols that may be paired.
func protocolLayer(p string) string {
	switch p {
	case "HTTP", "HTTPS":
		return "http"
	case "TCP", "SSL":
		return "tcp"
	}
	return ""
}

// parseListeners reads Listeners.member.N and applies the AWS listener rules.
func parseListeners(p query.Params, name string) ([]store.ClassicListener, error) {
	n, present, err := p.Members(name)
	if err != nil {
		return nil, err
	}
	if !present {
		return nil, query.Missing(name)
	}
	out := make([]store.ClassicListener, 0, n)
	for i := 1; i <= n; i++ {
		pre := query.Member(name, i) + "."
		proto, err := p.Required(pre + "Protocol")
		if err != nil {
			return nil, err
		}
		l := store.ClassicListener{Protocol: strings.ToUpper(proto)}
		if protocolLayer(l.Protocol) == "" {
			return nil, query.Validation("Invalid protocol '%s'; must be one of HTTP, HTTPS, TCP, SSL", proto)
		}
		if l.LoadBalancerPort, err = p.IntReq(pre+"LoadBalancerPort", 1, 65535); err != nil {
			return nil, err
		}
		if l.InstancePort, err = p.IntReq(pre+"InstancePort", 1, 65535); err != nil {
			return nil, err
		}
		ip, _ := p.Str(pre + "InstanceProtocol")
		l.InstanceProtocol = strings.ToUpper(ip)
		if l.InstanceProtocol == "" {
			// AWS defaults the back end to the plain protocol of the same layer.
			l.InstanceProtocol = map[string]string{"http": "HTTP", "tcp": "TCP"}[protocolLayer(l.Protocol)]
		}
		if protocolLayer(l.InstanceProtocol) == "" {
			return nil, query.Validation("Invalid instance protocol '%s'; must be one of HTTP, HTTPS, TCP, SSL", ip)
		}
		if protocolLayer(l.InstanceProtocol) != protocolLayer(l.Protocol) {
			return nil, query.Validation("Listener protocol %s and instance protocol %s are not compatible", l.Protocol, l.InstanceProtocol)
		}
		if l.SSLCertificateID, _, err = p.Text(pre+"SSLCertificateId", maxCertificateID); err != nil {
			return nil, err
		}
		if l.Protocol == "HTTPS" || l.Protocol == "SSL" {
			if l.SSLCertificateID == "" {
				return nil, query.Validation("SSLCertificateId is required for %s listener on port %d", l.Protocol, l.LoadBalancerPort)
			}
			if !certRE.MatchString(l.SSLCertificateID) {
				return nil, errCertificateNotFound(l.SSLCertificateID)
			}
		} else if l.SSLCertificateID != "" {
			return nil, query.Validation("SSLCertificateId is only valid for HTTPS and SSL listeners")
		}
		for _, prev := range out {
			if prev.LoadBalancerPort == l.LoadBalancerPort && !sameListener(prev, l) {
				return nil, query.Errorf(http.StatusBadRequest, "DuplicateListener", "A listener already exists for port %d with a different configuration", l.LoadBalancerPort)
			}
		}
		if dup := containsListener(out, l); !dup {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, query.Validation("%s must contain at least one listener", name)
	}
	return out, nil
}

func containsListener(ls []store.ClassicListener, l store.ClassicListener) bool {
	for _, x := range ls {
		if sameListener(x, l) {
			return true
		}
	}
	return false
}

// parseHealthCheck reads HealthCheck.* with the model's ranges and the target
// syntax PROTO:PORT[/path] (a path is required for HTTP/HTTPS, refused for TCP/SSL).
func parseHealthCheck(p query.Params) (store.ClassicHealthCheck, error) {
	var hc store.ClassicHealthCheck
	var err error
	if hc.Target, err = p.Required("HealthCheck.Target"); err != nil {
		return hc, err
	}
	m := hcTargetRE.FindStringSubmatch(hc.Target)
	if m == nil {
		return hc, query.Validation("Invalid health check target '%s'; expected PROTOCOL:PORT[/PATH] with protocol HTTP, HTTPS, TCP or SSL", hc.Target)
	}
	if port, _ := strconv.Atoi(m[2]); port < 1 || port > 65535 {
		return hc, query.Validation("Health check target port must be between 1 and 65535")
	}
	switch {
	case (m[1] == "HTTP" || m[1] == "HTTPS") && m[3] == "":
		return hc, query.Validation("Health check target '%s' must include a path for %s", hc.Target, m[1])
	case (m[1] == "TCP" || m[1] == "SSL") && m[3] != "":
		return hc, query.Validation("Health check target '%s' must not include a path for %s", hc.Target, m[1])
	case len(m[3]) > 1024:
		return hc, query.Validation("Health check target path is longer than 1024 characters")
	}
	if hc.Interval, err = p.IntReq("HealthCheck.Interval", 5, 300); err != nil {
		return hc, err
	}
	if hc.Timeout, err = p.IntReq("HealthCheck.Timeout", 2, 60); err != nil {
		return hc, err
	}
	if hc.UnhealthyThreshold, err = p.IntReq("HealthCheck.UnhealthyThreshold", 2, 10); err != nil {
		return hc, err
	}
	if hc.HealthyThreshold, err = p.IntReq("HealthCheck.HealthyThreshold", 2, 10); err != nil {
		return hc, err
	}
	if hc.Timeout >= hc.Interval {
		return hc, query.Validation("Health check timeout must be smaller than the interval")
	}
	return hc, nil
}

// parseTags reads Tags.member.N (Key and optional Value), rejecting
// duplicate keys and the reserved aws: prefix.
func parseTags(p query.Params, keysOnly bool) ([]store.Tag, error) {
	n, present, err := p.Members("Tags")
	if err != nil {
		return nil, err
	}
	if !present {
		return nil, query.Missing("Tags")
	}
	if n == 0 {
		return nil, query.Validation("Tags must contain at least one tag")
	}
	seen := map[string]bool{}
	out := make([]store.Tag, 0, n)
	for i := 1; i <= n; i++ {
		pre := query.Member("Tags", i) + "."
		key, ok := p.Str(pre + "Key")
		if !ok || key == "" || utf8.RuneCountInString(key) > 128 || !query.TagText(key) {
			return nil, query.Validation("Tag key '%s' must be 1-128 characters of letters, digits, spaces and _.:/=+-@", key)
		}
		if strings.HasPrefix(strings.ToLower(key), "aws:") && !keysOnly {
			return nil, query.Validation("Tag keys starting with 'aws:' are reserved")
		}
		val, _ := p.Str(pre + "Value")
		if utf8.RuneCountInString(val) > 256 || !query.TagText(val) {
			return nil, query.Validation("Tag value for key '%s' must be at most 256 characters of letters, digits, spaces and _.:/=+-@", key)
		}
		if seen[key] {
			return nil, query.Errorf(http.StatusBadRequest, "DuplicateTagKeys", "Tag key '%s' is specified more than once", key)
		}
		seen[key] = true
		out = append(out, store.Tag{Key: key, Value: val})
	}
	return out, nil
}

// mergeTags upserts add into tags and enforces the per-balancer maximum.
func mergeTags(tags, add []store.Tag) ([]store.Tag, error) {
	out := append([]store.Tag(nil), tags...)
	for _, t := range add {
		found := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value, found = t.Value, true
			}
		}
		if !found {
			out = append(out, t)
		}
	}
	if len(out) > maxTagsPerLB {
		return nil, query.Errorf(http.StatusBadRequest, "TooManyTags", "A load balancer can have at most %d tags", maxTagsPerLB)
	}
	return out, nil
}

// stableNumber derives the DNS number from the partition and name, so a
// balancer recreated under the same name gets the same DNS name back.
func stableNumber(account, region, name string) uint32 {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s\x00%s\x00%s", account, region, name)
	return h.Sum32()%900000000 + 100000000
}

func dnsName(account, region, name, scheme string) string {
	prefix := ""
	if scheme == schemeInternal {
		prefix = "internal-"
	}
	return fmt.Sprintf("%s%s-%d.%s.elb.amazonaws.com", prefix, name, stableNumber(account, region, name), region)
}

// hostedZoneIDs are the Route 53 hosted zones of Classic ELB per region.
var hostedZoneIDs = map[string]string{
	"us-east-1":      "Z35SXDOTRQ7X7K",
	"us-east-2":      "Z3AADJGX6KTTL2",
	"us-west-1":      "Z368ELLRRE2KJ0",
	"us-west-2":      "Z1H1FL5HABSF5",
	"ca-central-1":   "ZQSVJUPU6J1EY",
	"eu-west-1":      "Z32O12XQLNTSW2",
	"eu-west-2":      "ZHURV8PSTC4K8",
	"eu-west-3":      "Z3Q77PNBQS71R4",
	"eu-central-1":   "Z215JYRZR1TBD5",
	"eu-north-1":     "Z23TAZ7KKUGIDB",
	"ap-northeast-1": "Z14GRHDCWA56QT",
	"ap-northeast-2": "ZWKZPGTI48KDX",
	"ap-southeast-1": "Z1LMS91P8CMLE5",
	"ap-southeast-2": "Z1GM3OXH4ZPM65",
	"ap-south-1":     "ZP97RAFLXTNZK",
	"sa-east-1":      "Z2P70J7HTTTPLU",
}

func hostedZoneID(region string) string {
	if id, ok := hostedZoneIDs[region]; ok {
		return id
	}
	return fmt.Sprintf("Z%013X", stableNumber("", region, "hosted-zone"))
}
