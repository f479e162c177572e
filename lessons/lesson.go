package lessons

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/nnlab/nnlab/assets"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/quiz"
	"github.com/nnlab/nnlab/internal/untrusted"
)

// Meta is a lesson's front matter.
type Meta struct {
	ID      string `json:"id"`      // lower-case letters, digits and '-'; the same in every language
	Title   string `json:"title"`   // shown in the lesson list
	Lang    string `json:"lang"`    // one of Languages
	Order   int    `json:"order"`   // position in the lesson list
	Summary string `json:"summary"` // one line
	Minutes int    `json:"minutes"` // estimated time to work through it
}

// Languages are the languages a lesson may be written in: nnlab's
// (assets.Languages), one folder of built-in lessons each.
var Languages = assets.Languages()

// FallbackLang is the language shown when a lesson has no version in the
// language asked for: the one nnlab is written in.
const FallbackLang = assets.SourceLang

// Lesson is one parsed lesson file.
type Lesson struct {
	Meta
	Path   string  // the file, as given to Parse (built-in lessons: "lessons/ko/….md")
	Blocks []Block // prose, cells and quizzes in file order

	// texts holds the values of every cell text that has some, by the
	// text (the first cell's when two texts are the same); read-only
	// once parsed.
	texts map[string][]*Inline
}

// Cells lists the lesson's cells in order.
func (l *Lesson) Cells() []*Cell {
	var out []*Cell
	for _, b := range l.Blocks {
		if c, ok := b.(*Cell); ok {
			out = append(out, c)
		}
	}
	return out
}

// Cell finds a cell by id.
func (l *Lesson) Cell(id string) (*Cell, bool) {
	for _, c := range l.Cells() {
		if c.ID == id {
			return c, true
		}
	}
	return nil, false
}

// Values lists every inline value of the lesson in file order: those in
// its prose and those in its cells' texts (caption, exercise task, hint
// texts, explanation).
func (l *Lesson) Values() []*Inline {
	var out []*Inline
	for _, b := range l.Blocks {
		switch b := b.(type) {
		case *Prose:
			out = append(out, b.Values...)
		case *Cell:
			for _, t := range b.texts {
				out = append(out, t.values...)
			}
		}
	}
	return out
}

// Exercises counts the cells' exercises and predictions and the quizzes.
func (l *Lesson) Exercises() int {
	n := 0
	for _, b := range l.Blocks {
		switch b := b.(type) {
		case *Cell:
			if b.Exercise != nil {
				n++
			}
			if b.Predict != nil {
				n++
			}
		case *QuizBlock:
			n++
		}
	}
	return n
}

// Block is one part of a lesson: *Prose, *Cell or *QuizBlock.
type Block interface {
	// SourceLine is the 1-based line of the file where the block starts.
	SourceLine() int
	block()
}

// Prose is CommonMark text between cells. Values are the {{ … }} references
// in it, in order; Runner.ResolveProse substitutes them.
type Prose struct {
	Text   string
	Line   int
	Values []*Inline
}

// Cell is a fenced `nnlab` block: one experiment the learner runs, tweaks
// and reruns. Its texts — Caption, and the exercise's Task, hint Texts and
// Explain — are kept as written and may hold values ({{ … }}), which
// Runner.ResolveText fills in.
type Cell struct {
	ID         string
	Experiment *experiment.Experiment
	// Params holds every parameter: the experiment's defaults with the
	// cell's params applied, checked. Copy it (Clone) before changing it.
	Params   experiment.Values
	Tweak    []string // parameter names the learner may change, canonical
	Show     []string // output keys in order; empty means everything
	Caption  string
	Exercise *Exercise // nil when the cell holds none
	Predict  *Predict  // nil when the cell asks for no prediction
	Line     int       // line of the opening fence

	showPos []pos      // position of each Show entry
	idPos   pos        // position of the id's value
	source  string     // the fenced block as written, fences included
	texts   []cellText // the texts that hold values, in file order
}

// addText records t when it holds values.
func (c *Cell) addText(t cellText) {
	if len(t.values) > 0 {
		c.texts = append(c.texts, t)
	}
}

// QuizBlock is a fenced `nnlab-quiz` block: a short parameter-count quiz,
// drawn from core/quiz by kinds, count and level, or questions an author
// fixed (a given layer, block or model). Its ID counts among the lesson's
// exercises: passing it is remembered like an exercise.
type QuizBlock struct {
	ID    string
	Kinds []string // drawn questions: their kinds, in turn
	Count int      // how many drawn questions
	Level int      // 1 to 3; 0: 1, 2, 3 in turn
	Fixed []FixedQuestion
	// Pass is how many questions must be right to pass (default: 80 %,
	// rounded up).
	Pass int
	Text string // the fence's content
	Line int    // line of the opening fence

	idPos  pos    // position of the id's value
	source string // the fenced block as written, fences included
}

// FixedQuestion is a question an author chose: a kind of core/quiz and the
// spec of its experiment, asked at Level for result Key ("" for the
// level's).
type FixedQuestion struct {
	Kind  string
	Spec  map[string]string
	Level int
	Key   string
}

// Questions are the quiz's questions for the learner's attempt-th try
// (0-based): the fixed ones, then Count drawn ones, a new draw for every
// attempt, the same on every machine.
func (q *QuizBlock) Questions(lessonID string, attempt int) ([]quiz.Question, error) {
	var out []quiz.Question
	for _, f := range q.Fixed {
		k, ok := quiz.Lookup(f.Kind)
		if !ok {
			return nil, fmt.Errorf("quiz %s: unknown kind %q", q.ID, f.Kind)
		}
		qq, err := k.Build(QuizExperiments(), f.Spec, max(f.Level, quiz.MinLevel), f.Key)
		if err != nil {
			return nil, err
		}
		out = append(out, qq)
	}
	if q.Count > 0 {
		h := fnv.New64a()
		h.Write([]byte(lessonID + "#" + q.ID))
		drawn, err := quiz.Generate(QuizExperiments(), quiz.Options{Seed: h.Sum64() + uint64(attempt), Count: q.Count, Kinds: q.Kinds, Level: q.Level})
		if err != nil {
			return nil, err
		}
		out = append(out, drawn...)
	}
	return out, nil
}

// PassMark is how many right answers pass the quiz out of n questions.
func (q *QuizBlock) PassMark(n int) int {
	if q.Pass > 0 {
		return min(q.Pass, n)
	}
	return (4*n + 4) / 5
}

func (p *Prose) SourceLine() int     { return p.Line }
func (c *Cell) SourceLine() int      { return c.Line }
func (q *QuizBlock) SourceLine() int { return q.Line }
func (*Prose) block()                {}
func (*Cell) block()                 {}
func (*QuizBlock) block()            {}

// Exercise is a goal checked on every run of its cell, hints shown while it
// fails and an explanation shown once it holds.
type Exercise struct {
	Task    string
	Goal    *Cond
	Hints   []Hint
	Explain string
}

// Hint is shown when the goal fails and When holds; a nil When is the
// fallback (always last).
type Hint struct {
	When *Cond
	Text string
}

// Verdict is the outcome of one run of an exercise.
type Verdict struct {
	Passed bool
	Hint   *Hint // the hint to show when the goal failed; nil if none applies
}

// Judge checks a run of the cell — its result r at parameter values v —
// against the goal, and picks the first hint whose condition holds when it
// fails. The error names a condition that could not be evaluated (a name
// the result lacks).
func (e *Exercise) Judge(r *experiment.Result, v experiment.Values) (Verdict, error) {
	ok, err := e.Goal.Eval(r, v)
	if err != nil {
		return Verdict{}, err
	}
	if ok {
		return Verdict{Passed: true}, nil
	}
	for i := range e.Hints {
		h := &e.Hints[i]
		if h.When == nil {
			return Verdict{Hint: h}, nil
		}
		hit, err := h.When.Eval(r, v)
		if err != nil {
			return Verdict{}, err
		}
		if hit {
			return Verdict{Hint: h}, nil
		}
	}
	return Verdict{}, nil
}

// pos is a place in a lesson file: 1-based line and column (in characters).
type pos struct{ line, col int }

// Error is one problem in a lesson file, printed as file:line:column: message.
// Line and Col are 1-based; Col counts characters, not bytes. A Line of 0
// means the problem concerns the whole file.
type Error struct {
	Path string
	Line int
	Col  int
	Msg  string
}

func (e *Error) Error() string {
	// A file's name and what it quoted come from outside: no escapes.
	path, msg := untrusted.StripControls(e.Path), untrusted.StripControls(e.Msg)
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", path, msg)
	case e.Col == 0:
		return fmt.Sprintf("%s:%d: %s", path, e.Line, msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", path, e.Line, e.Col, msg)
}

// ErrorList is every problem found, sorted by file and position.
type ErrorList []*Error

func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Sort orders the list by file, line and column (stable for equal places).
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// errs collects problems of one file.
type errs struct {
	path string
	list ErrorList
}

func (e *errs) add(p pos, format string, a ...any) {
	e.list = append(e.list, &Error{Path: e.path, Line: p.line, Col: p.col, Msg: fmt.Sprintf(format, a...)})
}
