package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/quiz"
	"github.com/nnlab/nnlab/internal/untrusted"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/report"
)

// A cell with a prediction (lessons.Predict) does not run until the
// learner has typed what they expect: enter opens the field, a number is
// graded against the run at the lesson's values, an empty line runs the
// cell without one. A right guess is remembered like a passed exercise.

// prediction is a cell's prediction state.
type prediction struct {
	open   bool              // the field is open (its text is the cell's input)
	refuse error             // why the typed text is not a number
	done   bool              // predicted, skipped, or right in an earlier session
	guess  *quiz.Answer      // the number typed (nil: skipped, or earlier)
	typed  string            // as typed
	judged bool              // the run graded the guess
	actual float64           // the run's value
	right  bool              // the guess counts
	before bool              // right in an earlier session
	values experiment.Values // the lesson's values the guess is about
}

// awaiting reports whether the cell waits for a prediction before it runs.
func (c *cell) awaiting() bool { return c.src.Predict != nil && !c.pred.done }

// predictKey handles a key for a cell that waits for its prediction or
// has its field open; ok reports that the key was taken.
func (c *cell) predictKey(msg tea.KeyMsg, k KeyMap) (ev cellEvent, cmd tea.Cmd, ok bool) {
	p := &c.pred
	switch {
	case p.open && key.Matches(msg, k.Cancel):
		p.open, p.refuse = false, nil
		c.input.Blur()
		return cellLayout, nil, true
	case p.open && key.Matches(msg, k.Confirm):
		text := untrusted.StripControls(strings.TrimSpace(c.input.Value()))
		if text == "" { // run without a prediction
			p.open, p.done = false, true
			c.input.Blur()
			c.values, c.bad = c.src.Params.Clone(), nil
			return cellPredicted, nil, true
		}
		a, err := quiz.ParseAnswer(text)
		if err != nil {
			p.refuse = err
			return cellLayout, nil, true
		}
		p.open, p.done, p.refuse, p.guess, p.typed = false, true, nil, &a, text
		p.values = c.src.Params.Clone()
		c.input.Blur()
		c.values, c.bad = p.values.Clone(), nil // the prediction is about the lesson's values
		return cellPredicted, nil, true
	case p.open:
		p.refuse = nil
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(msg)
		return cellLayout, cmd, true
	case c.awaiting() && key.Matches(msg, k.Run):
		p.open = true
		c.input.Prompt = "> "
		c.input.Placeholder = ""
		c.input.SetValue("")
		return cellLayout, c.input.Focus(), true
	}
	return cellNone, nil, false
}

// judgePrediction grades the guess once a run at the lesson's values has
// finished; it reports whether the guess is newly right.
func (c *cell) judgePrediction() bool {
	p := &c.pred
	if p.guess == nil || p.judged || c.result == nil || !sameValues(c.src, c.ranWith, p.values) {
		return false
	}
	actual, right, err := c.src.Predict.Judge(c.result, *p.guess)
	if err != nil {
		return false
	}
	p.judged, p.actual, p.right = true, actual, right
	return right
}

// sameValues reports whether a and b agree on every parameter of cell src.
func sameValues(src *lessons.Cell, a, b experiment.Values) bool {
	if a == nil || b == nil {
		return false
	}
	for _, p := range src.Experiment.Params {
		if p.Format(a[p.Name]) != p.Format(b[p.Name]) {
			return false
		}
	}
	return true
}

// predictView shows the prediction: the question, the field or how to
// open it, and once graded the guess against the run.
func (c *cell) predictView(st *Styles, lang string, width int, text func(string) string, focused bool) string {
	pr, p := c.src.Predict, &c.pred
	var b strings.Builder
	state := st.Subtle.Render("○ " + T(lang, "not_tried"))
	switch {
	case p.judged && p.right:
		state = st.Pass.Render("✓ " + T(lang, "passed"))
	case p.judged:
		state = st.Warn.Render("✗ " + T(lang, "predict_missed"))
	case p.before:
		state = st.Pass.Render("✓ " + T(lang, "passed_before"))
	case p.done && p.guess == nil:
		state = st.Subtle.Render(T(lang, "predict_skipped"))
	}
	b.WriteString(st.Title.Render("✎ "+T(lang, "predict")) + "  " + state)
	b.WriteString("\n" + report.Wrap(text(pr.Ask), width))
	switch {
	case p.open:
		b.WriteString("\n" + c.input.View())
		if p.refuse != nil {
			b.WriteString("\n" + st.Error.Render(report.Wrap("✗ "+locale.QuizError(lang, p.refuse), width)))
		} else {
			b.WriteString("\n" + st.Subtle.Render(report.Wrap(T(lang, "predict_field"), width)))
		}
	case c.awaiting():
		if focused {
			b.WriteString("\n" + st.Accent.Render(report.Wrap(T(lang, "predict_enter"), width)))
		} else {
			b.WriteString("\n" + st.Subtle.Render(report.Wrap(T(lang, "predict_focus"), width)))
		}
	case p.judged:
		tol := T(lang, "predict_exact")
		if pr.Tolerance > 0 {
			tol = fmt.Sprintf(T(lang, "predict_within"), experiment.FormatNumber(100*pr.Tolerance))
		}
		line := fmt.Sprintf(T(lang, "predict_hit"), p.typed, experiment.Number(p.actual))
		if diff := math.Abs(p.guess.Value - p.actual); diff != 0 {
			off := experiment.Number(diff) // off by how much: relative where the value is not 0
			if p.actual != 0 {
				off = experiment.FormatNumber(math.Round(1000*diff/math.Abs(p.actual))/10) + "%"
			}
			line = fmt.Sprintf(T(lang, "predict_result"), p.typed, experiment.Number(p.actual), off, tol)
		}
		style := st.Warn.Render
		if p.right {
			style = st.Pass.Render
		}
		b.WriteString("\n" + style(report.Wrap(line, width)))
	}
	if (p.judged || (p.done && !c.awaiting() && c.result != nil)) && pr.Explain != "" {
		b.WriteString("\n" + st.Pass.Render(report.Wrap(text(pr.Explain), width)))
	}
	return b.String()
}
