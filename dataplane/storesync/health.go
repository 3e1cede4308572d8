package storesync

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/lbcloud/lbcloud/dataplane"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// slot is where one target's health is stored: a ClassicProbes record (an instance behind a
// Classic balancer) or a V2Health record (a target of an ELBv2 group), under key.
type slot struct {
	account, region string
	classic         bool
	key             string
}

// targetRef is a target as the engine names it in its health events.
type targetRef struct{ group, id, addr string }

// health is what a slot holds, in the API's words.
type health struct {
	state, reason, description string
	updated                    time.Time
}

func (h health) same(o health) bool {
	return h.state == o.state && h.reason == o.reason && h.description == o.description
}

// flushDelay gathers the health changes of a moment into one write per partition: checks every
// few seconds of many targets must not become a commit (and an fsync) each.
const flushDelay = 100 * time.Millisecond

// healthWriter writes the targets' health to the store: only changes, batched, and only for the
// targets the current configuration has (the others' records are deleted).
type healthWriter struct {
	src Source
	log *slog.Logger

	mu      sync.Mutex
	slots   map[targetRef]slot // the engine's targets whose health is stored
	written map[slot]health    // what the store holds, as far as this run knows
	pending map[slot]*health   // to write; nil deletes
	kick    chan struct{}      // pending has something
	stop    chan struct{}      // close asks the flusher to finish
	done    chan struct{}      // the flusher finished
	retry   time.Duration      // after a failed write
}

func newHealthWriter(src Source, log *slog.Logger) *healthWriter {
	return &healthWriter{src: src, log: log, slots: map[targetRef]slot{}, written: map[slot]health{},
		pending: map[slot]*health{}, kick: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
}

func (w *healthWriter) start() { go w.run() }

// event records a health change the engine reported, for a target the configuration still has.
func (w *healthWriter) event(ev dataplane.HealthEvent) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s, ok := w.slots[targetRef{ev.GroupKey, ev.TargetID, ev.Addr}]
	if !ok || ev.Removed {
		return // a target that left: reconcile deletes its record
	}
	w.setLocked(s, health{ev.State, ev.ReasonCode, ev.Description, ev.Time})
}

func (w *healthWriter) setLocked(s slot, h health) {
	cur, known := w.pendingOrWritten(s)
	if known && cur.same(h) {
		return
	}
	w.pending[s] = &h
	w.signal()
}

// pendingOrWritten is what the store will hold once pending writes are done.
func (w *healthWriter) pendingOrWritten(s slot) (health, bool) {
	if p, ok := w.pending[s]; ok {
		if p == nil {
			return health{}, false
		}
		return *p, true
	}
	h, ok := w.written[s]
	return h, ok
}

func (w *healthWriter) signal() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// reindex switches to the targets of a new configuration, before the engine gets it.
func (w *healthWriter) reindex(slots map[targetRef]slot) {
	w.mu.Lock()
	w.slots = slots
	w.mu.Unlock()
}

// reconcile brings the records in line with a configuration: the records of targets it does not
// have are deleted, those of targets the data plane does not dial are written (static), and a
// record older than its target's registration is written again, since the API ignores it.
func (w *healthWriter) reconcile(slots map[targetRef]slot, static map[slot]health, since map[slot]time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	wanted := make(map[slot]bool, len(slots)+len(static))
	for _, s := range slots {
		wanted[s] = true
	}
	for s, h := range static {
		wanted[s] = true
		w.setLocked(s, h)
	}
	for s := range w.written {
		if !wanted[s] {
			w.pending[s] = nil
			w.signal()
		}
	}
	for s, p := range w.pending {
		if p != nil && !wanted[s] {
			delete(w.pending, s)
			if _, ok := w.written[s]; ok {
				w.pending[s] = nil
			}
		}
	}
	for s, at := range since {
		if h, ok := w.pendingOrWritten(s); ok && h.updated.Before(at) {
			h.updated = time.Now()
			w.pending[s] = &h
			w.signal()
		}
	}
}

func (w *healthWriter) run() {
	defer close(w.done)
	for {
		select {
		case <-w.stop:
			return
		case <-w.kick:
		}
		t := time.NewTimer(flushDelay + w.retry)
		select {
		case <-w.stop:
			t.Stop()
			return
		case <-t.C:
		}
		w.flush()
	}
}

// flush writes what is pending, one transaction per partition, all at once so that the store
// commits them together.
func (w *healthWriter) flush() {
	w.mu.Lock()
	batch := w.pending
	w.pending = map[slot]*health{}
	w.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	type part struct{ account, region string }
	parts := map[part]map[slot]*health{}
	for s, h := range batch {
		k := part{s.account, s.region}
		if parts[k] == nil {
			parts[k] = map[slot]*health{}
		}
		parts[k][s] = h
	}
	var wg sync.WaitGroup
	for k, writes := range parts {
		wg.Go(func() {
			err := w.src.Update(k.account, k.region, func(p *store.Part) error { return writeHealth(p, writes) })
			w.done1(writes, err)
		})
	}
	wg.Wait()
}

// done1 records the outcome of one partition's writes; failed ones go back to pending, unless a
// newer change is there already.
func (w *healthWriter) done1(writes map[slot]*health, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.log.Error("storesync: writing health failed; retrying", "error", err)
		for s, h := range writes {
			if _, newer := w.pending[s]; !newer {
				w.pending[s] = h
			}
		}
		w.retry = min(max(2*w.retry, time.Second), 30*time.Second)
		w.signal()
		return
	}
	w.retry = 0
	for s, h := range writes {
		if h == nil {
			delete(w.written, s)
		} else {
			w.written[s] = *h
		}
	}
}

func writeHealth(p *store.Part, writes map[slot]*health) error {
	for s, h := range writes {
		var err error
		switch {
		case h == nil && s.classic:
			_, err = store.ClassicProbes.Delete(p, s.key)
		case h == nil:
			_, err = store.V2Health.Delete(p, s.key)
		case s.classic:
			err = store.ClassicProbes.Put(p, s.key, &store.ClassicProbe{ClassicHealth: store.ClassicHealth{
				State: h.state, ReasonCode: h.reason, Description: h.description}, Updated: h.updated.UTC()})
		default:
			err = store.V2Health.Put(p, s.key, &store.V2TargetHealth{State: h.state, Reason: h.reason,
				Description: h.description, Updated: h.updated.UTC()})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// clearAll deletes every health record in the store: a run starts knowing nothing of its targets,
// and records a previous run left (after a crash) would otherwise be reported.
func (w *healthWriter) clearAll() error {
	stale := map[slot]*health{}
	err := w.src.ViewAll(func(p *store.Part) error {
		if err := store.ClassicProbes.ForEach(p, func(k string, _ *store.ClassicProbe) error {
			stale[slot{p.Account, p.Region, true, k}] = nil
			return nil
		}); err != nil {
			return err
		}
		return store.V2Health.ForEach(p, func(k string, _ *store.V2TargetHealth) error {
			stale[slot{p.Account, p.Region, false, k}] = nil
			return nil
		})
	})
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.pending = stale
	w.mu.Unlock()
	return w.flushAll()
}

// close stops the flusher and deletes every record this run wrote.
func (w *healthWriter) close() error {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	w.slots = nil
	for s := range w.written {
		w.pending[s] = nil
	}
	for s, p := range w.pending {
		if p != nil {
			delete(w.pending, s)
		}
	}
	w.mu.Unlock()
	return w.flushAll()
}

// flushAll writes what is pending now, once, and says whether anything is left.
func (w *healthWriter) flushAll() error {
	w.flush()
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) > 0 {
		return errors.New("some health records could not be written or deleted")
	}
	return nil
}
