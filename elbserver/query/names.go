package query

import (
	"regexp"
	"sync"
)

// The character rules AWS states for values that several APIs share. Compiled on first use:
// counted repetitions and Unicode classes take milliseconds to compile, which every lbctl
// start would pay otherwise.
var (
	tagText    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`) })
	bucketName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`) })
	elbName    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$`) })
)

// TagText reports whether s uses only the characters a tag key or value may hold: letters,
// spaces and numbers in any script, and _ . : / = + - @. Lengths are the caller's to check.
func TagText(s string) bool { return tagText().MatchString(s) }

// BucketName reports whether s has the shape of an S3 bucket name (3 to 63 lower-case letters,
// digits, dots and hyphens, starting and ending with a letter or digit), as access logs and
// trust stores name their buckets.
func BucketName(s string) bool { return bucketName().MatchString(s) }

// ELBName reports whether s has the shape of a Classic or ELBv2 load balancer, or target group,
// name: 1 to 32 letters, digits or hyphens, not beginning or ending with a hyphen.
func ELBName(s string) bool { return elbName().MatchString(s) }
