package tui

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/tui/report"
	"github.com/nnlab/nnlab/tui/state"
)

// maxName is the longest learner name, in runes.
const maxName = 40

// loginScreen asks a learner who came without an SSH key for a name; the
// name opens their progress, kept under it.
type loginScreen struct {
	c       *Common
	input   textinput.Model
	open    func(string) (*state.Store, error)
	problem string
	busy    bool
}

type loggedInMsg struct {
	store *state.Store
	err   error
}

func newLoginScreen(c *Common, open func(string) (*state.Store, error)) *loginScreen {
	in := c.Styles.TextInput()
	in.Prompt = "> "
	in.CharLimit = maxName
	in.Focus()
	return &loginScreen{c: c, input: in, open: open}
}

type loginKeys struct{ k KeyMap }

func (l loginKeys) ShortHelp() []key.Binding  { return []key.Binding{l.k.Confirm} }
func (l loginKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{l.k.Confirm}} }

func (l *loginScreen) Title() string     { return T(l.c.Lang, "login_title") }
func (l *loginScreen) Status() string    { return "" }
func (l *loginScreen) Keys() help.KeyMap { return loginKeys{l.c.Keys} }
func (l *loginScreen) Resize() tea.Cmd   { return nil }
func (l *loginScreen) Relang() tea.Cmd   { return nil }
func (l *loginScreen) Close()            {}
func (l *loginScreen) Editing() bool     { return true }

// checkName says what is wrong with a name, or "".
func checkName(name string) string {
	if name == "" || len([]rune(name)) > maxName {
		return "login_bad_length"
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return "login_bad_char"
		}
	}
	return ""
}

func (l *loginScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loggedInMsg:
		l.busy = false
		if msg.err != nil {
			l.problem = msg.err.Error()
			return nil
		}
		l.c.Store = msg.store
		l.c.Lang = orLang(msg.store.Lang(), l.c.Lang)
		return tea.Batch(back, func() tea.Msg { return relangMsg{} })
	case tea.KeyMsg:
		if l.busy {
			return nil
		}
		if msg.Type == tea.KeyEnter {
			name := strings.TrimSpace(l.input.Value())
			if p := checkName(name); p != "" {
				l.problem = T(l.c.Lang, p)
				return nil
			}
			l.busy, l.problem = true, ""
			open := l.open
			return func() tea.Msg { s, err := open(name); return loggedInMsg{s, err} }
		}
		var cmd tea.Cmd
		l.input, cmd = l.input.Update(msg)
		l.problem = ""
		return cmd
	}
	return nil
}

func (l *loginScreen) View(h int) string {
	st, w := l.c.Styles, max(20, min(l.c.Width-4, 80))
	lines := []string{"", "  " + st.Title.Render(T(l.c.Lang, "login_title")), ""}
	for _, s := range strings.Split(report.Wrap(T(l.c.Lang, "login_prompt"), w), "\n") {
		lines = append(lines, "  "+s)
	}
	lines = append(lines, "", "  "+l.input.View())
	if l.problem != "" {
		lines = append(lines, "  "+st.Error.Render("✗ "+l.problem))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:h], "\n")
}

// orLang is lang when it is one nnlab has, else fallback.
func orLang(lang, fallback string) string {
	if CheckLang(lang) == nil {
		return lang
	}
	return fallback
}
