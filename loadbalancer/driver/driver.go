package driver

import (
	"context"
	"fmt"
)

// Driver is what a provider implements. The portable loadbalancer.Service checks arguments
// before calling it, so drivers may assume names are non-empty and ports in range; drivers
// return *Error (or errors wrapping it) so callers can classify failures.
type Driver interface {
	// Provider is the registry name of the driver, such as "elb".
	Provider() string
	ListProtocols(ctx context.Context) ([]Protocol, error)
	ListSupportedAlgorithms(ctx context.Context) ([]Algorithm, error)
	// ListPaged returns one page of balancers in the provider's order, without tags. The
	// portable layer iterates the pages (and reads ahead), so a driver never does. A driver
	// that can tell the next page's token before it has read the whole page reports it
	// through opts.OnNextPageToken: the next ListPaged call then runs while this one is still
	// decoding, so ListPaged must be safe for concurrent use.
	ListPaged(ctx context.Context, opts *ListPageOptions) (*ListPage, error)
	// LoadTags sets the Tags of each balancer of lbs (one page) in as few calls as the
	// provider allows. A balancer deleted since it was listed is left with nil Tags. A
	// listing tags two pages at once, so a driver that bounds its calls in flight bounds them
	// across concurrent LoadTags calls, not within each.
	LoadTags(ctx context.Context, lbs []*LoadBalancer) error
	GetBalancer(ctx context.Context, id string) (*LoadBalancer, error)
	CreateBalancer(ctx context.Context, req CreateRequest) (*LoadBalancer, error)
	UpdateBalancer(ctx context.Context, id string, req UpdateRequest) (*LoadBalancer, error)
	DestroyBalancer(ctx context.Context, id string) error
	// AttachMembers adds members in as few provider calls as it allows and returns them as
	// registered (with IDs resolved).
	AttachMembers(ctx context.Context, id string, members []Member) ([]Member, error)
	DetachMembers(ctx context.Context, id string, members []Member) error
	ListMembers(ctx context.Context, id string) ([]Member, error)
	// As exposes provider-specific types (for ELB, the SDK client); it reports whether i was set.
	As(i any) bool
	Close() error
}

// Options configure a driver when it is opened through the registry. Fields a provider does
// not use are ignored; empty credentials mean the provider's default credential chain.
type Options struct {
	Region          string
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Profile         string
	Endpoint        string // override the provider's endpoint (a local endpoint, moto, a proxy)
	MaxAttempts     int    // retry budget per call; 0 means the provider's default
}

// String shows the options with the secret key and session token redacted, so that logging
// or wrapping the options in an error (%v, %+v, %s) never reveals them.
func (o Options) String() string {
	redact := func(s string) string {
		if s == "" {
			return ""
		}
		return "REDACTED"
	}
	return fmt.Sprintf("{Region:%s AccessKeyID:%s SecretAccessKey:%s SessionToken:%s Profile:%s Endpoint:%s MaxAttempts:%d}",
		o.Region, o.AccessKeyID, redact(o.SecretAccessKey), redact(o.SessionToken), o.Profile, o.Endpoint, o.MaxAttempts)
}

// GoString is String, for %#v.
func (o Options) GoString() string { return "driver.Options" + o.String() }
