package tui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/report"
)

// cell is the live state of one lesson cell in the notebook.
type cell struct {
	src    *lessons.Cell
	n, of  int // the cell's number among the lesson's cells, from 1, and how many
	values experiment.Values
	sel    int // index into src.Tweak of the parameter +/− acts on

	editing bool
	input   textinput.Model
	fresh   bool   // the value was just opened: a letter or digit typed replaces it
	bad     error  // why the typed value was refused, shown in place
	info    string // a passing tip (e.g. how to change a list), gone at the next key

	run      int // id of the newest run; results of older runs are dropped
	running  bool
	waiting  bool // queued behind another heavy run or the server's cap
	cancel   context.CancelFunc
	started  time.Time
	done     int
	total    int
	elapsed  time.Duration
	result   *experiment.Result // the newest complete result
	partial  *experiment.Result // streamed while running
	err      error
	ranWith  experiment.Values // the values result was computed with
	pins     []pin
	scrub    int  // 1 + the step shown on the cell's paths ([ and ]); 0: none
	passedAt bool // it passed before: in an earlier session (the state file) or an earlier run
	verdict  *lessons.Verdict
	judgeErr error
	showHint bool // the learner asked for a hint (H)
	showSol  bool // the learner asked for the solution (S)

	pred prediction // a cell with lessons.Predict: the learner's guess

	// headLines is how many lines the cell's view starts with up to its
	// values (title, caption, values): a header kept in view repeats
	// them, so it shows only once they have scrolled away.
	headLines int

	out     string     // drawn outputs
	outSpec outputSpec // what out was drawn from
	drawing bool
}

// newCell builds a cell of src with the learner's saved values and the
// text field in which values are typed.
func newCell(src *lessons.Cell, saved map[string]string, in textinput.Model) *cell {
	c := &cell{src: src, values: src.Params.Clone()}
	// Restore the learner's last values; ignore any that no longer fit.
	for _, name := range src.Tweak {
		if text, ok := saved[name]; ok {
			v := c.values.Clone()
			if src.Experiment.Params.Set(v, name, text) == nil && src.Experiment.Check(v) == nil {
				c.values = v
			}
		}
	}
	in.CharLimit = 64
	c.input = in
	return c
}

// param is the parameter selected for +/−, if the cell has any to tweak.
func (c *cell) param() (experiment.Param, bool) {
	if len(c.src.Tweak) == 0 {
		return experiment.Param{}, false
	}
	return c.src.Experiment.Params.Lookup(c.src.Tweak[c.sel])
}

// nudge moves the selected parameter one step the way dir says, to the
// next value the experiment accepts with the others as they are: values its
// rules refuse are stepped over (groups goes 1, 2, 4, 8 through the
// divisors of both channel counts). When it cannot move — a list, a bound,
// no accepted value that way — it changes nothing and returns a notice that
// says why.
func (c *cell) nudge(dir int, lang string) tea.Cmd {
	p, ok := c.param()
	if !ok {
		return say("key.no_tweak")
	}
	if p.Kind == experiment.List {
		return say("list_hint", p.Name, listExample(p, c.values[p.Name]))
	}
	v := c.values.Clone()
	cur := v[p.Name]
	var refused error
	for range maxNudges(p) {
		next := p.Nudge(cur, dir)
		if p.Format(next) == p.Format(cur) || p.Format(next) == p.Format(c.values[p.Name]) {
			break // at the schema's bound, or round the enum
		}
		cur = next
		v[p.Name] = cur
		err := c.src.Experiment.Check(v)
		if err == nil {
			c.values, c.bad = v, nil
			return nil
		}
		if refused == nil {
			refused = err
		}
	}
	switch {
	case refused != nil && (p.Kind == experiment.Bool || p.Kind == experiment.Enum):
		return say("key.no_change", p.Name, ruleText(lang, refused))
	case refused != nil && dir > 0:
		return say("key.no_higher", p.Name, ruleText(lang, refused))
	case refused != nil:
		return say("key.no_lower", p.Name, ruleText(lang, refused))
	case dir > 0:
		return say("key.at_max", p.Name, p.Format(cur))
	}
	return say("key.at_min", p.Name, p.Format(cur))
}

// ruleText is why the experiment refused a value, in lang, without the
// experiment's name before it (the cell names it already).
func ruleText(lang string, err error) string {
	var ie *experiment.InvalidError
	if errors.As(err, &ie) {
		return locale.Error(lang, ie)
	}
	return locale.Error(lang, err)
}

// maxNudges bounds the steps nudge takes past refused values: every value
// of a whole-number range, every choice of an enum, and for a real number
// as many steps as cross its range.
func maxNudges(p experiment.Param) int {
	switch p.Kind {
	case experiment.Bool:
		return 1
	case experiment.Enum:
		return len(p.Choices)
	}
	return 10_000
}

// listExample is a list value to type for p: its value now with one more
// choice (sgd,momentum → sgd,momentum,nesterov).
func listExample(p experiment.Param, now any) string {
	have, _ := now.([]string)
	for _, c := range p.Choices {
		if !slices.Contains(have, c) {
			return strings.Join(append(slices.Clone(have), c), ",")
		}
	}
	return strings.Join(have, ",")
}

// say is a command that shows the message id (its verbs filled with args)
// above the footer until the next key: why a key did nothing.
func say(id string, args ...any) tea.Cmd {
	return func() tea.Msg { return NoticeMsg{ID: id, Args: args} }
}

// setText applies a typed value to the selected parameter.
func (c *cell) setText(text string) bool {
	p, ok := c.param()
	if !ok {
		return false
	}
	v := c.values.Clone()
	if err := c.src.Experiment.Params.Set(v, p.Name, text); err != nil {
		c.bad = err
		return false
	}
	c.values = v
	c.bad = nil
	if err := c.src.Experiment.Check(v); err != nil {
		c.bad = err
	}
	return true
}

func (c *cell) reset() {
	c.values = c.src.Params.Clone()
	c.bad = nil
}

// cellEvent is what a key did to a cell, for the notebook to act on.
type cellEvent int

const (
	cellNone      cellEvent = iota
	cellLayout              // its view changed
	cellChanged             // its values changed: remember them
	cellRun                 // the learner asked to run it
	cellRedraw              // its outputs need drawing again (pins)
	cellPredicted           // a prediction was typed (or skipped): run at the lesson's values
)

// cellKeys are the keys a focused cell takes.
type cellKeys struct{ k KeyMap }

// ShortHelp is the footer's keys, the most used first: change a value, then
// run it (the rest is under ?).
func (ck cellKeys) ShortHelp() []key.Binding {
	run := ck.k.Run // "enter" alone here; ? names r too
	run.SetHelp("enter", run.Help().Desc)
	return []key.Binding{ck.k.Change, ck.k.NextParam, ck.k.Edit, run}
}

func (ck cellKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{ck.k.Run, ck.k.Pin, ck.k.ClearPins, ck.k.Hint, ck.k.Solution},
		{ck.k.NextParam, ck.k.PrevParam, ck.k.Inc, ck.k.Dec, ck.k.Edit, ck.k.Reset},
		{ck.k.StepBack, ck.k.StepFwd, ck.k.Follow},
	}
}

// editKeys are the keys while a value is typed.
type editKeys struct{ k KeyMap }

func (ek editKeys) ShortHelp() []key.Binding  { return []key.Binding{ek.k.Confirm, ek.k.Cancel} }
func (ek editKeys) FullHelp() [][]key.Binding { return [][]key.Binding{ek.ShortHelp()} }

// keys is the cell's help keymap in its current state.
func (c *cell) keys(k KeyMap) help.KeyMap {
	if c.editing || c.pred.open {
		return editKeys{k}
	}
	return cellKeys{k}
}

// update handles a key for the focused cell: choose, nudge, type or reset a
// value, run, pin. It reports what the notebook must do about it.
func (c *cell) update(msg tea.KeyMsg, k KeyMap, lang string) (cellEvent, tea.Cmd) {
	if c.editing {
		return c.editKey(msg, k)
	}
	if ev, cmd, ok := c.predictKey(msg, k); ok {
		return ev, cmd
	}
	if ev, ok := c.exerciseKey(msg, k); ok {
		return ev, nil
	}
	if c.src.Exercise == nil && key.Matches(msg, k.Hint, k.Solution) {
		return cellNone, say("key.no_exercise")
	}
	switch {
	case key.Matches(msg, k.NextParam, k.PrevParam, k.Inc, k.Dec, k.Edit) && len(c.src.Tweak) == 0:
		return cellNone, say("key.no_tweak")
	case key.Matches(msg, k.NextParam):
		c.sel = (c.sel + 1) % len(c.src.Tweak)
		return cellLayout, nil
	case key.Matches(msg, k.PrevParam):
		c.sel = (c.sel - 1 + len(c.src.Tweak)) % len(c.src.Tweak)
		return cellLayout, nil
	case key.Matches(msg, k.Inc, k.Dec):
		dir := +1
		if key.Matches(msg, k.Dec) {
			dir = -1
		}
		if why := c.nudge(dir, lang); why != nil {
			return cellNone, why
		}
		return cellChanged, nil
	case key.Matches(msg, k.Edit):
		p, _ := c.param()
		c.editing = true
		c.input.Prompt = p.Name + " = "
		c.input.SetValue(p.Format(c.values[p.Name])) // edit the value in place: add ",nesterov" to a list
		c.input.CursorEnd()
		c.fresh = true
		c.input.Placeholder = p.Format(c.values[p.Name])
		return cellLayout, c.input.Focus()
	case key.Matches(msg, k.Reset):
		c.reset()
		return cellChanged, nil
	case key.Matches(msg, k.Run):
		return cellRun, nil
	case key.Matches(msg, k.Pin) && c.result == nil:
		return cellNone, say("key.no_result")
	case key.Matches(msg, k.Pin):
		c.pins = append(c.pins, pin{values: c.ranWith, result: c.result})
		if len(c.pins) > 4 { // keep the charts legible
			c.pins = c.pins[1:]
		}
		return cellRedraw, nil
	case key.Matches(msg, k.ClearPins) && len(c.pins) == 0:
		return cellNone, say("key.no_pins")
	case key.Matches(msg, k.ClearPins):
		c.pins = nil
		return cellRedraw, nil
	case key.Matches(msg, k.Follow) && !c.canFollow():
		return cellNone, say("key.no_follow")
	case key.Matches(msg, k.Follow):
		v := c.values.Clone()
		v["follow"] = !v.Bool("follow") // the surface's window: the whole path, or back
		c.values = v
		return cellChanged, nil
	case key.Matches(msg, k.StepFwd, k.StepBack) && c.steps() == 0:
		return cellNone, say("key.no_steps")
	case key.Matches(msg, k.StepFwd, k.StepBack):
		n := c.steps()
		switch {
		case key.Matches(msg, k.StepFwd) && c.scrub == 0:
			c.scrub = 2 // step 1
		case key.Matches(msg, k.StepFwd):
			c.scrub = min(c.scrub+1, n)
		case c.scrub == 0:
			c.scrub = n // the last step
		default:
			c.scrub = max(c.scrub-1, 1) // down to the start
		}
		return cellRedraw, nil
	}
	return cellNone, nil
}

// dismissInfo clears a passing tip; it reports whether there was one.
func (c *cell) dismissInfo() bool {
	had := c.info != ""
	c.info = ""
	return had
}

// editKey handles a key while a value is typed.
func (c *cell) editKey(msg tea.KeyMsg, k KeyMap) (cellEvent, tea.Cmd) {
	switch {
	case key.Matches(msg, k.Cancel):
		c.editing = false
		c.input.Blur()
		c.bad = nil
		if err := c.src.Experiment.Check(c.values); err != nil {
			c.bad = err
		}
		return cellLayout, nil
	case key.Matches(msg, k.Confirm):
		if strings.TrimSpace(c.input.Value()) == "" { // nothing typed: keep the value
			c.editing = false
			c.input.Blur()
			return cellLayout, nil
		}
		if c.setText(c.input.Value()) {
			c.editing = false
			c.input.Blur()
			return cellChanged, nil
		}
		return cellLayout, nil
	}
	if c.fresh && msg.Type == tea.KeyRunes && len(msg.Runes) > 0 && startsValue(msg.Runes[0]) {
		c.input.SetValue("") // typing a new value replaces the old one; "," or ← edits it
	}
	c.fresh = false
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return cellLayout, cmd
}

// startsValue reports whether r, typed first, starts a new value (a digit,
// a letter, a sign or a point) rather than continuing the shown one (",").
func startsValue(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '+' || r == '.'
}

// savedParams is the tweakable values as text, for the state file (nil when
// they equal the lesson's).
func (c *cell) savedParams() map[string]string {
	out := map[string]string{}
	changed := false
	for _, name := range c.src.Tweak {
		p, _ := c.src.Experiment.Params.Lookup(name)
		out[name] = p.Format(c.values[name])
		changed = changed || out[name] != p.Format(c.src.Params[name])
	}
	if !changed {
		return nil
	}
	return out
}

// pinLabel names a pinned run by the tweakable values in which it differs
// from the run shown now, for the charts' legends.
func (c *cell) pinLabel(i int, lang string) string {
	v := c.pins[i].values
	var parts []string
	for _, name := range c.src.Tweak {
		p, _ := c.src.Experiment.Params.Lookup(name)
		if c.ranWith == nil || p.Format(v[name]) != p.Format(c.ranWith[name]) {
			parts = append(parts, name+"="+p.Format(v[name]))
		}
	}
	label := fmt.Sprintf(T(lang, "pin_label"), i+1)
	if len(parts) == 0 {
		return label + ": " + T(lang, "same_values")
	}
	return label + ": " + strings.Join(parts, " ")
}

// view renders the cell's chrome around its drawn outputs. It is cheap
// (string assembly only) and is called from Update whenever the cell changes.
// text gives a cell text with its computed values filled in.
func (c *cell) view(cm *Common, width int, focused bool, spin string, text func(string) string) string {
	st, lang := cm.Styles, cm.Lang
	inner := width - 2 // the border and its padding
	var b strings.Builder
	b.WriteString(c.title(cm))
	if c.src.Caption != "" {
		b.WriteString("\n" + report.Wrap(text(c.src.Caption), inner))
	}
	c.headLines = strings.Count(b.String(), "\n") + 1
	if len(c.src.Tweak) > 0 {
		b.WriteString("\n" + c.paramsLine(st, inner, focused))
		c.headLines = strings.Count(b.String(), "\n") + 1
		if p, ok := c.param(); ok && focused {
			// One line, so the values and the output share a small screen;
			// ? shows the rest.
			help := fmt.Sprintf("%s: %s · %s", p.Name, c.allowedText(p), locale.Param(lang, p).Help)
			b.WriteString("\n" + st.Subtle.Render(truncate(help, inner)))
		}
	}
	if c.editing {
		b.WriteString("\n" + c.input.View())
	}
	if c.bad != nil {
		b.WriteString("\n" + st.Error.Render(report.Wrap("✗ "+locale.Error(lang, c.bad), inner)))
	}
	if c.info != "" {
		b.WriteString("\n" + st.Accent.Render(report.Wrap("ℹ "+c.info, inner)))
	}
	b.WriteString("\n" + c.status(cm, inner, spin))
	if c.src.Predict != nil {
		b.WriteString("\n\n" + c.predictView(st, lang, inner, text, focused))
	}
	if c.out != "" {
		b.WriteString("\n\n" + c.out)
	}
	if ex := c.src.Exercise; ex != nil {
		b.WriteString("\n\n" + c.exerciseView(st, lang, inner, text, focused))
	}
	box := st.CellBlur
	if focused {
		box = st.CellFocus
	}
	return box.Width(width - 1).Render(b.String())
}

// title is the cell's first line: "Try it" and the cell's number among the
// lesson's cells (its id is the author's, not the learner's).
func (c *cell) title(cm *Common) string {
	return cm.Styles.Accent.Render(fmt.Sprintf(T(cm.Lang, "cell"), c.n, c.of))
}

// header is the cell's first line and its values, as the notebook keeps
// them in view while the cell's outputs scroll past.
func (c *cell) header(cm *Common, width int, focused bool) string {
	st := cm.Styles
	s := c.title(cm)
	if len(c.src.Tweak) > 0 {
		s += "\n" + c.paramsLine(st, width-2, focused)
	}
	box := st.CellBlur
	if focused {
		box = st.CellFocus
	}
	return box.Width(width - 1).Render(s)
}

// allowedText is p's allowed values — for a size, the range this cell can
// run with its other values (steps 1…2138 where a time bound stops it) —
// and, for numbers, the step of +/−.
func (c *cell) allowedText(p experiment.Param) string {
	if lo, hi := c.src.Experiment.Reach(c.values, p.Name); p.Kind == experiment.Int && (lo != int(p.Min) || hi != int(p.Max)) {
		p.Min, p.Max = float64(lo), float64(hi)
	}
	switch p.Kind {
	case experiment.Int, experiment.Float:
		step := "±" + experiment.FormatNumber(p.Step)
		if p.Log {
			step = "×÷" + experiment.FormatNumber(p.Step)
		}
		return p.Allowed() + ", +/− " + step
	}
	return p.Allowed()
}

// paramsLine shows the tweakable parameters, the selected one highlighted,
// wrapped to width.
func (c *cell) paramsLine(st *Styles, width int, focused bool) string {
	var lines []string
	line, lw := "", 0
	for i, name := range c.src.Tweak {
		p, _ := c.src.Experiment.Params.Lookup(name)
		item := name + " = " + p.Format(c.values[name])
		changed := p.Format(c.values[name]) != p.Format(c.src.Params[name])
		if changed {
			item += "*"
		}
		iw := report.Width(item) + 2
		styled := st.Param.Render(" " + item + " ")
		if focused && i == c.sel { // marked by shape too, for terminals without colour
			styled = st.ParamSel.Render("▸" + item + " ")
		}
		if lw > 0 && lw+1+iw > width {
			lines, line, lw = append(lines, line), "", 0
		}
		if lw > 0 {
			line, lw = line+" ", lw+1
		}
		line, lw = line+styled, lw+iw
	}
	return strings.Join(append(lines, line), "\n")
}

func (c *cell) status(cm *Common, width int, spin string) string {
	st, lang := cm.Styles, cm.Lang
	switch {
	case c.running && c.waiting:
		return st.Warn.Render(spin + " " + T(lang, "waiting_slot"))
	case c.running:
		s := spin + " " + T(lang, "running") + " " + cm.fmtDuration(time.Since(c.started))
		if c.total > 0 {
			frac := float64(c.done) / float64(c.total)
			s += "  " + progressBar(frac, max(10, min(40, width-30)), st) + " " + fmt.Sprintf(T(lang, "progress_steps"), c.done, c.total)
		}
		return st.Warn.Render(s)
	case c.err != nil:
		return st.Error.Render(report.Wrap("✗ "+T(lang, "failed")+": "+c.err.Error(), width))
	case c.result != nil:
		s := st.Subtle.Render(fmt.Sprintf(T(lang, "ran"), cm.fmtDuration(c.elapsed)))
		if len(c.pins) > 0 {
			s += st.Subtle.Render(" · " + fmt.Sprintf(T(lang, "pinned"), len(c.pins)))
		}
		switch {
		case c.bad != nil:
			s = st.Error.Render("↻ "+T(lang, "stale_invalid")) + st.Subtle.Render(" · ") + s
		case c.stale():
			s = st.Warn.Render("↻ "+T(lang, "stale_heavy")) + st.Subtle.Render(" · ") + s
		}
		return s
	}
	if c.awaiting() {
		return st.Accent.Render(T(lang, "predict_waiting"))
	}
	return st.Subtle.Render(T(lang, "not_run"))
}

// judged records the verdict of a run: a pass counts for the rest of the
// session, so a later run that misses reads "passed earlier · this run
// misses the goal", never "not yet".
func (c *cell) judged(v lessons.Verdict, err error) {
	c.verdict, c.judgeErr = &v, err
	if err == nil && v.Passed {
		c.passedAt = true
	}
}

// exerciseKey shows or hides the hint (H) and the solution (S) of the
// cell's exercise; ok reports that the key was one of them.
func (c *cell) exerciseKey(msg tea.KeyMsg, k KeyMap) (cellEvent, bool) {
	if c.src.Exercise == nil {
		return cellNone, false
	}
	switch {
	case key.Matches(msg, k.Hint):
		c.showHint = !c.showHint
		return cellLayout, true
	case key.Matches(msg, k.Solution):
		c.showSol = !c.showSol
		return cellLayout, true
	}
	return cellNone, false
}

// exerciseState is the one status of the exercise: not tried, passed,
// passed earlier (and whether this run misses), not yet, or an error.
func (c *cell) exerciseState(st *Styles, lang string) string {
	switch {
	case c.judgeErr != nil:
		return st.Error.Render("✗ " + c.judgeErr.Error())
	case c.verdict != nil && c.verdict.Passed:
		return st.Pass.Render("✓ " + T(lang, "passed"))
	case c.verdict != nil && c.passedAt:
		return st.Pass.Render("✓ "+T(lang, "passed_before")) + st.Warn.Render(" · "+T(lang, "this_run_misses"))
	case c.verdict != nil:
		return st.Warn.Render("✗ " + T(lang, "failing"))
	case c.passedAt:
		return st.Pass.Render("✓ " + T(lang, "passed_before"))
	}
	return st.Subtle.Render("○ " + T(lang, "not_tried"))
}

// hint is the hint to show on request: the one the last run's verdict
// chose, else the first that applies to the result shown, else the last
// hint (the one for any case).
func (c *cell) hint() string {
	ex := c.src.Exercise
	if c.verdict != nil && c.verdict.Hint != nil {
		return c.verdict.Hint.Text
	}
	if c.result != nil {
		if v, err := ex.Judge(c.result, c.ranWith); err == nil && v.Hint != nil {
			return v.Hint.Text
		}
	}
	for i := len(ex.Hints) - 1; i >= 0; i-- {
		if ex.Hints[i].When == nil {
			return ex.Hints[i].Text
		}
	}
	if len(ex.Hints) > 0 {
		return ex.Hints[0].Text
	}
	return ""
}

func (c *cell) exerciseView(st *Styles, lang string, width int, text func(string) string, focused bool) string {
	ex := c.src.Exercise
	var b strings.Builder
	b.WriteString(st.Title.Render("✎ "+T(lang, "exercise")) + "  " + c.exerciseState(st, lang))
	if ex.Task != "" {
		b.WriteString("\n" + report.Wrap(text(ex.Task), width))
	}
	if c.result != nil { // worded with the result's labels: before a run it would show bare keys
		goal := GoalText(lang, ex.Goal, c.result, c.src.Experiment)
		b.WriteString("\n" + st.Subtle.Render(report.Wrap(T(lang, "goal")+": "+goal, width)))
	}
	passed := c.verdict != nil && c.verdict.Passed
	switch {
	case (passed || c.showSol) && ex.Explain != "":
		label := ""
		if !passed {
			label = T(lang, "solution") + ": "
		}
		b.WriteString("\n" + st.Pass.Render(report.Wrap(label+text(ex.Explain), width)))
	case c.verdict != nil && !passed && c.verdict.Hint != nil:
		b.WriteString("\n" + st.Warn.Render(report.Wrap("→ "+text(c.verdict.Hint.Text), width)))
	case c.showHint:
		if h := c.hint(); h != "" {
			b.WriteString("\n" + st.Warn.Render(report.Wrap("→ "+text(h), width)))
		}
	}
	if focused && !passed {
		var ask []string
		if !c.showHint && (c.verdict == nil || c.verdict.Hint == nil) && len(ex.Hints) > 0 {
			ask = append(ask, T(lang, "ask_hint"))
		}
		if !c.showSol && ex.Explain != "" {
			ask = append(ask, T(lang, "ask_solution"))
		}
		if len(ask) > 0 {
			b.WriteString("\n" + st.Subtle.Render(report.Wrap(strings.Join(ask, " · "), width)))
		}
	}
	return b.String()
}

// fmtDuration prints a run's duration (the default of
// Options.FormatDuration).
func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// stale reports whether the values changed since the shown result was
// computed: the outputs below are then of the earlier values.
func (c *cell) stale() bool {
	if c.result == nil || c.ranWith == nil {
		return false
	}
	for _, name := range c.src.Tweak {
		p, _ := c.src.Experiment.Params.Lookup(name)
		if p.Format(c.values[name]) != p.Format(c.ranWith[name]) {
			return true
		}
	}
	return false
}

// canFollow reports whether the cell's surface window can follow its whole
// paths (its experiment has a follow switch).
func (c *cell) canFollow() bool {
	p, ok := c.src.Experiment.Params.Lookup("follow")
	return ok && p.Kind == experiment.Bool
}

// steps is how many points the longest path of the cell's result has, or
// how many pixels its largest convolution map has (the scrubber walks
// them); 0 when it has nothing to walk through.
func (c *cell) steps() int {
	n := 0
	if c.result != nil {
		for _, s := range c.result.Surfaces {
			for _, p := range s.Paths {
				n = max(n, len(p.Points))
			}
		}
		for _, m := range c.result.Images {
			if m.Window != nil {
				n = max(n, m.W*m.H)
			}
		}
	}
	return n
}

// live reports whether the cell reruns on every change of a value: its
// values are valid and its run is not heavy (a training run keeps enter).
func (c *cell) live() bool {
	return c.bad == nil && !c.src.Experiment.IsHeavy(c.values)
}

// progressBar is a bar w columns wide, frac of it filled in the accent
// colour, the rest a muted ░ track (visible without colour).
func progressBar(frac float64, w int, st *Styles) string {
	n := max(0, min(w, int(math.Round(frac*float64(w)))))
	return st.Accent.Render(strings.Repeat("█", n)) + st.Subtle.Render(strings.Repeat("░", w-n))
}
