package tui

import (
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
)

// lessonOf builds a one-lesson model from the test lesson with its second
// cell replaced by cell (a cell's YAML).
func lessonOf(t *testing.T, cell string) *Model {
	t.Helper()
	src := strings.Replace(testLessonEN, "id: c2\nexperiment: conv1x1\ntweak: [reduce]\nshow: [direct.macs, reduced.macs]", cell, 1)
	src += strings.Repeat("\nMore prose after the cells, to scroll.\n", 40)
	l, err := lessons.Parse("t.md", []byte(src), experiments.Registry())
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Library: lessons.NewLibrary(l), Lang: "en", Renderer: plainRenderer(), Dark: true})
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	send(t, m, keys("enter")...)
	return m
}

// A key that does nothing says why above the footer, in the learner's
// language.
func TestKeysThatDoNothingSayWhy(t *testing.T) {
	m := lessonOf(t, "id: c2\nexperiment: conv1x1\nshow: [direct.macs]")
	for _, tc := range []struct {
		keys []string
		want string
	}{
		{[]string{"z"}, "This lesson has no quiz; z on the lesson list starts quiz practice."},
		{[]string{"+"}, "Press tab to choose a cell first."},
		{[]string{"tab", "]"}, "[ and ] walk a path or a convolution's pixels step by step; this cell has neither."},
		{[]string{"w"}, "w lets a surface's window follow its paths; this cell draws no surface."},
		{[]string{"P"}, "No kept results to remove (p keeps one)."},
		{[]string{"l", "l", "+"}, "pad is at its largest value, 16."}, // pad 3 → 16 takes many +; checked below
		{[]string{"tab", "+"}, "This cell has no value to change."},
		{[]string{"H"}, "This cell has no exercise: H and S show an exercise's hint and solution."},
	} {
		if tc.want == "pad is at its largest value, 16." {
			c := m.notebook().cells[0]
			c.values["pad"] = 16
			c.sel = 2
			send(t, m, keys("+")...)
		} else {
			send(t, m, keys(tc.keys...)...)
		}
		if !strings.Contains(screen(m), tc.want) {
			t.Errorf("%v: the footer does not say %q:\n%s", tc.keys, tc.want, screen(m))
		}
	}
	m.c.Lang = "ko"
	send(t, m, keys("z")...)
	if !strings.Contains(screen(m), "이 레슨에는 퀴즈가 없습니다") {
		t.Errorf("z: not said in Korean:\n%s", screen(m))
	}
}

// + and − on a list say how to change it, with an example to type.
func TestListParamPointsToEdit(t *testing.T) {
	m := lessonOf(t, "id: c2\nexperiment: optimize\nparams: {optimizers: [sgd, momentum], steps: 10}\ntweak: [optimizers]\nshow: [loss]")
	send(t, m, keys("tab", "tab", "+")...)
	if want := "optimizers is a list: press e and type it, e.g. sgd,momentum,nesterov"; !strings.Contains(screen(m), want) {
		t.Errorf("no %q:\n%s", want, screen(m))
	}
}

// + and − step through the values the experiment accepts: groups through
// the divisors of both channel counts, not 3, 5, …; where none is left
// they say why.
func TestNudgeStepsThroughValidValues(t *testing.T) {
	m := lessonOf(t, "id: c2\nexperiment: conv\nparams: {cin: 12, cout: 18, groups: 1}\ntweak: [groups]\nshow: [params]")
	send(t, m, keys("tab", "tab")...)
	c := m.notebook().focused()
	var got []int
	for range 4 {
		send(t, m, keys("+")...)
		got = append(got, c.values.Int("groups"))
		if c.bad != nil {
			t.Errorf("groups=%d is refused: %v", c.values.Int("groups"), c.bad)
		}
	}
	if want := []int{2, 3, 6, 6}; !equalInts(got, want) {
		t.Errorf("+ took groups through %v, want %v", got, want)
	}
	if !strings.Contains(screen(m), "groups cannot go higher here:") {
		t.Errorf("no reason at the last divisor:\n%s", screen(m))
	}
	send(t, m, keys("-")...)
	if g := c.values.Int("groups"); g != 3 {
		t.Errorf("− from 6 took groups to %d, want 3", g)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The range shown for a value is one the cell can run: bn-long showed steps
// up to 5,000 and refused above about 2,000 for time.
func TestRangeShownIsReachable(t *testing.T) {
	m := lessonOf(t, "id: c2\nexperiment: residual\nparams: {bn: true, clip: 0, depth: 20, lr: 0.01, steps: 10}\ntweak: [steps, lr]\nshow: [plain.accuracy]")
	c := m.notebook().cells[1]
	_, hi := c.src.Experiment.Reach(c.values, "steps")
	if hi >= 5000 {
		t.Fatalf("steps reach %d", hi)
	}
	send(t, m, keys("tab", "tab")...)
	if want := "steps: 1…" + strconv.Itoa(hi) + ", +/− ×÷2"; !strings.Contains(screen(m), want) {
		t.Errorf("the help line does not show %q:\n%s", want, screen(m))
	}
	c.values["steps"] = hi
	send(t, m, keys("+")...)
	if c.values.Int("steps") != hi || !strings.Contains(screen(m), "steps cannot go higher here: this run would take about") {
		t.Errorf("+ past the bound: steps %d, screen:\n%s", c.values.Int("steps"), screen(m))
	}
}

// The footer keeps "? help" on the smallest screen nnlab lays out in, in
// each state: reading, a cell focused, typing a value.
func TestFooterKeepsHelpAt60x16(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 60, Height: 16})
	footer := func() string { l := strings.Split(screen(m), "\n"); return l[len(l)-1] }
	if !strings.Contains(footer(), "? help") {
		t.Errorf("lesson list: %q", footer())
	}
	send(t, m, keys("enter")...)
	if !strings.Contains(footer(), "? help") || strings.Contains(footer(), "…") {
		t.Errorf("reading: %q", footer())
	}
	send(t, m, keys("tab")...)
	if !strings.Contains(footer(), "? help") || strings.Contains(footer(), "…") {
		t.Errorf("a cell focused: %q", footer())
	}
	m.c.Lang = "ko"
	m.c.Keys = DefaultKeyMap("ko")
	send(t, m, tea.WindowSizeMsg{Width: 60, Height: 16})
	if !strings.Contains(footer(), "? 도움말") {
		t.Errorf("Korean, a cell focused: %q", footer())
	}
}

// modelLesson is the test lesson with a model summary as its second cell,
// whose height grows with depth (79 lines at depth 2, 130 at 3).
func modelLesson(t *testing.T, w, h int) *Model {
	t.Helper()
	m := lessonOf(t, "id: c2\nexperiment: model\nparams: {depth: 3}\ntweak: [depth]")
	send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// After a rerun that makes the focused cell shorter, the view comes back
// to the cell instead of showing the prose after it (grad-flow at depth 3
// scrolled it off).
func TestRerunKeepsFocusedCellInView(t *testing.T) {
	m := modelLesson(t, 80, 24)
	send(t, m, keys("tab", "tab")...)
	nb := m.notebook()
	for range 100 { // deep into the cell's table
		send(t, m, keys("j")...)
	}
	if nb.focus != 1 {
		t.Fatalf("the cell lost focus while scrolling into it (focus %d)", nb.focus)
	}
	send(t, m, keys("-", "-")...) // depth 1: a much shorter table
	if nb.focus != 1 || nb.cells[1].values.Int("depth") != 1 {
		t.Fatalf("focus %d, depth %d", nb.focus, nb.cells[1].values.Int("depth"))
	}
	start, end := nb.blockSpan(nb.cellBlock(1))
	if top := nb.vp.YOffset; top < start-1 || top >= end || end-top < nb.vp.Height/2 {
		t.Errorf("after the rerun the view starts at line %d; the cell spans %d…%d (view %d lines)", top, start, end, nb.vp.Height)
	}
}

// x in one cell, then tab: the next cell opens at its top even when the
// first cell's rerun lands after the tab and changes its height.
func TestTabAfterResetOpensAtTop(t *testing.T) {
	src := strings.Replace(testLessonEN, "id: c1\nexperiment: conv\nparams: {k: 7, stride: 2, pad: 3}\ntweak: [k, stride, pad]\nshow: [out_h, params]",
		"id: c1\nexperiment: model\nparams: {depth: 2}\ntweak: [depth]", 1)
	src += strings.Repeat("\nMore prose after the cells, to scroll.\n", 40)
	src = strings.Replace(src, "exercise:\n  task: Get 112 with k 5.\n  goal: k == 5 and out_h == 112\n  hints:\n    - when: k != 5\n      text: set k to 5\n    - text: now fix pad\n  explain: well done\n", "", 1)
	l, err := lessons.Parse("t.md", []byte(src), experiments.Registry())
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Library: lessons.NewLibrary(l), Lang: "en", Renderer: plainRenderer(), Dark: true})
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	send(t, m, keys("enter", "tab", "+")...) // depth 3: the first cell is long
	nb := m.notebook()
	_, cmd := m.Update(keys("x")[0]) // back to depth 2; its run not yet back
	send(t, m, keys("tab")...)
	pump(t, m, cmd) // the run lands: the first cell gets shorter
	if nb.focus != 1 {
		t.Fatalf("focus %d", nb.focus)
	}
	if start, _ := nb.blockSpan(nb.cellBlock(1)); nb.vp.YOffset != start-1 {
		t.Errorf("the second cell opened at line %d of the view's top %d, want its top %d", nb.vp.YOffset-start, nb.vp.YOffset, start-1)
	}
}

// The header kept in view shows once the cell's title and values have
// scrolled away, never beside them (it repeated the values' line).
func TestStickyHeaderDoesNotRepeatValues(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 16})
	send(t, m, keys("enter", "tab")...)
	nb := m.notebook()
	start, _ := nb.blockSpan(nb.cellBlock(nb.focus))
	for top := start; top < start+6; top++ {
		nb.vp.SetYOffset(top)
		m.Update(nil) // compose the frame
		if n := strings.Count(screen(m), "k = 7"); n > 1 {
			t.Errorf("view at line %d of the cell: the values show %d times:\n%s", top-start, n, screen(m))
		}
	}
}
