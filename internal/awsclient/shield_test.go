package awsclient

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

type captureClient struct{ body io.ReadCloser }

func (c *captureClient) Do(r *http.Request) (*http.Response, error) {
	c.body = r.Body
	return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
}

// net/http must not see the body's WriteTo (see Shield), yet must read the same bytes.
func TestShieldHidesWriteTo(t *testing.T) {
	next := &captureClient{}
	body := io.NopCloser(bytes.NewReader([]byte("Action=DescribeInstances")))
	if _, ok := body.(io.WriterTo); !ok {
		t.Fatal("the test body should offer WriteTo")
	}
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/", body)
	if _, err := Shield(next).Do(req); err != nil {
		t.Fatal(err)
	}
	if _, ok := next.body.(io.WriterTo); ok {
		t.Error("the body still offers WriteTo")
	}
	got, _ := io.ReadAll(next.body)
	if string(got) != "Action=DescribeInstances" {
		t.Errorf("body read %q", got)
	}
	if Shield(Shield(next)) != Shield(next) {
		t.Error("shielding twice wraps twice")
	}
	if _, err := Shield(next).Do(mustRequest(t, "")); err != nil {
		t.Error(err)
	}
}

func mustRequest(t *testing.T, body string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, "http://127.0.0.1/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return r
}
