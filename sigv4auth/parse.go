package sigv4auth

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	algorithm      = "AWS4-HMAC-SHA256"
	amzTimeFormat  = "20060102T150405Z"
	scopeDateFmt   = "20060102"
	scopeTerm      = "aws4_request"
	maxPresignLife = 7 * 24 * time.Hour // AWS's limit for X-Amz-Expires
)

// authInput is what a request claims about its own signature.
type authInput struct {
	presigned     bool
	accessKeyID   string
	scopeDate     string
	region        string
	service       string
	signedHeaders string   // as sent, "a;b;c"
	headerNames   []string // signedHeaders split
	signature     string
	amzDate       time.Time
	expires       time.Duration // presigned only; 0 when absent
	hasExpires    bool
}

// parseHeaderAuth reads the Authorization header form:
//
//	AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex
func parseHeaderAuth(r *http.Request, authz string) (authInput, *Error) {
	var in authInput
	alg, rest, _ := strings.Cut(strings.TrimSpace(authz), " ")
	if alg != algorithm {
		return in, errIncomplete("Unsupported AWS 'algorithm'; only " + algorithm + " is accepted.")
	}
	params, err := splitAuthParams(rest)
	if err != nil {
		return in, err
	}
	var missing []string
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if params[k] == "" {
			missing = append(missing, "Authorization header requires '"+k+"' parameter.")
		}
	}
	if len(missing) > 0 {
		return in, errIncomplete(strings.Join(missing, " "))
	}
	if err := in.setCredential(params["Credential"]); err != nil {
		return in, err
	}
	if err := in.setSignedHeaders(params["SignedHeaders"]); err != nil {
		return in, err
	}
	in.signature = params["Signature"]

	dates := headerValues(r.Header, "x-amz-date")
	switch {
	case len(dates) == 0:
		// The signer always signs X-Amz-Date, so a request dated only by
		// the Date header cannot be reproduced; every SDK sends X-Amz-Date.
		return in, errIncomplete("Authorization header requires existence of a 'X-Amz-Date' header.")
	case len(dates) > 1:
		return in, errIncomplete("X-Amz-Date header must appear once.")
	}
	if err := in.setDate(dates[0]); err != nil {
		return in, err
	}
	return in, nil
}

// splitAuthParams splits "k=v, k=v, ..." refusing malformed or repeated keys.
func splitAuthParams(s string) (map[string]string, *Error) {
	params := map[string]string{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, errIncomplete("Authorization header parameters must be key=value pairs.")
		}
		if _, dup := params[k]; dup {
			return nil, errIncomplete("Authorization header repeats a parameter.")
		}
		params[k] = v
	}
	return params, nil
}

// parseQueryAuth reads the presigned form: X-Amz-Algorithm, X-Amz-Credential,
// X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Signature and optional X-Amz-Expires.
func parseQueryAuth(q url.Values) (authInput, *Error) {
	in := authInput{presigned: true}
	get := func(k string) (string, *Error) {
		v := q[k]
		switch {
		case len(v) == 0 || v[0] == "":
			return "", errIncomplete("AWS query-string parameters must include '" + k + "'.")
		case len(v) > 1:
			return "", errIncomplete("Query-string parameter '" + k + "' must appear once.")
		}
		return v[0], nil
	}
	alg, err := get("X-Amz-Algorithm")
	if err != nil {
		return in, err
	}
	if alg != algorithm {
		return in, errIncomplete("Unsupported AWS 'algorithm'; only " + algorithm + " is accepted.")
	}
	fields := map[string]string{}
	for _, k := range []string{"X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
		if fields[k], err = get(k); err != nil {
			return in, err
		}
	}
	if err := in.setCredential(fields["X-Amz-Credential"]); err != nil {
		return in, err
	}
	if err := in.setSignedHeaders(fields["X-Amz-SignedHeaders"]); err != nil {
		return in, err
	}
	if err := in.setDate(fields["X-Amz-Date"]); err != nil {
		return in, err
	}
	in.signature = fields["X-Amz-Signature"]
	if _, ok := q["X-Amz-Expires"]; ok {
		v, err := get("X-Amz-Expires")
		if err != nil {
			return in, err
		}
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || n < 0 || time.Duration(n)*time.Second > maxPresignLife {
			return in, errIncomplete("X-Amz-Expires must be a whole number of seconds from 0 to 604800.")
		}
		in.expires, in.hasExpires = time.Duration(n)*time.Second, true
	}
	return in, nil
}

// setCredential parses "AKID/YYYYMMDD/region/service/aws4_request".
func (in *authInput) setCredential(s string) *Error {
	parts := strings.Split(s, "/")
	if len(parts) != 5 {
		return errIncomplete("Credential must have exactly 5 slash-separated components: ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request.")
	}
	if parts[0] == "" {
		return errIncomplete("Credential must name an access key ID.")
	}
	if _, err := time.Parse(scopeDateFmt, parts[1]); err != nil || len(parts[1]) != 8 {
		return errIncomplete("Credential should be scoped to a valid date in the form YYYYMMDD.")
	}
	if !validScopeName(parts[2]) {
		return errIncomplete("Credential should be scoped to a valid region.")
	}
	if !validScopeName(parts[3]) {
		return errIncomplete("Credential should be scoped to a valid service.")
	}
	if parts[4] != scopeTerm {
		return errIncomplete("Credential should be scoped with a valid terminator: 'aws4_request'.")
	}
	in.accessKeyID, in.scopeDate, in.region, in.service = parts[0], parts[1], parts[2], parts[3]
	return nil
}

// validScopeName accepts region and service names such as "us-east-1" or
// "elasticloadbalancing".
func validScopeName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// setSignedHeaders checks the list is lower case, sorted, unique and names
// host, as the SigV4 specification requires.
func (in *authInput) setSignedHeaders(s string) *Error {
	names := strings.Split(s, ";")
	hasHost := false
	for i, n := range names {
		if n == "" || !isToken(n) || strings.ToLower(n) != n {
			return errIncomplete("SignedHeaders must be a ';'-separated list of lower-case header names.")
		}
		if i > 0 && names[i-1] >= n {
			return errIncomplete("SignedHeaders must be sorted and free of duplicates.")
		}
		if n == "host" {
			hasHost = true
		}
	}
	if !hasHost {
		return errIncomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	in.signedHeaders, in.headerNames = s, names
	return nil
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

func (in *authInput) setDate(s string) *Error {
	t, err := time.Parse(amzTimeFormat, s)
	// The round trip guarantees the signer re-creates the exact bytes signed.
	if err != nil || t.Format(amzTimeFormat) != s {
		return errIncomplete("X-Amz-Date must be in the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z'.")
	}
	in.amzDate = t
	return nil
}
