package elbserver

import (
	"errors"
	"fmt"
	"regexp"
	"sync"
)

//go:generate go run ./internal/regionsgen -out regions_gen.go

// KnownRegion reports whether AWS has region (in any partition), by botocore's endpoint data.
func KnownRegion(region string) bool {
	return awsRegions[region]
}

// ErrInvalidRegion is matched (errors.Is) by New's error for an Options.AllowRegions name
// that cannot be a region.
var ErrInvalidRegion = errors.New("not a valid region name")

// regionPolicy is the regions a signing scope may name: AWS's, and those allowed besides. A
// region is a partition of the state, with its own limits: inventing them is refused as AWS
// refuses it.
func regionPolicy(allow []string) (func(string) bool, error) {
	extra := make(map[string]bool, len(allow))
	for _, r := range allow {
		if !regionName().MatchString(r) {
			return nil, fmt.Errorf("elbserver: allowed region %q: %w (lower-case letters, digits and hyphens, at most 64)", r, ErrInvalidRegion)
		}
		extra[r] = true
	}
	return func(r string) bool { return KnownRegion(r) || extra[r] }, nil
}

// regionName is what a credential scope may carry as a region, e.g. "us-east-1".
// Compiled on first use: counted repetitions and Unicode classes take milliseconds to
// compile, which every lbctl start would pay otherwise.
var regionName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9-]{1,64}$`) })
