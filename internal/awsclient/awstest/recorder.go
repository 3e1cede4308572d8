package awstest

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Recorder is an HTTP client (for a provider's WithHTTPClient) that counts the Query API
// actions it carries and keeps the last form of each.
type Recorder struct {
	mu      sync.Mutex
	actions map[string]int
	forms   map[string]url.Values
	next    *http.Client
}

// NewRecorder returns a Recorder sending through a plain http.Client.
func NewRecorder() *Recorder {
	return &Recorder{actions: map[string]int{}, forms: map[string]url.Values{}, next: &http.Client{}}
}

// Do records req's action, if its body is a Query API form, and sends it.
func (r *Recorder) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		if v, err := url.ParseQuery(string(b)); err == nil && v.Get("Action") != "" {
			r.mu.Lock()
			r.actions[v.Get("Action")]++
			r.forms[v.Get("Action")] = v
			r.mu.Unlock()
		}
		req.Body = io.NopCloser(strings.NewReader(string(b)))
	}
	return r.next.Do(req)
}

// Count is how many requests of action were sent.
func (r *Recorder) Count(action string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.actions[action]
}

// Last is the form of the last request of action, or nil.
func (r *Recorder) Last(action string) url.Values {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.forms[action]
}

// Reset forgets the requests sent so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.actions)
	clear(r.forms)
}
