package query_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/query"
)

func parse(t *testing.T, raw string) query.Params {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	p, aerr := query.Parse(v, query.DefaultBounds)
	if aerr != nil {
		t.Fatal(aerr)
	}
	return p
}

func TestParseBounds(t *testing.T) {
	b := query.Bounds{MaxParams: 3, MaxValueBytes: 5}
	for raw, want := range map[string]string{
		"a=1&b=2&c=3&d=4": "Too many parameters",
		"a=123456":        "length less than or equal to 5 bytes",
		"a=1&a=2":         "more than once",
		"a=%00":           "not allowed in XML",
		"a=%FF":           "invalid UTF-8",
	} {
		v, _ := url.ParseQuery(raw)
		if _, err := query.Parse(v, b); err == nil || err.Code != "ValidationError" || !strings.Contains(err.Message, want) {
			t.Errorf("%s: %v, want ValidationError saying %q", raw, err, want)
		}
	}
	v, _ := url.ParseQuery("a=12345&b=%E6%97%A5")
	if p, err := query.Parse(v, b); err != nil || p["b"] != "日" {
		t.Errorf("within bounds: %v %v", p, err)
	}
}

func TestReaders(t *testing.T) {
	p := parse(t, "Name=ab%C3%A9&N=7&B=TRUE&L.member.1=x&L.member.2=y&E.1=p&E.2=q"+
		"&S.member.1.K=a&S.member.1.V=1&S.member.2.K=b&M.entry.1.key=k1&M.entry.1.value=v1&M.entry.2.key=k2")
	if v, err := p.RequiredText("Name", 3); v != "abé" || err != nil {
		t.Errorf("text within bound: %q %v", v, err)
	}
	if _, err := p.RequiredText("Name", 2); err == nil || !strings.Contains(err.Error(), "less than or equal to 2") {
		t.Errorf("text over bound: %v", err)
	}
	if _, err := p.Required("Nope"); err == nil || !strings.Contains(err.Error(), "MissingParameter") {
		t.Errorf("missing: %v", err)
	}
	if n, ok, err := p.IntOpt("N", 1, 7); n != 7 || !ok || err != nil {
		t.Errorf("int: %d %v %v", n, ok, err)
	}
	if _, err := p.IntReq("N", 1, 6); err == nil {
		t.Error("int out of range accepted")
	}
	if b, ok, err := p.BoolOpt("B"); !b || !ok || err != nil {
		t.Errorf("bool: %v %v %v", b, ok, err)
	}
	if l, err := p.StrListReq("L"); err != nil || strings.Join(l, ",") != "x,y" {
		t.Errorf("member list: %v %v", l, err)
	}
	if l, err := p.EC2List("E"); err != nil || strings.Join(l, ",") != "p,q" {
		t.Errorf("EC2 list: %v %v", l, err)
	}
	var got []string
	n, present, err := p.Structs("S", func(pre string) error {
		got = append(got, p[pre+"K"]+"="+p[pre+"V"])
		return nil
	})
	if n != 2 || !present || err != nil || strings.Join(got, ",") != "a=1,b=" {
		t.Errorf("structs: %d %v %v %v", n, present, err, got)
	}
	m, present, err := p.Map("M")
	if !present || err != nil || len(m) != 2 || m["k1"] != "v1" || m["k2"] != "" {
		t.Errorf("map: %v %v %v", m, present, err)
	}
	if _, _, err := parse(t, "M.entry.1.key=k&M.entry.2.key=k").Map("M"); err == nil {
		t.Error("map with a repeated key accepted")
	}
	if _, _, err := parse(t, "L.member.1=a&L.member.3=c").StrList("L"); err == nil {
		t.Error("list with a gap accepted")
	}
	if l, present, err := parse(t, "L=").StrList("L"); len(l) != 0 || !present || err != nil {
		t.Errorf("empty list: %v %v %v", l, present, err)
	}
}

func TestEnvelopes(t *testing.T) {
	type result struct {
		Items []string `xml:"itemSet>item"`
	}
	ec2 := &query.API{Namespace: "urn:ec2", Style: query.StyleEC2}
	w := httptest.NewRecorder()
	ec2.WriteResult(w, "RID", "DescribeThings", result{Items: []string{"a<b"}})
	if got := w.Body.String(); got != `<DescribeThingsResponse xmlns="urn:ec2"><requestId>RID</requestId><itemSet><item>a&lt;b</item></itemSet></DescribeThingsResponse>` {
		t.Errorf("EC2 result: %s", got)
	}
	w = httptest.NewRecorder()
	ec2.WriteError(w, "RID", query.Errorf(400, "InvalidParameterValue", "bad <x>"))
	if got := w.Body.String(); w.Code != 400 || got != `<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>bad &lt;x&gt;</Message></Error></Errors><RequestID>RID</RequestID></Response>` {
		t.Errorf("EC2 error: %d %s", w.Code, got)
	}
	q := &query.API{Namespace: "urn:q"}
	w = httptest.NewRecorder()
	q.WriteResult(w, "RID", "Ping", nil)
	if got := w.Body.String(); got != `<PingResponse xmlns="urn:q"><PingResult></PingResult><ResponseMetadata><RequestId>RID</RequestId></ResponseMetadata></PingResponse>` {
		t.Errorf("Query result: %s", got)
	}
	w = httptest.NewRecorder()
	q.WriteError(w, "RID", query.Internal())
	if got := w.Body.String(); w.Code != 500 || !strings.Contains(got, `<Type>Receiver</Type><Code>InternalFailure</Code>`) || !strings.HasSuffix(got, `<RequestId>RID</RequestId></ErrorResponse>`) {
		t.Errorf("Query error: %d %s", w.Code, got)
	}
}
