package dataplane

import (
	"fmt"
	"sync"
	"time"
)

// HealthEvent reports a change of one target's health, in AWS's words: DescribeInstanceHealth's
// State, ReasonCode and Description for Classic balancers, DescribeTargetHealth's State, Reason and
// Description for the others.
type HealthEvent struct {
	GroupKey    string
	TargetID    string
	Addr        string
	State       string // InService/OutOfService; or initial, healthy, unhealthy, draining, unused, unavailable
	ReasonCode  string // Classic: ELB, Instance or N/A; ELBv2: e.g. Target.Timeout, empty when healthy
	Description string
	// Removed is set on a target's last event: it finished draining (or its group was removed) and
	// is no longer known to the engine.
	Removed bool
	Time    time.Time
}

// ELBv2 target states.
const (
	StateInitial     = "initial"
	StateHealthy     = "healthy"
	StateUnhealthy   = "unhealthy"
	StateDraining    = "draining"
	StateUnused      = "unused"
	StateUnavailable = "unavailable"
	// Classic instance states.
	StateInService    = "InService"
	StateOutOfService = "OutOfService"
)

// ELBv2 reason codes.
const (
	ReasonRegistrationInProgress   = "Elb.RegistrationInProgress"
	ReasonInitialHealthChecking    = "Elb.InitialHealthChecking"
	ReasonResponseCodeMismatch     = "Target.ResponseCodeMismatch"
	ReasonTimeout                  = "Target.Timeout"
	ReasonFailedHealthChecks       = "Target.FailedHealthChecks"
	ReasonNotRegistered            = "Target.NotRegistered"
	ReasonNotInUse                 = "Target.NotInUse"
	ReasonDeregistrationInProgress = "Target.DeregistrationInProgress"
	ReasonHealthCheckDisabled      = "Target.HealthCheckDisabled"
	// Classic reason codes.
	ReasonCodeELB      = "ELB"
	ReasonCodeInstance = "Instance"
	ReasonCodeNA       = "N/A"
)

// status is a target's health as the engine tracks it, rendered per vocabulary by describe.
type status int

const (
	stNew status = iota - 1 // not reported yet
	stRegistering
	stInitialChecking
	stHealthy
	stUnhealthy
	stDraining
	stUnused
	stUnavailable
	stRemoved
)

// failKind classifies a failed probe.
type failKind int

const (
	failConnect failKind = iota
	failTimeout
	failCode
)

type probeResult struct {
	ok   bool
	kind failKind
	code int // the status a mismatching HTTP check got
}

// describe renders a status in the vocabulary of the balancer kind.
func describe(kind Kind, st status, last probeResult) (state, reason, desc string) {
	if kind == KindClassic {
		switch st {
		case stHealthy, stUnavailable:
			return StateInService, ReasonCodeNA, "N/A"
		case stUnhealthy:
			return StateOutOfService, ReasonCodeInstance,
				"Instance has failed at least the UnhealthyThreshold number of health checks consecutively."
		case stDraining:
			return StateInService, ReasonCodeNA, "Instance deregistration currently in progress."
		case stUnused, stRemoved:
			return StateOutOfService, ReasonCodeELB, "Instance is not currently registered with the LoadBalancer."
		default:
			return StateOutOfService, ReasonCodeELB, "Instance registration is still in progress."
		}
	}
	switch st {
	case stRegistering:
		return StateInitial, ReasonRegistrationInProgress, "Target registration is in progress"
	case stInitialChecking:
		return StateInitial, ReasonInitialHealthChecking, "Initial health checks in progress"
	case stHealthy:
		return StateHealthy, "", ""
	case stUnhealthy:
		switch {
		case last.kind == failCode:
			return StateUnhealthy, ReasonResponseCodeMismatch,
				fmt.Sprintf("Health checks failed with these codes: [%d]", last.code)
		case last.kind == failTimeout && kind != KindNetwork:
			return StateUnhealthy, ReasonTimeout, "Request timed out"
		}
		return StateUnhealthy, ReasonFailedHealthChecks, "Health checks failed"
	case stDraining:
		return StateDraining, ReasonDeregistrationInProgress, "Target deregistration is in progress"
	case stUnavailable:
		return StateUnavailable, ReasonHealthCheckDisabled, "Health checks are disabled"
	case stUnused:
		return StateUnused, ReasonNotInUse,
			"Target group is not configured to receive traffic from the load balancer"
	}
	return StateUnused, ReasonNotRegistered, "Target is not registered to the target group"
}

// eventQueue delivers health events to the callback in order, from one goroutine, so that the
// callback never runs under an engine lock and may call back into the engine.
type eventQueue struct {
	mu      sync.Mutex
	cond    *sync.Cond
	pending []HealthEvent
	closed  bool
	done    chan struct{}
}

func newEventQueue(fn func(HealthEvent)) *eventQueue {
	q := &eventQueue{done: make(chan struct{})}
	q.cond = sync.NewCond(&q.mu)
	go q.run(fn)
	return q
}

func (q *eventQueue) push(ev HealthEvent) {
	q.mu.Lock()
	if !q.closed {
		q.pending = append(q.pending, ev)
		q.cond.Signal()
	}
	q.mu.Unlock()
}

func (q *eventQueue) run(fn func(HealthEvent)) {
	defer close(q.done)
	for {
		q.mu.Lock()
		for len(q.pending) == 0 && !q.closed {
			q.cond.Wait()
		}
		batch := q.pending
		q.pending = nil
		closed := q.closed
		q.mu.Unlock()
		for _, ev := range batch {
			if fn != nil {
				fn(ev)
			}
		}
		if closed {
			return
		}
	}
}

// close delivers what is pending, then stops the goroutine.
func (q *eventQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.cond.Signal()
	q.mu.Unlock()
	<-q.done
}
