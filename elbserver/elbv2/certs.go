package elbv2

import (
	"regexp"

	"github.com/lbcloud/lbcloud/elbserver/query"
)

// maxCertificateARN bounds a certificate ARN (IAM's limit on an ARN).
const maxCertificateARN = 2048

var certARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:(?:iam::\d{12}:server-certificate/.+|acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-zA-Z-]+)$`)

// readCertificates reads the certificate ARNs of the list name and checks each: a
// well-formed ACM or IAM certificate ARN and, in strict mode, one the certificate source
// knows. It runs before the transaction that uses them: the source may read the store.
func (r *Room) readCertificates(c *query.Call, name string) ([]string, bool, error) {
	var arns []string
	_, present, err := c.Params.Structs(name, func(pre string) error {
		arn, err := c.Params.RequiredText(pre+"CertificateArn", maxCertificateARN)
		if err != nil {
			return err
		}
		if err := r.checkCertificate(c, arn); err != nil {
			return err
		}
		arns = append(arns, arn)
		return nil
	})
	return arns, present, err
}

func (r *Room) checkCertificate(c *query.Call, arn string) error {
	if !certARNRE.MatchString(arn) {
		return errCertificateNotFound(arn)
	}
	if !r.env.Strict || r.src.Certificates == nil {
		return nil
	}
	known, err := r.src.Certificates.Known(c.Ctx, c.Account, c.Region, arn)
	if err != nil {
		return err
	}
	if !known {
		return errCertificateNotFound(arn)
	}
	return nil
}
