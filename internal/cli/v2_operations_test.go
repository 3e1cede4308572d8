package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
)

// v2Operations names, for each action of the ELBv2 API, the lbctl command that sends it.
var v2Operations = map[string]string{
	"AddListenerCertificates":           "listeners certificates add",
	"AddTags":                           "tags add",
	"AddTrustStoreRevocations":          "trust-stores revocations add",
	"CreateListener":                    "listeners create",
	"CreateLoadBalancer":                "balancers create",
	"CreateRule":                        "rules create",
	"CreateTargetGroup":                 "target-groups create",
	"CreateTrustStore":                  "trust-stores create",
	"DeleteListener":                    "listeners delete",
	"DeleteLoadBalancer":                "balancers delete",
	"DeleteRule":                        "rules delete",
	"DeleteSharedTrustStoreAssociation": "trust-stores associations delete",
	"DeleteTargetGroup":                 "target-groups delete",
	"DeleteTrustStore":                  "trust-stores delete",
	"DeregisterTargets":                 "targets deregister",
	"DescribeAccountLimits":             "limits",
	"DescribeCapacityReservation":       "capacity get",
	"DescribeListenerAttributes":        "listeners attributes get",
	"DescribeListenerCertificates":      "listeners certificates list",
	"DescribeListeners":                 "listeners list",
	"DescribeLoadBalancerAttributes":    "attributes get",
	"DescribeLoadBalancers":             "balancers list",
	"DescribeRules":                     "rules list",
	"DescribeSSLPolicies":               "ssl-policies list",
	"DescribeTags":                      "tags list",
	"DescribeTargetGroupAttributes":     "target-groups attributes get",
	"DescribeTargetGroups":              "target-groups list",
	"DescribeTargetHealth":              "targets health",
	"DescribeTrustStoreAssociations":    "trust-stores associations list",
	"DescribeTrustStoreRevocations":     "trust-stores revocations list",
	"DescribeTrustStores":               "trust-stores list",
	"GetResourcePolicy":                 "trust-stores policy",
	"GetTrustStoreCaCertificatesBundle": "trust-stores ca-bundle",
	"GetTrustStoreRevocationContent":    "trust-stores revocations content",
	"ModifyCapacityReservation":         "capacity set",
	"ModifyIpPools":                     "ip-pools set",
	"ModifyListener":                    "listeners modify",
	"ModifyListenerAttributes":          "listeners attributes set",
	"ModifyLoadBalancerAttributes":      "attributes set",
	"ModifyRule":                        "rules modify",
	"ModifyTargetGroup":                 "target-groups modify",
	"ModifyTargetGroupAttributes":       "target-groups attributes set",
	"ModifyTrustStore":                  "trust-stores modify",
	"RegisterTargets":                   "targets register",
	"RemoveListenerCertificates":        "listeners certificates remove",
	"RemoveTags":                        "tags remove",
	"RemoveTrustStoreRevocations":       "trust-stores revocations remove",
	"SetIpAddressType":                  "ip-address-type set",
	"SetRulePriorities":                 "rules set-priorities",
	"SetSecurityGroups":                 "security-groups apply",
	"SetSubnets":                        "subnets set",
}

// Every action of the ELBv2 model is reachable from an lbctl command of --api alb or nlb: an
// action the model gains without a command here fails, as does a command that is gone or
// not for ELBv2.
func TestEveryV2OperationHasACommand(t *testing.T) {
	m := awstest.LoadModel(t, "elbv2", "2015-12-01", 51)
	for op := range m.Operations {
		if _, ok := v2Operations[op]; !ok {
			t.Errorf("ELBv2 action %s has no lbctl command", op)
		}
	}
	root := (&app{out: &bytes.Buffer{}, errOut: &bytes.Buffer{}}).rootCommand()
	for op, path := range v2Operations {
		if _, ok := m.Operations[op]; !ok {
			t.Errorf("%s is not an action of the ELBv2 model", op)
		}
		c, rest, err := root.Find(strings.Fields(path))
		if err != nil || len(rest) > 0 || c.CommandPath() != "lbctl "+path || !c.Runnable() {
			t.Errorf("%s: 'lbctl %s' is not a command (found %q)", op, path, c.CommandPath())
			continue
		}
		v2 := false
		for _, api := range v2Only {
			ok := true
			for p := c; p != nil; p = p.Parent() {
				ok = ok && forAPI(p, api)
			}
			v2 = v2 || ok
		}
		if !v2 {
			t.Errorf("%s: 'lbctl %s' is not a command of --api alb or nlb", op, path)
		}
	}
}
