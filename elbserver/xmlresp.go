package elbserver

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
)

// writeResult writes the Query-protocol success envelope:
// <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>...
func writeResult(w http.ResponseWriter, reqID, action string, result any) {
	var buf bytes.Buffer
	buf.WriteString(`<` + action + `Response xmlns="` + xmlNamespace + `">`)
	enc := xml.NewEncoder(&buf)
	if result == nil {
		result = struct{}{}
	}
	if err := enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
		panic("elbserver: encode " + action + " result: " + err.Error())
	}
	buf.WriteString(`<ResponseMetadata><RequestId>` + reqID + `</RequestId></ResponseMetadata></` + action + `Response>`)
	send(w, http.StatusOK, buf.Bytes())
}

func (s *Server) writeError(w http.ResponseWriter, reqID string, ec2Style bool, e *apiError) {
	var buf bytes.Buffer
	if ec2Style {
		// EC2 uses its own error envelope.
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
		buf.WriteString(`<ErrorResponse xmlns="` + xmlNamespace + `"><Error><Type>` + typ + `</Type><Code>`)
		xml.EscapeText(&buf, []byte(e.Code))
		buf.WriteString(`</Code><Message>`)
		xml.EscapeText(&buf, []byte(e.Message))
		buf.WriteString(`</Message></Error><RequestId>` + reqID + `</RequestId></ErrorResponse>`)
	}
	send(w, e.Status, buf.Bytes())
}

func send(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
