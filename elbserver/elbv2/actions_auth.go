package elbv2

import (
	"regexp"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

var (
	userPoolARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool/[\w-]+_[0-9a-zA-Z]+$`)
	// reservedClaims are validated by every jwt-validation action already.
	reservedClaims = []string{"exp", "iss", "nbf", "iat"}
	claimFormats   = []string{"single-string", "string-array", "space-separated-values"}
)

// parseAuthCommon reads what both authenticate actions share, with AWS's defaults.
func parseAuthCommon(params query.Params, pre string) (store.V2AuthCommon, error) {
	a := store.V2AuthCommon{SessionCookieName: "AWSELBAuthSessionCookie", Scope: "openid", SessionTimeout: 604800,
		OnUnauthenticated: "authenticate"}
	if v, ok, err := params.Text(pre+"SessionCookieName", maxCookieName); err != nil {
		return a, err
	} else if ok {
		a.SessionCookieName = v
	}
	if v, ok, err := params.Text(pre+"Scope", maxIdentifier); err != nil {
		return a, err
	} else if ok {
		a.Scope = v
	}
	if n, ok, err := params.IntOpt(pre+"SessionTimeout", 1, 604800); err != nil {
		return a, err
	} else if ok {
		a.SessionTimeout = int64(n)
	}
	if v, ok := params.Str(pre + "OnUnauthenticatedRequest"); ok {
		if !oneOf(v, "deny", "allow", "authenticate") {
			return a, enumError(pre+"OnUnauthenticatedRequest", v, "deny", "allow", "authenticate")
		}
		a.OnUnauthenticated = v
	}
	extra, _, err := params.Map(pre + "AuthenticationRequestExtraParams")
	if err != nil {
		return a, err
	}
	if len(extra) > maxExtras {
		return a, query.Validation("At most %d AuthenticationRequestExtraParams can be given", maxExtras)
	}
	for i := 1; i <= len(extra); i++ {
		k := params[pre+"AuthenticationRequestExtraParams.entry."+itoa(i)+".key"]
		if len(k) > maxExtraParam || len(extra[k]) > maxExtraParam {
			return a, query.Validation("AuthenticationRequestExtraParams keys and values have at most %d characters", maxExtraParam)
		}
		a.ExtraParams = append(a.ExtraParams, store.Attribute{Name: k, Value: extra[k]})
	}
	return a, nil
}

func parseOIDC(params query.Params, pre string, ac actionCtx) (*store.V2OIDC, error) {
	if !params.HasPrefix(pre) {
		return nil, query.Missing(strings.TrimSuffix(pre, "."))
	}
	o := &store.V2OIDC{}
	var err error
	for _, f := range []struct {
		name string
		dst  *string
	}{{"Issuer", &o.Issuer}, {"AuthorizationEndpoint", &o.AuthorizationEndpoint}, {"TokenEndpoint", &o.TokenEndpoint},
		{"UserInfoEndpoint", &o.UserInfoEndpoint}} {
		if *f.dst, err = httpsURL(params, pre+f.name, maxURL); err != nil {
			return nil, err
		}
	}
	if o.ClientID, err = params.RequiredText(pre+"ClientId", maxIdentifier); err != nil {
		return nil, err
	}
	useExisting, _, err := params.BoolOpt(pre + "UseExistingClientSecret")
	if err != nil {
		return nil, err
	}
	secret, given, err := params.Text(pre+"ClientSecret", maxSecret)
	switch {
	case err != nil:
		return nil, err
	case useExisting && given:
		return nil, query.Validation("ClientSecret cannot be given with UseExistingClientSecret")
	case useExisting:
		for _, a := range ac.old {
			if a.OIDC != nil {
				secret = a.OIDC.ClientSecret
			}
		}
		if secret == "" {
			return nil, query.Validation("UseExistingClientSecret needs an existing authenticate-oidc action")
		}
	case secret == "":
		return nil, query.Missing(pre + "ClientSecret")
	}
	o.ClientSecret = secret
	if o.V2AuthCommon, err = parseAuthCommon(params, pre); err != nil {
		return nil, err
	}
	return o, nil
}

func parseCognito(params query.Params, pre string) (*store.V2Cognito, error) {
	if !params.HasPrefix(pre) {
		return nil, query.Missing(strings.TrimSuffix(pre, "."))
	}
	cg := &store.V2Cognito{}
	var err error
	if cg.UserPoolARN, err = params.RequiredText(pre+"UserPoolArn", maxIdentifier); err != nil {
		return nil, err
	}
	if !userPoolARNRE.MatchString(cg.UserPoolARN) {
		return nil, query.Validation("'%s' is not a valid Cognito user pool ARN", cg.UserPoolARN)
	}
	if cg.UserPoolClientID, err = params.RequiredText(pre+"UserPoolClientId", maxIdentifier); err != nil {
		return nil, err
	}
	if cg.UserPoolDomain, err = params.RequiredText(pre+"UserPoolDomain", maxIdentifier); err != nil {
		return nil, err
	}
	if cg.V2AuthCommon, err = parseAuthCommon(params, pre); err != nil {
		return nil, err
	}
	return cg, nil
}

func parseJWT(params query.Params, pre string) (*store.V2JWT, error) {
	if !params.HasPrefix(pre) {
		return nil, query.Missing(strings.TrimSuffix(pre, "."))
	}
	j := &store.V2JWT{}
	var err error
	if j.JWKSEndpoint, err = httpsURL(params, pre+"JwksEndpoint", maxJWTField); err != nil {
		return nil, err
	}
	if j.Issuer, err = params.RequiredText(pre+"Issuer", maxJWTField); err != nil {
		return nil, err
	}
	n, _, err := params.Structs(pre+"AdditionalClaims", func(cp string) error {
		c, err := parseClaim(params, cp)
		if err == nil {
			j.Claims = append(j.Claims, c)
		}
		return err
	})
	if err == nil && n > maxClaims {
		err = query.Validation("At most %d additional claims can be validated", maxClaims)
	}
	return j, err
}

func parseClaim(params query.Params, pre string) (store.V2Claim, error) {
	c := store.V2Claim{Format: params[pre+"Format"]}
	var err error
	if !oneOf(c.Format, claimFormats...) {
		return c, enumError(pre+"Format", c.Format, claimFormats...)
	}
	if c.Name, err = params.RequiredText(pre+"Name", maxJWTField); err != nil {
		return c, err
	}
	if oneOf(c.Name, reservedClaims...) {
		return c, query.Validation("Claim '%s' is always validated and cannot be an additional claim", c.Name)
	}
	if c.Values, err = params.StrListReq(pre + "Values"); err != nil {
		return c, err
	}
	if len(c.Values) == 0 || len(c.Values) > maxClaims {
		return c, query.Validation("A claim has 1 to %d values", maxClaims)
	}
	for _, v := range c.Values {
		if len([]rune(v)) > maxJWTField {
			return c, query.TooLong(pre+"Values", maxJWTField)
		}
		if c.Format == "space-separated-values" && strings.ContainsRune(v, ' ') {
			return c, query.Validation("Values of a space-separated-values claim cannot contain spaces")
		}
	}
	return c, nil
}
