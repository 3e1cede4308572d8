package awsclient

import (
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// Shield wraps c (nil: the SDK's default client) so that request bodies reach net/http
// without their WriteTo method. The SDK closes a request's body as soon as the response
// head arrives, and a closed body's WriteTo answers io.EOF as an error; net/http, still
// checking the body for extra bytes after sending it, then takes that for a failed write
// and closes the connection under the response being read ("use of closed network
// connection"). A fast endpoint (any on loopback) answers inside that window about once
// in a thousand calls. Through Read the closed body ends cleanly.
func Shield(c aws.HTTPClient) aws.HTTPClient {
	if c == nil {
		c = awshttp.NewBuildableClient()
	}
	if _, ok := c.(shield); ok {
		return c
	}
	return shield{c}
}

type shield struct{ next aws.HTTPClient }

func (s shield) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = readOnlyBody{r.Body}
	}
	return s.next.Do(r)
}

// readOnlyBody is a body with Read and Close alone.
type readOnlyBody struct{ io.ReadCloser }
