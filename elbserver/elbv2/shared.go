package elbv2

import (
	"slices"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// What other rooms read of ELBv2 balancers.

// certificateIndex names the index of listeners by the certificates they name.
const certificateIndex = "elbv2-listener-certs"

// certificatesOf are a listener's default certificate and its certificate list.
func certificatesOf(l *store.V2Listener) []string {
	return append([]string{l.Certificate}, l.Certificates...)
}

// CertificateUsers returns the ARNs of p's balancers with a listener naming the certificate
// arn (as its default certificate or in its list), for IAM and ACM, which refuse to delete
// a certificate in use.
func CertificateUsers(p *store.Part, arn string) ([]string, error) {
	keys, err := listenerViews.KeysNaming(p, arn)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, key := range keys {
		// A listener's key is its balancer's key, a slash and its own id.
		lb, err := store.V2LoadBalancers.Get(p, key[:strings.LastIndexByte(key, '/')])
		if err != nil {
			return nil, err
		}
		if lb != nil {
			out = append(out, lb.ARN)
		}
	}
	return slices.Compact(out), nil
}

// DependsOn reports whether a balancer of p is in the VPC or the subnet id or uses the
// security group id, which EC2 then refuses to delete (DependencyViolation).
func DependsOn(p *store.Part, id string) (bool, error) {
	found := false
	err := store.V2LoadBalancers.ForEachPrefix(p, "", "", func(_ string, lb *lbRec) (bool, error) {
		found = lb.VPCID == id || slices.Contains(lb.SecurityGroups, id) ||
			slices.ContainsFunc(lb.Zones, func(z store.V2Zone) bool { return z.Subnet == id })
		return !found, nil
	})
	return found, err
}
