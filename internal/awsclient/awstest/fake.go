package awstest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
)

// Fake is a scripted Query API endpoint (ELB, ELBv2, EC2): reply decides each answer from
// the action and the form sent. Every request's form is recorded, in order.
type Fake struct {
	*httptest.Server
	mu    sync.Mutex
	calls []url.Values
	reply func(action string, form url.Values) (status int, body string)
}

// NewFake starts a Fake answering with reply, closed when the test ends. Each answer carries
// the request id req-1234.
func NewFake(t testing.TB, reply func(action string, form url.Values) (status int, body string)) *Fake {
	t.Helper()
	f := &Fake{reply: reply}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.calls = append(f.calls, r.PostForm)
		f.mu.Unlock()
		status, body := f.reply(r.PostForm.Get("Action"), r.PostForm)
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("X-Amzn-Requestid", "req-1234")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(f.Close)
	return f
}

// Calls returns every form received, in order.
func (f *Fake) Calls() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// Actions lists the actions received, in order.
func (f *Fake) Actions() []string {
	calls := f.Calls()
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Get("Action")
	}
	return out
}

// Count is how many requests of action were received.
func (f *Fake) Count(action string) int {
	return len(f.Sent(action))
}

// Sent returns every form of action, in order.
func (f *Fake) Sent(action string) []url.Values {
	var out []url.Values
	for _, c := range f.Calls() {
		if c.Get("Action") == action {
			out = append(out, c)
		}
	}
	return out
}

// Last returns the last form of action, or nil.
func (f *Fake) Last(action string) url.Values {
	sent := f.Sent(action)
	if len(sent) == 0 {
		return nil
	}
	return sent[len(sent)-1]
}

// Reset forgets the requests received so far.
func (f *Fake) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = nil
}

// QueryError is a Query API error document of the API whose XML namespace is ns, with
// request id req-1234.
func QueryError(ns, code, msg string) string {
	return `<ErrorResponse xmlns="` + ns + `"><Error><Type>Sender</Type><Code>` + code +
		`</Code><Message>` + msg + `</Message></Error><RequestId>req-1234</RequestId></ErrorResponse>`
}

// QueryOK is the Query API response document of action, in namespace ns, holding result.
func QueryOK(ns, action, result string) string {
	return `<` + action + `Response xmlns="` + ns + `"><` + action + `Result>` + result + `</` + action +
		`Result><ResponseMetadata><RequestId>req-1234</RequestId></ResponseMetadata></` + action + `Response>`
}
