package ec2

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// EC2's tag limits.
const (
	maxTagKey   = 128
	maxTagValue = 256
	maxTags     = 50
)

// resourceType is the taggable type of a resource id, "" for an id of no type served here.
func resourceType(id string) string {
	switch {
	case VPCIDRE.MatchString(id):
		return "vpc"
	case SubnetIDRE.MatchString(id):
		return "subnet"
	case SecurityGroupIDRE.MatchString(id):
		return "security-group"
	case InstanceIDRE.MatchString(id):
		return "instance"
	}
	return ""
}

// notFound is the error for a well-formed id of a resource that does not exist.
func notFound(id string) *query.Error {
	switch resourceType(id) {
	case "vpc":
		return fail("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", id)
	case "subnet":
		return fail("InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", id)
	case "security-group":
		return fail("InvalidGroup.NotFound", "The security group '%s' does not exist", id)
	case "instance":
		return fail("InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", id)
	}
	return fail("InvalidID", "The ID '%s' is not valid", id)
}

// checkExists refuses an id that names no resource of the partition.
func (r *Room) checkExists(p *store.Part, id string) error {
	found, err := r.exists(p, id)
	if err == nil && !found {
		return notFound(id)
	}
	return err
}

// exists reports whether id names a resource of the partition: a VPC, subnet or group, stored
// or the default VPC's, or an instance, live or visibly terminated.
func (r *Room) exists(p *store.Part, id string) (bool, error) {
	switch resourceType(id) {
	case "vpc":
		v, err := findVPC(p, id)
		return v != nil, err
	case "subnet":
		s, err := findSubnet(p, id)
		return s != nil, err
	case "security-group":
		g, err := findGroup(p, id)
		return g != nil, err
	case "instance":
		i, err := findInstance(p, id, r.env.Now())
		return i != nil, err
	}
	return false, nil
}

// checkTags applies EC2's rules to tags a request sets, and lbcloud's to the address tag.
func checkTags(tags []store.Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case t.Key == "":
			return invalid("Tag keys must not be empty")
		case utf8.RuneCountInString(t.Key) > maxTagKey:
			return invalid("Tag key exceeds the maximum length of %d characters", maxTagKey)
		case utf8.RuneCountInString(t.Value) > maxTagValue:
			return invalid("Tag value exceeds the maximum length of %d characters", maxTagValue)
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return invalid("Tag keys starting with 'aws:' are reserved for internal use")
		case seen[t.Key]:
			return invalid("Duplicate tag key '%s' specified", t.Key)
		}
		seen[t.Key] = true
		if t.Key == store.AddressTag {
			if _, _, err := store.ParseBackendAddress(t.Value); err != nil {
				return invalid("Tag %s: %v; it must be HOST or HOST:PORT with HOST a loopback address", store.AddressTag, err)
			}
		}
	}
	return nil
}

// addTags sets tags on resource id, replacing the values of keys it has.
func addTags(p *store.Part, id string, tags []store.Tag) error {
	have, err := tagsOf(p, id)
	if err != nil || len(tags) == 0 {
		return err
	}
	for _, t := range tags {
		if i := slices.IndexFunc(have, func(h store.Tag) bool { return h.Key == t.Key }); i >= 0 {
			have[i].Value = t.Value
		} else {
			have = append(have, t)
		}
	}
	if len(have) > maxTags {
		return fail("TagLimitExceeded", "The maximum number of tags (%d) for resource %s would be exceeded", maxTags, id)
	}
	slices.SortFunc(have, func(a, b store.Tag) int { return cmp.Compare(a.Key, b.Key) })
	return store.EC2Tags.Put(p, id, &have)
}

// readTags reads PREFIX.N.Key and PREFIX.N.Value; hasValue tells, per tag, whether a value
// was sent (DeleteTags removes a key only with the value it is given).
func readTags(p query.Params, prefix string) (tags []store.Tag, hasValue []bool, err error) {
	n, _, err := p.Indexed(prefix, prefix+".")
	if err != nil {
		return nil, nil, err
	}
	for i := 1; i <= n; i++ {
		pre := prefix + "." + strconv.Itoa(i) + "."
		v, ok := p[pre+"Value"]
		tags = append(tags, store.Tag{Key: p[pre+"Key"], Value: v})
		hasValue = append(hasValue, ok)
	}
	return tags, hasValue, nil
}

// tagSpecs reads the TagSpecification.N of a create action whose resources are of type kind,
// checked as CreateTags checks tags.
func tagSpecs(p query.Params, kind string) ([]store.Tag, error) {
	n, _, err := p.Indexed("TagSpecification", "TagSpecification.")
	if err != nil {
		return nil, err
	}
	var out []store.Tag
	for i := 1; i <= n; i++ {
		pre := "TagSpecification." + strconv.Itoa(i)
		switch rt := p[pre+".ResourceType"]; rt {
		case kind:
		case "":
			return nil, query.Missing(pre + ".ResourceType")
		default:
			return nil, invalid("'%s' is not a valid taggable resource type for this operation.", rt)
		}
		tags, _, err := readTags(p, pre+".Tag")
		if err != nil {
			return nil, err
		}
		out = append(out, tags...)
	}
	if len(out) > maxTags {
		return nil, fail("TagLimitExceeded", "The maximum number of tags (%d) per resource would be exceeded", maxTags)
	}
	return out, checkTags(out)
}
