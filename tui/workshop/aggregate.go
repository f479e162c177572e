package workshop

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Aggregate is a class kept up to date one event at a time: what Fold
// computes from every event, without reading them again. Adding an event
// costs O(1); Class costs O(learners + exercises), however many events
// came before. It is not safe for concurrent use.
type Aggregate struct {
	learners map[int64]*learnerAcc
	order    []int64
	exs      map[exKey]*exAcc
	exOrder  []exKey
	last     int64 // the highest event ID added
	damaged  int
	exCache  []ExerciseReport // Exercises, until the next exercise event
	exDirty  bool
}

type exKey struct{ lesson, cell string }

func (k exKey) String() string { return k.lesson + "/" + k.cell }

// base is the cell an exercise belongs to: a prediction's exercise
// ("cell.predict") is its cell's.
func (k exKey) base() exKey { return exKey{k.lesson, strings.TrimSuffix(k.cell, ".predict")} }

type learnerAcc struct {
	r           LearnerReport
	fold        string // FoldName(r.Name), to sort by
	visited     map[string]bool
	lessonSec   map[string]int64
	lessonOrder []string
	tries       map[exKey]*ExerciseTry
	tryOrder    []exKey
	quiz        map[string]*QuizRecord
	quizOrder   []string
	seen        map[exKey]time.Time // first look at each cell
	passed      map[exKey]bool
	lastRun     *Run
	open        map[string]int // sessions open, by server
	failing     exKey
	failTimes   int
}

type exAcc struct {
	passed   map[int64]time.Duration // learner → time to their first pass
	tried    map[int64]bool
	attempts int
	hints    map[string]int
}

// NewAggregate is an empty class.
func NewAggregate() *Aggregate {
	return &Aggregate{learners: map[int64]*learnerAcc{}, exs: map[exKey]*exAcc{}}
}

// Fold is the class that learners and events add up to at time now: the
// pure function the instructor's view and the report show. live tells
// whether a server is running (nil: every server is).
func Fold(learners []Learner, events []Event, damaged int, now time.Time, live func(server string) bool) Class {
	a := NewAggregate()
	for _, l := range learners {
		a.AddLearner(l)
	}
	for _, e := range events {
		a.Add(e)
	}
	a.AddDamaged(damaged)
	return a.Class(now, live)
}

// LastID is the highest event ID added (0 for none): read the store's
// events after it to bring the aggregate up to date.
func (a *Aggregate) LastID() int64 { return a.last }

// Has reports whether learner id is known.
func (a *Aggregate) Has(id int64) bool { return a.learners[id] != nil }

// AddDamaged counts rows the store left out.
func (a *Aggregate) AddDamaged(n int) { a.damaged += n }

// AddLearner adds a learner, or renames a known one.
func (a *Aggregate) AddLearner(l Learner) {
	acc := a.learner(l.ID)
	acc.r.Name, acc.r.Key, acc.fold = l.Name, l.Key, FoldName(l.Name)
}

func (a *Aggregate) learner(id int64) *learnerAcc {
	l := a.learners[id]
	if l == nil {
		l = &learnerAcc{r: LearnerReport{ID: id, Name: "?", Visited: []string{}}, visited: map[string]bool{}, lessonSec: map[string]int64{},
			tries: map[exKey]*ExerciseTry{}, quiz: map[string]*QuizRecord{}, seen: map[exKey]time.Time{}, passed: map[exKey]bool{}, open: map[string]int{}}
		a.learners[id] = l
		a.order = append(a.order, id)
	}
	return l
}

// Add adds one event.
func (a *Aggregate) Add(e Event) {
	a.last = max(a.last, e.ID)
	l := a.learner(e.Learner)
	r := &l.r
	if e.Kind == KindName {
		if e.Detail != "" {
			r.Name, l.fold = e.Detail, FoldName(e.Detail)
		}
		return
	}
	t := e.At
	if d := t.Sub(r.Last); !r.Last.IsZero() && d > 0 && d <= IdleGap {
		s := int64(d / time.Second)
		r.Seconds += s
		if r.Lesson != "" {
			l.lessonSec[r.Lesson] += s
		}
	}
	if t.After(r.Last) {
		r.Last = t
	}
	k := exKey{e.Lesson, e.Cell}
	switch e.Kind {
	case KindLesson:
		l.movedTo(exKey{e.Lesson, ""})
		r.Lesson, r.Cell = e.Lesson, ""
		if !l.visited[e.Lesson] {
			l.visited[e.Lesson] = true
			r.Visited = append(r.Visited, e.Lesson)
			l.lessonOrder = append(l.lessonOrder, e.Lesson)
		}
	case KindCell, KindRun:
		l.movedTo(k)
		r.Lesson, r.Cell = e.Lesson, e.Cell
		l.look(k.base(), t)
		if e.Kind == KindRun {
			l.lastRun = &Run{Lesson: e.Lesson, Cell: e.Cell, Values: e.Detail, At: t}
		}
	case KindExercise:
		a.exercise(l, e, k)
	case KindQuiz:
		r.QuizAnswered++
		q := l.quiz[e.Cell]
		if q == nil {
			q = &QuizRecord{Kind: e.Cell}
			l.quiz[e.Cell] = q
			l.quizOrder = append(l.quizOrder, e.Cell)
		}
		q.Answered++
		if e.OK {
			r.QuizRight++
			q.Right++
		}
	case KindConnect:
		l.open[e.Detail]++
	case KindDisconnect:
		if l.open[e.Detail] > 0 {
			l.open[e.Detail]--
		}
	}
}

// look notes the learner's first look at cell k.
func (l *learnerAcc) look(k exKey, t time.Time) {
	if _, ok := l.seen[k]; !ok {
		l.seen[k] = t
	}
}

// movedTo clears the exercise failed in a row when the learner moves on
// to another lesson (k.cell "") or another cell.
func (l *learnerAcc) movedTo(k exKey) {
	if l.failTimes == 0 {
		return
	}
	f := l.failing.base()
	if k.lesson != f.lesson || (k.cell != "" && k.base().cell != f.cell) {
		l.failing, l.failTimes = exKey{}, 0
	}
}

func (a *Aggregate) exercise(l *learnerAcc, e Event, k exKey) {
	r := &l.r
	a.exDirty = true
	x := a.exs[k]
	if x == nil {
		x = &exAcc{passed: map[int64]time.Duration{}, tried: map[int64]bool{}, hints: map[string]int{}}
		a.exs[k] = x
		a.exOrder = append(a.exOrder, k)
	}
	x.attempts++
	x.tried[e.Learner] = true
	r.Attempts++
	l.look(k.base(), e.At)
	try := l.tries[k]
	if try == nil {
		try = &ExerciseTry{Lesson: k.lesson, Cell: k.cell}
		l.tries[k] = try
		l.tryOrder = append(l.tryOrder, k)
	}
	try.Attempts++
	if e.OK {
		try.Passed = true
		if !l.passed[k] {
			l.passed[k] = true
			r.Passed++
			x.passed[e.Learner] = max(0, e.At.Sub(l.seen[k.base()]))
		}
		if l.failing == k {
			l.failing, l.failTimes = exKey{}, 0
		}
		return
	}
	if e.Detail != "" {
		x.hints[e.Detail]++
		try.LastHint = e.Detail
	}
	switch {
	case l.failing == k:
		l.failTimes++
	case !l.passed[k]:
		l.failing, l.failTimes = k, 1
	}
}

// report is learner l's row at time now.
func (l *learnerAcc) report(now time.Time, live func(string) bool) LearnerReport {
	r := l.r
	r.Visited = slices.Clone(r.Visited)
	for s, n := range l.open {
		if n > 0 && (live == nil || live(s)) {
			r.Online = true
			break
		}
	}
	switch {
	case l.failTimes >= StuckFails:
		r.StuckKind, r.StuckAt, r.FailingTimes = StuckFailing, l.failing.String(), l.failTimes
	case r.Online && r.Cell != "" && now.Sub(r.Last) >= IdleGap:
		r.StuckKind, r.StuckAt = StuckIdle, r.Lesson+"/"+r.Cell
	}
	if r.StuckKind != "" {
		r.Stuck = r.StuckKind
		if r.StuckKind == StuckIdle {
			r.Stuck += " in"
		}
		r.Stuck += " " + r.StuckAt
	}
	return r
}

// Class is the class at time now; live tells whether a server is running
// (nil: every server is).
func (a *Aggregate) Class(now time.Time, live func(server string) bool) Class {
	type row struct {
		r    LearnerReport
		fold string
	}
	rows := make([]row, 0, len(a.order))
	for _, id := range a.order {
		l := a.learners[id]
		r := l.report(now, live)
		r.Minutes = MinutesOf(r.Seconds)
		rows = append(rows, row{r, l.fold})
	}
	slices.SortFunc(rows, func(x, y row) int {
		if (x.r.StuckKind != "") != (y.r.StuckKind != "") {
			if x.r.StuckKind != "" {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(x.fold, y.fold), cmp.Compare(x.r.ID, y.r.ID))
	})
	c := Class{Damaged: a.damaged, Learners: make([]LearnerReport, len(rows))}
	for i, r := range rows {
		c.Learners[i] = r.r
	}
	c.Exercises = a.exercises()
	return c
}

// exercises is every exercise across the class, in the order first tried.
func (a *Aggregate) exercises() []ExerciseReport {
	if !a.exDirty && a.exCache != nil {
		return slices.Clone(a.exCache)
	}
	out := make([]ExerciseReport, 0, len(a.exOrder))
	for _, k := range a.exOrder {
		x := a.exs[k]
		e := ExerciseReport{Lesson: k.lesson, Cell: k.cell, Passed: len(x.passed), Tried: len(x.tried), Attempts: x.attempts}
		best := 0
		for h, n := range x.hints {
			if n > best || (n == best && h < e.CommonHint) {
				e.CommonHint, best = h, n
			}
		}
		if len(x.passed) > 0 {
			ds := make([]time.Duration, 0, len(x.passed))
			for _, d := range x.passed {
				ds = append(ds, d)
			}
			slices.Sort(ds)
			m := ds[len(ds)/2]
			if len(ds)%2 == 0 {
				m = (ds[len(ds)/2-1] + m) / 2
			}
			e.MedianSeconds = m.Seconds()
		}
		out = append(out, e)
	}
	a.exCache, a.exDirty = out, false
	return slices.Clone(out)
}

// Learner is learner id in full at time now (false when unknown).
func (a *Aggregate) Learner(id int64, now time.Time, live func(server string) bool) (LearnerDetail, bool) {
	l := a.learners[id]
	if l == nil {
		return LearnerDetail{}, false
	}
	d := LearnerDetail{LearnerReport: l.report(now, live), Lessons: []LessonTime{}, Exercises: []ExerciseTry{}, Quiz: []QuizRecord{}}
	for _, ls := range l.lessonOrder {
		d.Lessons = append(d.Lessons, LessonTime{Lesson: ls, Seconds: l.lessonSec[ls]})
	}
	for _, k := range l.tryOrder {
		d.Exercises = append(d.Exercises, *l.tries[k])
	}
	for _, q := range l.quizOrder {
		d.Quiz = append(d.Quiz, *l.quiz[q])
	}
	if l.lastRun != nil {
		run := *l.lastRun
		d.LastRun = &run
	}
	return d, true
}
