package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/nnlab/nnlab/core/quiz"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/report"
	"github.com/nnlab/nnlab/tui/state"
	"github.com/nnlab/nnlab/tui/workshop"
)

// MinWidth and MinHeight are the smallest terminal nnlab lays out in.
const (
	MinWidth  = 60
	MinHeight = 16
)

// Common is what every screen of one session shares: size, styles, keys,
// language, the learner's state and the lessons. There is one per session
// and nothing of it is process-wide.
type Common struct {
	Width, Height int
	Styles        *Styles
	Keys          KeyMap
	Lang          string
	Store         *state.Store
	Library       *lessons.Library
	prose         *proseCache
	runner        *lessons.Runner // computes the values prose refers to, cached
	gen           int64           // numbers the session's notebooks, so stale messages are dropped
	fmtDuration   func(time.Duration) string
	quizSeed      uint64               // a room's practice quiz (0: each learner's own)
	activity      func(workshop.Event) // what the learner does, for a workshop (nil: nobody listens)
	heavy         Slots                // one heavy computation at a time in this session
	oneAtATime    bool                 // every computation takes that slot (a server's session)
	shared        Slots                // the computations of every session of a server (nil: no cap)
	// Name is the learner's name in a workshop ("" elsewhere); rename,
	// when set, changes it (the lesson list's n).
	Name   string
	rename func(string) (string, error)
}

// renameLogin is c.rename as the login screen calls it.
func (c *Common) renameLogin(name string) (Login, error) {
	n, err := c.rename(name)
	return Login{Name: n}, err
}

// nextGen is a new notebook generation.
func (c *Common) nextGen() int64 { c.gen++; return c.gen }

// save writes the state file off the Update loop.
func (c *Common) save() tea.Cmd {
	st := c.Store
	return func() tea.Msg { return savedMsg{err: st.Save()} }
}

// NoticeMsg shows a one-line notice above the footer until the next key
// (a server's "shutting down", an idle warning): message ID of the catalog
// in the session's language, its fmt verbs filled with Args.
type NoticeMsg struct {
	ID   string
	Args []any
}

// relangMsg redraws every screen in the session's language (and with its
// learner's progress).
type relangMsg struct{}

// Model is the whole app of one session: a stack of screens under a header
// and above a footer.
type Model struct {
	c         *Common
	stack     []Screen // stack[0] is the lesson list; the top one is shown
	help      help.Model
	showHelp  bool
	notice    string
	open      string
	quiz      []quiz.Question // a quiz to open on start
	askName   func(string) (Login, error)
	nameFirst bool
	invite    string // a lesson the instructor opened for everyone, until taken up
	quitting  bool
	frame     string // the screen, composed at the end of each Update
}

// New builds the app.
func New(o Options) *Model {
	r := o.Renderer
	if r == nil {
		r = lipgloss.NewRenderer(nil)
	}
	st := o.Store
	if st == nil {
		st = state.Memory()
	}
	lib := o.Library
	if lib == nil {
		lib = &lessons.Library{}
	}
	c := &Common{
		Width: 80, Height: 24,
		Styles:      newStyles(r, o.Dark, o.NoColor),
		Lang:        o.Lang,
		Store:       st,
		Library:     lib,
		prose:       newProseCache(r),
		runner:      lessons.NewRunner(),
		fmtDuration: o.FormatDuration,
		heavy:       NewSlots(1),
		activity:    o.Activity,
		oneAtATime:  o.OneAtATime,
		shared:      o.Compute,
		Name:        o.Name,
		rename:      o.Rename,
	}
	if o.Width > 0 && o.Height > 0 {
		c.Width, c.Height = o.Width, o.Height
	}
	// The values in a lesson's text take slots like its cells do, and step
	// aside as nnlab's own cell runs do (see Slots).
	c.runner.Gate = func(ctx context.Context, heavy bool) (context.Context, func(), error) {
		return acquireRun(ctx, func() {}, false, c.runSlots(heavy)...)
	}
	if c.fmtDuration == nil {
		c.fmtDuration = fmtDuration
	}
	if CheckLang(c.Lang) != nil {
		c.Lang = lessons.FallbackLang
	}
	c.Keys = DefaultKeyMap(c.Lang)
	m := &Model{c: c, help: c.Styles.Help(), notice: locale.Text(c.Lang, o.Notice), open: o.Open, quiz: o.Quiz, askName: o.AskName,
		nameFirst: o.NameFirst && o.Rename != nil}
	if o.LoadErrors > 0 {
		m.notice = strings.TrimSpace(m.notice + "  " + fmt.Sprintf(T(c.Lang, "lesson_errors"), o.LoadErrors))
	}
	m.help.Width = c.Width
	c.quizSeed = o.QuizSeed
	m.stack = []Screen{newHome(c)}
	switch { // a name asked first is the first thing shown
	case o.Room != nil:
		m.stack = []Screen{newClassScreen(c, o.Room)}
	case m.askName != nil:
		m.stack = append(m.stack, newLoginScreen(c, loginByName, m.askName))
	case m.nameFirst:
		m.stack = append(m.stack, newLoginScreen(c, loginFirst, c.renameLogin))
	}
	return m
}

// Init opens the lesson asked for on the command line, if any.
func (m *Model) Init() tea.Cmd {
	if _, ok := m.stack[0].(*classScreen); ok {
		return m.stack[0].(*classScreen).refresh()
	}
	switch {
	case m.askName != nil, m.nameFirst: // the login screen is up (New)
		return nil
	case len(m.quiz) > 0:
		return push(newQuizScreen(m.c, m.quiz, quizFrom{}))
	case m.open != "":
		return openLesson(m.open)
	}
	// Back where the learner left off: the lesson read last, at its place.
	if id := m.c.Store.LastLesson(); id != "" {
		if _, ok := m.c.Library.Lookup(id, m.c.Lang); ok {
			return openLesson(id)
		}
	}
	return nil
}

// top is the screen shown.
func (m *Model) top() Screen { return m.stack[len(m.stack)-1] }

func (m *Model) tooSmall() bool { return m.c.Width < MinWidth || m.c.Height < MinHeight }

// Update handles a message, then composes the screen that View returns.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.frame = m.compose()
	return m, cmd
}

// update handles screen changes and global keys, and hands the rest to the
// screen on top.
func (m *Model) update(msg tea.Msg) tea.Cmd {
	// Keys typed faster than the terminal is read arrive as one message
	// ("jjj"); outside a text field, take them one at a time.
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyRunes && len(k.Runes) > 1 && !k.Paste && !m.editing() {
		var cmds []tea.Cmd
		for _, r := range k.Runes {
			cmds = append(cmds, m.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt}))
		}
		return tea.Batch(cmds...)
	}
	k := m.c.Keys
	switch msg := msg.(type) {
	case openLessonMsg:
		l, ok := m.c.Library.Lookup(msg.id, m.c.Lang)
		if !ok {
			return nil
		}
		nb, cmd := newNotebook(m.c, l)
		return tea.Batch(cmd, m.pushScreen(nb))
	case pushMsg:
		return m.pushScreen(msg.screen)
	case backMsg:
		return m.pop()
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.help.Width = msg.Width
		var cmds []tea.Cmd
		for _, s := range m.stack {
			cmds = append(cmds, s.Resize())
		}
		return tea.Batch(cmds...)
	case savedMsg:
		if msg.err != nil {
			m.notice = msg.err.Error()
		}
		return nil
	case NoticeMsg:
		m.notice = fmt.Sprintf(T(m.c.Lang, msg.ID), msg.Args...)
		return nil
	case RoomNoticeMsg:
		if t := msg.Notice.Text(m.c.Lang); t != "" {
			m.notice = fmt.Sprintf(T(m.c.Lang, "room_notice"), t)
		}
		if id := msg.Notice.Lesson; id != "" {
			if _, ok := m.c.Library.Lookup(id, m.c.Lang); ok && m.askName == nil || ok && m.c.Name != "" {
				m.invite = id
			}
		}
		return nil
	case relangMsg: // the session's language or learner changed
		m.c.Keys = DefaultKeyMap(m.c.Lang)
		var cmds []tea.Cmd
		for _, s := range m.stack {
			cmds = append(cmds, s.Relang())
		}
		return tea.Batch(cmds...)
	case tea.KeyMsg:
		m.notice = "" // read once: the next key clears it
		if msg.String() == "ctrl+c" {
			return m.quit()
		}
		if panicKey != "" && msg.String() == panicKey {
			panic("the test's panic key")
		}
		if !m.editing() {
			switch {
			case m.showHelp && (key.Matches(msg, k.Help) || key.Matches(msg, k.Cancel) || key.Matches(msg, k.Back)):
				m.showHelp = false
				return nil
			case m.showHelp:
				return nil
			case key.Matches(msg, k.Help):
				m.showHelp = true
				return nil
			case key.Matches(msg, k.Quit):
				return m.quit()
			case m.invite != "" && key.Matches(msg, k.Accept):
				return m.acceptInvite()
			case key.Matches(msg, k.Lang):
				return m.switchLang()
			case key.Matches(msg, k.Theme):
				return m.switchTheme()
			case len(m.stack) > 1 && key.Matches(msg, k.Back):
				return m.pop()
			}
		}
		if m.tooSmall() {
			return nil
		}
	}
	return m.top().Update(msg)
}

// acceptInvite opens the lesson the instructor opened for everyone, from
// the lesson list (or stays, when it is open already).
func (m *Model) acceptInvite() tea.Cmd {
	id := m.invite
	m.invite = ""
	if nb, ok := m.top().(*notebook); ok && nb.lesson.ID == id {
		return nil
	}
	var cmds []tea.Cmd
	for len(m.stack) > 1 {
		cmds = append(cmds, m.pop())
	}
	return tea.Sequence(tea.Batch(cmds...), openLesson(id))
}

// pushScreen shows s on top, sized for the session.
func (m *Model) pushScreen(s Screen) tea.Cmd {
	m.stack = append(m.stack, s)
	return s.Resize()
}

// pop closes the top screen; the first one stays.
func (m *Model) pop() tea.Cmd {
	if len(m.stack) < 2 {
		return nil
	}
	closed := m.top()
	closed.Close()
	m.stack = m.stack[:len(m.stack)-1]
	save := m.c.save() // what the closed screen remembered (a reading place)
	if r, ok := m.top().(resumer); ok {
		return tea.Batch(r.Resume(closed), save)
	}
	return save
}

// editing reports whether a text field has the keys.
func (m *Model) editing() bool {
	e, ok := m.top().(editor)
	return ok && e.Editing()
}

func (m *Model) quit() tea.Cmd {
	for len(m.stack) > 1 {
		m.pop()
	}
	m.quitting = true
	_ = m.c.Store.Save() // last chance; each change was already saved
	return tea.Quit
}

// Leave saves what the session's screens remember — a lesson's reading
// place — when the app ended without the learner quitting (a dropped
// connection), so that they come back to it. Call it only once the program
// has stopped.
func (m *Model) Leave() {
	for len(m.stack) > 1 {
		m.pop()
	}
	_ = m.c.Store.Save()
}

// switchLang moves to the next of lessons.Languages; every screen redraws
// itself in it (a notebook reopens its lesson in that language, keeping its
// values, selection and place).
func (m *Model) switchLang() tea.Cmd {
	langs := lessons.Languages
	i := 0
	for j, l := range langs {
		if l == m.c.Lang {
			i = j
		}
	}
	m.c.Lang = langs[(i+1)%len(langs)]
	m.c.Store.SetLang(m.c.Lang)
	m.c.Keys = DefaultKeyMap(m.c.Lang)
	cmds := []tea.Cmd{m.c.save()}
	for _, s := range m.stack {
		cmds = append(cmds, s.Relang())
	}
	return tea.Batch(cmds...)
}

// switchTheme swaps the colours between a dark and a light background and
// remembers the learner's choice (T): for a terminal nnlab could not ask,
// or one it read wrong. Every screen redraws in the new colours.
func (m *Model) switchTheme() tea.Cmd {
	dark := !m.c.Styles.Dark
	r := m.c.Styles.R
	r.SetHasDarkBackground(dark)
	m.c.Styles = newStyles(r, dark, m.c.Styles.NoColor)
	m.help.Styles = m.c.Styles.Help().Styles
	theme := "light"
	if dark {
		theme = "dark"
	}
	m.c.Store.SetTheme(theme)
	cmds := []tea.Cmd{m.c.save(), func() tea.Msg { return NoticeMsg{ID: "theme_" + theme} }}
	for _, s := range m.stack {
		cmds = append(cmds, s.Relang())
	}
	return tea.Batch(cmds...)
}

// View returns the screen Update composed.
func (m *Model) View() string {
	if m.frame == "" {
		m.frame = m.compose()
	}
	return m.frame
}

// compose lays out header, body and footer from what Update prepared.
func (m *Model) compose() string {
	if m.quitting {
		return ""
	}
	c := m.c
	if m.tooSmall() {
		msg := fmt.Sprintf(T(c.Lang, "too_small"), c.Width, c.Height, MinWidth, MinHeight)
		return lipgloss.Place(c.Width, c.Height, lipgloss.Center, lipgloss.Center,
			c.Styles.Warn.Render(c.Styles.R.NewStyle().Width(max(10, c.Width-2)).Align(lipgloss.Center).Render(msg)))
	}
	s := m.top()
	keys := s.Keys()
	header := m.header(s)
	footer := m.footer(s, keys)
	h := c.Height - lipgloss.Height(header) - lipgloss.Height(footer)
	var body string
	if m.showHelp {
		body = m.helpView(keys, h)
	} else {
		body = s.View(h)
	}
	return header + "\n" + body + "\n" + footer
}

func (m *Model) header(s Screen) string {
	c := m.c
	left := "nnlab"
	if t := s.Title(); t != "" {
		left += " · " + t
	}
	right := T(c.Lang, "lang_name")
	if st := s.Status(); st != "" {
		right = st + "  " + right
	}
	w := c.Width - 2 // Header's padding
	left = truncate(left, max(1, w-lipgloss.Width(right)-2))
	gap := max(1, w-lipgloss.Width(left)-lipgloss.Width(right))
	return c.Styles.Header.Width(c.Width).Render(left + strings.Repeat(" ", gap) + right)
}

func (m *Model) footer(s Screen, keys help.KeyMap) string {
	c := m.c
	pos := ""
	if p, ok := s.(positioner); ok {
		pos = " " + p.Position()
	}
	f := m.shortHelp(keys.ShortHelp(), c.Width-lipgloss.Width(pos)-1)
	if pos != "" {
		f = truncate(f, c.Width-lipgloss.Width(pos)-1)
		f += strings.Repeat(" ", max(1, c.Width-lipgloss.Width(f)-lipgloss.Width(pos))) + c.Styles.Subtle.Render(pos)
	}
	f = truncate(f, c.Width)
	if m.invite != "" {
		title := m.invite
		if l, ok := c.Library.Lookup(m.invite, c.Lang); ok {
			title = l.Title
		}
		f = c.Styles.Warn.Render(truncate(fmt.Sprintf(T(c.Lang, "room_invite"), title), c.Width)) + "\n" + f
	}
	if m.notice != "" { // whole, on as many lines as it takes: it may name a file
		n := xansi.Hardwrap(report.Wrap(m.notice, c.Width), c.Width, true)
		f = c.Styles.Warn.Render(n) + "\n" + f
	}
	return f
}

// shortHelp is the footer's keys within w columns: the keys that do not
// fit are left out from the end, but "? help", which names all the rest,
// is always kept.
func (m *Model) shortHelp(bs []key.Binding, w int) string {
	hm := m.help
	hm.Width = 0 // whole keys only: none is cut to "…"
	helpKey := m.c.Keys.Help.Help().Key
	for len(bs) > 1 && lipgloss.Width(hm.ShortHelpView(bs)) > w {
		drop := len(bs) - 1
		if bs[drop].Help().Key == helpKey {
			drop--
		}
		bs = slices.Delete(slices.Clone(bs), drop, drop+1)
	}
	return hm.ShortHelpView(bs)
}

func (m *Model) helpView(keys help.KeyMap, h int) string {
	c := m.c
	hm := m.help
	hm.ShowAll = true
	hm.Width = 0 // lay out in full; rows below keep it within the width
	// As many key groups side by side as fit; the rest on rows below.
	groups := keys.FullHelp()
	var rows []string
	for len(groups) > 0 {
		n := len(groups)
		for n > 1 && lipgloss.Width(hm.FullHelpView(groups[:n])) > c.Width-2 {
			n--
		}
		rows = append(rows, hm.FullHelpView(groups[:n]))
		groups = groups[n:]
	}
	legend := c.Styles.Subtle.Render(report.Wrap(T(c.Lang, "help_legend"), c.Width-2))
	body := c.Styles.Title.Render(T(c.Lang, "help_title")) + "\n\n" + strings.Join(rows, "\n\n") + "\n\n" + legend + "\n\n" + c.Styles.Subtle.Render(T(c.Lang, "help_close"))
	return m.c.Styles.R.NewStyle().Height(h).MaxHeight(h).Padding(0, 1).Render(body)
}
