package query

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"strconv"
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

// WriteResult writes the success envelope of action around result.
func (a *API) WriteResult(w http.ResponseWriter, reqID, action string, result any) {
	if result == nil {
		result = struct{}{}
	}
	var buf bytes.Buffer
	buf.WriteString(`<` + action + `Response xmlns="` + a.Namespace + `">`)
	if a.Style == StyleEC2 {
		buf.WriteString(`<requestId>` + reqID + `</requestId>`)
		// The result's fields sit directly in the response element: encode them under a
		// placeholder element and keep what is inside it.
		var inner bytes.Buffer
		if err := xml.NewEncoder(&inner).EncodeElement(result, xml.StartElement{Name: xml.Name{Local: "x"}}); err != nil {
			panic("query: encode " + action + " result: " + err.Error())
		}
		buf.Write(inner.Bytes()[len("<x>") : inner.Len()-len("</x>")])
	} else {
		if err := xml.NewEncoder(&buf).EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			panic("query: encode " + action + " result: " + err.Error())
		}
		buf.WriteString(`<ResponseMetadata><RequestId>` + reqID + `</RequestId></ResponseMetadata>`)
	}
	buf.WriteString(`</` + action + `Response>`)
	Send(w, http.StatusOK, buf.Bytes())
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
