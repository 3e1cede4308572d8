package certs

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// InUse lists what uses a certificate (a listener's ARN, say), so that IAM and ACM refuse to
// delete it: region is the certificate's for ACM, and "" for IAM's, which every region may
// use. The endpoint builds it from the rooms whose listeners name certificates; nil means
// nothing is ever in use. It is called outside any store transaction.
type InUse func(account, region, arn string) ([]string, error)

// Users calls inUse when it is set.
func (inUse InUse) Users(account, region, arn string) ([]string, error) {
	if inUse == nil {
		return nil, nil
	}
	return inUse(account, region, arn)
}

// MaxTags is how many tags IAM and ACM let a certificate carry.
const MaxTags = 50

// CheckTags applies the tag rules IAM and ACM share: at most MaxTags, keys of 1 to 128 and
// values of at most 256 letters, digits, spaces and _.:/=+-@, no key twice, none starting
// with the reserved "aws:". The error's message is fit for the client.
func CheckTags(tags []store.Tag) error {
	if len(tags) > MaxTags {
		return fmt.Errorf("A certificate can have at most %d tags; %d were given.", MaxTags, len(tags))
	}
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case t.Key == "" || utf8.RuneCountInString(t.Key) > 128 || !query.TagText(t.Key):
			return fmt.Errorf("A tag key must be 1 to 128 letters, digits, spaces and _.:/=+-@.")
		case utf8.RuneCountInString(t.Value) > 256 || !query.TagText(t.Value):
			return fmt.Errorf("The value of tag %q must be at most 256 letters, digits, spaces and _.:/=+-@.", t.Key)
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return fmt.Errorf("Tag keys starting with 'aws:' are reserved.")
		case seen[t.Key]:
			return fmt.Errorf("Tag key %q is given more than once.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}
