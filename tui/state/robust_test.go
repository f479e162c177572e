package state

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// exercise uses every part of s as the app would; nothing may panic.
func exercise(t *testing.T, s *Store, ids, kinds []string) {
	t.Helper()
	now := time.Now()
	for _, id := range ids {
		s.Lesson(id)
		s.Visit(id, now)
		s.Pass(id, "ex", now)
		s.SetParams(id, "c", map[string]string{"lr": "1"})
	}
	for _, k := range kinds {
		s.QuizBox(k)
		s.QuizAnswered(k, true, now)
		s.QuizAnswered(k, false, now)
	}
	s.QuizOrder(kinds, now)
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
}

// A file with invalid entries is repaired: they are dropped and named in
// the notice, the rest is kept, the original is kept aside and the repaired
// file is written, so the next start is quiet.
func TestInvalidEntriesRepaired(t *testing.T) {
	const when = `"2026-01-02T03:04:05Z"`
	t0, _ := time.Parse(time.RFC3339, strings.Trim(when, `"`))
	for _, c := range []struct {
		name, content string
		dropped       []string
		check         func(*Store) string // what is wrong with the kept part, or ""
	}{
		{"null lesson", `{"version":1,"lessons":{"welcome":null,"momentum":{"visited":true}}}`,
			[]string{"lessons.welcome"},
			func(s *Store) string {
				if !s.Lesson("momentum").Visited || s.Lesson("welcome").Visited {
					return "momentum lost or welcome kept"
				}
				return ""
			}},
		{"unknown language", `{"version":1,"lang":"xx","lessons":{"a":{"visited":true}}}`,
			[]string{"lang"},
			func(s *Store) string {
				if s.Lang() != "" || !s.Lesson("a").Visited {
					return "lang " + s.Lang()
				}
				return ""
			}},
		{"wrong types at the top", `{"version":1,"lang":5,"lessons":[1,2],"quiz":"box"}`,
			[]string{"lang", "lessons", "quiz"}, nil},
		{"null and wrong fields in a lesson", `{"version":1,"lang":"ko","lessons":{"m":{"visited":"yes","last_visit":7,` +
			`"passed":{"ex":null,"ok":` + when + `,"bad":"yesterday"},` +
			`"params":{"c":null,"d":{"lr":1,"x":"2","n":null},"e":[]},"params_at":{"d":` + when + `,"e":{}}}}}`,
			[]string{"lessons.m.last_visit", "lessons.m.params.c", "lessons.m.params.d.lr", "lessons.m.params.d.n",
				"lessons.m.params.e", "lessons.m.params_at.e", "lessons.m.passed.bad", "lessons.m.passed.ex", "lessons.m.visited"},
			func(s *Store) string {
				l := s.Lesson("m")
				if s.Lang() != "ko" || !l.Passed["ok"].Equal(t0) || len(l.Passed) != 1 ||
					len(l.Params) != 1 || len(l.Params["d"]) != 1 || l.Params["d"]["x"] != "2" || !l.ParamsAt["d"].Equal(t0) {
					return fmt.Sprintf("kept %+v", l)
				}
				return ""
			}},
		{"bad quiz boxes", `{"version":1,"lessons":{},"quiz":{"neg":{"box":-3,"due":` + when + `},"huge":{"box":1000000},` +
			`"zero":{"box":0},"null":null,"str":{"box":"2"},"negright":{"box":2,"right":-1},"overflow":{"box":2,"wrong":1e40},` +
			`"ok":{"box":2,"due":` + when + `,"right":1}}}`,
			[]string{"quiz.huge", "quiz.neg", "quiz.negright", "quiz.null", "quiz.overflow", "quiz.str", "quiz.zero"},
			func(s *Store) string {
				if b, ok := s.QuizBox("ok"); !ok || b.Box != 2 || b.Right != 1 || !b.Due.Equal(t0) {
					return fmt.Sprintf("ok box %+v", b)
				}
				if _, ok := s.QuizBox("neg"); ok {
					return "kept a negative box"
				}
				return ""
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, FileName), []byte(c.content), 0o644)
			s, notice, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf("had %d invalid entries", len(c.dropped))
			if !strings.Contains(notice, want) || strings.Contains(notice, "\n") {
				t.Errorf("notice %q, want %q", notice, want)
			}
			for _, d := range c.dropped[:min(2, len(c.dropped))] {
				if !strings.Contains(notice, strconv.Quote(d)) {
					t.Errorf("notice %q does not name %s", notice, d)
				}
			}
			if c.check != nil {
				if msg := c.check(s); msg != "" {
					t.Error(msg)
				}
			}
			aside, _ := filepath.Glob(filepath.Join(dir, FileName+".corrupt-*"))
			if len(aside) != 1 {
				t.Fatalf("original not kept aside: %v", dirNames(t, dir))
			}
			if b, _ := os.ReadFile(aside[0]); string(b) != c.content {
				t.Errorf("aside holds %q", b)
			}
			if _, notice, err := Open(dir); err != nil || notice != "" {
				t.Errorf("reopened: %q, %v", notice, err)
			}
			exercise(t, s, []string{"welcome", "momentum", "m", "a"}, []string{"neg", "huge", "ok", "null"})
		})
	}
}

// Files that are not state at all are moved aside; a fresh state starts.
func TestCorruptFileMovedAside(t *testing.T) {
	huge := `{"version":1,"lessons":{"x":{"params":{"c":{"v":"` + strings.Repeat("a", MaxFileSize) + `"}}}}}`
	deep := `{"version":1,"lessons":{"a":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}}`
	for _, content := range []string{"{not json", `{"version": 99, "lessons": {}}`, `[]`, "", "null", `{"version":"1"}`, `{"lessons":{}}`, huge, deep} {
		name := content[:min(len(content), 30)]
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, FileName), []byte(content), 0o644)
		s, notice, err := Open(dir)
		if err != nil || s == nil {
			t.Fatalf("%q: %v", name, err)
		}
		if !strings.Contains(notice, "started afresh") {
			t.Errorf("%q: notice %q", name, notice)
		}
		matches, _ := filepath.Glob(filepath.Join(dir, FileName+".corrupt-*"))
		if len(matches) != 1 {
			t.Errorf("%q: corrupt file not kept aside: %v", name, matches)
		}
		if s.Lesson("x").Visited || len(s.Lesson("x").Params) != 0 {
			t.Error("fresh state is not empty")
		}
		exercise(t, s, []string{"x", "a"}, []string{"k"})
	}
}

// Temporaries of a killed save are removed on the next start; others' files
// and fresh temporaries (a save under way by a process that does not lock)
// stay.
func TestStaleTempsRemoved(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Minute)
	for _, n := range []string{".state-1.tmp", ".state-2.tmp", ".state-fresh.tmp", ".other.tmp", "state-3.tmp"} {
		p := filepath.Join(dir, n)
		os.WriteFile(p, []byte("{"), 0o644)
		if n != ".state-fresh.tmp" {
			os.Chtimes(p, old, old)
		}
	}
	if _, _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	if got, want := dirNames(t, dir), []string{".other.tmp", ".state-fresh.tmp", "state-3.tmp", lockName}; !slices.Equal(got, want) {
		t.Errorf("left %v, want %v", got, want)
	}
}

// A save that cannot be written says so.
func TestSaveFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "st")
	s, _, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Visit("a", time.Now())
	os.RemoveAll(dir)
	if err := s.Save(); err == nil || !strings.Contains(err.Error(), "cannot save progress") {
		t.Errorf("save into a removed folder: %v", err)
	}
	// A folder in the file's place is moved aside, kept, like any other
	// file that is not state.
	os.MkdirAll(filepath.Join(dir, FileName, "x"), 0o755)
	if err := s.Save(); err != nil {
		t.Errorf("save over a folder: %v", err)
	}
	if aside, _ := filepath.Glob(filepath.Join(dir, FileName+".corrupt-*", "x")); len(aside) != 1 {
		t.Errorf("the folder was not kept aside: %v", dirNames(t, dir))
	}
}

// A lock held too long (a stuck nnlab) fails the save in lockWait, with a
// sentence, rather than hanging; the save works once it is let go.
func TestLockTimeout(t *testing.T) {
	dir := t.TempDir()
	s, _, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func(w time.Duration) { lockWait = w }(lockWait)
	lockWait = 50 * time.Millisecond
	unlock, err := lockFile(filepath.Join(dir, lockName))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(); err == nil || !strings.Contains(err.Error(), "held the lock") {
		t.Errorf("save under another's lock: %v", err)
	}
	unlock()
	if err := s.Save(); err != nil {
		t.Error(err)
	}
}

// The merge rules, with two windows in one process.
func TestSaveMerges(t *testing.T) {
	dir := t.TempDir()
	a, _, _ := Open(dir)
	b, _, _ := Open(dir)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a.Visit("l1", t0)
	a.Pass("l", "ex", t0.Add(time.Hour))
	a.Pass("l", "only-a", t0)
	b.Pass("l", "ex", t0) // earlier
	b.Visit("l2", t0)
	a.SetParams("l", "c", map[string]string{"lr": "a"})
	a.SetParams("l", "gone", map[string]string{"lr": "a"})
	a.SetParams("l", "kept", map[string]string{"lr": "a"})
	a.QuizAnswered("k", true, t0.Add(2*time.Hour))
	a.QuizAnswered("k", true, t0.Add(2*time.Hour))
	b.QuizAnswered("k", false, t0.Add(3*time.Hour)) // later
	b.QuizAnswered("only-b", true, t0)
	a.SetLang("en")
	b.SetParams("l", "c", map[string]string{"lr": "b"}) // later
	b.SetParams("l", "gone", nil)                       // forgotten later
	b.SetLang("ko")                                     // later
	for _, s := range []*Store{a, b, a} {
		if err := s.Save(); err != nil {
			t.Fatal(err)
		}
	}
	r, notice, _ := Open(dir)
	if notice != "" {
		t.Fatal(notice)
	}
	l := r.Lesson("l")
	if !r.Lesson("l1").Visited || !r.Lesson("l2").Visited {
		t.Error("a visit was lost")
	}
	if !l.Passed["ex"].Equal(t0) || !l.Passed["only-a"].Equal(t0) {
		t.Errorf("passed %v", l.Passed)
	}
	if l.Params["c"]["lr"] != "b" || l.Params["kept"]["lr"] != "a" || l.Params["gone"] != nil {
		t.Errorf("params %v", l.Params)
	}
	if k, _ := r.QuizBox("k"); k.Box != 1 || k.Wrong != 1 {
		t.Errorf("box k %+v, want b's later answer", k)
	}
	if _, ok := r.QuizBox("only-b"); !ok || r.Lang() != "ko" {
		t.Errorf("only-b lost or lang %q", r.Lang())
	}
	// a took in b's changes when it saved.
	if a.Lesson("l").Params["c"]["lr"] != "b" || !a.Lesson("l2").Visited {
		t.Error("a did not take in b's progress")
	}
}

// Many goroutines changing and saving two stores of one folder: run with
// -race.
func TestConcurrentSaves(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for w := range 2 {
		s, _, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		for g := range 4 {
			wg.Go(func() {
				for i := range 10 {
					id := fmt.Sprintf("w%dg%di%d", w, g, i)
					s.Visit(id, time.Now())
					s.SetParams("shared", id, map[string]string{"i": strconv.Itoa(i)})
					s.QuizAnswered(id, true, time.Now())
					s.Lesson(id)
					if err := s.Save(); err != nil {
						t.Error(err)
					}
				}
			})
		}
	}
	wg.Wait()
	r, _, _ := Open(dir)
	for w := range 2 {
		for g := range 4 {
			for i := range 10 {
				if id := fmt.Sprintf("w%dg%di%d", w, g, i); !r.Lesson(id).Visited || r.Lesson("shared").Params[id] == nil {
					t.Fatalf("%s lost", id)
				}
			}
		}
	}
}

const workerEnv = "NNLAB_STATE_TEST_WORKER"

// Two nnlab processes share a state folder, each making its own changes
// and one shared change and saving after each, interleaved: every change of
// both survives. The test runs its own binary twice as the two windows.
func TestTwoProcesses(t *testing.T) {
	const saves = 60
	if name := os.Getenv(workerEnv); name != "" {
		twoProcessesWorker(t, name, os.Getenv(workerEnv+"_DIR"), saves)
		return
	}
	dir := t.TempDir()
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for _, name := range []string{"a", "b"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTwoProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), workerEnv+"="+name, workerEnv+"_DIR="+dir)
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	// Both start together, once both are ready.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
		_, errA := os.Stat(filepath.Join(dir, "a.ready"))
		_, errB := os.Stat(filepath.Join(dir, "b.ready"))
		if errA == nil && errB == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the workers never got ready")
		}
	}
	os.WriteFile(filepath.Join(dir, "go"), nil, 0o644)
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("worker %d: %v\n%s", i, err, outs[i])
		}
	}
	// The two windows saved at the same time.
	var span [2][2]int64
	for i, name := range []string{"a", "b"} {
		b, _ := os.ReadFile(filepath.Join(dir, name+".span"))
		fmt.Sscan(string(b), &span[i][0], &span[i][1])
	}
	if span[0][0] > span[1][1] || span[1][0] > span[0][1] || span[0][0] == 0 || span[1][0] == 0 {
		t.Errorf("the two windows did not save at the same time: %v", span)
	}
	s, notice, err := Open(dir)
	if err != nil || notice != "" {
		t.Fatal(err, notice)
	}
	for _, name := range []string{"a", "b"} {
		l := s.Lesson("shared")
		for i := range saves {
			if !s.Lesson(fmt.Sprintf("%s%d", name, i)).Visited {
				t.Fatalf("%s's visit %d was lost", name, i)
			}
			if _, ok := l.Passed[fmt.Sprintf("%s%d", name, i)]; !ok {
				t.Fatalf("%s's pass %d was lost", name, i)
			}
		}
		if got := l.Params["cell-"+name]["i"]; got != strconv.Itoa(saves-1) {
			t.Errorf("%s's cell holds i=%q, want its last change %d", name, got, saves-1)
		}
		if b, _ := s.QuizBox("kind-" + name); b.Right != saves {
			t.Errorf("%s's box %+v, want %d right answers", name, b, saves)
		}
	}
	if got := s.Lesson("shared").Params["both"]["i"]; got != strconv.Itoa(saves-1) {
		t.Errorf("the cell both change holds i=%q, want the last change %d", got, saves-1)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"a.ready", "a.span", "b.ready", "b.span", "go", FileName, lockName}) {
		t.Errorf("left %v", got)
	}
	b, _ := os.ReadFile(filepath.Join(dir, FileName))
	if !json.Valid(b) {
		t.Error("torn file")
	}
}

func twoProcessesWorker(t *testing.T, name, dir string, saves int) {
	os.WriteFile(filepath.Join(dir, name+".ready"), nil, 0o644)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "go")); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatal("never told to go")
		}
	}
	s, _, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UnixNano()
	defer func() {
		os.WriteFile(filepath.Join(dir, name+".span"), fmt.Appendf(nil, "%d %d", start, time.Now().UnixNano()), 0o644)
	}()
	for i := range saves {
		id := fmt.Sprintf("%s%d", name, i)
		s.Visit(id, time.Now())
		s.Pass("shared", id, time.Now())
		s.SetParams("shared", "cell-"+name, map[string]string{"i": strconv.Itoa(i)})
		s.SetParams("shared", "both", map[string]string{"i": strconv.Itoa(i), "by": name})
		s.QuizAnswered("kind-"+name, true, time.Now())
		if err := s.Save(); err != nil {
			t.Fatal(err)
		}
	}
}
