package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/state"
)

const predictLessonEN = `---
id: p
title: Predict lesson
lang: en
order: 1
summary: A lesson with a prediction and a quiz.
minutes: 3
---

# Predict

` + "```nnlab" + `
id: first
experiment: conv
params: {k: 7, stride: 2, pad: 3}
tweak: [k, stride, pad]
show: [out_h]
predict:
  ask: How tall is the output?
  key: out_h
  tolerance: 0
  explain: stride 2 halves it.
` + "```" + `

The output is 112 pixels tall.

` + "```nnlab-quiz" + `
id: q
kinds: [conv_params]
count: 2
level: 1
` + "```" + `
`

func predictModel(t *testing.T, store *state.Store, lang string) *Model {
	t.Helper()
	src := predictLessonEN
	if lang == "ko" {
		src = strings.Replace(src, "lang: en", "lang: ko", 1)
	}
	l, err := lessons.Parse("p.md", []byte(src), experiments.Registry())
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Library: lessons.NewLibrary(l), Store: store, Lang: lang, Renderer: plainRenderer(), Dark: true})
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	send(t, m, keys("enter", "tab")...)
	return m
}

func predictScreen(m *Model) string {
	nb := m.notebook()
	return ansi.Strip(nb.cells[0].predictView(m.c.Styles, m.c.Lang, 76, nb.text, true))
}

// TestPredictThenRun: a cell with a prediction does not run on opening,
// nor when a value changes; enter opens the field, a number runs the cell
// at the lesson's values and is graded; a right guess is remembered as a
// passed exercise and counts in the header, a wrong one is not. Goldens of
// the prediction's states in both languages.
func TestPredictThenRun(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		t.Run(lang, func(t *testing.T) {
			store := state.Memory()
			m := predictModel(t, store, lang)
			c := m.notebook().cells[0]
			var b strings.Builder
			step := func(name string) { fmt.Fprintf(&b, "── %s\n%s\n", name, predictScreen(m)) }
			if c.result != nil || c.running {
				t.Fatal("the cell ran before its prediction")
			}
			if !strings.Contains(screen(m), T(lang, "predict_waiting")) {
				t.Errorf("the status does not ask for a prediction:\n%s", screen(m))
			}
			// The text after the cell would tell the answer: folded until then.
			if out := screen(m); strings.Contains(out, "112 pixels") || !strings.Contains(out, T(lang, "predict_folded")) {
				t.Errorf("the prose after a waiting cell is not folded:\n%s", out)
			}
			step("waiting")
			send(t, m, keys("+")...) // k 7 → 9: a fast cell would rerun; this one waits
			if c.result != nil {
				t.Fatal("a changed value ran the cell before its prediction")
			}
			send(t, m, keys("enter")...)
			step("field open")
			send(t, m, keys("x", "enter")...)
			step("not a number")
			if c.result != nil {
				t.Fatal("text that is not a number ran the cell")
			}
			send(t, m, keys("ctrl+u", "100", "enter")...)
			if c.result == nil || c.values.Int("k") != 7 {
				t.Fatalf("the prediction did not run the cell at the lesson's values (k = %d)", c.values.Int("k"))
			}
			step("wrong")
			if out := screen(m); !strings.Contains(out, "112 pixels") {
				t.Errorf("the prose after the cell stays folded after the prediction:\n%s", out)
			}
			if !c.pred.judged || c.pred.right || c.pred.actual != 112 {
				t.Errorf("guess 100 for 112: judged %v right %v actual %v", c.pred.judged, c.pred.right, c.pred.actual)
			}
			if _, ok := store.Lesson("p").Passed["first.predict"]; ok {
				t.Error("a wrong prediction was remembered as passed")
			}
			// Another session: a right guess passes and counts.
			store2 := state.Memory()
			m2 := predictModel(t, store2, lang)
			send(t, m2, keys("enter", "112", "enter")...)
			m = m2
			step("right")
			if _, ok := store2.Lesson("p").Passed["first.predict"]; !ok {
				t.Error("a right prediction was not remembered")
			}
			if want := fmt.Sprintf(T(lang, "exercises"), 1, 2); !strings.Contains(screen(m2), want) {
				t.Errorf("the header does not count the prediction (%q):\n%s", want, screen(m2))
			}
			// Reopened, a passed prediction runs at once and says so.
			m3 := New(Options{Library: m2.c.Library, Store: store2, Lang: lang, Renderer: plainRenderer(), Dark: true})
			send(t, m3, tea.WindowSizeMsg{Width: 100, Height: 40})
			send(t, m3, keys("enter", "tab")...)
			if m3.notebook().cells[0].result == nil {
				t.Error("a prediction passed earlier still holds the cell back")
			}
			m = m3
			step("passed earlier")
			golden.RequireEqual(t, []byte(b.String()))
		})
	}
}

// TestPredictSkip: enter on an empty field runs the cell without a
// prediction, which is neither right nor remembered.
func TestPredictSkip(t *testing.T) {
	store := state.Memory()
	m := predictModel(t, store, "en")
	send(t, m, keys("enter", "enter")...)
	c := m.notebook().cells[0]
	if c.result == nil || c.pred.judged {
		t.Fatalf("skip: result %v judged %v", c.result != nil, c.pred.judged)
	}
	if !strings.Contains(predictScreen(m), T("en", "predict_skipped")) || !strings.Contains(predictScreen(m), "stride 2 halves it") {
		t.Errorf("skipped prediction reads:\n%s", predictScreen(m))
	}
	if len(store.Lesson("p").Passed) != 0 {
		t.Error("a skipped prediction was remembered")
	}
}

// TestLessonQuizTriedShowsScore: a lesson quiz answered and not passed
// shows its score in the lesson, not "not tried"; the box names its kinds
// in words, not by their ids.
func TestLessonQuizTriedShowsScore(t *testing.T) {
	m := predictModel(t, state.Memory(), "en")
	nb := m.notebook()
	box := func() string {
		for _, b := range nb.blocks {
			if b.quiz != nil {
				return ansi.Strip(nb.quizView(b.quiz, 80))
			}
		}
		return ""
	}
	if out := box(); !strings.Contains(out, "not tried") || strings.Contains(out, "conv_params") || !strings.Contains(out, "parameters") {
		t.Errorf("quiz box before: %s", out)
	}
	send(t, m, keys("z")...)
	if _, ok := m.top().(*quizScreen); !ok {
		t.Fatal("z did not open the quiz")
	}
	send(t, m, keys("1", "enter", "enter", "1", "enter", "enter", "enter")...) // two wrong answers, the score, back
	if m.notebook() == nil {
		t.Fatal("the quiz did not close")
	}
	if out := box(); strings.Contains(out, "not tried") || !strings.Contains(out, "tried: 0 right of 2 answered, 2 needed") {
		t.Errorf("quiz box after a failed try: %s", out)
	}
}
