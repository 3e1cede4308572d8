package query

import "testing"

func TestNameRules(t *testing.T) {
	for s, want := range map[string]bool{"a": true, "web-1": true, "A1234567890123456789012345678901": true, "A12345678901234567890123456789012": false,
		"": false, "-web": false, "web-": false, "web_1": false} {
		if got := ELBName(s); got != want {
			t.Errorf("ELBName(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{"team": true, "Équipe 1/a=b+c-d@e_f.g:h": true, "日本": true, "": true, "a\tb": false, "x<y": false, "a#b": false} {
		if got := TagText(s); got != want {
			t.Errorf("TagText(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{"logs": true, "my.logs-1": true, "ab": false, "Logs": false, "-logs": false, "logs-": false, "a_b": false,
		"a23456789012345678901234567890123456789012345678901234567890123": true, "a234567890123456789012345678901234567890123456789012345678901234": false} {
		if got := BucketName(s); got != want {
			t.Errorf("BucketName(%q) = %v, want %v", s, got, want)
		}
	}
}
