package state

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nnlab/nnlab/core/quiz"
)

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s, notice, err := Open(dir)
	if err != nil || notice != "" {
		t.Fatal(err, notice)
	}
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	s.Visit("momentum", now)
	if !s.Pass("momentum", "ex1", now) || s.Pass("momentum", "ex1", now.Add(time.Hour)) {
		t.Fatal("Pass should report only the first pass")
	}
	s.SetParams("momentum", "demo", map[string]string{"lr": "0.3"})
	s.SetLang("ko")
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	s2, _, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	l := s2.Lesson("momentum")
	if !l.Visited || !l.Passed["ex1"].Equal(now) || l.Params["demo"]["lr"] != "0.3" || s2.Lang() != "ko" {
		t.Fatalf("not remembered: %+v", l)
	}
	// No temporary files are left behind: the file and its lock only.
	if names := dirNames(t, dir); !slices.Equal(names, []string{FileName, lockName}) {
		t.Fatalf("left files: %v", names)
	}
	// Copies do not alias the store.
	l.Params["demo"]["lr"] = "9"
	if s2.Lesson("momentum").Params["demo"]["lr"] != "0.3" {
		t.Fatal("Lesson returned an alias")
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/tmp/xdg")
	if d, _ := DefaultDir(); d != "/tmp/xdg/nnlab" {
		t.Fatal(d)
	}
}

// Leitner boxes: right moves a kind up, wrong sends it back to box 1;
// due kinds come first, lowest box first.
func TestQuizBoxes(t *testing.T) {
	s := Memory()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.QuizAnswered("conv_params", true, t0)
	s.QuizAnswered("conv_params", true, t0)
	s.QuizAnswered("conv_out", false, t0)
	s.QuizAnswered("block", true, t0)
	s.QuizAnswered("block", false, t0)
	if b, _ := s.QuizBox("conv_params"); b.Box != 3 || b.Right != 2 || !b.Due.Equal(t0.Add(3*24*time.Hour)) {
		t.Errorf("conv_params: %+v", b)
	}
	if b, _ := s.QuizBox("block"); b.Box != 1 || b.Right != 1 || b.Wrong != 1 || !b.Due.Equal(t0) {
		t.Errorf("block: %+v", b)
	}
	order, due := s.QuizOrder([]string{"conv_params", "model", "conv_out", "block"}, t0.Add(time.Hour))
	if due != 2 || order[2] != "model" || order[3] != "conv_params" {
		t.Errorf("order %v, due %d", order, due)
	}
	order, due = s.QuizOrder([]string{"conv_params", "model", "conv_out", "block"}, t0.Add(4*24*time.Hour))
	if due != 3 || order[3] != "model" {
		t.Errorf("four days later: order %v, due %d", order, due)
	}
	for range 10 {
		s.QuizAnswered("conv_params", true, t0)
	}
	if b, _ := s.QuizBox("conv_params"); b.Box != quiz.MaxBox {
		t.Errorf("box beyond the last: %+v", b)
	}
}

// Two sessions of one learner on one backend keep each other's changes.
func TestBackedStoresMerge(t *testing.T) {
	var mu sync.Mutex
	var saved []byte
	b := BackendFunc(func(merge func([]byte) ([]byte, error)) error {
		mu.Lock()
		defer mu.Unlock()
		out, err := merge(saved)
		if err == nil {
			saved = out
		}
		return err
	})
	a, _ := NewBacked(nil, b)
	c, _ := NewBacked(nil, b)
	now := time.Now()
	a.Visit("momentum", now)
	c.Pass("conv-arithmetic", "k-same", now)
	var wg sync.WaitGroup
	for _, s := range []*Store{a, c, a, c} {
		wg.Add(1)
		go func() { defer wg.Done(); s.Save() }()
	}
	wg.Wait()
	d, notice := NewBacked(saved, b)
	if notice != "" || !d.Lesson("momentum").Visited {
		t.Errorf("the first session's visit was lost (%q)", notice)
	}
	if _, ok := d.Lesson("conv-arithmetic").Passed["k-same"]; !ok {
		t.Error("the second session's pass was lost")
	}
	if _, notice := NewBacked([]byte(`{"version":1,"lessons":{"x":null}}`), b); notice == "" {
		t.Error("invalid saved state gave no notice")
	}
}
