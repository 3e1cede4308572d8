// Package sigv4auth verifies AWS Signature Version 4 on requests received by
// the embedded Classic ELB endpoint, and loads the credentials it accepts.
//
// Both SigV4 forms are verified: the Authorization header form used by the
// SDKs and the AWS CLI, and the presigned query-string form (X-Amz-Signature
// in the URL). Verification re-signs a reconstructed copy of the request with
// aws-sdk-go-v2's signer, using the client's own time, scope and signed-header
// list, and compares the two signatures in constant time.
//
// Failures are *Error values carrying the AWS error code and HTTP status a
// real query API returns (MissingAuthenticationToken, IncompleteSignature,
// InvalidClientTokenId, SignatureDoesNotMatch, RequestExpired). Messages never
// contain a secret key, a session token or a signature.
//
// Session tokens (X-Amz-Security-Token) are checked as AWS checks them: a
// credential with a session token is temporary and good only with that token;
// a token sent with long-term credentials, or the wrong token, is refused with
// InvalidClientTokenId. A token must be among the signed headers.
//
// # Credentials file
//
// LoadCredentialsFile reads a plain text file with one credential per line,
// an optional fourth field making it temporary credentials with that session
// token:
//
//	# ACCESS_KEY_ID      SECRET_ACCESS_KEY    ACCOUNT_ID    [SESSION_TOKEN]
//	AKIAEXAMPLE0000001  wJalrXUtnFEMIexample  123456789012
//	ASIAEXAMPLE0000002  je7MtGbClwBF/2Zp9Utk  123456789012  FwoGZXIvYXdzEXAMPLE
//	test                test                 000000000000
//
// Fields are separated by spaces or tabs. Blank lines and lines whose first
// non-blank character is '#' are ignored; there are no trailing comments.
// An access key ID is 1 to 128 characters from [A-Za-z0-9_-], the secret is
// any run of non-blank characters, and the account ID is exactly 12 digits.
// An access key ID may appear only once. Because the file holds secrets it
// must not be readable or writable by group or others (for example mode
// 0600); otherwise it is refused. Errors name the file and line but never
// repeat a secret.
package sigv4auth
