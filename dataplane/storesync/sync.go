package storesync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/lbcloud/lbcloud/dataplane"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Source is everything the data plane reads of the endpoint, and where it writes health: notices
// after committed writes, one consistent read of every partition, and a write to one partition.
// *store.Store is a Source.
type Source interface {
	Subscribe() (<-chan struct{}, func())
	ViewAll(fn func(*store.Part) error) error
	Update(account, region string, fn func(*store.Part) error) error
}

// Attributes give every attribute of an ELBv2 record, defaults included, as the Describe*Attributes
// actions report them (the store keeps only values that differ from their default). The endpoint's
// elbv2.LoadBalancerAttributes, TargetGroupAttributes and ListenerAttributes are these functions;
// they are passed in so that the data plane does not depend on the API's handlers.
type Attributes struct {
	LoadBalancer func(*store.V2LoadBalancer) []store.Attribute
	TargetGroup  func(*store.V2TargetGroup) []store.Attribute
	Listener     func(l *store.V2Listener, lbType string) []store.Attribute
}

// Options configure a Sync.
type Options struct {
	Source     Source
	Attributes Attributes
	// Engine configures the data plane engine; its OnHealth is the Sync's own.
	Engine dataplane.Options
	// MaxCheckInterval, when positive, shortens longer health check intervals to it, so that
	// local targets come into service in seconds (AWS's APIs accept no interval under 5 s, and
	// Classic's default takes ten 30 s intervals). Zero keeps every interval as configured.
	MaxCheckInterval time.Duration
	Logger           *slog.Logger // nil discards
}

// settle is how long a rebuild waits, after a change notice, for the notices of writes that came
// with it: a burst of API calls costs one rebuild. A rebuild that took longer (a store of
// thousands of balancers) is waited for as long, so that rebuilding takes half a core at most
// under a stream of writes.
const settle = 50 * time.Millisecond

// Sync keeps a data plane engine serving what the store holds. It is safe for concurrent use.
type Sync struct {
	opts   Options
	log    *slog.Logger
	engine *dataplane.Engine
	health *healthWriter
	certs  *certCache

	notices <-chan struct{}
	cancel  func()
	stop    chan struct{}
	done    chan struct{}
	kick    chan struct{} // Refresh asks for a rebuild now

	mu    sync.Mutex
	built dataplane.Config       // the Config the store made at the last Apply, refused balancers included
	meta  map[string]balancerRef // balancer key -> what the API calls it, for Listeners
	slots map[targetRef]slot     // the health slots of the applied Config's targets
	// Rebuilds started and finished, for Refresh.
	started, finished uint64
	rebuilt           *sync.Cond

	closeOnce sync.Once
	closeErr  error
}

// Start clears the health records a previous run left, serves everything the store holds and
// keeps serving it as it changes until Close. An error means nothing runs.
func Start(opts Options) (*Sync, error) {
	if opts.Source == nil || opts.Attributes.LoadBalancer == nil || opts.Attributes.TargetGroup == nil ||
		opts.Attributes.Listener == nil {
		return nil, errors.New("storesync: Options.Source and every Options.Attributes function are required")
	}
	s := &Sync{opts: opts, log: opts.Logger, certs: newCertCache(), stop: make(chan struct{}),
		done: make(chan struct{}), kick: make(chan struct{}, 1)}
	s.rebuilt = sync.NewCond(&s.mu)
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.health = newHealthWriter(opts.Source, s.log)
	if err := s.health.clearAll(); err != nil {
		return nil, fmt.Errorf("storesync: clear the previous run's health records: %w", err)
	}
	// Subscribed before the first read: a write after it is noticed.
	s.notices, s.cancel = opts.Source.Subscribe()
	eo := opts.Engine
	eo.OnHealth = s.health.event
	s.engine = dataplane.New(eo)
	s.health.start()
	if err := s.rebuild(); err != nil {
		return nil, errors.Join(err, s.shutdown())
	}
	go s.run()
	return s, nil
}

// Engine is the running engine: for LocalAddr, Listeners and VirtualHosts. Apply is the Sync's.
func (s *Sync) Engine() *dataplane.Engine { return s.engine }

func (s *Sync) run() {
	defer close(s.done)
	var took time.Duration // by the last rebuild
	for {
		select {
		case <-s.stop:
			return
		case <-s.notices:
			// More notices may follow at once; they are folded into this rebuild.
			t := time.NewTimer(max(settle, took))
			select {
			case <-s.stop:
				t.Stop()
				return
			case <-t.C:
			}
		case <-s.kick:
		}
		start := time.Now()
		if err := s.rebuild(); err != nil {
			s.log.Error("storesync: rebuild failed; the data plane keeps its previous configuration", "error", err)
		}
		took = time.Since(start)
	}
}

// Refresh rebuilds from the store now and returns once a rebuild that started after the call has
// finished: whatever was committed before Refresh is in effect when it returns.
func (s *Sync) Refresh(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.rebuilt.Broadcast()
		s.mu.Unlock()
	})
	defer stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	want := s.started + 1
	for s.finished < want {
		if err := ctx.Err(); err != nil {
			return err
		}
		select {
		case <-s.stop:
			return dataplane.ErrClosed
		default:
		}
		select {
		case s.kick <- struct{}{}:
		default:
		}
		s.rebuilt.Wait()
	}
	return nil
}

// rebuild reads every partition, and applies the Config they make when it differs from the one
// in effect.
func (s *Sync) rebuild() error {
	s.mu.Lock()
	s.started++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.finished++
		s.rebuilt.Broadcast()
		s.mu.Unlock()
	}()
	// A record that cannot be read fails the whole rebuild: the engine keeps serving what it had
	// rather than losing every balancer read after it.
	b := newBuild(s.opts, s.certs, s.log)
	if err := s.opts.Source.ViewAll(b.partition); err != nil {
		return err
	}
	b.finish()
	s.certs.keepOnly(b.certsUsed)
	s.mu.Lock()
	same := configEqual(s.built, b.cfg)
	s.mu.Unlock()
	if !same {
		built := dataplane.Config{Balancers: slices.Clone(b.cfg.Balancers), TargetGroups: slices.Clone(b.cfg.TargetGroups)}
		// The index first: the engine reports new targets while Apply runs.
		s.health.reindex(b.slots)
		if err := s.apply(b); err != nil {
			return err
		}
		s.mu.Lock()
		s.built = built
		s.mu.Unlock()
	}
	s.health.reconcile(b.slots, b.static, b.since)
	return nil
}

// apply hands the Config to the engine. One refused balancer must not keep the others from being
// served: when the whole is refused, each balancer is checked alone and the refused ones are left
// out, with a log line naming them.
func (s *Sync) apply(b *build) error {
	ctx := context.Background()
	err := s.engine.Apply(ctx, b.cfg)
	if errors.Is(err, dataplane.ErrInvalidConfig) {
		b.dropInvalid(s.log)
		s.health.reindex(b.slots)
		err = s.engine.Apply(ctx, b.cfg)
	}
	if errors.Is(err, dataplane.ErrInvalidConfig) || errors.Is(err, dataplane.ErrClosed) {
		s.health.reindex(s.slots) // the engine keeps what it had
		return err
	}
	if err != nil {
		// Listeners that could not open; the rest of the Config is in effect.
		s.log.Warn("storesync: some listeners could not open", "error", err)
	}
	s.mu.Lock()
	s.meta, s.slots = b.meta, b.slots
	s.mu.Unlock()
	return nil
}

// Close stops following the store, closes every listener and connection, and removes the health
// records this run wrote, so that the endpoint reports health as it does without a data plane.
func (s *Sync) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		s.mu.Lock()
		s.rebuilt.Broadcast() // Refresh returns
		s.mu.Unlock()
		<-s.done
		s.closeErr = s.shutdown()
	})
	return s.closeErr
}

func (s *Sync) shutdown() error {
	s.cancel()
	err := s.engine.Close() // delivers the last health events before it returns
	return errors.Join(err, s.health.close())
}
