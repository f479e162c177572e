package tui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/state"
)

const testLessonEN = `---
id: t
title: Test lesson
lang: en
order: 1
summary: A lesson for tests.
minutes: 3
---

# Test

Some prose with a value: {{ conv(bias=false).params | int }} weights.

` + "```nnlab" + `
id: c1
experiment: conv
params: {k: 7, stride: 2, pad: 3}
tweak: [k, stride, pad]
show: [out_h, params]
exercise:
  task: Get 112 with k 5.
  goal: k == 5 and out_h == 112
  hints:
    - when: k != 5
      text: set k to 5
    - text: now fix pad
  explain: well done
` + "```" + `

More prose.

` + "```nnlab" + `
id: c2
experiment: conv1x1
tweak: [reduce]
show: [direct.macs, reduced.macs]
` + "```" + `
`

func testLessons(t testing.TB) []*lessons.Lesson {
	t.Helper()
	reg := experiments.Registry()
	en, err := lessons.Parse("t.en.md", []byte(testLessonEN), reg)
	if err != nil {
		t.Fatal(err)
	}
	ko, err := lessons.Parse("t.ko.md", []byte(strings.Replace(strings.Replace(testLessonEN, "lang: en", "lang: ko", 1), "Test lesson", "시험 레슨", 1)), reg)
	if err != nil {
		t.Fatal(err)
	}
	return []*lessons.Lesson{en, ko}
}

func plainRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	return r
}

func newTestModel(t testing.TB, store *state.Store) *Model {
	if store == nil {
		store = state.Memory()
	}
	return New(Options{Library: lessons.NewLibrary(testLessons(t)...), Store: store, Lang: "en", Renderer: plainRenderer(), Dark: true})
}

// notebook is the notebook on top of the screen stack, or nil.
func (m *Model) notebook() *notebook {
	nb, _ := m.top().(*notebook)
	return nb
}

// pump runs cmd and every command its messages lead to, feeding the
// messages to m, until nothing is left (spinner ticks are dropped so the
// loop ends).
func pump(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	deadline := time.Now().Add(10 * time.Second)
	for len(queue) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("commands did not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case nil, spinner.TickMsg, classTickMsg, learnerTickMsg: // ticks: the loop ends
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			if seq, ok := sequence(msg); ok { // tea.Sequence: each in turn, to the end
				for _, c := range seq {
					pump(t, m, c)
				}
				continue
			}
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// sequence unpacks the message of tea.Sequence (an unexported []tea.Cmd).
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeOf(tea.Cmd(nil)) {
		return nil, false
	}
	out := make([]tea.Cmd, v.Len())
	for i := range out {
		out[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return out, true
}

func send(t testing.TB, m *Model, msgs ...tea.Msg) {
	for _, msg := range msgs {
		_, cmd := m.Update(msg)
		pump(t, m, cmd)
	}
}

func keys(s ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range s {
		switch k {
		case "enter":
			out = append(out, tea.KeyMsg{Type: tea.KeyEnter})
		case "tab":
			out = append(out, tea.KeyMsg{Type: tea.KeyTab})
		case "esc":
			out = append(out, tea.KeyMsg{Type: tea.KeyEsc})
		case "ctrl+u":
			out = append(out, tea.KeyMsg{Type: tea.KeyCtrlU})
		default:
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		}
	}
	return out
}

func screen(m *Model) string { return ansi.Strip(m.View()) }

func TestOpenTweakRunPass(t *testing.T) {
	store := state.Memory()
	m := newTestModel(t, store)
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	if !strings.Contains(screen(m), "Test lesson") {
		t.Fatalf("home does not list the lesson:\n%s", screen(m))
	}
	send(t, m, keys("enter")...)
	if m.notebook() == nil {
		t.Fatal("enter did not open the lesson")
	}
	send(t, m, keys("tab")...)
	out := screen(m)
	for _, want := range []string{"9,408 weights", "k = 7", "112", "not tried"} {
		if !strings.Contains(out, want) {
			t.Errorf("notebook lacks %q:\n%s", want, out)
		}
	}
	// k 7 → 5: the goal fails (pad 3 gives 113) with the pad hint.
	send(t, m, keys("-", "-", "enter")...)
	c := m.notebook().cells[0]
	if c.values.Int("k") != 5 || c.result.Scalars[0].Value != 113 {
		t.Fatalf("k=%d out_h=%v", c.values.Int("k"), c.result.Scalars[0].Value)
	}
	if out := screen(m); !strings.Contains(out, "not yet") || !strings.Contains(out, "now fix pad") {
		t.Errorf("failing state or hint missing:\n%s", out)
	}
	// Select pad (two params to the right), type 2, run: passed and saved.
	send(t, m, keys("l", "l", "e", "ctrl+u", "2", "enter", "r")...)
	if out := screen(m); !strings.Contains(out, "passed") || !strings.Contains(out, "well done") {
		t.Errorf("pass not shown:\n%s", out)
	}
	l := store.Lesson("t")
	if _, ok := l.Passed["c1"]; !ok || l.Params["c1"]["pad"] != "2" {
		t.Errorf("progress not remembered: %+v", l)
	}
	if !strings.Contains(screen(m), "exercises 1/1") {
		t.Errorf("header does not count the pass:\n%s", screen(m))
	}
}

func TestInvalidValueIsShownAndNeverRun(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	send(t, m, keys("enter", "tab")...)
	c := m.notebook().cells[0]
	before := c.result
	// A typed value the schema refuses stays in the editor with its reason.
	send(t, m, keys("e", "ctrl+u", "x", "y", "enter")...)
	if !c.editing || !strings.Contains(screen(m), `k must be a whole number from 1 to 15, got "xy"`) {
		t.Fatalf("refusal not shown:\n%s", screen(m))
	}
	send(t, m, keys("esc")...)
	// k = 15 with pad 3 on a 224 input is fine; h too small is not: use the
	// experiment's own rule via stride beyond the output.
	send(t, m, keys("e", "ctrl+u", "1", "5", "enter")...)
	if c.editing || c.values.Int("k") != 15 {
		t.Fatalf("valid value not taken: k=%d editing=%v", c.values.Int("k"), c.editing)
	}
	c.values["k"] = 99 // as if a state file held a value out of range
	c.bad = c.src.Experiment.Check(c.values)
	send(t, m, keys("r")...)
	if c.result != before && c.ranWith.Int("k") == 99 {
		t.Fatal("an invalid value was run")
	}
	if !strings.Contains(screen(m), "got 99") {
		t.Errorf("reason not shown in place:\n%s", screen(m))
	}
}

func TestStaleRunsAreDropped(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	send(t, m, keys("enter")...)
	nb := m.notebook()
	c := nb.cells[0]
	// Two runs in a row: the first one's result arrives last and is dropped.
	first := nb.start(0, true, true)
	firstRun := c.run
	second := nb.start(0, true, true)
	pump(t, m, second)
	got := c.result
	if c.run != firstRun+1 || got == nil {
		t.Fatalf("second run not applied")
	}
	stale := &runMsg{nb: nb.gen, cell: 0, run: firstRun, final: true, learner: true}
	m.Update(*stale)
	if c.result != got {
		t.Fatal("a stale result replaced a newer one")
	}
	_ = first
	// Messages for a closed notebook are dropped too.
	send(t, m, keys("esc")...)
	if m.notebook() != nil {
		t.Fatal("esc did not go back to the list")
	}
	m.Update(runMsg{nb: nb.gen, cell: 0, run: c.run, final: true})
}

func TestLanguageSwitchKeepsValues(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	send(t, m, keys("enter", "tab", "-", "L")...)
	if m.c.Lang != "ko" || m.notebook() == nil || m.notebook().lesson.Lang != "ko" {
		t.Fatalf("not switched: lang %s", m.c.Lang)
	}
	if m.notebook().cells[0].values.Int("k") != 6 {
		t.Errorf("tweaked value lost across languages: k=%d", m.notebook().cells[0].values.Int("k"))
	}
	if !strings.Contains(screen(m), "시험 레슨") || !strings.Contains(screen(m), "한국어") {
		t.Errorf("Korean not shown:\n%s", screen(m))
	}
}

func TestTooSmallAndResize(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 50, Height: 10})
	if !strings.Contains(screen(m), "too small") {
		t.Fatalf("no too-small message:\n%s", screen(m))
	}
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}, keys("enter")[0])
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 16}, {160, 48}} {
		send(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := m.View()
		lines := strings.Split(v, "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: view has %d lines", size[0], size[1], len(lines))
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%dx%d: line %d wide: %q", size[0], size[1], w, ansi.Strip(l))
			}
		}
	}
}

func TestHelpShowsKeys(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	send(t, m, keys("enter", "tab", "?")...)
	out := screen(m)
	for _, want := range []string{"run", "keep result", "type", "lessons", "hint", "solution"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
	send(t, m, keys("?")...)
	if m.showHelp {
		t.Error("? did not close help")
	}
}

func TestKeyBurstAndOffscreenFocus(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 16})
	send(t, m, keys("enter")...)
	// "jjjj" in one read scrolls four lines, not none.
	send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjjj")})
	if m.notebook().vp.YOffset != 4 {
		t.Fatalf("a burst of four j scrolled to %d", m.notebook().vp.YOffset)
	}
	// Focus the second cell, then go to the top: it is out of view there and
	// loses the focus, so + changes nothing the learner cannot see.
	send(t, m, keys("tab", "tab")...)
	if m.notebook().focus != 1 {
		t.Fatalf("focus %d, want 1", m.notebook().focus)
	}
	send(t, m, keys("g", "+")...)
	if m.notebook().focus != -1 {
		t.Errorf("the focus stayed on a cell out of view (focus %d, offset %d)", m.notebook().focus, m.notebook().vp.YOffset)
	}
	if m.notebook().cells[1].values.Int("reduce") != 16 {
		t.Error("+ changed a cell out of view")
	}
	// tab focuses the first cell in view, not the one after the lost focus.
	send(t, m, keys("tab")...)
	if m.notebook().focus != 0 {
		t.Errorf("tab focused cell %d, want the first one", m.notebook().focus)
	}
}

func TestStaleAndPins(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	send(t, m, keys("enter", "tab", "p", "-")...)
	// A fast cell answers a change at once: no enter, no stale outputs.
	out := screen(m)
	if strings.Contains(out, "values changed") || !strings.Contains(out, "kept 1") {
		t.Errorf("after the change: stale mark or pin column wrong:\n%s", out)
	}
	// The pinned run's value (9,472 for k=7) stands beside the new one (k=6).
	if !strings.Contains(out, "9,472") {
		t.Errorf("the pinned value is not shown:\n%s", out)
	}
}

func TestCellTextValues(t *testing.T) {
	src := strings.Replace(testLessonEN, "show: [out_h, params]\n", "show: [out_h, params]\ncaption: \"A 224 input gives {{ conv().out_h }} rows.\"\n", 1)
	l, err := lessons.Parse("v.md", []byte(src), experiments.Registry())
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Library: lessons.NewLibrary(l), Lang: "en", Renderer: plainRenderer(), Dark: true})
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	send(t, m, keys("enter")...)
	if out := screen(m); !strings.Contains(out, "A 224 input gives 112 rows.") {
		t.Errorf("caption value not computed:\n%s", out)
	}
}

// A pinned run's series join the chart after the current run's, named by
// the pin; the result they came from is left unchanged.
func TestPinsJoinCharts(t *testing.T) {
	cur := &experiment.Result{Charts: []experiment.Chart{{Key: "loss", Series: []experiment.Series{{Name: "sgd", Y: []float64{1, 0.5}}}}}}
	old := &experiment.Result{Charts: []experiment.Chart{{Key: "loss", Series: []experiment.Series{{Name: "sgd", Y: []float64{1, 0.9}}}}}}
	spec := outputSpec{result: cur, pins: []pin{{result: old, label: "pin 1: lr=0.1"}}, lang: "en"}
	got := withPins(spec, cur.Charts[0].Series,
		func(r *experiment.Result) []experiment.Series { c, _ := r.Chart("loss"); return c.Series },
		func(s experiment.Series, l string) experiment.Series { s.Name = pinName(s.Name, l); return s })
	if len(got) != 2 || got[1].Name != "sgd · pin 1: lr=0.1" || got[1].Y[1] != 0.9 || len(cur.Charts[0].Series) != 1 || old.Charts[0].Series[0].Name != "sgd" {
		t.Errorf("got %+v", got)
	}
}

// On a small screen the focused cell's name and values stay on screen while
// its outputs scroll under them, and the help for the value is one line.
func TestStickyCellHeader(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 16})
	send(t, m, keys("enter", "tab")...)
	nb := m.notebook()
	k := nb.cellBlock(nb.focus)
	for i := 0; i < 3 && nb.focus >= 0; i++ { // into the cell's outputs
		send(t, m, keys("j")...)
	}
	if nb.vp.YOffset <= nb.offsets[k] {
		t.Fatalf("did not scroll into the cell (offset %d, cell at %d)", nb.vp.YOffset, nb.offsets[k])
	}
	lines := strings.Split(screen(m), "\n")
	if !strings.Contains(lines[1], "Try it · 1 of 2") || !strings.Contains(lines[2], "k = 7") {
		t.Errorf("the focused cell's header did not stay in view:\n%s", screen(m))
	}
	if strings.Count(screen(m), "kernel size") > 1 {
		t.Errorf("the value's help takes more than one line:\n%s", screen(m))
	}
}

// Resizing, switching language and reopening keep the reading place: the
// same block at the top, not the same percentage; the app reopens in the
// lesson read last.
func TestKeepPlace(t *testing.T) {
	store := state.Memory()
	m := newTestModel(t, store)
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 16})
	send(t, m, keys("enter", "j", "j", "j", "j", "j", "j")...)
	nb := m.notebook()
	before := nb.place()
	if before.Block == 0 && before.Line == 0 {
		t.Fatal("did not scroll")
	}
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 17})
	if got := m.notebook().place(); got.Block != before.Block {
		t.Errorf("after a resize the top block is %d, was %d", got.Block, before.Block)
	}
	send(t, m, keys("L")...)
	if got := m.notebook().place(); got.Block != before.Block {
		t.Errorf("after switching language the top block is %d, was %d", got.Block, before.Block)
	}
	send(t, m, keys("esc")...)
	if p := store.Lesson("t").Place; p == nil || p.Block != before.Block {
		t.Errorf("the place was not remembered: %+v", p)
	}
	m2 := newTestModel(t, store)
	send(t, m2, tea.WindowSizeMsg{Width: 100, Height: 16})
	pump(t, m2, m2.Init())
	if nb := m2.notebook(); nb == nil || nb.place().Block != before.Block {
		t.Errorf("the app did not reopen the last lesson at its place")
	}
}

// A cell text whose value is still being computed shows … in its place,
// never the raw {{ … }}.
func TestPendingValueInCellText(t *testing.T) {
	nb := &notebook{}
	if got := nb.text("A {{ conv(k=7).params | int }} weights, {{ #c.out_h }} rows."); got != "A … weights, … rows." {
		t.Errorf("got %q", got)
	}
}

// ] and [ walk a cell's paths step by step: the point, its loss and the
// momentum's velocity there, computed by core.
func TestScrubber(t *testing.T) {
	src := strings.Replace(testLessonEN, "experiment: conv1x1\ntweak: [reduce]\nshow: [direct.macs, reduced.macs]", "experiment: optimize\nparams: {optimizers: [sgd, momentum], steps: 20}\ntweak: [lr]\nshow: [surface]", 1)
	l, err := lessons.Parse("t.md", []byte(src), experiments.Registry())
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Library: lessons.NewLibrary(l), Lang: "en", Renderer: plainRenderer(), Dark: true})
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 50})
	send(t, m, keys("enter", "tab", "tab", "]", "]")...)
	c := m.notebook().focused()
	if c == nil || c.scrub != 3 {
		t.Fatalf("] ] did not walk to step 2: %+v", c)
	}
	sf, _ := c.result.Surface("surface")
	var mom experiment.Path
	for _, p := range sf.Paths {
		if p.Name == "momentum" {
			mom = p
		}
	}
	want := fmt.Sprintf("step 2 · momentum (%s, %s) · f = %s · z = (%s, %s)", experiment.Number(mom.Points[2][0]), experiment.Number(mom.Points[2][1]),
		experiment.Number(mom.Loss[2]), experiment.Number(mom.Velocity[2][0]), experiment.Number(mom.Velocity[2][1]))
	if !strings.Contains(screen(m), want) || !strings.Contains(screen(m), "◆") {
		t.Errorf("no %q on screen:\n%s", want, screen(m))
	}
	send(t, m, keys("[", "[", "[")...)
	if c.scrub != 1 || !strings.Contains(screen(m), "step 0 · sgd") {
		t.Errorf("[ did not walk back to the start (scrub %d)", c.scrub)
	}
}

// w makes a surface's window follow the whole of a path that leaves it, and
// back.
func TestFollowWholePath(t *testing.T) {
	src := strings.Replace(testLessonEN, "experiment: conv1x1\ntweak: [reduce]\nshow: [direct.macs, reduced.macs]", "experiment: optimize\nparams: {optimizers: [sgd], lr: 2, steps: 20}\ntweak: [lr]\nshow: [surface]", 1)
	l, err := lessons.Parse("t.md", []byte(src), experiments.Registry())
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Library: lessons.NewLibrary(l), Lang: "en", Renderer: plainRenderer(), Dark: true})
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 50})
	send(t, m, keys("enter", "tab", "tab")...)
	c := m.notebook().focused()
	before, _ := c.result.Surface("surface")
	send(t, m, keys("w")...)
	after, _ := c.result.Surface("surface")
	if !c.values.Bool("follow") || after.YMax-after.YMin < 1e6*(before.YMax-before.YMin) {
		t.Errorf("w did not widen the window to the whole path: %v…%v, was %v…%v", after.YMin, after.YMax, before.YMin, before.YMax)
	}
	if strings.Contains(screen(m), "leaves the window") {
		t.Errorf("the path still leaves the window:\n%s", screen(m))
	}
	send(t, m, keys("w")...)
	if c.values.Bool("follow") {
		t.Error("w did not switch back")
	}
}
