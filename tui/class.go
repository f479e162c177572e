package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/tui/report"
)

// classRefresh is how often the instructor's view reads the class again.
const classRefresh = time.Second

// classScreen is the instructor's live view: every learner (the stuck
// first) with where they are and how they do, and every exercise across
// the class.
type classScreen struct {
	c      *Common
	roster func(context.Context) (Class, error)
	class  Class
	err    error
	at     time.Time
	offset int
	lines  []string
}

type classMsg struct {
	class Class
	err   error
	at    time.Time
}

type classTickMsg struct{}

func newClassScreen(c *Common, roster func(context.Context) (Class, error)) *classScreen {
	return &classScreen{c: c, roster: roster}
}

// refresh reads the class off the Update loop.
func (s *classScreen) refresh() tea.Cmd {
	roster := s.roster
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := roster(ctx)
		return classMsg{c, err, time.Now()}
	}
}

type classKeys struct{ k KeyMap }

func (ck classKeys) ShortHelp() []key.Binding {
	return []key.Binding{ck.k.Down, ck.k.Up, ck.k.Lang, ck.k.Help, ck.k.Quit}
}
func (ck classKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{ck.k.Down, ck.k.Up, ck.k.PageDown, ck.k.PageUp}, {ck.k.Lang, ck.k.Help, ck.k.Quit}}
}

func (s *classScreen) Title() string     { return T(s.c.Lang, "class_title") }
func (s *classScreen) Keys() help.KeyMap { return classKeys{s.c.Keys} }
func (s *classScreen) Resize() tea.Cmd   { s.layout(); return nil }
func (s *classScreen) Relang() tea.Cmd   { s.layout(); return nil }
func (s *classScreen) Close()            {}

func (s *classScreen) Status() string {
	stuck := 0
	for _, l := range s.class.Learners {
		if l.Stuck != "" {
			stuck++
		}
	}
	return fmt.Sprintf(T(s.c.Lang, "class_status"), len(s.class.Learners), stuck)
}

func (s *classScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.c.Keys
	switch msg := msg.(type) {
	case classMsg:
		s.class, s.err, s.at = msg.class, msg.err, msg.at
		s.layout()
		return tea.Tick(classRefresh, func(time.Time) tea.Msg { return classTickMsg{} })
	case classTickMsg:
		return s.refresh()
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Down):
			s.offset++
		case key.Matches(msg, k.Up):
			s.offset--
		case key.Matches(msg, k.PageDown):
			s.offset += s.c.Height / 2
		case key.Matches(msg, k.PageUp):
			s.offset -= s.c.Height / 2
		}
		s.offset = max(0, min(s.offset, len(s.lines)-1))
	}
	return nil
}

// idleText is how long ago, for people.
func idleText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh", int(d.Hours()))
}

// layout builds the two tables from the last reading.
func (s *classScreen) layout() {
	st, lang := s.c.Styles, s.c.Lang
	w := max(40, s.c.Width-4)
	var out []string
	if s.err != nil {
		out = append(out, st.Error.Render(report.Wrap("✗ "+s.err.Error(), w)))
	}
	t := experiment.Table{Columns: []experiment.Column{{Name: T(lang, "class_learner")}, {Name: T(lang, "class_where")},
		{Name: T(lang, "class_passed"), Align: experiment.Right}, {Name: T(lang, "class_quiz"), Align: experiment.Right},
		{Name: T(lang, "class_idle"), Align: experiment.Right}, {Name: T(lang, "class_stuck")}}}
	for _, l := range s.class.Learners {
		where := l.Lesson
		if l.Cell != "" {
			where += "/" + l.Cell
		}
		idle := "--"
		if !l.Last.IsZero() {
			idle = idleText(s.at.Sub(l.Last))
		}
		name := l.Name
		if name == "" {
			name = l.Key
		}
		t.Rows = append(t.Rows, experiment.Row{Cells: []any{name, where, int64(l.Passed), fmt.Sprintf("%d/%d", l.QuizRight, l.QuizAnswered), idle, l.Stuck}})
	}
	if len(s.class.Learners) == 0 {
		out = append(out, st.Subtle.Render(T(lang, "class_empty")))
	} else {
		out = append(out, strings.Split(report.Table(t, report.Options{Width: w}), "\n")...)
	}
	out = append(out, "", st.Title.Render(T(lang, "class_exercises")))
	et := experiment.Table{Columns: []experiment.Column{{Name: T(lang, "class_exercise")}, {Name: T(lang, "class_passed"), Align: experiment.Right},
		{Name: T(lang, "class_tried"), Align: experiment.Right}, {Name: T(lang, "class_attempts"), Align: experiment.Right}, {Name: T(lang, "class_hint")}}}
	for _, e := range s.class.Exercises {
		et.Rows = append(et.Rows, experiment.Row{Cells: []any{e.Lesson + "/" + e.Cell, int64(e.Passed), int64(e.Tried), int64(e.Attempts), e.CommonHint}})
	}
	if len(s.class.Exercises) > 0 {
		out = append(out, strings.Split(report.Table(et, report.Options{Width: w}), "\n")...)
	}
	s.lines = out
}

func (s *classScreen) View(h int) string {
	return linesView(s.lines, s.offset, h)
}
