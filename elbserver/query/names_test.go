package query

import "testing"

func TestTagTextAndBucketName(t *testing.T) {
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
