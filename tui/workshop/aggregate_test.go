package workshop

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// events builds a learner's events, one a minute from t0.
type script struct {
	evs []Event
}

func (s *script) ev(id int64, min int, kind, lesson, cell string, ok bool, detail string) {
	s.evs = append(s.evs, Event{ID: int64(len(s.evs) + 1), Learner: id, At: t0.Add(time.Duration(min) * time.Minute), Kind: kind, Lesson: lesson, Cell: cell, OK: ok, Detail: detail})
}

func classScript() ([]Learner, []Event) {
	ls := []Learner{{ID: 1, Key: "key:A", Name: "ann"}, {ID: 2, Key: "name:bo", Name: "bo"}, {ID: 3, Key: "key:C", Name: "cy"}}
	var s script
	s.ev(1, 0, KindConnect, "", "", false, "srv1")
	s.ev(1, 0, KindLesson, "conv", "", false, "")
	s.ev(1, 1, KindCell, "conv", "k-same", false, "")
	s.ev(1, 2, KindExercise, "conv", "k-same", true, "")
	s.ev(1, 3, KindQuiz, "", "conv_params", true, "")
	s.ev(1, 4, KindQuiz, "", "conv_out", false, "")
	s.ev(2, 0, KindLesson, "conv", "", false, "")
	for i := 1; i <= 3; i++ {
		s.ev(2, i, KindExercise, "conv", "k-same", false, "set pad to 1")
	}
	s.ev(3, 0, KindConnect, "", "", false, "srv1")
	s.ev(3, 0, KindLesson, "momentum", "", false, "")
	s.ev(3, 1, KindCell, "momentum", "ravine", false, "")
	return ls, s.evs
}

func TestFold(t *testing.T) {
	ls, evs := classScript()
	c := Fold(ls, evs, 0, t0.Add(7*time.Minute), nil)
	if len(c.Learners) != 3 || c.Learners[0].Name != "bo" || c.Learners[1].Name != "cy" || c.Learners[2].Name != "ann" {
		t.Fatalf("learners not stuck-first: %+v", c.Learners)
	}
	if c.Learners[0].Stuck != "failing conv/k-same" || c.Learners[1].Stuck != "idle in momentum/ravine" || c.Learners[2].Stuck != "" {
		t.Errorf("stuck: %q %q %q", c.Learners[0].Stuck, c.Learners[1].Stuck, c.Learners[2].Stuck)
	}
	if c.Learners[0].StuckKind != StuckFailing || c.Learners[0].StuckAt != "conv/k-same" || c.Learners[0].Online {
		t.Errorf("bo: %+v", c.Learners[0])
	}
	a := c.Learners[2]
	if a.Passed != 1 || a.QuizRight != 1 || a.QuizAnswered != 2 || a.Seconds != 240 || len(a.Visited) != 1 || !a.Online {
		t.Errorf("ann: %+v", a)
	}
	if len(c.Exercises) != 1 || c.Exercises[0].Passed != 1 || c.Exercises[0].Tried != 2 || c.Exercises[0].Attempts != 4 || c.Exercises[0].CommonHint != "set pad to 1" {
		t.Errorf("exercises: %+v", c.Exercises)
	}
	// ann looked at k-same at minute 1 and passed at 2.
	if c.Exercises[0].MedianSeconds != 60 {
		t.Errorf("median time to pass: %v, want 60", c.Exercises[0].MedianSeconds)
	}
	// A server that is no longer running: its learners are gone, and a
	// learner who left is not idle.
	c = Fold(ls, evs, 0, t0.Add(7*time.Minute), func(string) bool { return false })
	if c.Learners[1].Name != "ann" || c.Learners[1].Online || c.Learners[2].Name != "cy" || c.Learners[2].Stuck != "" {
		t.Errorf("with srv1 gone: %+v", c.Learners)
	}
}

// The stuck flag clears when the learner moves on: another cell, another
// lesson; not when they run the failing cell again or look at its
// prediction.
func TestStuckClearsOnMovingOn(t *testing.T) {
	for _, tc := range []struct {
		name  string
		then  func(s *script)
		stuck bool
	}{
		{"stays", func(s *script) {}, true},
		{"reruns the cell", func(s *script) { s.ev(1, 5, KindRun, "momentum", "ripples", false, "") }, true},
		{"another cell", func(s *script) { s.ev(1, 5, KindCell, "momentum", "ravine", false, "") }, false},
		{"another lesson", func(s *script) { s.ev(1, 5, KindLesson, "conv", "", false, "") }, false},
		{"the same lesson reopened", func(s *script) { s.ev(1, 5, KindLesson, "momentum", "", false, "") }, true},
		{"passes", func(s *script) { s.ev(1, 5, KindExercise, "momentum", "ripples", true, "") }, false},
		{"fails another", func(s *script) { s.ev(1, 5, KindExercise, "conv", "k-same", false, "") }, false},
	} {
		var s script
		s.ev(1, 0, KindLesson, "momentum", "", false, "")
		for i := 1; i <= 3; i++ {
			s.ev(1, i, KindRun, "momentum", "ripples", false, "beta=0.5")
			s.ev(1, i, KindExercise, "momentum", "ripples", false, "raise beta")
		}
		tc.then(&s)
		c := Fold([]Learner{{ID: 1, Name: "ann"}}, s.evs, 0, t0.Add(6*time.Minute), nil)
		if got := c.Learners[0].StuckKind == StuckFailing; got != tc.stuck {
			t.Errorf("%s: stuck %v, want %v (%+v)", tc.name, got, tc.stuck, c.Learners[0])
		}
	}
}

func TestLearnerDetail(t *testing.T) {
	var s script
	s.ev(1, 0, KindConnect, "", "", false, "a")
	s.ev(1, 0, KindLesson, "momentum", "", false, "")
	s.ev(1, 1, KindRun, "momentum", "ripples", false, "beta=0.5")
	s.ev(1, 2, KindExercise, "momentum", "ripples", false, "raise beta")
	s.ev(1, 3, KindRun, "momentum", "ripples", false, "beta=0.9")
	s.ev(1, 4, KindExercise, "momentum", "ripples", true, "")
	s.ev(1, 5, KindLesson, "conv", "", false, "")
	s.ev(1, 6, KindExercise, "conv", "k-same", false, "set pad to 1")
	s.ev(1, 7, KindQuiz, "", "conv_out", true, "")
	s.ev(1, 8, KindQuiz, "", "conv_out", false, "")
	s.ev(1, 9, KindQuiz, "", "adam_step", true, "")
	s.ev(1, 10, KindName, "", "", false, "Ann Lee")
	s.ev(1, 30, KindDisconnect, "", "", false, "a")
	a := NewAggregate()
	a.AddLearner(Learner{ID: 1, Name: "ann"})
	for _, e := range s.evs {
		a.Add(e)
	}
	d, ok := a.Learner(1, t0.Add(40*time.Minute), nil)
	if !ok {
		t.Fatal("no learner 1")
	}
	want := LearnerDetail{
		Lessons:   []LessonTime{{"momentum", 300}, {"conv", 240}},
		Exercises: []ExerciseTry{{"momentum", "ripples", 2, true, "raise beta"}, {"conv", "k-same", 1, false, "set pad to 1"}},
		Quiz:      []QuizRecord{{"conv_out", 1, 2}, {"adam_step", 1, 1}},
		LastRun:   &Run{"momentum", "ripples", "beta=0.9", t0.Add(3 * time.Minute)},
	}
	if !reflect.DeepEqual(d.Lessons, want.Lessons) || !reflect.DeepEqual(d.Exercises, want.Exercises) || !reflect.DeepEqual(d.Quiz, want.Quiz) || !reflect.DeepEqual(d.LastRun, want.LastRun) {
		t.Errorf("detail:\n got %+v\nwant %+v", d, want)
	}
	if d.Name != "Ann Lee" || d.Online || !d.Last.Equal(t0.Add(30*time.Minute)) {
		t.Errorf("learner: %+v", d.LearnerReport)
	}
	if _, ok := a.Learner(2, t0, nil); ok {
		t.Error("an unknown learner was found")
	}
}

// The aggregate kept event by event is the fold of every event, whenever
// it is read.
func TestAggregateIsTheFold(t *testing.T) {
	ls, evs := classScript()
	a := NewAggregate()
	for _, l := range ls {
		a.AddLearner(l)
	}
	for i, e := range evs {
		a.Add(e)
		now := e.At.Add(time.Minute)
		if got, want := a.Class(now, nil), Fold(ls, evs[:i+1], 0, now, nil); !reflect.DeepEqual(got, want) {
			t.Fatalf("after event %d:\n got %+v\nwant %+v", i+1, got, want)
		}
	}
	if a.LastID() != int64(len(evs)) {
		t.Errorf("LastID %d", a.LastID())
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ in, clean, fold string }{
		{"Ji-woo Kim", "Ji-woo Kim", "ji-woo kim"},
		{"  ji-woo   kim ", "ji-woo kim", "ji-woo kim"},
		{"JI-WOO\tKIM", "JI-WOO KIM", "ji-woo kim"},
		{"Straße", "Straße", "strasse"},
		{"STRASSE", "STRASSE", "strasse"},
		{"e\u0301lodie", "\u00e9lodie", "\u00e9lodie"}, // decomposed é: NFC
		{"\u00c9LODIE", "\u00c9LODIE", "\u00e9lodie"},
		{"김\u200B지민", "김지민", "김지민"},
		{"ann\u202Egnp", "anngnp", "anngnp"},
		{" \u3000 ", "", ""}, // an ideographic space is a space
	} {
		if got := CleanName(tc.in); got != tc.clean {
			t.Errorf("CleanName(%q) = %q, want %q", tc.in, got, tc.clean)
		}
		if got := FoldName(tc.in); got != tc.fold {
			t.Errorf("FoldName(%q) = %q, want %q", tc.in, got, tc.fold)
		}
	}
	for in, want := range map[string]string{"": "login_bad_length", strings.Repeat("가", 41): "login_bad_length", "지민": "", strings.Repeat("a", 40): ""} {
		if got := CheckName(in); got != want {
			t.Errorf("CheckName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNoticeText(t *testing.T) {
	both, en, ko := Notice{EN: "break", KO: "휴식"}, Notice{EN: "break"}, Notice{KO: "휴식"}
	for _, tc := range []struct {
		n          Notice
		lang, want string
	}{{both, "en", "break"}, {both, "ko", "휴식"}, {en, "ko", "break"}, {ko, "en", "휴식"}} {
		if got := tc.n.Text(tc.lang); got != tc.want {
			t.Errorf("%+v.Text(%s) = %q", tc.n, tc.lang, got)
		}
	}
}

// classEvents is a class of learners doing n events in all, as a room
// does: lessons, focus, runs, exercises, quiz answers.
func classEvents(learners, n int) ([]Learner, []Event) {
	ls := make([]Learner, learners)
	for i := range ls {
		ls[i] = Learner{ID: int64(i + 1), Key: fmt.Sprintf("key:%d", i), Name: fmt.Sprintf("learner %d", i)}
	}
	evs := make([]Event, n)
	kinds := []string{KindLesson, KindCell, KindCell, KindRun, KindExercise, KindCell, KindRun, KindExercise, KindQuiz, KindCell}
	for i := range evs {
		l := i % learners
		step := i / learners
		lesson := fmt.Sprintf("lesson%d", step/200%6)
		cell := fmt.Sprintf("cell%d", step/10%20)
		evs[i] = Event{ID: int64(i + 1), Learner: int64(l + 1), At: t0.Add(time.Duration(step) * 3 * time.Second), Kind: kinds[step%len(kinds)],
			Lesson: lesson, Cell: cell, OK: (step+l)%3 == 0, Detail: []string{"raise beta", "lower the rate", ""}[(step+l)%3]}
	}
	return ls, evs
}

// BenchmarkClassRefresh is the instructor's refresh at a million events:
// the class read from the aggregate (which already holds them), and the
// few events that came since added. Compare BenchmarkFold, which reads
// every event again (as the view did before).
func BenchmarkClassRefresh(b *testing.B) {
	ls, evs := classEvents(300, 1_000_000)
	a := NewAggregate()
	for _, l := range ls {
		a.AddLearner(l)
	}
	for _, e := range evs[:len(evs)-100*b.N%len(evs)] {
		a.Add(e)
	}
	now := evs[len(evs)-1].At
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, e := range evs[len(evs)-100:] { // a second of a busy room
			a.Add(e)
		}
		_ = a.Class(now, nil)
	}
}

// BenchmarkFold is the class computed from a million events at once (what
// `nnlab report` and a server's start do).
func BenchmarkFold(b *testing.B) {
	ls, evs := classEvents(300, 1_000_000)
	now := evs[len(evs)-1].At
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = Fold(ls, evs, 0, now, nil)
	}
}
