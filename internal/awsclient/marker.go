package awsclient

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"strings"

	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// maxPeek bounds how much of an answer NextMarker reads ahead of the SDK: the largest
// DescribeLoadBalancers page (400 balancers with every field) is well under it. A longer
// answer is handed to the SDK untouched.
const maxPeek = 16 << 20

// NextMarker is an interceptor (add it to a call's Interceptors.BeforeDeserialization) for a
// paged Query call whose answer names the next page's token in a NextMarker element, as
// ELB's and ELBv2's DescribeLoadBalancers do: it reads the raw answer, finds the token
// without decoding the page and calls found with it, then hands the SDK the same bytes to
// decode. found is called for each successful answer holding a non-empty marker; an
// answer it cannot read this way (no marker, several, an error status, too long) goes to
// the SDK as it came, so the call's result is exactly what it would have been.
type NextMarker struct {
	Found func(marker string)
}

var _ smithyhttp.BeforeDeserializationInterceptor = NextMarker{}

// BeforeDeserialization implements smithyhttp.BeforeDeserializationInterceptor.
func (m NextMarker) BeforeDeserialization(_ context.Context, in *smithyhttp.InterceptorContext) error {
	resp := in.Response
	if resp == nil || resp.Body == nil || resp.StatusCode/100 != 2 {
		return nil
	}
	body := resp.Body
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && n <= maxPeek {
		buf.Grow(int(n) + bytes.MinRead) // room to see the end without growing again
	}
	_, err := buf.ReadFrom(io.LimitReader(body, maxPeek+1))
	// The SDK reads what was read here, then the rest of the answer, or the read's error.
	rest := io.Reader(body)
	if err != nil {
		rest = failedRead{err}
	}
	peeked := buf.Bytes()
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(peeked), rest), body}
	if err == nil && len(peeked) <= maxPeek {
		if marker := findNextMarker(peeked); marker != "" {
			m.Found(marker)
		}
	}
	return nil
}

var markerOpen, markerClose = []byte("<NextMarker>"), []byte("</NextMarker>")

// findNextMarker returns the text of body's one NextMarker element, or "" when there is none,
// more than one, or one holding anything but text. A start tag cannot occur inside text or
// attribute values (XML escapes their '<'), so the bytes found are the element itself; the
// answers it is used for have no other element of that name at any depth.
func findNextMarker(body []byte) string {
	i := bytes.Index(body, markerOpen)
	if i < 0 || bytes.LastIndex(body, markerOpen) != i {
		return ""
	}
	n := bytes.Index(body[i:], markerClose)
	if n < 0 {
		return ""
	}
	var el struct {
		Text  string `xml:",chardata"`
		Inner string `xml:",innerxml"`
	}
	if err := xml.Unmarshal(body[i:i+n+len(markerClose)], &el); err != nil || strings.Contains(el.Inner, "<") {
		return ""
	}
	return el.Text
}

// failedRead is a reader failing with err, the error that cut a peeked answer short.
type failedRead struct{ err error }

func (r failedRead) Read([]byte) (int, error) { return 0, r.err }
