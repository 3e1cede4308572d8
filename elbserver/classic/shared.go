package classic

import (
	"net/http"
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// What other rooms read of Classic balancers, and what Classic reads of theirs.

// certificateIndex names the index of descriptions by the certificates listeners name.
const certificateIndex = "lb-certs"

func certificatesOf(lb *store.ClassicBalancer) []string {
	var out []string
	for _, l := range lb.Listeners {
		out = append(out, l.SSLCertificateID)
	}
	return out
}

// CertificateUsers returns the ARNs of p's balancers whose listeners name the certificate
// arn, for IAM and ACM, which refuse to delete a certificate in use.
func CertificateUsers(p *store.Part, arn string) ([]string, error) {
	names, err := descriptions.KeysNaming(p, arn)
	out := make([]string, len(names))
	for i, name := range names {
		out[i] = "arn:aws:elasticloadbalancing:" + p.Region + ":" + p.Account + ":loadbalancer/" + name
	}
	return out, err
}

// DependsOn reports whether a balancer of p is in the VPC or the subnet id or uses the
// security group id, which EC2 then refuses to delete (DependencyViolation).
func DependsOn(p *store.Part, id string) (bool, error) {
	found := false
	err := store.ClassicBalancers.ForEach(p, func(_ string, lb *store.ClassicBalancer) error {
		found = found || lb.VPCID == id || slices.Contains(lb.Subnets, id) || slices.Contains(lb.SecurityGroups, id)
		return nil
	})
	return found, err
}

func errCertificateNotFound(arn string) *query.Error {
	return query.Errorf(http.StatusBadRequest, "CertificateNotFound", "Server Certificate not found for the key: %s", arn)
}

// checkCertificates refuses, in strict mode, a listener naming a certificate that is neither
// an IAM server certificate of the account nor an ACM certificate of its region.
func (r *Room) checkCertificates(p *store.Part, listeners []store.ClassicListener) error {
	if !r.env.Strict {
		return nil
	}
	for _, l := range listeners {
		if l.SSLCertificateID == "" {
			continue
		}
		cert, err := store.LookupCertificate(p, l.SSLCertificateID)
		if err != nil {
			return err
		}
		if cert == nil {
			return errCertificateNotFound(l.SSLCertificateID)
		}
	}
	return nil
}
