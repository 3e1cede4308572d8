package elbv2

import (
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type certificatesResult struct {
	Certificates []xmlCertificate `xml:"Certificates>member"`
	NextMarker   string           `xml:"NextMarker,omitempty"`
}

func certXML(arn string, isDefault bool) xmlCertificate {
	return xmlCertificate{CertificateArn: arn, IsDefault: &isDefault}
}

// updateListener loads the listener of ListenerArn and its balancer in one write
// transaction, lets fn change them and stores both.
func (r *Room) updateListener(c *query.Call, fn func(p *store.Part, lb *lbRec, l *store.V2Listener) error) error {
	arn, err := c.Params.Required("ListenerArn")
	if err != nil {
		return err
	}
	return r.update(c, func(p *store.Part) error {
		l, err := getListener(p, arn)
		if err != nil {
			return err
		}
		lb, err := store.V2LoadBalancers.Get(p, l.LoadBalancer)
		if err != nil || lb == nil {
			return firstErr(err, errListenerNotFound(arn))
		}
		if err := fn(p, lb, l); err != nil {
			return err
		}
		return saveListener(p, lb, l)
	})
}

func (r *Room) addListenerCertificates(c *query.Call) (any, error) {
	certs, present, err := r.readCertificates(c, "Certificates")
	if err != nil {
		return nil, err
	}
	if !present || len(certs) == 0 {
		return nil, query.Missing("Certificates")
	}
	res := &certificatesResult{}
	err = r.updateListener(c, func(p *store.Part, lb *lbRec, l *store.V2Listener) error {
		if !isTLS(l.Protocol) {
			return errConfig("Certificates can be added to HTTPS and TLS listeners only")
		}
		for _, arn := range dedupe(certs) {
			if !slices.Contains(l.Certificates, arn) {
				l.Certificates = append(l.Certificates, arn)
				lb.Certificates++
			}
		}
		max := r.limit(limitCertificatesALB)
		if lb.Type == typeNLB {
			max = r.limit(limitCertificatesNLB)
		}
		if lb.Certificates > max {
			return errTooMany("TooManyCertificates", "certificates per "+lb.Type+" load balancer", max)
		}
		for _, arn := range l.Certificates {
			res.Certificates = append(res.Certificates, certXML(arn, false))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (r *Room) removeListenerCertificates(c *query.Call) (any, error) {
	var certs []string
	_, present, err := c.Params.Structs("Certificates", func(pre string) error {
		arn, err := c.Params.RequiredText(pre+"CertificateArn", maxCertificateARN)
		certs = append(certs, arn)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !present || len(certs) == 0 {
		return nil, query.Missing("Certificates")
	}
	return nil, r.updateListener(c, func(p *store.Part, lb *lbRec, l *store.V2Listener) error {
		for _, arn := range certs {
			if arn == l.Certificate {
				return errNotPermitted("The default certificate '%s' cannot be removed; replace it with ModifyListener", arn)
			}
			if i := slices.Index(l.Certificates, arn); i >= 0 {
				l.Certificates = slices.Delete(l.Certificates, i, i+1)
				lb.Certificates--
			}
		}
		return nil
	})
}

// describeListenerCertificates lists the default certificate (IsDefault true), then the
// certificate list.
func (r *Room) describeListenerCertificates(c *query.Call) (any, error) {
	arn, err := c.Params.Required("ListenerArn")
	if err != nil {
		return nil, err
	}
	var all []xmlCertificate
	err = r.view(c, func(p *store.Part) error {
		l, err := getListener(p, arn)
		if err != nil {
			return err
		}
		if l.Certificate != "" {
			all = append(all, certXML(l.Certificate, true))
		}
		for _, cert := range l.Certificates {
			all = append(all, certXML(cert, false))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	start, size, err := indexPage(c.Params, len(all))
	if err != nil {
		return nil, err
	}
	end := min(start+size, len(all))
	res := &certificatesResult{Certificates: all[start:end]}
	if end < len(all) {
		res.NextMarker = encodeIndexMarker(end)
	}
	return res, nil
}
