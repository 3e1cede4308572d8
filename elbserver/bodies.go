package elbserver

import "golang.org/x/sync/semaphore"

// DefaultBodyMemory is how many bytes of large request bodies the endpoint receives at once
// unless Options.BodyMemory says otherwise: 64 bodies of the largest size.
const DefaultBodyMemory = 64 * maxBodyBytes

// smallBody is the size up to which a body needs no share of the budget: Query requests are
// a few KiB, and the connection limit bounds how many are received at once.
const smallBody = 64 << 10

// bodyBudget bounds the memory of large request bodies being received, whatever the number
// of clients sending them.
type bodyBudget struct{ sem *semaphore.Weighted }

func newBodyBudget(bytes int64) bodyBudget {
	if bytes <= 0 {
		bytes = DefaultBodyMemory
	}
	return bodyBudget{semaphore.NewWeighted(max(bytes, maxBodyBytes))}
}

// reserve takes n bytes of the budget at once, or reports that it is spent: the request is
// then answered 503 straight away (clients retry it) rather than queued behind bodies that
// may be stalled. It returns the reservation's release. The zero bodyBudget (a Server not
// made by New, as in some tests) bounds nothing.
func (b bodyBudget) reserve(n int64) (func(), bool) {
	if n <= smallBody || b.sem == nil {
		return func() {}, true
	}
	if !b.sem.TryAcquire(n) {
		return nil, false
	}
	return func() { b.sem.Release(n) }, true
}
