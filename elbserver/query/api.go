package query

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"strconv"
	"sync"
)

// Style is the envelope family of a Query API.
type Style int

const (
	// StyleQuery: <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata><RequestId>, and
	// errors as <ErrorResponse><Error><Type>… (Classic ELB, ELBv2, IAM).
	StyleQuery Style = iota
	// StyleEC2: <ActionResponse><requestId>…</requestId>… with the result's fields directly inside,
	// and errors as <Response><Errors><Error>…</Errors><RequestID>.
	StyleEC2
)

// Call is one authenticated request to a Query action.
type Call struct {
	Ctx       context.Context
	Params    Params
	Account   string
	Region    string
	RequestID string
}

// Handler serves one action. It returns the value encoding/xml renders inside the result
// element (nil for an empty result), or an error: a *Error goes to the client as it is,
// anything else is logged and reported as InternalFailure.
type Handler func(c *Call) (any, error)

// API is one version of a Query-protocol API.
type API struct {
	Version   string // the Version parameter that selects it, e.g. "2012-06-01"
	Namespace string // xmlns of its responses
	Style     Style
	Bounds    Bounds // zero: DefaultBounds
	Actions   map[string]Handler
}

// ParamBounds returns the bounds its requests are parsed with.
func (a *API) ParamBounds() Bounds {
	if a.Bounds == (Bounds{}) {
		return DefaultBounds
	}
	return a.Bounds
}

// rendering is an answer being rendered: a buffer and an XML encoder writing into it. Both
// are reused from answer to answer (renderings): an encoder brings a 4 KiB write buffer of
// its own, and a fresh buffer would grow afresh for each answer. Nothing of an answer
// outlives its Send.
type rendering struct {
	buf bytes.Buffer
	enc *xml.Encoder
}

var renderings = sync.Pool{New: func() any {
	r := new(rendering)
	r.enc = xml.NewEncoder(&r.buf)
	return r
}}

// maxKeptRendering is the largest buffer put back for reuse: a long listing's is let go.
const maxKeptRendering = 64 << 10

// WriteResult writes the success envelope of action around result.
func (a *API) WriteResult(w http.ResponseWriter, reqID, action string, result any) {
	if result == nil {
		result = struct{}{}
	}
	r := renderings.Get().(*rendering)
	buf := &r.buf
	buf.Reset()
	buf.WriteString(`<`)
	buf.WriteString(action)
	buf.WriteString(`Response xmlns="`)
	buf.WriteString(a.Namespace)
	buf.WriteString(`">`)
	if a.Style == StyleEC2 {
		buf.WriteString(`<requestId>`)
		buf.WriteString(reqID)
		buf.WriteString(`</requestId>`)
		// The result's fields sit directly in the response element: encode them under a
		// placeholder element and cut its tags out.
		start := buf.Len()
		encode(r, action, result, "x")
		b := buf.Bytes()
		n := copy(b[start:], b[start+len("<x>"):len(b)-len("</x>")])
		buf.Truncate(start + n)
	} else {
		encode(r, action, result, action+"Result")
		buf.WriteString(`<ResponseMetadata><RequestId>`)
		buf.WriteString(reqID)
		buf.WriteString(`</RequestId></ResponseMetadata>`)
	}
	buf.WriteString(`</`)
	buf.WriteString(action)
	buf.WriteString(`Response>`)
	Send(w, http.StatusOK, buf.Bytes())
	if buf.Cap() <= maxKeptRendering {
		renderings.Put(r)
	}
}

// encode renders result as the element name into r. A result encoding/xml cannot render is
// a bug of the room: it panics (the rendering, its encoder in an unknown state, is not
// reused) and the server answers InternalFailure.
func encode(r *rendering, action string, result any, name string) {
	if err := r.enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: name}}); err != nil {
		panic("query: encode " + action + " result: " + err.Error())
	}
}

// WriteError writes e in the API's error envelope.
func (a *API) WriteError(w http.ResponseWriter, reqID string, e *Error) {
	var buf bytes.Buffer
	if a.Style == StyleEC2 {
		buf.WriteString(`<Response><Errors><Error><Code>`)
		xml.EscapeText(&buf, []byte(e.Code))
		buf.WriteString(`</Code><Message>`)
		xml.EscapeText(&buf, []byte(e.Message))
		buf.WriteString(`</Message></Error></Errors><RequestID>` + reqID + `</RequestID></Response>`)
	} else {
		typ := "Sender"
		if e.Receiver {
			typ = "Receiver"
		}
		buf.WriteString(`<ErrorResponse xmlns="` + a.Namespace + `"><Error><Type>` + typ + `</Type><Code>`)
		xml.EscapeText(&buf, []byte(e.Code))
		buf.WriteString(`</Code><Message>`)
		xml.EscapeText(&buf, []byte(e.Message))
		buf.WriteString(`</Message></Error><RequestId>` + reqID + `</RequestId></ErrorResponse>`)
	}
	Send(w, e.Status, buf.Bytes())
}

// Send writes an XML body with its length.
func Send(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
