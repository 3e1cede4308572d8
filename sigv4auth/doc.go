// Package sigv4auth verifies AWS Signature Version 4 on requests received by
// the embedded endpoint, and loads the credentials it accepts.
//
// Both SigV4 forms are verified: the Authorization header form used by the
// SDKs and the AWS CLI, and the presigned query-string form (X-Amz-Signature
// in the URL). Verification re-signs a reconstructed copy of the request with
// aws-sdk-go-v2's signer, using the client's own time, scope and signed-header
// list, and compares the two signatures in constant time.
//
// S3 (the s3 scope) signs differently, and VerifyPayload follows it: the path
// is signed as sent, the payload hash is the X-Amz-Content-Sha256 header (a
// hex digest, which must be the body's, or UNSIGNED-PAYLOAD), and an
// aws-chunked upload is decoded: STREAMING-AWS4-HMAC-SHA256-PAYLOAD with each
// chunk's signature checked against the chain seeded by the request's,
// computed by the SDK's stream signer, or STREAMING-UNSIGNED-PAYLOAD-TRAILER
// with its trailing x-amz-checksum-* checked against the decoded data. A
// signed trailer and SigV4a chunks are refused as NotImplemented.
//
// Failures are *Error values carrying the AWS error code and HTTP status a
// real query API returns (MissingAuthenticationToken, IncompleteSignature,
// InvalidClientTokenId, SignatureDoesNotMatch, RequestExpired; for S3's payload
// rules and clock skew, S3's own codes such as XAmzContentSHA256Mismatch,
// BadDigest and RequestTimeTooSkewed). Messages never contain a secret key, a
// session token or a signature.
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
