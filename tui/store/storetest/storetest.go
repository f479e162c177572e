// Package storetest is the suite every store.Store must pass, run against
// SQLite and PostgreSQL alike (store's tests call Run with each).
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/nnlab/nnlab/tui/store"
	"github.com/nnlab/nnlab/tui/workshop"
)

// Opener makes a fresh, empty workshop for one test and returns how to
// open it: each call of open is another connection to the same database,
// as another server process would have.
type Opener func(t *testing.T) (open func(t *testing.T) store.Store)

// Run runs the suite.
func Run(t *testing.T, fresh Opener) {
	for _, tc := range []struct {
		name string
		test func(t *testing.T, open func(t *testing.T) store.Store)
	}{
		{"LearnerByKey", testLearnerByKey},
		{"LearnerByName", testLearnerByName},
		{"Rename", testRename},
		{"StateConcurrent", testStateConcurrent},
		{"Events", testEvents},
		{"EventsNoneMissed", testEventsNoneMissed},
		{"Notices", testNotices},
		{"Live", testLive},
		{"Report", testReport},
		{"Feed", testFeed},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, fresh(t)) })
	}
}

var ctx = context.Background()

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func testLearnerByKey(t *testing.T, open func(t *testing.T) store.Store) {
	s := open(t)
	a := must[workshop.Learner](t)(s.LearnerByKey(ctx, "key:A"))
	if a.ID == 0 || a.Key != "key:A" || a.Name != "" || a.Named {
		t.Errorf("a new key's learner: %+v", a)
	}
	if again := must[workshop.Learner](t)(s.LearnerByKey(ctx, "key:A")); again.ID != a.ID {
		t.Errorf("the same key made a second learner: %d, %d", a.ID, again.ID)
	}
	if b := must[workshop.Learner](t)(s.LearnerByKey(ctx, "key:B")); b.ID == a.ID {
		t.Error("two keys, one learner")
	}
}

// A name typed again in another case, spacing or Unicode form finds the
// same learner.
func testLearnerByName(t *testing.T, open func(t *testing.T) store.Store) {
	s := open(t)
	first, found, err := s.LearnerByName(ctx, "Ji-woo Kim")
	if err != nil || found || first.Name != "Ji-woo Kim" || !first.Named {
		t.Fatalf("a new name: %+v %v %v", first, found, err)
	}
	for _, again := range []string{"ji-woo kim", "  JI-WOO   KIM ", "Ji-woo\tKim"} {
		l, found, err := s.LearnerByName(ctx, again)
		if err != nil || !found || l.ID != first.ID || l.Name != "Ji-woo Kim" {
			t.Errorf("%q: %+v found %v %v; want learner %d, Ji-woo Kim", again, l, found, err, first.ID)
		}
	}
	é := must[workshop.Learner](t)(func() (workshop.Learner, error) { l, _, err := s.LearnerByName(ctx, "\u00c9lodie"); return l, err }())
	if l, found, _ := s.LearnerByName(ctx, "e\u0301lodie"); !found || l.ID != é.ID {
		t.Errorf("a decomposed é found %+v (found %v), want learner %d", l, found, é.ID)
	}
	if _, _, err := s.LearnerByName(ctx, "   "); err == nil {
		t.Error("an empty name was taken")
	}
	// Learners typing the same new name at once become one learner.
	var wg sync.WaitGroup
	ids := make([]int64, 8)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, _, err := s.LearnerByName(ctx, []string{"Mina", "mina", "MINA"}[i%3])
			if err != nil {
				t.Error(err)
			}
			ids[i] = l.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Errorf("one name, several learners: %v", ids)
			break
		}
	}
}

func testRename(t *testing.T, open func(t *testing.T) store.Store) {
	s := open(t)
	k := must[workshop.Learner](t)(s.LearnerByKey(ctx, "key:A"))
	if err := s.Rename(ctx, k.ID, "  Ann   Lee "); err != nil {
		t.Fatal(err)
	}
	if l := must[workshop.Learner](t)(s.LearnerByKey(ctx, "key:A")); l.Name != "Ann Lee" || !l.Named {
		t.Errorf("renamed: %+v", l)
	}
	bo, _, _ := s.LearnerByName(ctx, "Bo")
	cy, _, _ := s.LearnerByName(ctx, "Cy")
	if err := s.Rename(ctx, cy.ID, "bo"); !errors.Is(err, store.ErrNameTaken) {
		t.Errorf("renaming cy to bo: %v, want ErrNameTaken", err)
	}
	if err := s.Rename(ctx, cy.ID, "Cyrus"); err != nil {
		t.Fatal(err)
	}
	if l, found, _ := s.LearnerByName(ctx, "cyrus"); !found || l.ID != cy.ID {
		t.Errorf("cy renamed is not found by the new name: %+v %v", l, found)
	}
	if l, found, _ := s.LearnerByName(ctx, "cy"); found || l.ID == cy.ID {
		t.Errorf("cy's old name still finds them: %+v", l)
	}
	// A key's learner may share a name with anyone.
	if err := s.Rename(ctx, k.ID, "Bo"); err != nil {
		t.Errorf("a key's learner named like another: %v", err)
	}
	_ = bo
	evs, _, _, err := s.Events(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range evs {
		if e.Kind == workshop.KindName {
			names = append(names, e.Detail)
		}
	}
	if !reflect.DeepEqual(names, []string{"Ann Lee", "Cyrus", "Bo"}) {
		t.Errorf("name events %v", names)
	}
}

// Two sessions of one learner — on two servers — saving at once both keep
// their changes: the read, merge and write are serialised.
func testStateConcurrent(t *testing.T, open func(t *testing.T) store.Store) {
	s1, s2 := open(t), open(t)
	id := must[workshop.Learner](t)(s1.LearnerByKey(ctx, "key:A")).ID
	if data, err := s1.LoadState(ctx, id); data != nil || err != nil {
		t.Fatalf("a new learner's state: %q %v", data, err)
	}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := []store.Store{s1, s2}[i%2]
			err := s.UpdateState(ctx, id, func(saved []byte) ([]byte, error) {
				return append(saved, byte('a'+i%26)), nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	data, _ := s2.LoadState(ctx, id)
	if len(data) != 40 {
		t.Errorf("%d of 40 appends survived", len(data))
	}
	// A failing merge changes nothing.
	if err := s1.UpdateState(ctx, id, func([]byte) ([]byte, error) { return nil, errors.New("no") }); err == nil {
		t.Error("a failing merge was not reported")
	}
	if again, _ := s1.LoadState(ctx, id); string(again) != string(data) {
		t.Error("a failing merge changed the state")
	}
}

func testEvents(t *testing.T, open func(t *testing.T) store.Store) {
	s := open(t)
	id := must[workshop.Learner](t)(s.LearnerByKey(ctx, "key:A")).ID
	t0 := time.UnixMilli(time.Now().UnixMilli())
	var in []workshop.Event
	for i := range 1200 { // more than one statement's worth
		in = append(in, workshop.Event{Learner: id, At: t0.Add(time.Duration(i) * time.Millisecond), Kind: workshop.KindExercise, Lesson: "conv", Cell: fmt.Sprint(i), OK: i%2 == 0, Detail: "hint ✓"})
	}
	if err := s.AddEvents(ctx, in); err != nil {
		t.Fatal(err)
	}
	var got []workshop.Event
	after := int64(0)
	for {
		evs, damaged, last, err := s.Events(ctx, after, 500)
		if err != nil || damaged != 0 {
			t.Fatal(err, damaged)
		}
		if len(evs) == 0 {
			if last != after {
				t.Errorf("no events, yet last moved from %d to %d", after, last)
			}
			break
		}
		got = append(got, evs...)
		after = last
	}
	if len(got) != len(in) {
		t.Fatalf("%d events read, %d added", len(got), len(in))
	}
	for i, e := range got {
		if i > 0 && e.ID <= got[i-1].ID {
			t.Fatalf("IDs not increasing at %d", i)
		}
		w := in[i]
		w.ID = e.ID
		if !reflect.DeepEqual(e, w) {
			t.Fatalf("event %d: %+v, want %+v", i, e, w)
		}
	}
}

// Writers in two processes adding events while a reader reads after the
// last ID it saw: the reader sees every event exactly once.
func testEventsNoneMissed(t *testing.T, open func(t *testing.T) store.Store) {
	w1, w2, r := open(t), open(t), open(t)
	id := must[workshop.Learner](t)(w1.LearnerByKey(ctx, "key:A")).ID
	const writers, batches, per = 6, 30, 5
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := []store.Store{w1, w2}[w%2]
			for b := range batches {
				var evs []workshop.Event
				for i := range per {
					evs = append(evs, workshop.Event{Learner: id, At: time.Now(), Kind: workshop.KindCell, Cell: fmt.Sprintf("%d/%d/%d", w, b, i)})
				}
				if err := s.AddEvents(ctx, evs); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[string]int{}
	after := int64(0)
	for finished := false; ; {
		select {
		case <-done:
			finished = true
		default:
		}
		evs, _, last, err := r.Events(ctx, after, 37)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			seen[e.Cell]++
		}
		after = last
		if finished && len(evs) == 0 {
			break
		}
	}
	if len(seen) != writers*batches*per {
		t.Errorf("the reader saw %d of %d events", len(seen), writers*batches*per)
	}
	for c, n := range seen {
		if n != 1 {
			t.Errorf("event %s seen %d times", c, n)
		}
	}
}

func testNotices(t *testing.T, open func(t *testing.T) store.Store) {
	s := open(t)
	if ns, last, err := s.Notices(ctx, -1); err != nil || ns != nil || last != 0 {
		t.Fatalf("no notices yet: %v %d %v", ns, last, err)
	}
	s.AddNotice(ctx, workshop.Notice{EN: "Break until 11", KO: "11시까지 휴식"})
	s.AddNotice(ctx, workshop.Notice{Lesson: "conv"})
	ns, last, err := s.Notices(ctx, 0)
	if err != nil || len(ns) != 2 || ns[0].KO != "11시까지 휴식" || ns[1].Lesson != "conv" || last != ns[1].ID {
		t.Fatalf("notices: %+v %d %v", ns, last, err)
	}
	if ns, l2, _ := s.Notices(ctx, ns[0].ID); len(ns) != 1 || l2 != last {
		t.Errorf("after the first: %+v", ns)
	}
	if _, l3, _ := s.Notices(ctx, -1); l3 != last {
		t.Errorf("the last notice: %d, want %d", l3, last)
	}
}

func testLive(t *testing.T, open func(t *testing.T) store.Store) {
	s := open(t)
	now := time.Now()
	s.Beat(ctx, "a", now.Add(-time.Minute))
	s.Beat(ctx, "b", now)
	s.Beat(ctx, "a", now.Add(-30*time.Second))
	live, err := s.Live(ctx, now.Add(-10*time.Second))
	if err != nil || !reflect.DeepEqual(live, []string{"b"}) {
		t.Errorf("live: %v %v", live, err)
	}
}

// The report of a store is the fold of its learners and events.
func testReport(t *testing.T, open func(t *testing.T) store.Store) {
	s := open(t)
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ann := must[workshop.Learner](t)(s.LearnerByKey(ctx, "key:A")).ID
	s.Rename(ctx, ann, "ann")
	bo, _, _ := s.LearnerByName(ctx, "bo")
	cy := must[workshop.Learner](t)(s.LearnerByKey(ctx, "key:C")).ID
	s.Rename(ctx, cy, "cy")
	var evs []workshop.Event
	ev := func(id int64, min int, kind, lesson, cell string, ok bool, detail string) {
		evs = append(evs, workshop.Event{Learner: id, At: t0.Add(time.Duration(min) * time.Minute), Kind: kind, Lesson: lesson, Cell: cell, OK: ok, Detail: detail})
	}
	ev(ann, 0, "lesson", "conv", "", false, "")
	ev(ann, 1, "cell", "conv", "k-same", false, "")
	ev(ann, 2, "exercise", "conv", "k-same", true, "")
	ev(ann, 3, "quiz", "", "conv_params", true, "")
	ev(ann, 4, "quiz", "", "conv_out", false, "")
	ev(bo.ID, 0, "lesson", "conv", "", false, "")
	for i := 1; i <= 3; i++ {
		ev(bo.ID, i, "exercise", "conv", "k-same", false, "set pad to 1")
	}
	ev(cy, 0, "connect", "", "", false, "srv")
	ev(cy, 0, "lesson", "momentum", "", false, "")
	ev(cy, 1, "cell", "momentum", "ravine", false, "")
	if err := s.AddEvents(ctx, evs); err != nil {
		t.Fatal(err)
	}
	s.Beat(ctx, "srv", time.Now())
	c, err := store.Report(ctx, s, t0.Add(7*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Learners) != 3 || c.Learners[0].Name != "bo" || c.Learners[1].Name != "cy" || c.Learners[2].Name != "ann" {
		t.Fatalf("learners not stuck-first: %+v", c.Learners)
	}
	if c.Learners[0].Stuck != "failing conv/k-same" || c.Learners[1].Stuck != "idle in momentum/ravine" || c.Learners[2].Stuck != "" {
		t.Errorf("stuck: %q %q %q", c.Learners[0].Stuck, c.Learners[1].Stuck, c.Learners[2].Stuck)
	}
	a := c.Learners[2]
	if a.Passed != 1 || a.QuizRight != 1 || a.QuizAnswered != 2 || a.Seconds != 240 || len(a.Visited) != 1 || a.Key != "key:A" {
		t.Errorf("ann: %+v", a)
	}
	if len(c.Exercises) != 1 || c.Exercises[0].Passed != 1 || c.Exercises[0].Tried != 2 || c.Exercises[0].Attempts != 4 || c.Exercises[0].CommonHint != "set pad to 1" || c.Exercises[0].MedianSeconds != 60 {
		t.Errorf("exercises: %+v", c.Exercises)
	}
}

// A feed kept up to date as events arrive — from another process too — is
// the report read afresh.
func testFeed(t *testing.T, open func(t *testing.T) store.Store) {
	s1, s2 := open(t), open(t)
	f := store.NewFeed(s1)
	now := time.Now()
	if c, err := f.Class(ctx, now); err != nil || len(c.Learners) != 0 {
		t.Fatalf("an empty class: %+v %v", c, err)
	}
	for round := range 5 {
		for i := range 3 {
			l := must[workshop.Learner](t)(s2.LearnerByKey(ctx, fmt.Sprintf("key:%d", i)))
			if round == 1 {
				s2.Rename(ctx, l.ID, fmt.Sprintf("learner %d", i))
			}
			s2.AddEvents(ctx, []workshop.Event{
				{Learner: l.ID, At: now, Kind: workshop.KindLesson, Lesson: "conv"},
				{Learner: l.ID, At: now, Kind: workshop.KindExercise, Lesson: "conv", Cell: "k", OK: round == i, Detail: "pad"},
			})
		}
		got, err := f.Class(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		want, err := store.Report(ctx, s1, now)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: the feed\n %+v\nthe report\n %+v", round, got, want)
		}
	}
	if d, ok, err := f.Learner(ctx, 1, now); err != nil || !ok || d.Name != "learner 0" || len(d.Exercises) != 1 || d.Exercises[0].Attempts != 5 {
		t.Errorf("learner 1 in full: %+v %v %v", d, ok, err)
	}
}
