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
	"github.com/nnlab/nnlab/tui/workshop"
)

// classRefresh is how often the instructor's view reads the class again.
const classRefresh = 500 * time.Millisecond

// classScreen is the instructor's live view: every learner (the stuck
// first) with whether they are online, where they are and how they do,
// and every exercise across the class. Enter shows the selected learner
// in full; m sends the room a message, o opens a lesson for everyone.
type classScreen struct {
	c      *Common
	room   Room
	class  Class
	err    error
	at     time.Time
	sel    int // the selected learner
	offset int
	lines  []string
	selRow int // the line of the selected learner
}

type classMsg struct {
	class Class
	err   error
	at    time.Time
}

type classTickMsg struct{}

func newClassScreen(c *Common, room Room) *classScreen {
	return &classScreen{c: c, room: room}
}

// refresh reads the class off the Update loop.
func (s *classScreen) refresh() tea.Cmd {
	room := s.room
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := room.Class(ctx)
		return classMsg{c, err, time.Now()}
	}
}

type classKeys struct{ k KeyMap }

func (ck classKeys) ShortHelp() []key.Binding {
	return []key.Binding{ck.k.Down, ck.k.Up, ck.k.Select, ck.k.Message, ck.k.OpenAll, ck.k.Lang, ck.k.Help, ck.k.Quit}
}
func (ck classKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{ck.k.Down, ck.k.Up, ck.k.PageDown, ck.k.PageUp}, {ck.k.Select, ck.k.Message, ck.k.OpenAll}, {ck.k.Lang, ck.k.Help, ck.k.Quit}}
}

func (s *classScreen) Title() string     { return T(s.c.Lang, "class_title") }
func (s *classScreen) Keys() help.KeyMap { return classKeys{s.c.Keys} }
func (s *classScreen) Resize() tea.Cmd   { s.layout(); return nil }
func (s *classScreen) Relang() tea.Cmd   { s.layout(); return nil }
func (s *classScreen) Close()            {}

func (s *classScreen) Status() string {
	stuck, online := 0, 0
	for _, l := range s.class.Learners {
		if l.StuckKind != "" {
			stuck++
		}
		if l.Online {
			online++
		}
	}
	return fmt.Sprintf(T(s.c.Lang, "class_status"), len(s.class.Learners), online, stuck)
}

func (s *classScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.c.Keys
	switch msg := msg.(type) {
	case classMsg:
		var id int64
		if s.sel < len(s.class.Learners) {
			id = s.class.Learners[s.sel].ID
		}
		s.class, s.err, s.at = msg.class, msg.err, msg.at
		for i, l := range s.class.Learners { // the selection follows its learner
			if l.ID == id {
				s.sel = i
			}
		}
		s.layout()
		return tea.Tick(classRefresh, func(time.Time) tea.Msg { return classTickMsg{} })
	case classTickMsg:
		return s.refresh()
	case tea.KeyMsg:
		n := len(s.class.Learners)
		switch {
		case key.Matches(msg, k.Down):
			s.sel = min(s.sel+1, max(0, n-1))
		case key.Matches(msg, k.Up):
			s.sel = max(s.sel-1, 0)
		case key.Matches(msg, k.PageDown):
			s.offset += s.c.Height / 2
		case key.Matches(msg, k.PageUp):
			s.offset -= s.c.Height / 2
		case key.Matches(msg, k.Select) && s.sel < n:
			return push(newLearnerScreen(s.c, s.room, s.class.Learners[s.sel]))
		case key.Matches(msg, k.Message):
			return push(newMessageScreen(s.c, s.room))
		case key.Matches(msg, k.OpenAll):
			return push(newOpenAllScreen(s.c, s.room))
		default:
			return nil
		}
		s.layout()
		if key.Matches(msg, k.Down) || key.Matches(msg, k.Up) { // keep the selection in view
			h := max(1, s.c.Height-4)
			if s.selRow < s.offset {
				s.offset = s.selRow
			} else if s.selRow >= s.offset+h {
				s.offset = s.selRow - h + 1
			}
		}
		s.offset = max(0, min(s.offset, len(s.lines)-1))
	}
	return nil
}

// sinceText is how long ago, for people.
func sinceText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh", int(d.Hours()))
}

// stuckText says why a learner may need help, in lang.
func stuckText(lang string, l LearnerReport) string {
	switch l.StuckKind {
	case workshop.StuckFailing:
		return fmt.Sprintf(T(lang, "class_failing"), l.StuckAt, l.FailingTimes)
	case workshop.StuckIdle:
		return fmt.Sprintf(T(lang, "class_idle_in"), l.StuckAt)
	}
	return ""
}

// presence is a learner's marker: ● online (idle for …), ○ gone (since …).
func presence(l LearnerReport, at time.Time) string {
	since := "--"
	if !l.Last.IsZero() {
		since = sinceText(at.Sub(l.Last))
	}
	if l.Online {
		return "● " + since
	}
	return "○ " + since
}

// learnerName is a learner's name, or their key's fingerprint before they
// gave one.
func learnerName(l LearnerReport) string {
	if l.Name != "" {
		return l.Name
	}
	return strings.TrimPrefix(l.Key, "key:")
}

// layout builds the two tables from the last reading.
func (s *classScreen) layout() {
	st, lang := s.c.Styles, s.c.Lang
	w := max(40, s.c.Width-4)
	var out []string
	if s.err != nil {
		out = append(out, st.Error.Render(report.Wrap("✗ "+s.err.Error(), w)))
	}
	// The table stays narrow (why a learner needs help is listed below it,
	// whole): a learner who does is marked "!".
	t := experiment.Table{Columns: []experiment.Column{{Name: ""}, {Name: T(lang, "class_learner")}, {Name: T(lang, "class_online")}, {Name: T(lang, "class_where")},
		{Name: T(lang, "class_passed"), Align: experiment.Right}, {Name: T(lang, "class_quiz"), Align: experiment.Right}}}
	var help []string
	for i, l := range s.class.Learners {
		where := l.Lesson
		if l.Cell != "" {
			where += "/" + l.Cell
		}
		cur := " "
		if i == s.sel {
			cur = "›"
		}
		if l.StuckKind != "" {
			cur += "!"
			help = append(help, wrapIndented(learnerName(l)+": "+stuckText(lang, l), w, "  ")...)
		}
		t.Rows = append(t.Rows, experiment.Row{Cells: []any{cur, learnerName(l), presence(l, s.at), where, int64(l.Passed), fmt.Sprintf("%d/%d", l.QuizRight, l.QuizAnswered)}})
	}
	if len(s.class.Learners) == 0 {
		out = append(out, st.Subtle.Render(T(lang, "class_empty")))
	} else {
		table := strings.Split(report.Table(t, report.Options{Width: w}), "\n")
		s.selRow = len(out) + (len(table) - len(t.Rows)) + s.sel
		out = append(out, table...)
	}
	if len(help) > 0 {
		out = append(out, "", st.Title.Render(T(lang, "class_stuck")))
		out = append(out, help...)
	}
	out = append(out, "", st.Title.Render(T(lang, "class_exercises")))
	et := experiment.Table{Columns: []experiment.Column{{Name: T(lang, "class_exercise")}, {Name: T(lang, "class_passed"), Align: experiment.Right},
		{Name: T(lang, "class_tried"), Align: experiment.Right}, {Name: T(lang, "class_attempts"), Align: experiment.Right}, {Name: T(lang, "class_median"), Align: experiment.Right}}}
	for _, e := range s.class.Exercises {
		med := "--"
		if e.Passed > 0 {
			med = sinceText(time.Duration(e.MedianSeconds * float64(time.Second)))
		}
		et.Rows = append(et.Rows, experiment.Row{Cells: []any{e.Lesson + "/" + e.Cell, int64(e.Passed), int64(e.Tried), int64(e.Attempts), med}})
	}
	if len(s.class.Exercises) > 0 {
		out = append(out, strings.Split(report.Table(et, report.Options{Width: w}), "\n")...)
		// Each exercise's most common failing hint, whole: wrapped, never cut.
		var hints []string
		for _, e := range s.class.Exercises {
			if e.CommonHint != "" {
				hints = append(hints, wrapIndented(e.Lesson+"/"+e.Cell+": "+e.CommonHint, w, "  ")...)
			}
		}
		if len(hints) > 0 {
			out = append(out, "", st.Title.Render(T(lang, "class_hint")))
			out = append(out, hints...)
		}
	}
	s.lines = out
}

// wrapIndented wraps text to width w, its lines after the first indented.
func wrapIndented(text string, w int, indent string) []string {
	lines := strings.Split(report.Wrap(text, w-report.Width(indent)), "\n")
	for i := range lines {
		if i > 0 {
			lines[i] = indent + lines[i]
		}
	}
	return lines
}

func (s *classScreen) View(h int) string {
	return linesView(s.lines, s.offset, h)
}
