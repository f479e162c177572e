package lessons

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nnlab/nnlab/core/experiment"
)

// Runner runs experiments and remembers each result by experiment and
// parameter values, so a lesson's values and cells that ask for the same
// run share it. It is safe for concurrent use. Results it returns are
// shared: treat them as read-only.
type Runner struct {
	mu       sync.Mutex
	cache    map[string]*flight
	deadline time.Time // when every run stops; zero for none
	// Gate, when set, is asked for a slot before each run and given it
	// back after (a learner's session runs one heavy computation at a
	// time, a server a few at once). It returns the context to run under,
	// which it cancels when the run should step aside (for one a learner
	// asked for): the run then queues again.
	Gate func(ctx context.Context, heavy bool) (run context.Context, release func(), err error)
}

type flight struct {
	done chan struct{}
	r    *experiment.Result
	err  error
}

// NewRunner returns a runner with an empty cache.
func NewRunner() *Runner { return &Runner{cache: map[string]*flight{}} }

// NewBudgetRunner returns a runner whose runs, all together, may take d
// from now (see LessonBudget): a run still going then is stopped and fails
// with an error that says so.
func NewBudgetRunner(d time.Duration) *Runner {
	rn := NewRunner()
	rn.deadline = time.Now().Add(d)
	return rn
}

// ErrOverBudget is the error of a run stopped by the budget of a runner
// from NewBudgetRunner.
var ErrOverBudget = errors.New("the lesson's runs took longer than their budget together (lessons.LessonBudget)")

// RunKey identifies a run: the experiment's name and every parameter value
// in schema order.
func RunKey(e *experiment.Experiment, v experiment.Values) string {
	var b strings.Builder
	b.WriteString(e.Name + "(")
	for i, p := range e.Params {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p.Name + "=" + p.Format(v[p.Name]))
	}
	b.WriteByte(')')
	return b.String()
}

// Run returns the result of e at v, running it unless an earlier run with
// the same values finished or is under way. Only results are remembered: a
// run that fails — stopped by its context, out of slots, or an error of the
// experiment — is run again by the next call (callers waiting on it share
// its error).
func (rn *Runner) Run(ctx context.Context, e *experiment.Experiment, v experiment.Values) (*experiment.Result, error) {
	if rn.deadline.IsZero() {
		return rn.run(ctx, e, v)
	}
	bctx, cancel := context.WithDeadline(ctx, rn.deadline)
	defer cancel()
	r, err := rn.run(bctx, e, v)
	if err != nil && bctx.Err() != nil && ctx.Err() == nil {
		return nil, ErrOverBudget
	}
	return r, err
}

func (rn *Runner) run(ctx context.Context, e *experiment.Experiment, v experiment.Values) (*experiment.Result, error) {
	key := RunKey(e, v)
	for {
		rn.mu.Lock()
		f, ok := rn.cache[key]
		if !ok {
			f = &flight{done: make(chan struct{})}
			rn.cache[key] = f
			rn.mu.Unlock()
			f.r, f.err = rn.gated(ctx, e, v.Clone())
			if f.err != nil { // a failure is not remembered: the next call runs it again
				rn.mu.Lock()
				delete(rn.cache, key)
				rn.mu.Unlock()
			}
			close(f.done)
			return f.r, f.err
		}
		rn.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.err != nil && (errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) && ctx.Err() == nil {
			continue // the run that was under way was stopped by its caller; run it again
		}
		return f.r, f.err
	}
}

// gated runs e once the gate lets it, again when the gate stopped it.
func (rn *Runner) gated(ctx context.Context, e *experiment.Experiment, v experiment.Values) (*experiment.Result, error) {
	if rn.Gate == nil {
		return execute(ctx, e, v)
	}
	for {
		run, release, err := rn.Gate(ctx, e.IsHeavy(v))
		if err != nil {
			return nil, err
		}
		r, err := execute(run, e, v)
		stepped := err != nil && run.Err() != nil && ctx.Err() == nil // before release, which may end run
		release()
		if stepped {
			continue // it stepped aside: queue again
		}
		return r, err
	}
}

// execute runs e, turning a panic into an error so that one broken
// experiment cannot take the program down or leave waiters hanging.
func execute(ctx context.Context, e *experiment.Experiment, v experiment.Values) (r *experiment.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("%s crashed: %v", e.Name, p)
		}
	}()
	return e.Execute(ctx, v, nil)
}

// RunCell runs a cell at the values the lesson gives it.
func (rn *Runner) RunCell(ctx context.Context, c *Cell) (*experiment.Result, error) {
	return rn.Run(ctx, c.Experiment, c.Params)
}

// Value computes one inline value of lesson l. Errors are *Error with the
// value's position.
func (rn *Runner) Value(ctx context.Context, l *Lesson, in *Inline) (float64, error) {
	bad := func(at pos, format string, a ...any) error {
		return &Error{Path: l.Path, Line: at.line, Col: at.col, Msg: fmt.Sprintf(format, a...)}
	}
	e, v, what, ok := source(l, in)
	if !ok {
		return 0, bad(in.refPos, "no cell %q in this lesson", in.CellID)
	}
	r, err := rn.Run(ctx, e, v)
	if errors.Is(err, ErrOverBudget) {
		return 0, bad(in.refPos, "%s was not computed: %v", what, err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return 0, bad(in.refPos, "%s did not finish in time", what)
	}
	if err != nil {
		return 0, bad(in.refPos, "%s failed: %v", what, err)
	}
	s, ok := r.Scalar(in.Key)
	if !ok {
		return 0, bad(in.keyPos, "%s has no result key %q; its keys: %s", what, in.Key, strings.Join(scalarKeys(r), ", "))
	}
	return s.Value, nil
}

// source is the run an inline value reads: its experiment and values, and
// a name for messages; ok is false for a reference to a missing cell.
func source(l *Lesson, in *Inline) (e *experiment.Experiment, v experiment.Values, what string, ok bool) {
	if in.CellID == "" {
		return in.Exp, in.Params, in.Exp.Name, true
	}
	c, ok := l.Cell(in.CellID)
	if !ok {
		return nil, nil, "", false
	}
	return c.Experiment, c.Params, "cell " + c.ID + " (" + c.Experiment.Name + ")", true
}

// cached is the value of in if its run has finished without error, without
// running or waiting for anything.
func (rn *Runner) cached(l *Lesson, in *Inline) (float64, bool) {
	e, v, _, ok := source(l, in)
	if !ok {
		return 0, false
	}
	rn.mu.Lock()
	f := rn.cache[RunKey(e, v)]
	rn.mu.Unlock()
	if f == nil {
		return 0, false
	}
	select {
	case <-f.done:
	default:
		return 0, false
	}
	if f.err != nil {
		return 0, false
	}
	sc, ok := f.r.Scalar(in.Key)
	return sc.Value, ok
}

// ResolveProseNow is ResolveProse without running or waiting: the values
// already computed are filled in and each other one prints as placeholder.
// It returns how many are missing; it costs cache lookups only, so a view
// can show the prose at once and the values as they arrive.
func (rn *Runner) ResolveProseNow(l *Lesson, p *Prose, placeholder string) (string, int) {
	var b strings.Builder
	missing, last := 0, 0
	for _, in := range p.Values {
		b.WriteString(p.Text[last:in.Start])
		last = in.End
		x, ok := rn.cached(l, in)
		if !ok {
			missing++
			b.WriteString(placeholder)
			continue
		}
		s, _ := experiment.FormatValue(x, in.Format)
		b.WriteString(s)
	}
	b.WriteString(p.Text[last:])
	return b.String(), missing
}

func scalarKeys(r *experiment.Result) []string {
	out := make([]string, len(r.Scalars))
	for i, s := range r.Scalars {
		out[i] = s.Key
	}
	return out
}

// Unresolved stands for a value that could not be computed.
const Unresolved = "?"

// ResolveProse returns the prose of p with every value computed and
// formatted. A value that fails prints as Unresolved and its error joins the
// returned ErrorList.
func (rn *Runner) ResolveProse(ctx context.Context, l *Lesson, p *Prose) (string, error) {
	return rn.fill(ctx, l, p.Text, p.Values)
}

// ResolveText returns s — one of the texts of l's cells as parsed: a
// Cell.Caption, an Exercise.Task or Explain, a Hint.Text — with every value
// computed and formatted, as ResolveProse does for prose: a value that
// fails prints as Unresolved and its error, positioned in the file, joins
// the returned ErrorList. Values are computed at the lesson's values: a
// {{ #cell-id.key }} reads that cell as the lesson gives it, not as the
// learner has tweaked it.
//
// A text without {{ comes back at once, untouched. Otherwise the values
// are found by the text (when two texts of l are the same, errors point at
// the first), and each costs a cache lookup once it has been computed. A
// text that is not one of l's gets an error and comes back untouched.
func (rn *Runner) ResolveText(ctx context.Context, l *Lesson, s string) (string, error) {
	if !strings.Contains(s, "{{") {
		return s, nil
	}
	values, ok := l.texts[s]
	if !ok {
		return s, ErrorList{{Path: l.Path, Msg: fmt.Sprintf("%q is not a text of a cell of this lesson, so its values are unknown", s)}}
	}
	return rn.fill(ctx, l, s, values)
}

// fill returns text with its values, found at their offsets, computed and
// formatted.
func (rn *Runner) fill(ctx context.Context, l *Lesson, text string, values []*Inline) (string, error) {
	var b strings.Builder
	var list ErrorList
	last := 0
	for _, in := range values {
		b.WriteString(text[last:in.Start])
		last = in.End
		x, err := rn.Value(ctx, l, in)
		if err != nil {
			list = append(list, asError(l, err))
			b.WriteString(Unresolved)
			continue
		}
		s, _ := experiment.FormatValue(x, in.Format) // the format was checked by Parse
		b.WriteString(s)
	}
	b.WriteString(text[last:])
	return b.String(), list.Err()
}

func asError(l *Lesson, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Path: l.Path, Msg: err.Error()}
}

// Resolve returns the whole lesson body as markdown: prose with its values
// computed, cells and quizzes as written.
func (rn *Runner) Resolve(ctx context.Context, l *Lesson) (string, error) {
	var parts []string
	var list ErrorList
	for _, b := range l.Blocks {
		switch b := b.(type) {
		case *Prose:
			s, err := rn.ResolveProse(ctx, l, b)
			var el ErrorList
			if errors.As(err, &el) {
				list = append(list, el...)
			}
			parts = append(parts, s)
		case *Cell:
			parts = append(parts, b.source)
		case *QuizBlock:
			parts = append(parts, b.source)
		}
	}
	return strings.Join(parts, "\n\n") + "\n", list.Err()
}
