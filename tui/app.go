package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/report"
	"github.com/nnlab/nnlab/tui/state"
)

// MinWidth and MinHeight are the smallest terminal nnlab lays out in.
const (
	MinWidth  = 60
	MinHeight = 16
)

// Options configure the app.
type Options struct {
	Lessons    []*lessons.Lesson // every language
	LoadErrors int               // lesson files that failed to load
	Store      *state.Store
	Notice     string // a one-line notice for the home screen (e.g. a corrupt state file)
	Lang       string // "ko" or "en"
	Renderer   *lipgloss.Renderer
	Dark       bool
	Open       string // a lesson id to start in, or ""
}

// Common is what every part of the UI shares: size, styles, keys, language,
// the learner's state and the lessons.
type Common struct {
	Width, Height int
	Styles        *Styles
	Keys          KeyMap
	Lang          string
	Store         *state.Store
	lessons       []*lessons.Lesson
	prose         *proseCache
	runner        *lessons.Runner // computes the values prose refers to, cached
}

// resolveProse fills a prose block's computed values in. It may run
// experiments: call it from a tea.Cmd. A value that fails shows as "?"
// (nnlab check names it).
func (c *Common) resolveProse(l *lessons.Lesson, p *lessons.Prose) string {
	ctx, cancel := context.WithTimeout(context.Background(), lessons.InlineBudget)
	defer cancel()
	s, _ := c.runner.ResolveProse(ctx, l, p)
	return s
}

// save writes the state file off the Update loop.
func (c *Common) save() tea.Cmd {
	st := c.Store
	return func() tea.Msg { return savedMsg{err: st.Save()} }
}

// inLang lists the lessons in lang, in order; a lesson missing in lang is
// shown in the fallback language.
func (c *Common) inLang(lang string) []*lessons.Lesson {
	byID := map[string]*lessons.Lesson{}
	for _, l := range c.lessons {
		cur, ok := byID[l.ID]
		if !ok || (l.Lang == lang && cur.Lang != lang) || (cur.Lang != lang && l.Lang == lessons.FallbackLang) {
			byID[l.ID] = l
		}
	}
	out := make([]*lessons.Lesson, 0, len(byID))
	for _, l := range byID {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b *lessons.Lesson) int {
		if a.Order != b.Order {
			return a.Order - b.Order
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Model is the whole app.
type Model struct {
	c        *Common
	home     *home
	nb       *notebook
	help     help.Model
	showHelp bool
	notice   string
	open     string
	quitting bool
	frame    string // the screen, composed at the end of each Update
}

// New builds the app.
func New(o Options) *Model {
	r := o.Renderer
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	st := o.Store
	if st == nil {
		st = state.Memory()
	}
	c := &Common{
		Width: 80, Height: 24,
		Styles:  NewStyles(r, o.Dark),
		Keys:    DefaultKeyMap(o.Lang),
		Lang:    o.Lang,
		Store:   st,
		lessons: o.Lessons,
		prose:   newProseCache(r),
		runner:  lessons.NewRunner(),
	}
	if c.Lang == "" {
		c.Lang = lessons.FallbackLang
	}
	m := &Model{c: c, help: help.New(), notice: locale.Text(c.Lang, o.Notice), open: o.Open}
	if o.LoadErrors > 0 {
		m.notice = strings.TrimSpace(m.notice + "  " + fmt.Sprintf(T(c.Lang, "lesson_errors"), o.LoadErrors))
	}
	m.help.Styles.ShortKey = c.Styles.Key
	m.help.Styles.FullKey = c.Styles.Key
	m.help.Styles.ShortDesc = c.Styles.Subtle
	m.help.Styles.FullDesc = c.Styles.Subtle
	m.home = newHome(c)
	return m
}

// Init opens the lesson asked for on the command line, if any.
func (m *Model) Init() tea.Cmd {
	if m.open == "" {
		return nil
	}
	for _, l := range m.c.inLang(m.c.Lang) {
		if l.ID == m.open {
			var cmd tea.Cmd
			m.nb, cmd = newNotebook(m.c, l)
			return cmd
		}
	}
	return nil
}

func (m *Model) tooSmall() bool { return m.c.Width < MinWidth || m.c.Height < MinHeight }

// Update handles a message, then composes the screen that View returns.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	model, cmd := m.update(msg)
	m.frame = m.compose()
	return model, cmd
}

// update handles global keys and hands the rest to the current screen.
func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	// Keys typed faster than the terminal is read arrive as one message
	// ("jjj"); outside a text field, take them one at a time.
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyRunes && len(k.Runes) > 1 && !k.Paste && !m.editing() {
		var cmds []tea.Cmd
		for _, r := range k.Runes {
			_, cmd := m.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt})
			cmds = append(cmds, cmd)
		}
		return m, tea.Batch(cmds...)
	}
	k := m.c.Keys
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.help.Width = msg.Width
		m.home.resize()
		if m.nb != nil {
			return m, m.nb.resize()
		}
		return m, nil
	case savedMsg:
		if msg.err != nil {
			m.notice = msg.err.Error()
		}
		return m, nil
	case tea.KeyMsg:
		m.notice = "" // read once: the next key clears it
		editing := m.editing()
		if msg.String() == "ctrl+c" {
			return m.quit()
		}
		if !editing {
			switch {
			case m.showHelp && (key.Matches(msg, k.Help) || key.Matches(msg, k.Cancel) || key.Matches(msg, k.Back)):
				m.showHelp = false
				return m, nil
			case m.showHelp:
				return m, nil
			case key.Matches(msg, k.Help):
				m.showHelp = true
				return m, nil
			case key.Matches(msg, k.Quit):
				return m.quit()
			case key.Matches(msg, k.Lang):
				return m, m.switchLang()
			case m.nb != nil && key.Matches(msg, k.Back):
				m.closeNotebook()
				return m, nil
			}
		}
		if m.tooSmall() {
			return m, nil
		}
	}
	if m.nb != nil {
		return m, m.nb.update(msg)
	}
	l, cmd := m.home.update(msg)
	if l != nil {
		var ncmd tea.Cmd
		m.nb, ncmd = newNotebook(m.c, l)
		return m, tea.Batch(cmd, ncmd)
	}
	return m, cmd
}

// editing reports whether a text field has the keys.
func (m *Model) editing() bool {
	return m.nb != nil && m.nb.focused() != nil && m.nb.focused().editing
}

func (m *Model) quit() (tea.Model, tea.Cmd) {
	m.closeNotebook()
	m.quitting = true
	_ = m.c.Store.Save() // last chance; each change was already saved
	return m, tea.Quit
}

func (m *Model) closeNotebook() {
	if m.nb == nil {
		return
	}
	for _, c := range m.nb.cells {
		if c.cancel != nil {
			c.cancel()
		}
	}
	id := m.nb.lesson.ID
	m.nb = nil
	m.home.refresh()
	m.home.selectLesson(id)
}

// switchLang toggles Korean and English, reopening the open lesson in the
// other language (cell values are kept through the state store).
func (m *Model) switchLang() tea.Cmd {
	if m.c.Lang == "ko" {
		m.c.Lang = "en"
	} else {
		m.c.Lang = "ko"
	}
	m.c.Store.SetLang(m.c.Lang)
	m.c.Keys = DefaultKeyMap(m.c.Lang)
	m.home.refresh()
	cmds := []tea.Cmd{m.c.save()}
	if m.nb != nil {
		id, focus, off := m.nb.lesson.ID, m.nb.focus, m.nb.vp.YOffset
		sel := map[string]int{}
		for _, c := range m.nb.cells {
			sel[c.src.ID] = c.sel
		}
		m.closeNotebook()
		for _, l := range m.c.inLang(m.c.Lang) {
			if l.ID == id {
				var cmd tea.Cmd
				m.nb, cmd = newNotebook(m.c, l)
				m.nb.focus = min(focus, len(m.nb.cells)-1)
				for _, c := range m.nb.cells {
					c.sel = sel[c.src.ID]
				}
				m.nb.layout()
				m.nb.vp.SetYOffset(off)
				cmds = append(cmds, cmd)
			}
		}
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
			c.Styles.Warn.Render(lipgloss.NewStyle().Width(max(10, c.Width-2)).Align(lipgloss.Center).Render(msg)))
	}
	var body string
	var keys help.KeyMap = homeKeys{c.Keys}
	if m.nb != nil {
		keys = notebookKeys{c.Keys, m.nb.focused()}
	}
	header := m.header()
	footer := m.footer(keys)
	h := c.Height - lipgloss.Height(header) - lipgloss.Height(footer)
	switch {
	case m.showHelp:
		body = m.helpView(keys, h)
	case m.nb != nil:
		m.nb.vp.Height = h
		body = m.nb.visible(h)
	default:
		body = m.home.view(h)
	}
	return header + "\n" + body + "\n" + footer
}

func (m *Model) header() string {
	c := m.c
	left := "nnlab"
	if m.nb != nil {
		left += " · " + m.nb.lesson.Title
	}
	right := T(c.Lang, "lang_name")
	if m.nb != nil {
		right = fmt.Sprintf(T(c.Lang, "exercises"), m.nb.passed(), m.nb.lesson.Exercises()) + "  " + right
	}
	w := c.Width - 2 // Header's padding
	left = truncate(left, max(1, w-lipgloss.Width(right)-2))
	gap := max(1, w-lipgloss.Width(left)-lipgloss.Width(right))
	return c.Styles.Header.Width(c.Width).Render(left + strings.Repeat(" ", gap) + right)
}

func (m *Model) footer(keys help.KeyMap) string {
	c := m.c
	s := m.help.ShortHelpView(keys.ShortHelp())
	if m.nb != nil {
		pct := fmt.Sprintf(" %3.0f%%", m.nb.vp.ScrollPercent()*100)
		s = truncate(s, c.Width-lipgloss.Width(pct)-1)
		s += strings.Repeat(" ", max(1, c.Width-lipgloss.Width(s)-lipgloss.Width(pct))) + c.Styles.Subtle.Render(pct)
	}
	if m.notice != "" {
		s = c.Styles.Warn.Render(report.Wrap(m.notice, c.Width)) + "\n" + s
	}
	return truncate(s, c.Width)
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
	legend := c.Styles.Subtle.Render(T(c.Lang, "help_legend"))
	body := c.Styles.Title.Render(T(c.Lang, "help_title")) + "\n\n" + strings.Join(rows, "\n\n") + "\n\n" + legend + "\n\n" + c.Styles.Subtle.Render(T(c.Lang, "help_close"))
	return lipgloss.NewStyle().Height(h).MaxHeight(h).Padding(0, 1).Render(body)
}
