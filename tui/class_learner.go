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

// learnerScreen is one learner in full, for the instructor: lessons
// visited and the time in each, every exercise with its attempts and the
// hint last seen, the quiz record by kind, the values of their last run.
type learnerScreen struct {
	c      *Common
	room   Room
	id     int64
	d      LearnerDetail
	found  bool
	err    error
	at     time.Time
	offset int
	lines  []string
}

type learnerMsg struct {
	d     LearnerDetail
	found bool
	err   error
	at    time.Time
}

type learnerTickMsg struct{ id int64 }

func newLearnerScreen(c *Common, room Room, l LearnerReport) *learnerScreen {
	s := &learnerScreen{c: c, room: room, id: l.ID, d: LearnerDetail{LearnerReport: l}, found: true, at: time.Now()}
	s.layout()
	return s
}

func (s *learnerScreen) refresh() tea.Cmd {
	room, id := s.room, s.id
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		d, ok, err := room.Learner(ctx, id)
		return learnerMsg{d, ok, err, time.Now()}
	}
}

type learnerKeys struct{ k KeyMap }

func (lk learnerKeys) ShortHelp() []key.Binding {
	return []key.Binding{lk.k.Down, lk.k.Up, lk.k.Back, lk.k.Lang, lk.k.Help, lk.k.Quit}
}
func (lk learnerKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{lk.k.Down, lk.k.Up, lk.k.PageDown, lk.k.PageUp}, {lk.k.Back, lk.k.Lang, lk.k.Help, lk.k.Quit}}
}

func (s *learnerScreen) Title() string     { return learnerName(s.d.LearnerReport) }
func (s *learnerScreen) Status() string    { return "" }
func (s *learnerScreen) Keys() help.KeyMap { return learnerKeys{s.c.Keys} }
func (s *learnerScreen) Resize() tea.Cmd   { s.layout(); return s.refresh() }
func (s *learnerScreen) Relang() tea.Cmd   { s.layout(); return nil }
func (s *learnerScreen) Close()            { s.id = 0 }

func (s *learnerScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.c.Keys
	switch msg := msg.(type) {
	case learnerMsg:
		if s.id == 0 {
			return nil
		}
		if msg.err == nil && msg.found {
			s.d = msg.d
		}
		s.err, s.at, s.found = msg.err, msg.at, msg.found
		s.layout()
		id := s.id
		return tea.Tick(classRefresh, func(time.Time) tea.Msg { return learnerTickMsg{id} })
	case learnerTickMsg:
		if msg.id != s.id {
			return nil
		}
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

func (s *learnerScreen) layout() {
	st, lang, d := s.c.Styles, s.c.Lang, s.d
	w := max(40, s.c.Width-4)
	var out []string
	if s.err != nil {
		out = append(out, st.Error.Render(report.Wrap("✗ "+s.err.Error(), w)))
	}
	where := d.Lesson
	if d.Cell != "" {
		where += "/" + d.Cell
	}
	state := fmt.Sprintf(T(lang, "learner_gone"), sinceText(s.at.Sub(d.Last)))
	if d.Online {
		state = T(lang, "learner_online")
	}
	if d.Last.IsZero() {
		state = "--"
	}
	out = append(out, st.Title.Render(learnerName(d.LearnerReport))+"  "+presence(d.LearnerReport, s.at)[:len("●")]+" "+state+"  "+where)
	if t := stuckText(lang, d.LearnerReport); t != "" {
		out = append(out, wrapIndented(T(lang, "class_stuck")+": "+t, w, "  ")...)
	}
	out = append(out, fmt.Sprintf(T(lang, "learner_totals"), d.Passed, d.Attempts, d.QuizRight, d.QuizAnswered, sinceText(time.Duration(d.Seconds)*time.Second)))
	section := func(title string) { out = append(out, "", st.Title.Render(T(lang, title))) }
	table := func(t experiment.Table) {
		if len(t.Rows) == 0 { // a section with nothing in it says so
			out = append(out, st.Subtle.Render("  "+T(lang, "learner_none")))
			return
		}
		out = append(out, strings.Split(report.Table(t, report.Options{Width: w}), "\n")...)
	}
	section("learner_lessons")
	lt := experiment.Table{Columns: []experiment.Column{{Name: T(lang, "learner_lesson")}, {Name: T(lang, "learner_time"), Align: experiment.Right}}}
	for _, l := range d.Lessons {
		lt.Rows = append(lt.Rows, experiment.Row{Cells: []any{l.Lesson, sinceText(time.Duration(l.Seconds) * time.Second)}})
	}
	table(lt)
	section("class_exercises")
	et := experiment.Table{Columns: []experiment.Column{{Name: T(lang, "class_exercise")}, {Name: T(lang, "class_attempts"), Align: experiment.Right}, {Name: T(lang, "class_passed")}}}
	var hints []string
	for _, e := range d.Exercises {
		passed := "✗"
		if e.Passed {
			passed = "✓"
		}
		et.Rows = append(et.Rows, experiment.Row{Cells: []any{e.Lesson + "/" + e.Cell, int64(e.Attempts), passed}})
		if e.LastHint != "" {
			hints = append(hints, wrapIndented(e.Lesson+"/"+e.Cell+": "+e.LastHint, w, "  ")...)
		}
	}
	table(et)
	if len(hints) > 0 {
		section("learner_hints")
		out = append(out, hints...)
	}
	section("learner_quiz")
	qt := experiment.Table{Columns: []experiment.Column{{Name: T(lang, "learner_kind")}, {Name: T(lang, "class_quiz"), Align: experiment.Right}}}
	for _, q := range d.Quiz {
		qt.Rows = append(qt.Rows, experiment.Row{Cells: []any{q.Kind, fmt.Sprintf("%d/%d", q.Right, q.Answered)}})
	}
	table(qt)
	if r := d.LastRun; r != nil {
		section("learner_last_run")
		vals := r.Values
		if vals == "" {
			vals = T(lang, "learner_lesson_values")
		}
		out = append(out, wrapIndented(r.Lesson+"/"+r.Cell+": "+vals+" ("+sinceText(s.at.Sub(r.At))+")", w, "  ")...)
	}
	s.lines = out
}

func (s *learnerScreen) View(h int) string { return linesView(s.lines, s.offset, h) }
