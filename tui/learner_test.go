package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/state"
)

// TestFooterFits80: every short help — lesson list, a lesson, a focused
// cell, a value being typed — fits 80 columns whole in both languages, so
// no key is cut off at the right.
func TestFooterFits80(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		k := DefaultKeyMap(lang)
		src := testLessons(t)[0].Cells()[0]
		c := newCell(src, nil, textinput.New())
		editing := newCell(src, nil, textinput.New())
		editing.editing = true
		for name, km := range map[string]help.KeyMap{
			"home":     homeKeys{k: k},
			"notebook": notebookKeys{k, nil},
			"cell":     notebookKeys{k, c},
			"editing":  notebookKeys{k, editing},
		} {
			h := help.New()
			room := 80 - 6 // a lesson's position " 100%" and a space sit beside it
			if name == "home" {
				room = 80
			}
			if w := lipgloss.Width(h.ShortHelpView(km.ShortHelp())); w > room {
				t.Errorf("%s %s: short help is %d columns: %s", lang, name, w, h.ShortHelpView(km.ShortHelp()))
			}
		}
	}
}

// TestHomeHelpNamesEveryKey: the lesson list's full help names the keys
// the list itself takes (paging, top and bottom), not only nnlab's.
func TestHomeHelpNamesEveryKey(t *testing.T) {
	var named []string
	for _, col := range (homeKeys{k: DefaultKeyMap("en")}).FullHelp() {
		for _, b := range col {
			named = append(named, b.Keys()...)
		}
	}
	for _, want := range []string{"up", "down", "pgup", "pgdown", "left", "right", "home", "end", "enter", "z", "L", "?", "q"} {
		found := false
		for _, k := range named {
			found = found || k == want
		}
		if !found {
			t.Errorf("the lesson list's help does not name %q (named: %v)", want, named)
		}
	}
	_ = key.Binding{}
}

// eightLessons is a library of eight lessons with long summaries, like the
// built-in one.
func eightLessons(t *testing.T) *lessons.Library {
	t.Helper()
	var ls []*lessons.Lesson
	for i := range 8 {
		src := fmt.Sprintf("---\nid: l%d\ntitle: Lesson number %d with a title\nlang: en\norder: %d\nsummary: A summary long enough to be cut somewhere in the middle of a word when the terminal is only eighty columns wide.\nminutes: 20\n---\n\n# L\n\nText.\n", i, i, i)
		l, err := lessons.Parse(fmt.Sprintf("l%d.md", i), []byte(src), experiments.Registry())
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	return lessons.NewLibrary(ls...)
}

// TestHomeFitsEightLessons: at 80×24 the lesson list shows all eight
// lessons and the quiz-practice row without paging, and no summary is cut
// in the middle of a word.
func TestHomeFitsEightLessons(t *testing.T) {
	m := New(Options{Library: eightLessons(t), Store: state.Memory(), Lang: "en", Renderer: plainRenderer(), Dark: true})
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	out := screen(m)
	for i := range 8 {
		if !strings.Contains(out, fmt.Sprintf("Lesson number %d", i)) {
			t.Errorf("lesson %d not on the first screen:\n%s", i, out)
		}
	}
	if !strings.Contains(out, "Quiz practice") {
		t.Errorf("quiz practice row not on the first screen:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if i := strings.Index(line, "A summary"); i >= 0 {
			s := strings.TrimSpace(line[i:])
			if cut := strings.Index(s, "…"); cut > 0 && s[cut-1] != ' ' {
				words := strings.Fields(s[:cut])
				last := words[len(words)-1]
				if !strings.Contains("A summary long enough to be cut somewhere in the middle of a word when the terminal is only eighty columns wide.", last+" ") {
					t.Errorf("summary cut mid-word: %q", s)
				}
			}
		}
	}
}

// TestEditStartsWithValue: e opens the value for editing with its current
// text; a digit or letter typed first replaces it (press e and type 30),
// while "," or a cursor key first edits it in place (add ",nesterov").
func TestEditStartsWithValue(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	send(t, m, keys("enter", "tab", "e")...)
	c := m.notebook().cells[0]
	if got := c.input.Value(); got != "7" {
		t.Fatalf("e starts with %q, want the current value 7", got)
	}
	send(t, m, keys("5")...)
	if got := c.input.Value(); got != "5" {
		t.Errorf("a digit typed first gives %q, want it to replace the value: 5", got)
	}
	send(t, m, keys("esc", "e")...)
	send(t, m, tea.KeyMsg{Type: tea.KeyBackspace})
	send(t, m, keys("9")...)
	if got := c.input.Value(); got != "9" {
		t.Errorf("backspace then 9 gives %q, want 9", got)
	}
	send(t, m, keys("esc", "e")...)
	send(t, m, tea.KeyMsg{Type: tea.KeyLeft})
	send(t, m, keys("1")...)
	if got := c.input.Value(); got != "17" {
		t.Errorf("← then 1 gives %q, want the value edited in place: 17", got)
	}
	send(t, m, keys("esc")...)
	// A list: "," first appends.
	l := newCell(&lessons.Cell{ID: "o", Experiment: mustExp(t, "optimize"), Params: mustParams(t, "optimize"), Tweak: []string{"optimizers"}}, nil, textinput.New())
	l.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("e")}, m.c.Keys, "en")
	for _, r := range ",nesterov" {
		l.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}, m.c.Keys, "en")
	}
	if got := l.input.Value(); got != "sgd,momentum,nesterov" {
		t.Errorf("\",nesterov\" typed after e gives %q", got)
	}
}

func mustExp(t *testing.T, name string) *experiment.Experiment {
	t.Helper()
	e, err := experiments.Registry().Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mustParams(t *testing.T, name string) experiment.Values {
	t.Helper()
	v, err := mustExp(t, name).Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// exerciseScreen is the exercise part of cell c1's view, without styles.
func exerciseScreen(m *Model) string {
	nb := m.notebook()
	c := nb.cells[0]
	return ansi.Strip(c.exerciseView(m.c.Styles, m.c.Lang, 76, nb.text, true))
}

// TestExerciseStatuses: one status at a time through a session — not
// tried, not yet (with its hint), passed, and after a pass a run that
// misses says "passed earlier · this run misses the goal", never "not
// yet"; H and S show the hint and the solution on demand. Goldens in both
// languages.
func TestExerciseStatuses(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		t.Run(lang, func(t *testing.T) {
			m := newTestModel(t, nil)
			send(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
			if lang == "ko" {
				send(t, m, keys("L")...)
			}
			send(t, m, keys("enter", "tab")...)
			var b strings.Builder
			step := func(name string) {
				fmt.Fprintf(&b, "── %s\n%s\n", name, exerciseScreen(m))
			}
			step("start")
			send(t, m, keys("H")...)
			step("hint on demand (H)")
			send(t, m, keys("H", "S")...)
			step("solution on demand (S)")
			send(t, m, keys("S", "-", "-", "enter")...) // k 5, pad 3: 113
			step("a run that misses")
			send(t, m, keys("l", "l", "-", "enter")...) // pad 2: 112
			step("a run that passes")
			send(t, m, keys("-", "enter")...) // pad 1: misses again
			step("a later run that misses")
			out := b.String()
			passedEarlier := map[string]string{"en": "passed earlier · this run misses the goal", "ko": "이전에 통과함 · 이번 실행은 목표에 못 미침"}[lang]
			last := out[strings.LastIndex(out, "──"):]
			if !strings.Contains(last, passedEarlier) || strings.Contains(last, T(lang, "failing")) {
				t.Errorf("after a pass, a run that misses reads:\n%s", last)
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
}

// TestNextLessonKey: N opens the next lesson in order in place of this
// one (esc still leads to the list); the end of a lesson names the key.
func TestNextLessonKey(t *testing.T) {
	m := New(Options{Library: eightLessons(t), Store: state.Memory(), Lang: "en", Renderer: plainRenderer(), Dark: true})
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	send(t, m, keys("enter", "G")...)
	if !strings.Contains(screen(m), "N next lesson: Lesson number 1") {
		t.Errorf("the end of the lesson does not name the next one:\n%s", screen(m))
	}
	send(t, m, keys("N")...)
	if nb := m.notebook(); nb == nil || nb.lesson.ID != "l1" {
		t.Fatalf("N did not open the next lesson")
	}
	if len(m.stack) != 2 {
		t.Errorf("the next lesson was stacked on the last one: %d screens", len(m.stack))
	}
	send(t, m, keys("esc")...)
	if m.notebook() != nil {
		t.Errorf("esc from the next lesson did not lead back to the list")
	}
}
