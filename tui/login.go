package tui

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/tui/report"
	"github.com/nnlab/nnlab/tui/state"
	"github.com/nnlab/nnlab/tui/workshop"
)

// Login is a learner found (or made) by the name they typed.
type Login struct {
	Store *state.Store
	Name  string // the name as kept (workshop.CleanName)
	Again bool   // a learner known before: they continue where they were
}

// The login screen asks for a name in one of three ways.
type loginMode int

const (
	loginByName loginMode = iota // a learner without a key: the name opens their progress
	loginFirst                   // a key's new owner: asked once, kept with the key
	loginRename                  // a learner changing their name (esc keeps it)
)

// loginScreen asks a learner for their name: one who came without an SSH
// key (the name opens their progress, kept under it), a key's new owner
// (once), or a learner who changes it.
type loginScreen struct {
	c       *Common
	mode    loginMode
	input   textinput.Model
	open    func(string) (Login, error)
	problem string
	busy    bool
}

type loggedInMsg struct {
	mode  loginMode
	login Login
	err   error
}

func newLoginScreen(c *Common, mode loginMode, open func(string) (Login, error)) *loginScreen {
	in := c.Styles.TextInput()
	in.Prompt = "> "
	in.CharLimit = workshop.MaxName
	if mode == loginRename {
		in.SetValue(c.Name)
	}
	in.Focus()
	return &loginScreen{c: c, mode: mode, input: in, open: open}
}

type loginKeys struct {
	k      KeyMap
	cancel bool
}

func (l loginKeys) ShortHelp() []key.Binding {
	if l.cancel {
		return []key.Binding{l.k.Confirm, l.k.Cancel}
	}
	return []key.Binding{l.k.Confirm}
}
func (l loginKeys) FullHelp() [][]key.Binding { return [][]key.Binding{l.ShortHelp()} }

func (l *loginScreen) Title() string     { return T(l.c.Lang, "login_title") }
func (l *loginScreen) Status() string    { return "" }
func (l *loginScreen) Keys() help.KeyMap { return loginKeys{l.c.Keys, l.mode == loginRename} }
func (l *loginScreen) Resize() tea.Cmd   { return nil }
func (l *loginScreen) Relang() tea.Cmd   { return nil }
func (l *loginScreen) Close()            {}
func (l *loginScreen) Editing() bool     { return true }

func (l *loginScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loggedInMsg:
		l.busy = false
		if msg.err != nil {
			l.problem = T(l.c.Lang, "login_failed")
			if errors.Is(msg.err, workshop.ErrNameTaken) {
				l.problem = T(l.c.Lang, "login_taken")
			}
			return nil
		}
		return l.loggedIn(msg)
	case tea.KeyMsg:
		if l.busy {
			return nil
		}
		switch {
		case msg.Type == tea.KeyEsc && l.mode == loginRename:
			return back
		case msg.Type == tea.KeyEnter:
			name := workshop.CleanName(l.input.Value())
			if p := workshop.CheckName(name); p != "" {
				l.problem = T(l.c.Lang, p)
				return nil
			}
			l.busy, l.problem = true, ""
			open, mode := l.open, l.mode
			return func() tea.Msg { lg, err := open(name); return loggedInMsg{mode, lg, err} }
		}
		var cmd tea.Cmd
		l.input, cmd = l.input.Update(msg)
		l.problem = ""
		return cmd
	}
	return nil
}

// loggedIn takes the learner in: their progress and language (by name),
// the notice that they continue, and — on arrival — the lesson they read
// last, at their place.
func (l *loginScreen) loggedIn(msg loggedInMsg) tea.Cmd {
	c := l.c
	c.Name = msg.login.Name
	if msg.mode == loginByName {
		c.Store = msg.login.Store
		c.Lang = orLang(msg.login.Store.Lang(), c.Lang)
	}
	cmds := []tea.Cmd{back, func() tea.Msg { return relangMsg{} }}
	if msg.login.Again {
		name := msg.login.Name
		cmds = append(cmds, func() tea.Msg { return NoticeMsg{ID: "login_again", Args: []any{name}} })
	}
	if msg.mode != loginRename {
		if id := c.Store.LastLesson(); id != "" {
			if _, ok := c.Library.Lookup(id, c.Lang); ok {
				cmds = append(cmds, openLesson(id))
			}
		}
	}
	return tea.Sequence(cmds...)
}

func (l *loginScreen) View(h int) string {
	st, w := l.c.Styles, max(20, min(l.c.Width-4, 80))
	lines := []string{"", "  " + st.Title.Render(T(l.c.Lang, "login_title")), ""}
	prompt := map[loginMode]string{loginByName: "login_prompt", loginFirst: "login_prompt_key", loginRename: "login_prompt_rename"}[l.mode]
	for _, s := range strings.Split(report.Wrap(T(l.c.Lang, prompt), w), "\n") {
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
