package store

import (
	"context"
	"sync"
	"time"

	"github.com/nnlab/nnlab/tui/workshop"
)

// BeatEvery is how often a running server tells the store so (Beat);
// LiveWithin is how recent its last beat must be for it to count as
// running, and its learners as online.
const (
	BeatEvery  = 2 * time.Second
	LiveWithin = 3 * BeatEvery
)

// page is how many events one read brings.
const page = 20000

// Feed is a class kept up to date from a store: it reads only the events
// stored since it last read (and the learners they name), and adds them to
// a workshop.Aggregate. Several servers on one store each keep a Feed and
// see the same class. It is safe for concurrent use.
type Feed struct {
	s       Store
	mu      sync.Mutex
	agg     *workshop.Aggregate
	started bool
	after   int64 // the last event ID read
	live    map[string]bool
}

// NewFeed is a feed of s; it reads nothing until asked.
func NewFeed(s Store) *Feed { return &Feed{s: s, agg: workshop.NewAggregate()} }

// Sync brings the class up to date: the learners and events stored since
// the last Sync (all of them the first time), and the servers running at
// now.
func (f *Feed) Sync(ctx context.Context, now time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.started {
		ls, damaged, err := f.s.Learners(ctx)
		if err != nil {
			return err
		}
		for _, l := range ls {
			f.agg.AddLearner(l)
		}
		f.agg.AddDamaged(damaged)
		f.started = true
	}
	for {
		evs, damaged, last, err := f.s.Events(ctx, f.after, page)
		if err != nil {
			return err
		}
		f.after = last
		f.agg.AddDamaged(damaged)
		if err := f.learnersOf(ctx, evs); err != nil {
			return err
		}
		for _, e := range evs {
			if f.agg.Has(e.Learner) {
				f.agg.Add(e)
			} else {
				f.agg.AddDamaged(1) // an event of no learner (a hand edit)
			}
		}
		if len(evs)+damaged < page {
			break
		}
	}
	live, err := f.s.Live(ctx, now.Add(-LiveWithin))
	if err != nil {
		return err
	}
	f.live = map[string]bool{}
	for _, s := range live {
		f.live[s] = true
	}
	return nil
}

// learnersOf adds the learners evs name that the aggregate does not know.
func (f *Feed) learnersOf(ctx context.Context, evs []workshop.Event) error {
	var ids []int64
	seen := map[int64]bool{}
	for _, e := range evs {
		if !f.agg.Has(e.Learner) && !seen[e.Learner] {
			seen[e.Learner] = true
			ids = append(ids, e.Learner)
		}
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		ls, damaged, err := f.s.Learners(ctx, ids[:n]...)
		if err != nil {
			return err
		}
		f.agg.AddDamaged(damaged)
		for _, l := range ls {
			f.agg.AddLearner(l)
		}
		ids = ids[n:]
	}
	return nil
}

func (f *Feed) isLive(server string) bool { return f.live[server] }

// Class syncs and returns the class at now.
func (f *Feed) Class(ctx context.Context, now time.Time) (workshop.Class, error) {
	if err := f.Sync(ctx, now); err != nil {
		return workshop.Class{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.agg.Class(now, f.isLive), nil
}

// Learner syncs and returns learner id in full at now (false when unknown).
func (f *Feed) Learner(ctx context.Context, id int64, now time.Time) (workshop.LearnerDetail, bool, error) {
	if err := f.Sync(ctx, now); err != nil {
		return workshop.LearnerDetail{}, false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.agg.Learner(id, now, f.isLive)
	return d, ok, nil
}

// Report is the class that everything in s adds up to at now: what `nnlab
// report` prints.
func Report(ctx context.Context, s Store, now time.Time) (workshop.Class, error) {
	return NewFeed(s).Class(ctx, now)
}
