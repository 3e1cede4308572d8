package elbv2

import (
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// listenerOf is a listener with its balancer's type, what its attributes depend on.
type listenerOf struct {
	l      *store.V2Listener
	lbType string
}

func tcpIdle(x *listenerOf) bool {
	return x.lbType == typeGWLB || (x.lbType == typeNLB && x.l.Protocol == protoTCP)
}
func httpListener(x *listenerOf) bool  { return x.lbType == typeALB }
func httpsListener(x *listenerOf) bool { return x.lbType == typeALB && x.l.Protocol == protoHTTPS }

// maxHeaderValue bounds the response header values a listener adds (lbcloud's bound).
const maxHeaderValue = 1024

// listenerAttrs are the listener attributes, in DescribeListenerAttributes order.
var listenerAttrs = []attrSpec[listenerOf]{
	{"tcp.idle_timeout.seconds", tcpIdle, constant[listenerOf]("350"), intValue[listenerOf](60, 6000)},
	requestHeader("x_amzn_mtls_clientcert_serial_number", "X-Amzn-Mtls-Clientcert-Serial-Number"),
	requestHeader("x_amzn_mtls_clientcert_issuer", "X-Amzn-Mtls-Clientcert-Issuer"),
	requestHeader("x_amzn_mtls_clientcert_subject", "X-Amzn-Mtls-Clientcert-Subject"),
	requestHeader("x_amzn_mtls_clientcert_validity", "X-Amzn-Mtls-Clientcert-Validity"),
	requestHeader("x_amzn_mtls_clientcert_leaf", "X-Amzn-Mtls-Clientcert-Leaf"),
	requestHeader("x_amzn_mtls_clientcert", "X-Amzn-Mtls-Clientcert"),
	requestHeader("x_amzn_tls_version", "X-Amzn-Tls-Version"),
	requestHeader("x_amzn_tls_cipher_suite", "X-Amzn-Tls-Cipher-Suite"),
	{"routing.http.response.server.enabled", httpListener, constant[listenerOf]("true"), boolValue[listenerOf]},
	responseHeader("strict_transport_security", textValue[listenerOf](maxHeaderValue)),
	responseHeader("access_control_allow_origin", textValue[listenerOf](maxHeaderValue)),
	responseHeader("access_control_allow_methods", methodsValue),
	responseHeader("access_control_allow_headers", textValue[listenerOf](maxHeaderValue)),
	responseHeader("access_control_allow_credentials", emptyOr(enumValue[listenerOf]("true"))),
	responseHeader("access_control_expose_headers", textValue[listenerOf](maxHeaderValue)),
	responseHeader("access_control_max_age", emptyOr(intValue[listenerOf](0, 86400))),
	responseHeader("content_security_policy", textValue[listenerOf](maxHeaderValue)),
	responseHeader("x_content_type_options", emptyOr(enumValue[listenerOf]("nosniff"))),
	responseHeader("x_frame_options", frameOptionsValue),
}

func requestHeader(name, def string) attrSpec[listenerOf] {
	return attrSpec[listenerOf]{"routing.http.request." + name + ".header_name", httpsListener, constant[listenerOf](def), headerNameValue}
}

func responseHeader(name string, check func(*listenerOf, string) error) attrSpec[listenerOf] {
	return attrSpec[listenerOf]{"routing.http.response." + name + ".header_value", httpListener, constant[listenerOf](""), check}
}

func emptyOr(check func(*listenerOf, string) error) func(*listenerOf, string) error {
	return func(x *listenerOf, v string) error {
		if v == "" {
			return nil
		}
		return check(x, v)
	}
}

func headerNameValue(_ *listenerOf, v string) error {
	if !headerNameRE().MatchString(v) {
		return query.Validation("Header name '%s' must be 1-40 characters of an HTTP token", v)
	}
	return nil
}

var corsMethods = []string{"GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS"}

func methodsValue(_ *listenerOf, v string) error {
	if v == "" {
		return nil
	}
	for _, m := range strings.Split(v, ",") {
		if !oneOf(strings.TrimSpace(m), corsMethods...) {
			return query.Validation("Method '%s' must be one of %s", m, strings.Join(corsMethods, ", "))
		}
	}
	return nil
}

func frameOptionsValue(_ *listenerOf, v string) error {
	if v == "" || v == "DENY" || v == "SAMEORIGIN" || (strings.HasPrefix(v, "ALLOW-FROM ") && len(v) <= maxHeaderValue) {
		return nil
	}
	return query.Validation("X-Frame-Options value '%s' must be DENY, SAMEORIGIN or ALLOW-FROM followed by a URI", v)
}

func (r *Room) describeListenerAttributes(c *query.Call) (any, error) {
	arn, err := c.Params.Required("ListenerArn")
	if err != nil {
		return nil, err
	}
	var res *attributesResult
	err = r.view(c, func(p *store.Part) error {
		l, err := getListener(p, arn)
		if err != nil {
			return err
		}
		res = attributesXML(ListenerAttributes(l, lbTypeOfARN(l.ARN)))
		return nil
	})
	return res, err
}

func (r *Room) modifyListenerAttributes(c *query.Call) (any, error) {
	given, err := parseAttributes(c.Params, maxHeaderValue)
	if err != nil {
		return nil, err
	}
	var res *attributesResult
	err = r.updateListener(c, func(p *store.Part, lb *lbRec, l *store.V2Listener) error {
		x := &listenerOf{l, lb.Type}
		attrs, err := applyAttrs(listenerAttrs, x, l.Attrs, given, "listener")
		if err != nil {
			return err
		}
		l.Attrs = attrs
		res = attributesXML(ListenerAttributes(l, lb.Type))
		return nil
	})
	return res, err
}

// lbTypeOfARN is the balancer type an ELBv2 listener or balancer ARN names (app, net, gwy).
func lbTypeOfARN(arn string) string {
	for t, short := range arnTypes {
		if strings.Contains(arn, "/"+short+"/") {
			return t
		}
	}
	return ""
}
