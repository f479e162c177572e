package tui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/lessons"

	"github.com/nnlab/nnlab/tui/state"
	"github.com/nnlab/nnlab/tui/terminal"
)

// TestBackgroundDecision: a flag, then the learner's choice, then the
// environment, then the terminal's answer; a terminal that does not answer
// is remembered and never asked again; ctrl+c while asking stops.
func TestBackgroundDecision(t *testing.T) {
	env := func(kv ...string) func(string) (string, bool) {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	white := terminal.Replies{Color: [3]float64{1, 1, 1}, HasColor: true, Cursor: true}
	xterm := env("TERM", "xterm-256color")
	asks := 0
	answer := func(r terminal.Replies, err error) func() (terminal.Replies, error) {
		return func() (terminal.Replies, error) { asks++; return r, err }
	}
	chosen := state.Memory()
	chosen.SetTheme("light")
	for _, c := range []struct {
		name   string
		theme  string
		store  *state.Store
		env    func(string) (string, bool)
		ask    func() (terminal.Replies, error)
		dark   bool
		source terminal.Source
		asked  int
	}{
		{"flag dark", "dark", state.Memory(), xterm, answer(white, nil), true, terminal.Chosen, 0},
		{"flag light", "light", state.Memory(), xterm, answer(white, nil), false, terminal.Chosen, 0},
		{"the learner's choice", "", chosen, xterm, answer(terminal.Replies{Cursor: true}, nil), false, terminal.Chosen, 0},
		{"auto forgets the choice", "auto", chosen, xterm, answer(terminal.Replies{Color: [3]float64{0, 0, 0}, HasColor: true}, nil), true, terminal.Reply, 1},
		{"COLORFGBG", "", state.Memory(), env("TERM", "xterm", "COLORFGBG", "0;15"), answer(white, nil), false, terminal.Env, 0},
		{"the console", "", state.Memory(), env("TERM", "linux"), answer(white, nil), true, terminal.Env, 0},
		{"the reply", "", state.Memory(), xterm, answer(white, nil), false, terminal.Reply, 1},
		{"tmux is not asked", "", state.Memory(), env("TERM", "tmux-256color"), answer(white, nil), true, terminal.Assumed, 0},
		{"SSH: never asked", "", state.Memory(), xterm, nil, true, terminal.Assumed, 0},
		{"not a terminal", "", state.Memory(), xterm, answer(terminal.Replies{}, terminal.ErrNotAsked), true, terminal.Assumed, 1},
	} {
		asks = 0
		b, err := Background(c.theme, c.store, c.env, c.ask)
		if err != nil || b.Dark != c.dark || b.Source != c.source || asks != c.asked {
			t.Errorf("%s: got dark=%v source=%v asked %d (err %v), want dark=%v source=%v asked %d", c.name, b.Dark, b.Source, asks, err, c.dark, c.source, c.asked)
		}
	}

	// Silent: asked once, remembered, not asked again (and still dark).
	st := state.Memory()
	asks = 0
	for range 2 {
		b, err := Background("", st, xterm, answer(terminal.Replies{Cursor: true}, nil))
		if err != nil || !b.Dark {
			t.Fatalf("silent terminal: dark=%v err=%v", b.Dark, err)
		}
	}
	if asks != 1 || !st.Silent(TerminalID(xterm)) {
		t.Errorf("a terminal without an answer was asked %d times (want 1), remembered %v", asks, st.Silent(TerminalID(xterm)))
	}
	// Another kind of terminal is asked.
	if _, err := Background("", st, env("TERM", "xterm-256color", "TERM_PROGRAM", "WezTerm"), answer(white, nil)); err != nil || asks != 2 {
		t.Errorf("another terminal was not asked (asks %d, err %v)", asks, err)
	}

	if _, err := Background("", state.Memory(), xterm, answer(terminal.Replies{Interrupt: true}, nil)); !errors.Is(err, ErrInterrupted) {
		t.Errorf("ctrl+c while asking: err %v, want ErrInterrupted", err)
	}
	if _, err := Background("blue", state.Memory(), xterm, nil); err == nil {
		t.Errorf("theme blue accepted")
	}
}

// TestThemeKey: T swaps dark and light colours on every screen, says so,
// and is remembered for the next start.
func TestThemeKey(t *testing.T) {
	st := state.Memory()
	r := plainRenderer()
	r.SetColorProfile(termenv.TrueColor)
	m := New(Options{Library: lessons.NewLibrary(testLessons(t)...), Lang: "en", Store: st, Renderer: r, Dark: true})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	before := m.View()
	cmd := m.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'T'}})
	for _, msg := range drain(cmd) {
		m.Update(msg)
	}
	if m.c.Styles.Dark || st.Theme() != "light" {
		t.Fatalf("after T: dark=%v, remembered %q", m.c.Styles.Dark, st.Theme())
	}
	if after := m.View(); after == before || !strings.Contains(after, "light background") {
		t.Errorf("the screen did not change to light colours or say so:\n%s", after)
	}
	if o, err := NewOptions(Env{Store: st}, Settings{}); err != nil || o.Dark {
		t.Errorf("the next start is not light (err %v)", err)
	}
	m.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'T'}})
	if !m.c.Styles.Dark || st.Theme() != "dark" {
		t.Errorf("T again: dark=%v, remembered %q", m.c.Styles.Dark, st.Theme())
	}
}

// drain runs a command and the batches it returns, collecting messages
// (ticks and other slow commands are skipped).
func drain(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(2 * time.Second):
		return nil
	}
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, drain(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// TestNoColorKeepsAttributes: NO_COLOR turns colour off, not bold or
// reverse video (no-color.org): the header bar and the selection still
// show, and no colour is drawn.
func TestNoColorKeepsAttributes(t *testing.T) {
	vars := map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"}
	lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	o, err := NewOptions(Env{LookupEnv: lookup, Out: &strings.Builder{}}, Settings{Library: lessons.NewLibrary(testLessons(t)...), Theme: "dark"})
	if err != nil {
		t.Fatal(err)
	}
	if !o.NoColor || o.Renderer.ColorProfile() != termenv.ANSI {
		t.Fatalf("NO_COLOR: NoColor=%v profile %v", o.NoColor, o.Renderer.ColorProfile())
	}
	m := New(o)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	v := m.View()
	if !strings.Contains(v, "\x1b[7m") {
		t.Errorf("no reverse video under NO_COLOR:\n%q", v)
	}
	if c := colourSGR.FindString(v); c != "" {
		t.Errorf("a colour under NO_COLOR: %q", c)
	}
}
