package elb

import (
	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// wrap turns an SDK error from operation op into a classified *driver.Error.
func wrap(op string, err error) error { return awsclient.Wrap(ProviderName, op, err) }

// notFound reports a missing resource found by the driver itself.
func notFound(op, code, format string, args ...any) *driver.Error {
	return awsclient.NotFound(ProviderName, op, code, format, args...)
}

// hasCode reports whether err carries the provider error code.
func hasCode(err error, code string) bool { return awsclient.HasCode(err, code) }
