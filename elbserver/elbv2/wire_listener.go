package elbv2

import (
	"encoding/xml"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlEntry struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

// xmlOIDC has no ClientSecret: the secret is never described.
type xmlOIDC struct {
	Issuer                   string     `xml:"Issuer"`
	AuthorizationEndpoint    string     `xml:"AuthorizationEndpoint"`
	TokenEndpoint            string     `xml:"TokenEndpoint"`
	UserInfoEndpoint         string     `xml:"UserInfoEndpoint"`
	ClientID                 string     `xml:"ClientId"`
	SessionCookieName        string     `xml:"SessionCookieName"`
	Scope                    string     `xml:"Scope"`
	SessionTimeout           int64      `xml:"SessionTimeout"`
	ExtraParams              []xmlEntry `xml:"AuthenticationRequestExtraParams>entry,omitempty"`
	OnUnauthenticatedRequest string     `xml:"OnUnauthenticatedRequest"`
}

type xmlCognito struct {
	UserPoolArn              string     `xml:"UserPoolArn"`
	UserPoolClientID         string     `xml:"UserPoolClientId"`
	UserPoolDomain           string     `xml:"UserPoolDomain"`
	SessionCookieName        string     `xml:"SessionCookieName"`
	Scope                    string     `xml:"Scope"`
	SessionTimeout           int64      `xml:"SessionTimeout"`
	ExtraParams              []xmlEntry `xml:"AuthenticationRequestExtraParams>entry,omitempty"`
	OnUnauthenticatedRequest string     `xml:"OnUnauthenticatedRequest"`
}

type xmlRedirect struct {
	Protocol   string `xml:"Protocol"`
	Port       string `xml:"Port"`
	Host       string `xml:"Host"`
	Path       string `xml:"Path"`
	Query      string `xml:"Query"`
	StatusCode string `xml:"StatusCode"`
}

type xmlFixed struct {
	MessageBody string `xml:"MessageBody,omitempty"`
	StatusCode  string `xml:"StatusCode"`
	ContentType string `xml:"ContentType,omitempty"`
}

type xmlWeighted struct {
	TargetGroupArn string `xml:"TargetGroupArn"`
	Weight         int    `xml:"Weight"`
}

type xmlStickiness struct {
	Enabled         bool `xml:"Enabled"`
	DurationSeconds int  `xml:"DurationSeconds,omitempty"`
}

type xmlForward struct {
	TargetGroups []xmlWeighted `xml:"TargetGroups>member"`
	Stickiness   xmlStickiness `xml:"TargetGroupStickinessConfig"`
}

type xmlClaim struct {
	Format string   `xml:"Format"`
	Name   string   `xml:"Name"`
	Values []string `xml:"Values>member"`
}

type xmlJWT struct {
	JwksEndpoint string     `xml:"JwksEndpoint"`
	Issuer       string     `xml:"Issuer"`
	Claims       []xmlClaim `xml:"AdditionalClaims>member,omitempty"`
}

type xmlAction struct {
	Type           string       `xml:"Type"`
	TargetGroupArn string       `xml:"TargetGroupArn,omitempty"`
	OIDC           *xmlOIDC     `xml:"AuthenticateOidcConfig,omitempty"`
	Cognito        *xmlCognito  `xml:"AuthenticateCognitoConfig,omitempty"`
	Order          int          `xml:"Order,omitempty"`
	Redirect       *xmlRedirect `xml:"RedirectConfig,omitempty"`
	Fixed          *xmlFixed    `xml:"FixedResponseConfig,omitempty"`
	Forward        *xmlForward  `xml:"ForwardConfig,omitempty"`
	JWT            *xmlJWT      `xml:"JwtValidationConfig,omitempty"`
}

func entriesXML(attrs []store.Attribute) []xmlEntry {
	out := make([]xmlEntry, len(attrs))
	for i, a := range attrs {
		out[i] = xmlEntry{a.Name, a.Value}
	}
	return out
}

func actionsXML(actions []store.V2Action) []xmlAction {
	out := make([]xmlAction, len(actions))
	for i, a := range actions {
		x := xmlAction{Type: a.Type, Order: a.Order}
		if f := a.Forward; f != nil {
			// A forward to a single group names it in TargetGroupArn too, however it was given.
			if len(f.TargetGroups) == 1 {
				x.TargetGroupArn = f.TargetGroups[0].ARN
			}
			x.Forward = &xmlForward{Stickiness: xmlStickiness{f.Stickiness, f.Duration}}
			for _, g := range f.TargetGroups {
				x.Forward.TargetGroups = append(x.Forward.TargetGroups, xmlWeighted{g.ARN, g.Weight})
			}
		}
		if rd := a.Redirect; rd != nil {
			x.Redirect = &xmlRedirect{rd.Protocol, rd.Port, rd.Host, rd.Path, rd.Query, rd.StatusCode}
		}
		if f := a.Fixed; f != nil {
			x.Fixed = &xmlFixed{f.Body, f.StatusCode, f.ContentType}
		}
		if o := a.OIDC; o != nil {
			x.OIDC = &xmlOIDC{o.Issuer, o.AuthorizationEndpoint, o.TokenEndpoint, o.UserInfoEndpoint, o.ClientID,
				o.SessionCookieName, o.Scope, o.SessionTimeout, entriesXML(o.ExtraParams), o.OnUnauthenticated}
		}
		if cg := a.Cognito; cg != nil {
			x.Cognito = &xmlCognito{cg.UserPoolARN, cg.UserPoolClientID, cg.UserPoolDomain, cg.SessionCookieName, cg.Scope,
				cg.SessionTimeout, entriesXML(cg.ExtraParams), cg.OnUnauthenticated}
		}
		if j := a.JWT; j != nil {
			x.JWT = &xmlJWT{JwksEndpoint: j.JWKSEndpoint, Issuer: j.Issuer}
			for _, c := range j.Claims {
				x.JWT.Claims = append(x.JWT.Claims, xmlClaim(c))
			}
		}
		out[i] = x
	}
	return out
}

type xmlCertificate struct {
	CertificateArn string `xml:"CertificateArn"`
	IsDefault      *bool  `xml:"IsDefault,omitempty"`
}

type xmlMutualAuth struct {
	Mode                          string `xml:"Mode"`
	TrustStoreArn                 string `xml:"TrustStoreArn,omitempty"`
	IgnoreClientCertificateExpiry *bool  `xml:"IgnoreClientCertificateExpiry,omitempty"`
	AdvertiseTrustStoreCaNames    string `xml:"AdvertiseTrustStoreCaNames,omitempty"`
}

type xmlListener struct {
	XMLName         xml.Name         `xml:"member"`
	ListenerArn     string           `xml:"ListenerArn"`
	LoadBalancerArn string           `xml:"LoadBalancerArn"`
	Port            int              `xml:"Port,omitempty"`
	Protocol        string           `xml:"Protocol,omitempty"`
	Certificates    []xmlCertificate `xml:"Certificates>member,omitempty"`
	SslPolicy       string           `xml:"SslPolicy,omitempty"`
	DefaultActions  []xmlAction      `xml:"DefaultActions>member"`
	AlpnPolicy      []string         `xml:"AlpnPolicy>member,omitempty"`
	MutualAuth      *xmlMutualAuth   `xml:"MutualAuthentication,omitempty"`
}

// listenerXML is a listener's description. A change to what it renders must change
// listenerViewVersion.
func listenerXML(l *store.V2Listener, lbARN string) xmlListener {
	out := xmlListener{ListenerArn: l.ARN, LoadBalancerArn: lbARN, Port: l.Port, Protocol: l.Protocol,
		SslPolicy: l.SSLPolicy, DefaultActions: actionsXML(l.DefaultActions)}
	if l.Certificate != "" {
		out.Certificates = []xmlCertificate{{CertificateArn: l.Certificate}}
	}
	if l.ALPNPolicy != "" {
		out.AlpnPolicy = []string{l.ALPNPolicy}
	}
	if m := l.MutualAuth; m != nil {
		out.MutualAuth = &xmlMutualAuth{Mode: m.Mode, TrustStoreArn: m.TrustStoreARN, AdvertiseTrustStoreCaNames: m.AdvertiseCAs}
		if m.Mode == mtlsVerify {
			out.MutualAuth.IgnoreClientCertificateExpiry = &m.IgnoreExpiry
		}
	} else if l.Protocol == protoHTTPS {
		out.MutualAuth = &xmlMutualAuth{Mode: mtlsOff}
	}
	return out
}

type listenersResult struct {
	Listeners struct {
		Members []byte `xml:",innerxml"`
	} `xml:"Listeners"`
	NextMarker string `xml:"NextMarker,omitempty"`
}

type listenerResult struct {
	Listeners []xmlListener `xml:"Listeners>member"`
}

// listenerViews keeps each listener's <member> description beside its record. Write
// listeners through it.
var listenerViews = store.NewView("elbv2-listener-view", store.V2Listeners, listenerViewVersion,
	func(p *store.Part, _ string, l *store.V2Listener) ([]byte, error) {
		return xml.Marshal(listenerXML(l, lbARNOfListener(l.ARN)))
	}).WithIndex(certificateIndex, "1", certificatesOf)

// listenerViewVersion names what listenerXML renders (see lbViewVersion).
const listenerViewVersion = "1"
