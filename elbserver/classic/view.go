package classic

import (
	"encoding/xml"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// descriptions keeps each balancer's DescribeLoadBalancers <member> element beside its
// record, so describing copies stored bytes: the hot path of inventories and of clients that
// poll, and an index of the certificates their listeners name. Write balancers through it
// (descriptions.Put), never through the bucket alone.
var descriptions = store.NewView("lb-view", store.ClassicBalancers, descriptionsVersion,
	func(p *store.Part, _ string, lb *store.ClassicBalancer) ([]byte, error) {
		return xml.Marshal(describeXML(lb, p.Region))
	}).WithIndex(certificateIndex, "1", certificatesOf)

// descriptionsVersion names what describeXML renders. Change it with any change to the
// rendering, and pin the new rendering's digest in view_test.go: stored descriptions of
// another version are rebuilt when the endpoint opens the store.
const descriptionsVersion = "1"
