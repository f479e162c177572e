package tui

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/state"
)

func envOf(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

// Two learners' apps run side by side in one process, as over SSH: each has
// its own size, language, colour profile and store, and neither sees the
// other's.
func TestTwoSessionsInOneProcess(t *testing.T) {
	lib := lessons.NewLibrary(testLessons(t)...)
	type session struct {
		name          string
		vars          map[string]string
		w, h          int
		wantLang      string
		wantColour    bool
		store         *state.Store
		final         *settle
		wantWord      string
		otherLangWord string
	}
	sessions := []*session{
		{name: "ko-plain", vars: map[string]string{"LANG": "ko_KR.UTF-8", "NO_COLOR": "1", "TERM": "xterm-256color"}, w: 80, h: 24,
			wantLang: "ko", wantWord: "시험 레슨", otherLangWord: "Test lesson"},
		{name: "en-colour", vars: map[string]string{"LANG": "en_US.UTF-8", "TERM": "xterm-256color", "COLORTERM": "truecolor"}, w: 120, h: 40,
			wantLang: "en", wantColour: true, wantWord: "Test lesson", otherLangWord: "시험 레슨"},
	}
	var wg sync.WaitGroup
	for _, s := range sessions {
		s.store = state.Memory()
		o, err := NewOptions(Env{LookupEnv: envOf(s.vars), Out: &bytes.Buffer{}, Store: s.store},
			Settings{Library: lib, Theme: "dark", Open: "t"})
		if err != nil {
			t.Fatal(err)
		}
		o.FormatDuration = func(time.Duration) string { return "1ms" }
		if o.Lang != s.wantLang {
			t.Fatalf("%s: language %q from LANG=%s, want %q", s.name, o.Lang, s.vars["LANG"], s.wantLang)
		}
		m := New(o)
		tm := teatest.NewTestModel(t, &settle{Model: m, wantNotebook: true}, teatest.WithInitialTermSize(s.w, s.h))
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.final = tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*settle)
		}()
	}
	wg.Wait()
	for _, s := range sessions {
		m := s.final.Model
		view := m.View()
		if m.c.Width != s.w || m.c.Height != s.h {
			t.Errorf("%s: size %dx%d, want %dx%d", s.name, m.c.Width, m.c.Height, s.w, s.h)
		}
		plain := ansi.Strip(view)
		lines := strings.Split(plain, "\n")
		if len(lines) != s.h {
			t.Errorf("%s: %d lines, want %d", s.name, len(lines), s.h)
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > s.w {
				t.Errorf("%s: line %d is %d wide, over %d: %q", s.name, i, w, s.w, l)
			}
		}
		if !strings.Contains(plain, "112") || !strings.Contains(plain, "prose") {
			t.Errorf("%s: the notebook's prose and outputs are not on screen:\n%s", s.name, plain)
		}
		if !strings.Contains(plain, s.wantWord) || strings.Contains(plain, s.otherLangWord) {
			t.Errorf("%s: want %q and not %q on screen:\n%s", s.name, s.wantWord, s.otherLangWord, plain)
		}
		// A colour, not bold or reverse video, which NO_COLOR keeps.
		if hasColour := colourSGR.MatchString(view); hasColour != s.wantColour {
			t.Errorf("%s: colour on screen %v, want %v", s.name, hasColour, s.wantColour)
		}
		if got := s.store.Lesson("t"); !got.Visited {
			t.Errorf("%s: the visit was not recorded in its own store", s.name)
		}
	}
	if sessions[0].final.c == sessions[1].final.c || sessions[0].final.c.Styles == sessions[1].final.c.Styles {
		t.Error("the two sessions share their Common or styles")
	}
}

// dummy is the smallest screen: what a new screen needs to implement.
type dummy struct {
	c    *Common
	keys int
	shut bool
}

type dummyKeys struct{ k KeyMap }

func (d dummyKeys) ShortHelp() []key.Binding  { return []key.Binding{d.k.Back} }
func (d dummyKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{d.k.Back}} }

func (d *dummy) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.KeyMsg); ok {
		d.keys++
	}
	return nil
}
func (d *dummy) View(h int) string { return strings.Repeat("dummy\n", h-1) + "dummy" }
func (d *dummy) Keys() help.KeyMap { return dummyKeys{d.c.Keys} }
func (d *dummy) Title() string     { return "Dummy" }
func (d *dummy) Status() string    { return "" }
func (d *dummy) Resize() tea.Cmd   { return nil }
func (d *dummy) Relang() tea.Cmd   { return nil }
func (d *dummy) Close()            { d.shut = true }

// A screen is pushed by a message, takes the keys while on top, and esc
// closes it, back to the screen below with its state.
func TestPushAndPopScreen(t *testing.T) {
	m := newTestModel(t, nil)
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}, keys("j")[0])
	cursor := m.stack[0].(*home).list.Index()
	d := &dummy{c: m.c}
	send(t, m, pushMsg{d})
	if m.top() != d || !strings.Contains(m.View(), "nnlab · Dummy") || !strings.Contains(m.View(), "dummy") {
		t.Fatalf("the pushed screen is not shown:\n%s", m.View())
	}
	send(t, m, keys("x", "y")...)
	if d.keys != 2 {
		t.Errorf("the screen on top got %d keys, want 2", d.keys)
	}
	send(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	if m.top() != m.stack[0] || len(m.stack) != 1 || !d.shut {
		t.Fatalf("esc did not close the screen (stack %d, closed %v)", len(m.stack), d.shut)
	}
	if got := m.stack[0].(*home).list.Index(); got != cursor {
		t.Errorf("the lesson list's cursor moved from %d to %d", cursor, got)
	}
	send(t, m, tea.KeyMsg{Type: tea.KeyEsc}, backMsg{})
	if len(m.stack) != 1 {
		t.Error("the first screen was closed")
	}
}

// What a learner does reaches the session's listener: the lesson opened,
// the cell focused and run, the exercise judged.
func TestActivity(t *testing.T) {
	var got []Activity
	m := New(Options{Library: lessons.NewLibrary(testLessons(t)...), Lang: "en", Renderer: plainRenderer(), Dark: true,
		Activity: func(a Activity) { got = append(got, a) }})
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	send(t, m, keys("enter", "tab", "enter")...)
	var kinds []string
	for _, a := range got {
		kinds = append(kinds, a.Kind)
		if a.Lesson != "t" || a.At.IsZero() {
			t.Errorf("activity %+v", a)
		}
	}
	if strings.Join(kinds, ",") != "lesson,cell,run,exercise" {
		t.Errorf("activities %v, want lesson, cell, run, exercise", kinds)
	}
	if ex := got[len(got)-1]; ex.OK || ex.Detail != "set k to 5" {
		t.Errorf("the failed exercise: %+v", ex)
	}
}

// colourSGR matches an escape that sets a foreground or background colour.
var colourSGR = regexp.MustCompile(`\x1b\[(?:[0-9]+;)*?(?:3[0-7]|9[0-7]|4[0-7]|10[0-7]|38|48)[;m]`)
