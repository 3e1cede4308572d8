package loadbalancer

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// Opener opens a provider from portable options: the provider's own Open, so that opening
// by name and opening through the provider's package give the same Service.
type Opener func(ctx context.Context, opts Options) (*Service, error)

var (
	registryMu sync.RWMutex
	registry   = map[string]Opener{}
)

// Register makes a provider available to Open under name. Provider packages call it from init,
// so importing a provider (e.g. loadbalancer/elb) is enough to open it by name.
func Register(name string, open Opener) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[name]; dup {
		panic("loadbalancer: provider registered twice: " + name)
	}
	registry[name] = open
}

// Providers lists the registered provider names, sorted.
func Providers() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Open opens the named provider with opts, like libcloud's get_driver(Provider.X)(key, secret, ...).
func Open(ctx context.Context, provider string, opts Options) (*Service, error) {
	registryMu.RLock()
	open, ok := registry[provider]
	registryMu.RUnlock()
	if !ok {
		return nil, &Error{Kind: ErrUnsupported, Provider: provider, Code: "UnknownProvider",
			Message: fmt.Sprintf("no provider %q is registered (known: %v); import its package", provider, Providers())}
	}
	return open(ctx, opts)
}
