package sigv4auth

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
)

// checkToken holds a request's session token to its credential, as AWS does: temporary
// credentials (a credential with a SessionToken) are only good with their own token, and a
// token sent with long-term credentials is refused too. A token must be signed, so that it
// cannot be swapped in transit.
func checkToken(r *http.Request, in authInput, query url.Values, cred Credential) *Error {
	var token string
	sent := false
	if vals := headerValues(r.Header, "x-amz-security-token"); len(vals) > 0 {
		if !slices.Contains(in.headerNames, "x-amz-security-token") {
			return errIncomplete("X-Amz-Security-Token must be listed in SignedHeaders when present.")
		}
		if len(vals) > 1 {
			return errIncomplete("X-Amz-Security-Token header must appear once.")
		}
		token, sent = vals[0], true
	}
	if in.presigned && query.Has("X-Amz-Security-Token") {
		if sent || len(query["X-Amz-Security-Token"]) > 1 {
			return errIncomplete("X-Amz-Security-Token must appear once.")
		}
		token, sent = query.Get("X-Amz-Security-Token"), true
	}
	switch {
	case !sent && cred.SessionToken == "":
		return nil
	case sent && cred.SessionToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(cred.SessionToken)) == 1:
		return nil
	}
	return errUnknownKey()
}
