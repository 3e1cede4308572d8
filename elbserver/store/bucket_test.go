package store_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

type thing struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

var things = store.NewBucket[thing]("things", 64)

func open(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open("")
	must(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestBucketRecordsAndCounts(t *testing.T) {
	s := open(t)
	must(t, s.Update("a", "r", func(p *store.Part) error {
		for i := range 3 {
			if err := things.Put(p, fmt.Sprint("k", i), &thing{Name: "x", N: i}); err != nil {
				return err
			}
		}
		// Rewriting a record does not count it twice.
		return things.Put(p, "k1", &thing{Name: "y", N: 10})
	}))
	must(t, s.View("a", "r", func(p *store.Part) error {
		if n, err := things.Count(p); err != nil || n != 3 {
			t.Errorf("count = %d, %v; want 3", n, err)
		}
		got, err := things.Get(p, "k1")
		if err != nil || got == nil || *got != (thing{Name: "y", N: 10}) {
			t.Errorf("k1 = %+v, %v", got, err)
		}
		var keys []string
		err = things.ForEach(p, func(k string, _ *thing) error { keys = append(keys, k); return nil })
		if err != nil || fmt.Sprint(keys) != "[k0 k1 k2]" {
			t.Errorf("keys %v, %v", keys, err)
		}
		return nil
	}))
	// Another partition sees nothing; a missing record is nil, not an error.
	must(t, s.View("b", "r", func(p *store.Part) error {
		if got, err := things.Get(p, "k1"); got != nil || err != nil {
			t.Errorf("partition b sees %+v, %v", got, err)
		}
		if n, err := things.Count(p); n != 0 || err != nil {
			t.Errorf("partition b counts %d, %v", n, err)
		}
		return nil
	}))
	must(t, s.Update("a", "r", func(p *store.Part) error {
		if ok, err := things.Delete(p, "k0"); !ok || err != nil {
			t.Errorf("delete k0: %v %v", ok, err)
		}
		if ok, err := things.Delete(p, "k0"); ok || err != nil {
			t.Errorf("second delete k0: %v %v", ok, err)
		}
		n, err := things.Count(p)
		if n != 2 || err != nil {
			t.Errorf("count after delete = %d, %v", n, err)
		}
		return nil
	}))
}

func TestRecordBound(t *testing.T) {
	s := open(t)
	err := s.Update("a", "r", func(p *store.Part) error {
		return things.Put(p, "big", &thing{Name: string(make([]byte, 100))})
	})
	var tl *store.TooLargeError
	if !errors.As(err, &tl) || !errors.Is(err, store.ErrTooLarge) || tl.Key != "big" || tl.Max != 64 {
		t.Fatalf("oversized record: %v", err)
	}
	must(t, s.View("a", "r", func(p *store.Part) error {
		if things.Has(p, "big") {
			t.Error("the oversized record was stored")
		}
		return nil
	}))
}

func TestSubscribeIsCoalescedAndNonBlocking(t *testing.T) {
	s := open(t)
	ch, cancel := s.Subscribe()
	write := func(i int) {
		must(t, s.Update("a", "r", func(p *store.Part) error { return things.Put(p, "k", &thing{N: i}) }))
	}
	select {
	case <-ch:
		t.Fatal("notified before any write")
	default:
	}
	for i := range 5 { // nobody reads: writers must not wait
		write(i)
	}
	<-ch
	select {
	case <-ch:
		t.Fatal("five unread writes gave more than one notice")
	default:
	}
	// A failed write commits nothing and tells nobody.
	_ = s.Update("a", "r", func(p *store.Part) error { return errors.New("no") })
	select {
	case <-ch:
		t.Fatal("notified of a write that failed")
	default:
	}
	cancel()
	write(9)
	select {
	case <-ch:
		t.Fatal("notified after cancel")
	default:
	}
}

// ViewAll visits every written partition, in one transaction, and stops at the first error.
func TestViewAllVisitsEveryPartition(t *testing.T) {
	s := open(t)
	for _, ar := range [][2]string{{"111", "us-east-1"}, {"111", "eu-west-1"}, {"222", "us-east-1"}} {
		must(t, s.Update(ar[0], ar[1], func(p *store.Part) error {
			return things.Put(p, "k", &thing{Name: ar[0] + "/" + ar[1]})
		}))
	}
	var seen []string
	must(t, s.ViewAll(func(p *store.Part) error {
		v, err := things.Get(p, "k")
		if err != nil || v == nil || v.Name != p.Account+"/"+p.Region {
			t.Errorf("partition %s/%s holds %+v, %v", p.Account, p.Region, v, err)
		}
		seen = append(seen, p.Account+"/"+p.Region)
		return nil
	}))
	if fmt.Sprint(seen) != "[111/eu-west-1 111/us-east-1 222/us-east-1]" {
		t.Errorf("visited %v", seen)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.ViewAll(func(*store.Part) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("ViewAll after an error: %v, %d visits", err, n)
	}
}
