package cli

import (
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/pflag"

	"github.com/lbcloud/lbcloud/dataplane"
	"github.com/lbcloud/lbcloud/dataplane/storesync"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbv2"
)

// dataPlaneFlags are serve's flags for the local data plane.
type dataPlaneFlags struct {
	off              bool
	bindPorts        bool
	maxCheckInterval time.Duration
}

func (d *dataPlaneFlags) register(f *pflag.FlagSet) {
	f.BoolVar(&d.off, "no-data-plane", false, "serve the APIs only: no balancer carries traffic")
	f.BoolVar(&d.bindPorts, "bind-ports", false, "bind each listener's own port on 127.0.0.1 where the OS allows (the others get an ephemeral port, logged)")
	f.DurationVar(&d.maxCheckInterval, "max-check-interval", time.Second,
		"run health checks at least this often, whatever their configured interval (0: as configured)")
}

// start runs the data plane beside srv and returns the handler that serves both; without a data
// plane the handler is srv itself.
func (d dataPlaneFlags) start(srv *elbserver.Server, opts elbserver.Options) (*storesync.Sync, http.Handler, error) {
	if d.off {
		return nil, srv, nil
	}
	log := opts.Logger
	dp, err := storesync.Start(storesync.Options{
		Source: srv.Store(),
		Attributes: storesync.Attributes{LoadBalancer: elbv2.LoadBalancerAttributes,
			TargetGroup: elbv2.TargetGroupAttributes, Listener: elbv2.ListenerAttributes},
		Engine: dataplane.Options{BindListenerPorts: d.bindPorts,
			Logf: func(format string, args ...any) { log.Warn(fmt.Sprintf(format, args...)) }},
		MaxCheckInterval: d.maxCheckInterval,
		Logger:           log,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("start the data plane: %w", err)
	}
	return dp, dp.Handler(opts.Credentials, srv), nil
}

// closeDataPlane stops dp, if serve started one, before the state it reads closes.
func closeDataPlane(dp *storesync.Sync) error {
	if dp == nil {
		return nil
	}
	return dp.Close()
}
