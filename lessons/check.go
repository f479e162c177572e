package lessons

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/quiz"
)

// CheckTimeout bounds each cell's run in Check.
var CheckTimeout = 2 * time.Minute

// LessonBudget bounds the time all the runs of one lesson — its cells and
// its values — may take together, in Check and in nnlab render (a runner
// from NewBudgetRunner). Each run also keeps its own CheckTimeout. The
// slowest built-in lesson, residual, takes about 30 s in all (it trains
// eleven small CNNs).
var LessonBudget = 2 * time.Minute * raceSlowdown

// InlineBudget is how long an inline value's experiment may take; a value
// that takes longer is reported by Check, since prose waits for it. (Show a
// slow run in a cell and refer to it as {{ #cell-id.key }}.)
var InlineBudget = time.Second * raceSlowdown

// Check runs every cell of l once at its lesson values and verifies what
// only a result can show: every show entry is an output of the result,
// every name in a goal or hint is a result scalar or a numeric parameter,
// the goal does not already hold at the lesson's values, and every inline
// value — in prose and in the cells' texts — resolves (quickly), and
// every quiz generates its questions (its first attempt's). rn may be nil.
// The error is an ErrorList.
func Check(ctx context.Context, l *Lesson, rn *Runner) error {
	if rn == nil {
		rn = NewRunner()
	}
	e := &errs{path: l.Path}
	parent := ctx
	ctx, cancelAll := context.WithTimeout(ctx, LessonBudget)
	defer cancelAll()
	overBudget := func(at pos) bool {
		if ctx.Err() == nil || parent.Err() != nil {
			return false
		}
		e.add(at, "the lesson's cells and values took over %s together, the most they may take: make its runs lighter or fewer", LessonBudget)
		return true
	}
	failed := map[string]bool{} // cells whose run failed; values from them would fail alike
	for _, c := range l.Cells() {
		cctx, cancel := context.WithTimeout(ctx, CheckTimeout)
		r, err := rn.RunCell(cctx, c)
		cancel()
		if err != nil && overBudget(pos{c.Line, 1}) {
			return e.list.Err()
		}
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				e.add(pos{c.Line, 1}, "cell %s: %s did not finish within %s", c.ID, c.Experiment.Name, CheckTimeout)
			} else {
				e.add(pos{c.Line, 1}, "cell %s: %v", c.ID, err)
			}
			failed[c.ID] = true
			continue
		}
		checkCell(e, c, r)
	}
	for _, q := range l.quizzes() {
		checkQuiz(e, l, q)
	}
	for _, in := range l.Values() { // in prose and in cells' texts
		if failed[in.CellID] {
			continue
		}
		vctx, cancel := context.WithTimeout(ctx, CheckTimeout)
		t0 := time.Now()
		_, err := rn.Value(vctx, l, in)
		cancel()
		if err != nil && overBudget(in.refPos) {
			return e.list.Err()
		}
		if err != nil {
			e.list = append(e.list, asError(l, err))
			continue
		}
		if took := time.Since(t0); in.CellID == "" && took > InlineBudget {
			e.add(in.refPos, "%s took %s to compute; inline values must take under %s — show the run in a cell and write {{ #cell-id.%s }}",
				in.Exp.Name, took.Round(time.Millisecond), InlineBudget, in.Key)
		}
	}
	return e.list.Err()
}

// checkCell verifies a cell's show names and exercise against its result.
func checkCell(e *errs, c *Cell, r *experiment.Result) {
	outputs := r.OutputKeys()
	for i, s := range c.Show {
		if indexOf(outputs, s) < 0 {
			e.add(c.showPos[i], "show: %s has no output %q; outputs: %s", c.Experiment.Name, s, strings.Join(outputs, ", "))
		}
	}
	checkPredict(e, c, r)
	ex := c.Exercise
	if ex == nil {
		return
	}
	conds := []*Cond{ex.Goal}
	for _, h := range ex.Hints {
		conds = append(conds, h.When)
	}
	ok := true
	for _, cd := range conds {
		if cd == nil {
			continue
		}
		for _, cmp := range cd.Compares() {
			_, found, err := Lookup(cmp.Name, r, c.Params)
			switch {
			case err != nil:
				e.add(cd.posOf(cmp), "%v", err)
				ok = false
			case !found:
				e.add(cd.posOf(cmp), "%q is neither a result key of %s nor a parameter; result keys: %s",
					cmp.Name, c.Experiment.Name, strings.Join(scalarKeys(r), ", "))
				ok = false
			}
		}
	}
	if !ok || ex.Goal == nil {
		return
	}
	if v, err := ex.Judge(r, c.Params); err == nil && v.Passed {
		e.add(ex.Goal.at, "the goal already holds at the cell's own values, so the exercise passes untouched; %s", describe(ex.Goal, r, c.Params))
	}
}

// describe prints the values a condition read, e.g. "loss = 0.01, steps = 50".
func describe(cd *Cond, r *experiment.Result, v experiment.Values) string {
	var parts []string
	for _, name := range cd.Names() {
		x, _, _ := Lookup(name, r, v)
		s, _ := experiment.FormatValue(x, "")
		parts = append(parts, fmt.Sprintf("%s = %s", name, s))
	}
	return "here " + strings.Join(parts, ", ")
}

// checkQuiz generates the questions of quiz q's first attempt, as a learner
// would get them, and reports an error or a crash of core/quiz.
func checkQuiz(e *errs, l *Lesson, q *QuizBlock) {
	qs, err := func() (qs []quiz.Question, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("generating its questions crashed: %v", r)
			}
		}()
		return q.Questions(l.ID, 0)
	}()
	switch {
	case err != nil:
		e.add(pos{q.Line, 1}, "quiz %s: %v", q.ID, err)
	case len(qs) != q.Count+len(q.Fixed):
		e.add(pos{q.Line, 1}, "quiz %s: asked for %d questions, got %d", q.ID, q.Count+len(q.Fixed), len(qs))
	}
}
