package elbv2

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Action types.
const (
	actionForward  = "forward"
	actionRedirect = "redirect"
	actionFixed    = "fixed-response"
	actionOIDC     = "authenticate-oidc"
	actionCognito  = "authenticate-cognito"
	actionJWT      = "jwt-validation"
)

var actionTypes = []string{actionForward, actionOIDC, actionCognito, actionRedirect, actionFixed, actionJWT}

// maxActions per rule: one authentication and one routing action at most.
const maxActions = 2

// Bounds on the free text of actions that the model leaves open (lbcloud's, far above any
// real value): URLs, identifiers, secrets, cookie names and the extra parameters of the
// authenticate actions.
const (
	maxURL        = 2048
	maxIdentifier = 1024
	maxSecret     = 4096
	maxCookieName = 256
	maxExtraParam = 1024
	maxExtras     = 10
	maxJWTField   = 256
	maxClaims     = 10
)

// actionCtx is what an action list is checked against.
type actionCtx struct {
	lb       *lbRec
	listener *store.V2Listener // its protocol and port; nil before the listener exists
	protocol string
	port     int
	old      []store.V2Action // the actions replaced, for UseExistingClientSecret
}

// parseActions reads the action list name (DefaultActions, Actions).
func (r *Room) parseActions(p *store.Part, params query.Params, name string, ac actionCtx) ([]store.V2Action, error) {
	var out []store.V2Action
	n, present, err := params.Structs(name, func(pre string) error {
		a, err := r.parseAction(p, params, pre, ac)
		if err == nil {
			out = append(out, a)
		}
		return err
	})
	switch {
	case err != nil:
		return nil, err
	case !present:
		return nil, query.Missing(name)
	case n == 0:
		return nil, query.Validation("%s must contain at least one action", name)
	case n > maxActions:
		return nil, errTooMany("TooManyActions", "actions per rule", maxActions)
	}
	return out, checkActionOrder(out, ac)
}

func (r *Room) parseAction(p *store.Part, params query.Params, pre string, ac actionCtx) (store.V2Action, error) {
	a := store.V2Action{Type: params[pre+"Type"]}
	if a.Type == "" {
		return a, query.Missing(pre + "Type")
	}
	if !oneOf(a.Type, actionTypes...) {
		return a, enumError(pre+"Type", a.Type, actionTypes...)
	}
	order, _, err := params.IntOpt(pre+"Order", 1, 50000)
	if err != nil {
		return a, err
	}
	a.Order = order
	if ac.lb.Type != typeALB && a.Type != actionForward {
		return a, errAction("%s load balancers support forward actions only", ac.lb.Type)
	}
	for _, cfg := range []struct{ typ, prefix string }{{actionForward, "ForwardConfig."}, {actionRedirect, "RedirectConfig."},
		{actionFixed, "FixedResponseConfig."}, {actionOIDC, "AuthenticateOidcConfig."}, {actionCognito, "AuthenticateCognitoConfig."},
		{actionJWT, "JwtValidationConfig."}} {
		if cfg.typ != a.Type && params.HasPrefix(pre+cfg.prefix) {
			return a, errAction("%s applies to %s actions only", strings.TrimSuffix(cfg.prefix, "."), cfg.typ)
		}
	}
	if a.Type != actionForward && params[pre+"TargetGroupArn"] != "" {
		return a, errAction("TargetGroupArn applies to forward actions only")
	}
	switch a.Type {
	case actionForward:
		err = r.parseForward(p, params, pre, ac, &a)
	case actionRedirect:
		a.Redirect, err = parseRedirect(params, pre+"RedirectConfig.", ac)
	case actionFixed:
		a.Fixed, err = parseFixed(params, pre+"FixedResponseConfig.")
	case actionOIDC:
		a.OIDC, err = parseOIDC(params, pre+"AuthenticateOidcConfig.", ac)
	case actionCognito:
		a.Cognito, err = parseCognito(params, pre+"AuthenticateCognitoConfig.")
	case actionJWT:
		a.JWT, err = parseJWT(params, pre+"JwtValidationConfig.")
	}
	if err == nil && isAuth(a.Type) && ac.protocol != protoHTTPS {
		err = errAction("%s actions are supported on HTTPS listeners only", a.Type)
	}
	return a, err
}

func isAuth(t string) bool { return t == actionOIDC || t == actionCognito || t == actionJWT }

// checkActionOrder: with several actions each has a distinct Order; exactly one routing
// action (forward, redirect, fixed-response), performed last; at most one authentication.
func checkActionOrder(actions []store.V2Action, ac actionCtx) error {
	if len(actions) > 1 {
		seen := map[int]bool{}
		for _, a := range actions {
			if a.Order == 0 {
				return errAction("Order is required for every action of a rule with several actions")
			}
			if seen[a.Order] {
				return errAction("Action order %d is used more than once", a.Order)
			}
			seen[a.Order] = true
		}
	}
	sorted := slices.Clone(actions)
	slices.SortStableFunc(sorted, func(a, b store.V2Action) int { return a.Order - b.Order })
	auth := 0
	for i, a := range sorted {
		last := i == len(sorted)-1
		switch {
		case isAuth(a.Type):
			auth++
			if last {
				return errAction("The last action must be forward, redirect or fixed-response")
			}
		case !last:
			return errAction("A %s action must be the last action", a.Type)
		}
	}
	if auth > 1 {
		return errAction("A rule can have at most one authentication action")
	}
	return nil
}

var (
	httpsScheme    = "https"
	fixedStatusRE  = regexp.MustCompile(`^[245]\d\d$`)
	redirectProtRE = regexp.MustCompile(`^(HTTPS?|#\{protocol\})$`)
	placeholderRE  = regexp.MustCompile(`#\{([^}]*)\}`)
	contentTypes   = []string{"text/plain", "text/css", "text/html", "application/javascript", "application/json"}
)

// parseRedirect reads a redirect: parts not given get their #{...} default; a part may use
// only the keywords AWS allows in it; at least one of protocol, host, port and path must
// change, and HTTPS is never redirected to HTTP.
func parseRedirect(params query.Params, pre string, ac actionCtx) (*store.V2Redirect, error) {
	rd := &store.V2Redirect{Protocol: "#{protocol}", Port: "#{port}", Host: "#{host}", Path: "/#{path}", Query: "#{query}"}
	rd.StatusCode = params[pre+"StatusCode"]
	if rd.StatusCode == "" {
		return nil, query.Missing(pre + "StatusCode")
	}
	if !oneOf(rd.StatusCode, "HTTP_301", "HTTP_302") {
		return nil, enumError(pre+"StatusCode", rd.StatusCode, "HTTP_301", "HTTP_302")
	}
	parts := []struct {
		name     string
		dst      *string
		min, max int
		keywords []string
	}{
		{"Protocol", &rd.Protocol, 1, 128, []string{"protocol"}},
		{"Port", &rd.Port, 1, 128, []string{"port"}},
		{"Host", &rd.Host, 1, 128, []string{"host"}},
		{"Path", &rd.Path, 1, 128, []string{"host", "path", "port"}},
		{"Query", &rd.Query, 0, 128, []string{"protocol", "host", "port", "path", "query"}},
	}
	for _, part := range parts {
		v, ok := params.Str(pre + part.name)
		if !ok {
			continue
		}
		if n := len([]rune(v)); n < part.min || n > part.max {
			return nil, lengthError(pre+part.name, part.min, part.max)
		}
		for _, m := range placeholderRE.FindAllStringSubmatch(v, -1) {
			if !oneOf(m[1], part.keywords...) {
				return nil, errAction("%s cannot contain the keyword #{%s}", part.name, m[1])
			}
		}
		*part.dst = v
	}
	if !redirectProtRE.MatchString(rd.Protocol) {
		return nil, notPattern(pre+"Protocol", rd.Protocol)
	}
	if n, err := strconv.Atoi(rd.Port); rd.Port != "#{port}" && (err != nil || n < 1 || n > 65535) {
		return nil, query.Validation("Redirect port '%s' must be #{port} or a port from 1 to 65535", rd.Port)
	}
	if !strings.HasPrefix(rd.Path, "/") {
		return nil, query.Validation("Redirect path '%s' must start with '/'", rd.Path)
	}
	if ac.protocol == protoHTTPS && rd.Protocol == protoHTTP {
		return nil, errAction("HTTPS cannot be redirected to HTTP")
	}
	sameProto := rd.Protocol == "#{protocol}" || rd.Protocol == ac.protocol
	samePort := rd.Port == "#{port}" || rd.Port == strconv.Itoa(ac.port)
	if sameProto && samePort && rd.Host == "#{host}" && rd.Path == "/#{path}" {
		return nil, errAction("A redirect must change the protocol, host, port or path, to avoid a redirect loop")
	}
	return rd, nil
}

func parseFixed(params query.Params, pre string) (*store.V2FixedResponse, error) {
	f := &store.V2FixedResponse{StatusCode: params[pre+"StatusCode"], ContentType: params[pre+"ContentType"]}
	if f.StatusCode == "" {
		return nil, query.Missing(pre + "StatusCode")
	}
	if !fixedStatusRE.MatchString(f.StatusCode) {
		return nil, notPattern(pre+"StatusCode", f.StatusCode)
	}
	if f.ContentType != "" && !oneOf(f.ContentType, contentTypes...) {
		return nil, query.Validation("Content type '%s' must be one of %s", f.ContentType, strings.Join(contentTypes, ", "))
	}
	var err error
	if f.Body, _, err = params.Text(pre+"MessageBody", 1024); err != nil {
		return nil, err
	}
	return f, nil
}

// httpsURL reads a required https URL of at most max characters.
func httpsURL(params query.Params, name string, max int) (string, error) {
	v, err := params.RequiredText(name, max)
	if err != nil {
		return "", err
	}
	u, perr := url.Parse(v)
	if perr != nil || u.Scheme != httpsScheme || u.Host == "" {
		return "", query.Validation("%s '%s' must be a full https URL", name, v)
	}
	return v, nil
}
