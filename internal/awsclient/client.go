package awsclient

import (
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Prepare readies cfg, a config a caller built, for a provider's SDK clients: DefaultRegion
// when it names no region, the provider's retry policy when it has no retryer of its own
// (Retryer with cfg.RetryMaxAttempts attempts, see UsePolicy), and httpClient when not nil,
// behind Shield.
func Prepare(cfg *aws.Config, httpClient aws.HTTPClient) {
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if cfg.Retryer == nil {
		UsePolicy(cfg, cfg.RetryMaxAttempts)
	}
	if httpClient != nil {
		cfg.HTTPClient = httpClient
	}
	cfg.HTTPClient = Shield(cfg.HTTPClient)
}

// As is a driver's As: when i is a non-nil pointer to the type of one of values (the
// provider's Client, its SDK clients), it sets *i to that value and reports true.
func As(i any, values ...any) bool {
	p := reflect.ValueOf(i)
	if p.Kind() != reflect.Pointer || p.IsNil() {
		return false
	}
	for _, v := range values {
		if reflect.TypeOf(v) == p.Type().Elem() {
			p.Elem().Set(reflect.ValueOf(v))
			return true
		}
	}
	return false
}
