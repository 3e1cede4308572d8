package elbv2

import (
	"encoding/base64"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

const (
	maxPageSize = 400
	// maxNamedResources bounds the ARNs or names one describe may list.
	maxNamedResources = 20
)

var (
	// Trust store names, as the model's pattern has them.
	trustStoreNameRE = regexp.MustCompile(`^([a-zA-Z0-9]+-)*[a-zA-Z0-9]+$`)
	attrKeyRE        = regexp.MustCompile(`^[a-zA-Z0-9._]+$`)
)

func itoa(n int) string { return strconv.Itoa(n) }

func oneOf(v string, allowed ...string) bool { return slices.Contains(allowed, v) }

// dedupe removes repeated values, keeping the first occurrence's order.
func dedupe(in []string) []string {
	var out []string
	for _, v := range in {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// readChildrenArgs reads the arguments of a describe that lists either the children
// (arnsName, at most a page of them) or the children of one parent (parentName), not both.
func readChildrenArgs(p query.Params, arnsName, parentName, parentNoun, noun string) (describeArgs, error) {
	d, err := readDescribeArgs(p, arnsName, "")
	if err != nil {
		return d, err
	}
	d.parent, d.parentGiven = p.Str(parentName)
	if d.arnsGiven == d.parentGiven {
		return d, query.Validation("Specify either a %s or one or more %s", parentNoun, noun)
	}
	if len(d.arns) > maxPageSize {
		return d, query.Validation("At most %d %s can be described at once", maxPageSize, noun)
	}
	return d, nil
}

// pageSize reads PageSize (1-400, default 400).
// describeArgs are what a paged describe is given: ARNs, names (for the describes that take
// them), the page size and the key after which the page starts.
type describeArgs struct {
	arns, names           []string
	arnsGiven, namesGiven bool
	size                  int
	after                 string
	parent                string // for the describes of one listener's or balancer's children
	parentGiven           bool
}

// readDescribeArgs reads the ARN list arnsName, the name list namesName when not empty, and
// the paging parameters.
func readDescribeArgs(p query.Params, arnsName, namesName string) (describeArgs, error) {
	var d describeArgs
	var err1, err2 error
	d.arns, d.arnsGiven, err1 = p.StrList(arnsName)
	if namesName != "" {
		d.names, d.namesGiven, err2 = p.StrList(namesName)
	}
	var err3, err4 error
	if err := firstErr(err1, err2); err != nil {
		return d, err
	}
	d.size, err3 = pageSize(p)
	d.after, err4 = marker(p)
	return d, firstErr(err3, err4)
}

func pageSize(p query.Params) (int, error) {
	n, given, err := p.IntOpt("PageSize", 1, maxPageSize)
	if err != nil || !given {
		return maxPageSize, err
	}
	return n, nil
}

// Markers are the opaque encoding of the last key returned, so that pages stay stable while
// resources come and go; index markers serve fixed lists (limits, policies).
const (
	keyMarkerTag   = "v2k:"
	indexMarkerTag = "v2i:"
)

func encodeMarker(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(keyMarkerTag + key))
}

// marker reads Marker: "" for the first page.
func marker(p query.Params) (string, error) {
	m := p["Marker"]
	if m == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil || !strings.HasPrefix(string(raw), keyMarkerTag) || len(raw) == len(keyMarkerTag) {
		return "", query.Validation("Invalid Marker '%s'", m)
	}
	return string(raw[len(keyMarkerTag):]), nil
}

func encodeIndexMarker(i int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(indexMarkerTag + strconv.Itoa(i)))
}

// indexPage reads Marker and PageSize over a fixed list of n items.
func indexPage(p query.Params, n int) (start, size int, err error) {
	if size, err = pageSize(p); err != nil {
		return 0, 0, err
	}
	if m := p["Marker"]; m != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(m)
		i, cerr := strconv.Atoi(strings.TrimPrefix(string(raw), indexMarkerTag))
		if derr != nil || cerr != nil || !strings.HasPrefix(string(raw), indexMarkerTag) || i < 0 || i > n {
			return 0, 0, query.Validation("Invalid Marker '%s'", m)
		}
		start = i
	}
	return start, size, nil
}

// validName checks a balancer or target group name.
func validName(param, name string) error {
	if name == "" {
		return query.Missing(param)
	}
	if !query.ELBName(name) {
		return query.Validation("Name '%s' is not valid: it can have at most 32 characters, must contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen", name)
	}
	return nil
}

// parseTags reads Tags.member.N (Key and optional Value) and checks each: key 1-128 and
// value 0-256 characters of the allowed set, no aws: prefix, no key twice.
func parseTags(p query.Params, name string) ([]store.Tag, bool, error) {
	var out []store.Tag
	n, present, err := p.Structs(name, func(pre string) error {
		key, _ := p.Str(pre + "Key")
		if key == "" {
			return query.Missing(pre + "Key")
		}
		val, _ := p.Str(pre + "Value")
		if err := checkTag(key, val); err != nil {
			return err
		}
		if slices.ContainsFunc(out, func(t store.Tag) bool { return t.Key == key }) {
			return sender("DuplicateTagKeys", "Tag key '%s' was specified more than once", key)
		}
		out = append(out, store.Tag{Key: key, Value: val})
		return nil
	})
	if err == nil && present && n == 0 {
		err = query.Validation("Tags must contain at least one tag")
	}
	return out, present, err
}

func checkTag(key, val string) error {
	if utf8.RuneCountInString(key) > 128 || !query.TagText(key) {
		return query.Validation("Tag key '%s' must be 1-128 letters, digits, spaces or _.:/=+-@", key)
	}
	if strings.HasPrefix(strings.ToLower(key), "aws:") {
		return query.Validation("Tag keys starting with 'aws:' are reserved for use by AWS")
	}
	if utf8.RuneCountInString(val) > 256 || !query.TagText(val) {
		return query.Validation("Tag value for key '%s' must be at most 256 letters, digits, spaces or _.:/=+-@", key)
	}
	return nil
}

// mergeTags upserts add into tags, keeping at most maxTagsPerResource.
func mergeTags(tags, add []store.Tag) ([]store.Tag, error) {
	out := slices.Clone(tags)
	for _, t := range add {
		if i := slices.IndexFunc(out, func(o store.Tag) bool { return o.Key == t.Key }); i >= 0 {
			out[i].Value = t.Value
		} else {
			out = append(out, t)
		}
	}
	if len(out) > maxTagsPerResource {
		return nil, sender("TooManyTags", "A resource can have at most %d tags", maxTagsPerResource)
	}
	return out, nil
}

// parseAttributes reads Attributes.member.N as key, value pairs; a key given twice is
// refused.
func parseAttributes(p query.Params, maxValue int) ([]store.Attribute, error) {
	var out []store.Attribute
	n, present, err := p.Structs("Attributes", func(pre string) error {
		key, _ := p.Str(pre + "Key")
		if key == "" || len(key) > 256 || !attrKeyRE.MatchString(key) {
			return query.Validation("Attribute key '%s' is not valid", key)
		}
		val, _ := p.Str(pre + "Value")
		if utf8.RuneCountInString(val) > maxValue {
			return query.TooLong(pre+"Value", maxValue)
		}
		if slices.ContainsFunc(out, func(a store.Attribute) bool { return a.Name == key }) {
			return query.Validation("Attribute key '%s' was specified more than once", key)
		}
		out = append(out, store.Attribute{Name: key, Value: val})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !present {
		return nil, query.Missing("Attributes")
	}
	if n == 0 {
		return nil, query.Validation("Attributes must contain at least one attribute")
	}
	return out, nil
}

// arnList reads a required list of ARNs of up to max entries.
func arnList(p query.Params, name string, max int) ([]string, error) {
	l, err := p.StrListReq(name)
	if err != nil {
		return nil, err
	}
	if err := query.NonEmpty(name, l); err != nil {
		return nil, err
	}
	if len(l) > max {
		return nil, query.Validation("At most %d values can be specified in %s", max, name)
	}
	return dedupe(l), nil
}

// textOpt reads an optional string of at most max characters.
func textOpt(p query.Params, name string, max int) (string, error) {
	v, _, err := p.Text(name, max)
	return v, err
}
