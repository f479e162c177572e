package serve

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestReport(t *testing.T) {
	db, err := OpenDB(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ann, _ := db.Learner(ctx, "key:A", "ann")
	bo, _ := db.Learner(ctx, "name:bo", "bo")
	cy, _ := db.Learner(ctx, "key:C", "cy")
	if again, _ := db.Learner(ctx, "key:A", "other"); again != ann {
		t.Fatal("the same key made a second learner")
	}
	ev := func(id int64, min int, kind, lesson, cell string, ok bool, detail string) {
		if err := db.Event(ctx, id, t0.Add(time.Duration(min)*time.Minute), kind, lesson, cell, ok, detail); err != nil {
			t.Fatal(err)
		}
	}
	ev(ann, 0, "lesson", "conv", "", false, "")
	ev(ann, 1, "cell", "conv", "k-same", false, "")
	ev(ann, 2, "exercise", "conv", "k-same", true, "")
	ev(ann, 3, "quiz", "", "conv_params", true, "")
	ev(ann, 4, "quiz", "", "conv_out", false, "")
	ev(bo, 0, "lesson", "conv", "", false, "")
	for i := 1; i <= 3; i++ {
		ev(bo, i, "exercise", "conv", "k-same", false, "set pad to 1")
	}
	ev(cy, 0, "lesson", "momentum", "", false, "")
	ev(cy, 1, "cell", "momentum", "ravine", false, "")
	c, err := db.Report(ctx, t0.Add(7*time.Minute))
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
	if a.Passed != 1 || a.QuizRight != 1 || a.QuizAnswered != 2 || a.Seconds != 240 || len(a.Visited) != 1 {
		t.Errorf("ann: %+v", a)
	}
	if len(c.Exercises) != 1 || c.Exercises[0].Passed != 1 || c.Exercises[0].Tried != 2 || c.Exercises[0].Attempts != 4 || c.Exercises[0].CommonHint != "set pad to 1" {
		t.Errorf("exercises: %+v", c.Exercises)
	}
}

// Two sessions of one learner saving at once both keep their changes.
func TestSaveStateConcurrent(t *testing.T) {
	db, err := OpenDB(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	id, _ := db.Learner(ctx, "key:A", "ann")
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.SaveState(ctx, id, func(saved []byte) ([]byte, error) {
				return append(saved, byte('a'+i%26)), nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	data, _ := db.LoadState(ctx, id)
	if len(data) != 20 {
		t.Errorf("%d of 20 appends survived", len(data))
	}
}

func TestSchemaVersion(t *testing.T) {
	dir := t.TempDir()
	db, err := OpenDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	db.sql.Exec("PRAGMA user_version = 99")
	db.Close()
	if _, err := OpenDB(dir); err == nil {
		t.Error("a database from a newer nnlab was opened")
	}
}

// An SSH user name is shown to the instructor: no escapes, a bounded length.
func TestLearnerName(t *testing.T) {
	for in, want := range map[string]string{"alice": "alice", "\x1b]0;pwned\x07bob": "]0;pwnedbob", "": "?", strings.Repeat("가", 50): strings.Repeat("가", 40)} {
		if got := learnerName(in); got != want {
			t.Errorf("learnerName(%q) = %q, want %q", in, got, want)
		}
	}
}
