package ec2

import (
	"encoding/xml"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// set is a list inside a resource (<tagSet><item>…</item></tagSet>), left out when empty as
// EC2 leaves out, say, an untagged resource's tags. A reply's top-level list is a plain
// slice tagged "name>item": it is there even when empty, as SDKs expect.
type set[T any] []T

// MarshalXML writes the list's members as items.
func (s set[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(struct {
		Items []T `xml:"item"`
	}{s}, start)
}

type xmlTag struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

func xmlTags(tags []store.Tag) set[xmlTag] {
	out := make(set[xmlTag], len(tags))
	for i, t := range tags {
		out[i] = xmlTag(t)
	}
	return out
}
