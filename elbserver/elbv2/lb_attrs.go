package elbv2

import (
	"strconv"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type lbRec = store.V2LoadBalancer

func isALB(lb *lbRec) bool      { return lb.Type == typeALB }
func isNLB(lb *lbRec) bool      { return lb.Type == typeNLB }
func isALBOrNLB(lb *lbRec) bool { return lb.Type != typeGWLB }

// bucketRE is S3's bucket naming rule, for the log attributes.
func bucketValue(_ *lbRec, v string) error {
	if v != "" && !query.BucketName(v) {
		return query.Validation("'%s' is not a valid S3 bucket name", v)
	}
	return nil
}

// maxLogPrefix is S3's limit on an object key.
const maxLogPrefix = 1024

// lbAttrs are the balancer attributes, in DescribeLoadBalancerAttributes order, with AWS's
// defaults per type.
var lbAttrs = []attrSpec[lbRec]{
	{"access_logs.s3.enabled", isALBOrNLB, constant[lbRec]("false"), boolValue[lbRec]},
	{"access_logs.s3.bucket", isALBOrNLB, constant[lbRec](""), bucketValue},
	{"access_logs.s3.prefix", isALBOrNLB, constant[lbRec](""), textValue[lbRec](maxLogPrefix)},
	{"idle_timeout.timeout_seconds", isALB, constant[lbRec]("60"), intValue[lbRec](1, 4000)},
	{"deletion_protection.enabled", always[lbRec], constant[lbRec]("false"), boolValue[lbRec]},
	{"routing.http2.enabled", isALB, constant[lbRec]("true"), boolValue[lbRec]},
	{"routing.http.drop_invalid_header_fields.enabled", isALB, constant[lbRec]("false"), boolValue[lbRec]},
	{"routing.http.xff_client_port.enabled", isALB, constant[lbRec]("false"), boolValue[lbRec]},
	{"routing.http.preserve_host_header.enabled", isALB, constant[lbRec]("false"), boolValue[lbRec]},
	{"routing.http.xff_header_processing.mode", isALB, constant[lbRec]("append"), enumValue[lbRec]("append", "preserve", "remove")},
	{"load_balancing.cross_zone.enabled", always[lbRec], crossZoneDefault, crossZoneValue},
	{"routing.http.desync_mitigation_mode", isALB, constant[lbRec]("defensive"), enumValue[lbRec]("monitor", "defensive", "strictest")},
	{"client_keep_alive.seconds", isALB, constant[lbRec]("3600"), intValue[lbRec](60, 604800)},
	{"waf.fail_open.enabled", isALB, constant[lbRec]("false"), boolValue[lbRec]},
	{"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", isALB, constant[lbRec]("false"), boolValue[lbRec]},
	{"zonal_shift.config.enabled", isALBOrNLB, constant[lbRec]("false"), boolValue[lbRec]},
	{"connection_logs.s3.enabled", isALB, constant[lbRec]("false"), boolValue[lbRec]},
	{"connection_logs.s3.bucket", isALB, constant[lbRec](""), bucketValue},
	{"connection_logs.s3.prefix", isALB, constant[lbRec](""), textValue[lbRec](maxLogPrefix)},
	{"health_check_logs.s3.enabled", isALB, constant[lbRec]("false"), boolValue[lbRec]},
	{"health_check_logs.s3.bucket", isALB, constant[lbRec](""), bucketValue},
	{"health_check_logs.s3.prefix", isALB, constant[lbRec](""), textValue[lbRec](maxLogPrefix)},
	{"ipv6.deny_all_igw_traffic", isALBOrNLB, denyIGWDefault, boolValue[lbRec]},
	{"dns_record.client_routing_policy", isNLB, constant[lbRec]("any_availability_zone"),
		enumValue[lbRec]("availability_zone_affinity", "partial_availability_zone_affinity", "any_availability_zone")},
	{"secondary_ips.auto_assigned.per_subnet", isNLB, constant[lbRec]("0"), secondaryIPsValue},
}

// crossZoneDefault: always on for Application Load Balancers, off by default for the others.
func crossZoneDefault(lb *lbRec) string {
	if isALB(lb) {
		return "true"
	}
	return "false"
}

func crossZoneValue(lb *lbRec, v string) error {
	if err := boolValue(lb, v); err != nil {
		return err
	}
	if isALB(lb) && v != "true" {
		return errConfig("Cross-zone load balancing is always enabled for Application Load Balancers")
	}
	return nil
}

// denyIGWDefault: internet gateway access is blocked for internal balancers.
func denyIGWDefault(lb *lbRec) string {
	return strconv.FormatBool(lb.Scheme == schemeInternal)
}

// secondaryIPsValue: 0 to 7, and never lower than it was.
func secondaryIPsValue(lb *lbRec, v string) error {
	if err := intValue[lbRec](0, 7)(lb, v); err != nil {
		return err
	}
	cur, _ := strconv.Atoi(lb.Attrs["secondary_ips.auto_assigned.per_subnet"]) // default 0
	if n, _ := strconv.Atoi(v); n < cur {
		return errConfig("secondary_ips.auto_assigned.per_subnet cannot be decreased (now %d)", cur)
	}
	return nil
}

// checkLogBuckets refuses enabled logs without a bucket.
func checkLogBuckets(lb *lbRec) error {
	for _, kind := range []string{"access_logs", "connection_logs", "health_check_logs"} {
		if attrValue(lbAttrs, lb, lb.Attrs, kind+".s3.enabled") == "true" && attrValue(lbAttrs, lb, lb.Attrs, kind+".s3.bucket") == "" {
			return query.Validation("The value of '%s.s3.bucket' cannot be empty when %s are enabled", kind, kind)
		}
	}
	return nil
}

type xmlAttribute struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type attributesResult struct {
	Attributes []xmlAttribute `xml:"Attributes>member"`
}

func attributesXML(attrs []store.Attribute) *attributesResult {
	res := &attributesResult{Attributes: make([]xmlAttribute, len(attrs))}
	for i, a := range attrs {
		res.Attributes[i] = xmlAttribute{a.Name, a.Value}
	}
	return res
}

func (r *Room) describeLoadBalancerAttributes(c *query.Call) (any, error) {
	var res *attributesResult
	err := r.view(c, func(p *store.Part) error {
		lb, err := mustLB(p, c.Params)
		if err == nil {
			res = attributesXML(LoadBalancerAttributes(lb))
		}
		return err
	})
	return res, err
}

func (r *Room) modifyLoadBalancerAttributes(c *query.Call) (any, error) {
	given, err := parseAttributes(c.Params, 1024)
	if err != nil {
		return nil, err
	}
	if len(given) > 20 {
		return nil, query.Validation("At most 20 attributes can be modified in one call")
	}
	var res *attributesResult
	err = r.updateLB(c, func(p *store.Part, lb *lbRec) error {
		attrs, err := applyAttrs(lbAttrs, lb, lb.Attrs, given, "load balancer")
		if err != nil {
			return err
		}
		lb.Attrs = attrs
		if err := checkLogBuckets(lb); err != nil {
			return err
		}
		res = attributesXML(LoadBalancerAttributes(lb))
		return nil
	})
	return res, err
}
