package tui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/tui/workshop"
)

// maxNotice is the longest message to the room, in runes.
const maxNotice = 200

// sentMsg is the end of sending a notice to the room.
type sentMsg struct {
	id  string // the message that says it was sent
	arg string
	err error
}

func sendNotice(room Room, n workshop.Notice, id, arg string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return sentMsg{id, arg, room.Send(ctx, n)}
	}
}

// sent closes the screen and says so (or shows why not).
func sent(msg sentMsg, problem *string, lang string) tea.Cmd {
	if msg.err != nil {
		*problem = msg.err.Error()
		return nil
	}
	return tea.Sequence(back, func() tea.Msg { return NoticeMsg{ID: msg.id, Args: []any{msg.arg}} })
}

// messageScreen writes a message to every learner, in English, Korean or
// both: each learner sees it in their language when the instructor wrote
// it in both.
type messageScreen struct {
	c       *Common
	room    Room
	inputs  [2]textinput.Model // en, ko
	focus   int
	problem string
}

func newMessageScreen(c *Common, room Room) *messageScreen {
	s := &messageScreen{c: c, room: room}
	for i := range s.inputs {
		in := c.Styles.TextInput()
		in.Prompt = []string{"English > ", "한국어  > "}[i]
		in.CharLimit = maxNotice
		s.inputs[i] = in
	}
	s.inputs[0].Focus()
	return s
}

type sendKeys struct{ k KeyMap }

func (sk sendKeys) ShortHelp() []key.Binding {
	return []key.Binding{sk.k.NextCell, sk.k.Confirm, sk.k.Cancel}
}
func (sk sendKeys) FullHelp() [][]key.Binding { return [][]key.Binding{sk.ShortHelp()} }

func (s *messageScreen) Title() string     { return T(s.c.Lang, "class_message_title") }
func (s *messageScreen) Status() string    { return "" }
func (s *messageScreen) Keys() help.KeyMap { return sendKeys{s.c.Keys} }
func (s *messageScreen) Resize() tea.Cmd {
	for i := range s.inputs {
		s.inputs[i].Width = max(10, s.c.Width-14)
	}
	return nil
}
func (s *messageScreen) Relang() tea.Cmd { return nil }
func (s *messageScreen) Close()          {}
func (s *messageScreen) Editing() bool   { return true }

func (s *messageScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case sentMsg:
		return sent(msg, &s.problem, s.c.Lang)
	case tea.KeyMsg:
		switch msg.Type {
		case tea.KeyEsc:
			return back
		case tea.KeyTab, tea.KeyShiftTab, tea.KeyUp, tea.KeyDown:
			s.inputs[s.focus].Blur()
			s.focus = 1 - s.focus
			s.inputs[s.focus].Focus()
			return nil
		case tea.KeyEnter:
			n := workshop.Notice{EN: oneLine(s.inputs[0].Value()), KO: oneLine(s.inputs[1].Value())}
			if n.EN == "" && n.KO == "" {
				s.problem = T(s.c.Lang, "class_message_empty")
				return nil
			}
			return sendNotice(s.room, n, "class_message_sent", "")
		}
		var cmd tea.Cmd
		s.inputs[s.focus], cmd = s.inputs[s.focus].Update(msg)
		s.problem = ""
		return cmd
	}
	return nil
}

func oneLine(s string) string { return workshop.CleanName(s) }

func (s *messageScreen) View(h int) string {
	st := s.c.Styles
	lines := []string{"", "  " + st.Title.Render(T(s.c.Lang, "class_message_title")), ""}
	lines = append(lines, wrapIndented(T(s.c.Lang, "class_message_prompt"), max(20, s.c.Width-4), "")...)
	for i := range lines[3:] {
		lines[3+i] = "  " + lines[3+i]
	}
	lines = append(lines, "", "  "+s.inputs[0].View(), "  "+s.inputs[1].View())
	if s.problem != "" {
		lines = append(lines, "  "+st.Error.Render("✗ "+s.problem))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:h], "\n")
}

// openAllScreen picks a lesson to open for everyone: each learner is
// offered it, and opens it with one key.
type openAllScreen struct {
	c       *Common
	room    Room
	ids     []string
	titles  []string
	sel     int
	problem string
}

func newOpenAllScreen(c *Common, room Room) *openAllScreen {
	s := &openAllScreen{c: c, room: room}
	for _, l := range c.Library.List(c.Lang) {
		s.ids = append(s.ids, l.ID)
		s.titles = append(s.titles, l.Title)
	}
	return s
}

type pickKeys struct{ k KeyMap }

func (pk pickKeys) ShortHelp() []key.Binding {
	return []key.Binding{pk.k.Down, pk.k.Up, pk.k.Confirm, pk.k.Cancel}
}
func (pk pickKeys) FullHelp() [][]key.Binding { return [][]key.Binding{pk.ShortHelp()} }

func (s *openAllScreen) Title() string     { return T(s.c.Lang, "class_open_title") }
func (s *openAllScreen) Status() string    { return "" }
func (s *openAllScreen) Keys() help.KeyMap { return pickKeys{s.c.Keys} }
func (s *openAllScreen) Resize() tea.Cmd   { return nil }
func (s *openAllScreen) Relang() tea.Cmd   { return nil }
func (s *openAllScreen) Close()            {}

func (s *openAllScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.c.Keys
	switch msg := msg.(type) {
	case sentMsg:
		return sent(msg, &s.problem, s.c.Lang)
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Down):
			s.sel = min(s.sel+1, max(0, len(s.ids)-1))
		case key.Matches(msg, k.Up):
			s.sel = max(s.sel-1, 0)
		case key.Matches(msg, k.Confirm) && s.sel < len(s.ids):
			return sendNotice(s.room, workshop.Notice{Lesson: s.ids[s.sel]}, "class_open_sent", s.titles[s.sel])
		case key.Matches(msg, k.Cancel):
			return back
		}
	}
	return nil
}

func (s *openAllScreen) View(h int) string {
	st := s.c.Styles
	lines := []string{"", "  " + st.Title.Render(T(s.c.Lang, "class_open_title")), ""}
	for _, l := range wrapIndented(T(s.c.Lang, "class_open_prompt"), max(20, s.c.Width-4), "") {
		lines = append(lines, "  "+l)
	}
	lines = append(lines, "")
	for i, t := range s.titles {
		cur := "  "
		if i == s.sel {
			cur = "› "
		}
		lines = append(lines, "  "+cur+truncate(t, max(10, s.c.Width-6)))
	}
	if s.problem != "" {
		lines = append(lines, "  "+st.Error.Render("✗ "+s.problem))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	if len(lines) > h { // keep the selection in view
		start := max(0, min(len(lines)-h, 5+s.sel-h/2))
		lines = lines[start : start+h]
	}
	return strings.Join(lines[:h], "\n")
}
