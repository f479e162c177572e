package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/quiz"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/report"
)

// quizFrom says where a quiz was opened: a lesson's quiz fence (its result
// counts as the lesson's exercise) or practice from the lesson list.
type quizFrom struct {
	lesson string
	block  *lessons.QuizBlock
}

// quizScreen asks a round of questions one at a time: an answer field,
// then the verdict with the worked solution, and at the end the score and
// a review of the mistakes. Every answer moves its kind's Leitner box.
type quizScreen struct {
	c        *Common
	round    *quiz.Round
	from     quizFrom
	input    textinput.Model
	feedback *quiz.Feedback // the last answer's, shown until enter
	refused  string         // why the typed text is not an answer
	passed   bool           // a lesson quiz reached its pass mark (at the end)
	lines    []string       // the body, laid out in Update
	offset   int            // first body line shown
}

func newQuizScreen(c *Common, qs []quiz.Question, from quizFrom) *quizScreen {
	in := c.Styles.TextInput()
	in.Prompt = "> "
	in.CharLimit = quiz.MaxAnswerRunes
	in.Focus()
	s := &quizScreen{c: c, round: quiz.NewRound(qs), from: from, input: in}
	s.layout()
	return s
}

// quizKeys are the keys of the quiz screen.
type quizKeys struct {
	k      KeyMap
	asking bool
}

func (q quizKeys) ShortHelp() []key.Binding {
	if q.asking {
		return []key.Binding{q.k.Confirm, q.k.Leave}
	}
	return []key.Binding{q.k.Next, q.k.Down, q.k.Up, q.k.Leave, q.k.Help}
}

func (q quizKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{q.k.Confirm, q.k.Next}, {q.k.Down, q.k.Up}, {q.k.Leave, q.k.Lang, q.k.Theme, q.k.Help, q.k.Quit}}
}

// asking reports whether the answer field is open.
func (s *quizScreen) asking() bool { return s.feedback == nil && !s.round.Done() }

func (s *quizScreen) Editing() bool     { return s.asking() }
func (s *quizScreen) Keys() help.KeyMap { return quizKeys{s.c.Keys, s.asking()} }
func (s *quizScreen) Close()            {}
func (s *quizScreen) Resize() tea.Cmd   { s.layout(); return nil }
func (s *quizScreen) Relang() tea.Cmd   { s.layout(); return nil }

func (s *quizScreen) Title() string {
	if s.from.block != nil { // the lesson's title: the quiz's id is the author's
		if l, ok := s.c.Library.Lookup(s.from.lesson, s.c.Lang); ok {
			return T(s.c.Lang, "quiz_title") + " · " + l.Title
		}
	}
	return T(s.c.Lang, "quiz_title")
}

func (s *quizScreen) Status() string {
	r := s.round
	n := min(r.At+1, len(r.Questions))
	if s.feedback != nil || r.Done() {
		n = r.At
	}
	return fmt.Sprintf(T(s.c.Lang, "quiz_status"), n, len(r.Questions), r.Right, r.Streak)
}

func (s *quizScreen) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	keys := s.c.Keys
	switch {
	case s.asking() && key.Matches(k, keys.Cancel):
		return back
	case s.asking() && key.Matches(k, keys.Confirm):
		return s.answer()
	case s.asking():
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(k)
		s.refused = ""
		s.layout()
		return cmd
	case key.Matches(k, keys.Next) && s.feedback == nil: // the summary
		return back
	case key.Matches(k, keys.Next):
		s.feedback = nil
		s.input.SetValue("")
		s.offset = 0
		s.layout()
	case key.Matches(k, keys.Down):
		s.offset++
		s.clampOffset()
	case key.Matches(k, keys.Up):
		s.offset = max(0, s.offset-1)
	}
	return nil
}

// answer grades the typed text: garbage is refused in place and the
// question stays; an answer moves its kind's box and shows the verdict.
func (s *quizScreen) answer() tea.Cmd {
	text := lessons.StripControls(strings.TrimSpace(s.input.Value()))
	if text == "" {
		return nil
	}
	f, err := s.round.Answer(text)
	if err != nil {
		s.refused = locale.QuizError(s.c.Lang, err)
		s.layout()
		return nil
	}
	s.feedback = &f
	now := time.Now()
	s.c.Store.QuizAnswered(f.Question.Kind, f.Verdict != quiz.Wrong, now)
	s.c.record(Activity{At: now, Kind: "quiz", Lesson: s.from.lesson, Cell: f.Question.Kind, OK: f.Verdict != quiz.Wrong})
	if s.round.Done() && s.from.block != nil && s.round.Right < s.from.block.PassMark(len(s.round.Questions)) {
		s.c.record(Activity{At: now, Kind: "exercise", Lesson: s.from.lesson, Cell: s.from.block.ID, Detail: fmt.Sprintf("%d/%d", s.round.Right, len(s.round.Questions))})
	}
	if s.round.Done() && s.from.block != nil && s.round.Right >= s.from.block.PassMark(len(s.round.Questions)) {
		s.passed = true
		s.c.Store.Pass(s.from.lesson, s.from.block.ID, now)
		s.c.record(Activity{At: now, Kind: "exercise", Lesson: s.from.lesson, Cell: s.from.block.ID, OK: true})
	}
	s.offset = 0
	s.layout()
	return s.c.save()
}

// width is the width the quiz is laid out in.
func (s *quizScreen) width() int { return max(20, min(s.c.Width-4, 100)) }

// layout composes the body from the round's state.
func (s *quizScreen) layout() {
	st, lang, w := s.c.Styles, s.c.Lang, s.width()
	var b []string
	add := func(text string, style func(...string) string) {
		for _, l := range strings.Split(report.Wrap(text, w), "\n") {
			b = append(b, style(l))
		}
	}
	r := s.round
	if q, ok := r.Current(); ok || s.feedback != nil {
		if s.feedback != nil {
			q = s.feedback.Question
		}
		n := r.At + 1
		if s.feedback != nil {
			n = r.At // the question just answered
		}
		add(fmt.Sprintf(T(lang, "quiz_question"), n, len(r.Questions), locale.Msg(lang, "quiz.kind."+q.Kind), q.Level), st.Subtle.Render)
		b = append(b, "")
		add(locale.QuizText(lang, q.Prompt), st.Title.Render)
		b = append(b, "")
		if s.feedback == nil {
			b = append(b, s.input.View())
			if s.refused != "" {
				add("✗ "+s.refused, st.Error.Render)
			} else {
				add(quizHint(lang, q), st.Subtle.Render)
			}
		} else {
			b = append(b, st.Subtle.Render("> "+s.feedback.Typed), "")
			b = append(b, s.feedbackLines(*s.feedback)...)
			b = append(b, "", st.Subtle.Render(T(lang, map[bool]string{true: "quiz_to_score", false: "quiz_next"}[r.Done()])))
		}
	} else {
		b = append(b, s.summaryLines()...)
	}
	if r.Done() && s.feedback == nil {
		b = append(b, "", st.Subtle.Render(T(lang, "quiz_finish")))
	}
	s.lines = b
	s.clampOffset()
}

// feedbackLines say whether the answer was right and, when it was not,
// the likely slip and the worked solution.
func (s *quizScreen) feedbackLines(f quiz.Feedback) []string {
	st, lang, w := s.c.Styles, s.c.Lang, s.width()
	var out []string
	add := func(text string, style func(...string) string) {
		for _, l := range strings.Split(report.Wrap(text, w), "\n") {
			out = append(out, style(l))
		}
	}
	if f.Verdict != quiz.Wrong {
		add(locale.Verdict(lang, f), st.Pass.Render)
		return out
	}
	add(locale.Verdict(lang, f), st.Warn.Render)
	if f.SlipFound {
		out = append(out, hanging("→ ", locale.Slip(lang, f.Slip), w, st.Warn.Render)...)
	}
	out = append(out, "")
	for _, step := range locale.Solution(lang, f.Question) {
		out = append(out, hanging("  ", step, w, st.Subtle.Render)...)
	}
	return out
}

// summaryLines are the score and the review of the mistakes.
func (s *quizScreen) summaryLines() []string {
	st, lang, w := s.c.Styles, s.c.Lang, s.width()
	r := s.round
	out := hanging("", experiment.Fill(locale.Msg(lang, "quiz.score"), r.Right, len(r.Questions), r.Best), w, st.Title.Render)
	if s.from.block != nil {
		mark := s.from.block.PassMark(len(r.Questions))
		if s.passed {
			out = append(out, hanging("✓ ", fmt.Sprintf(T(lang, "quiz_passed"), mark), w, st.Pass.Render)...)
		} else {
			out = append(out, hanging("", fmt.Sprintf(T(lang, "quiz_not_passed"), mark), w, st.Warn.Render)...)
		}
	}
	if len(r.Mistakes) == 0 {
		return out
	}
	out = append(out, "", st.Title.Render(locale.Msg(lang, "quiz.review")))
	for i, mk := range r.Mistakes {
		out = append(out, "")
		num := fmt.Sprintf("%d. ", i+1)
		indent := strings.Repeat(" ", len(num))
		out = append(out, hanging(num, locale.QuizText(lang, mk.Question.Prompt), w, fmtStyle(nil))...)
		out = append(out, hanging(indent, experiment.Fill(locale.Msg(lang, "quiz.review_typed"), mk.Typed, experiment.Number(mk.Question.Answer)), w, st.Warn.Render)...)
		if mk.SlipFound {
			out = append(out, hanging(indent+"→ ", locale.Slip(lang, mk.Slip), w, st.Subtle.Render)...)
		}
	}
	return out
}

// hanging wraps text to w columns after lead ("1. ", "   → "), each line
// after the first indented as far as the text of the first: a wrapped
// line keeps its indent.
func hanging(lead, text string, w int, style func(...string) string) []string {
	lw := report.Width(lead)
	lines := strings.Split(report.Wrap(text, max(10, w-lw)), "\n")
	for i, l := range lines {
		if i == 0 {
			lines[i] = style(lead + l)
		} else {
			lines[i] = style(strings.Repeat(" ", lw) + l)
		}
	}
	return lines
}

// fmtStyle is style, or no styling when it is nil.
func fmtStyle(style func(...string) string) func(...string) string {
	if style != nil {
		return style
	}
	return func(s ...string) string { return strings.Join(s, " ") }
}

// quizHint says how to answer q: a number in any of the ways the quiz
// reads, or one of its choices ("1 or 2"), which no number example fits.
func quizHint(lang string, q quiz.Question) string {
	if len(q.Choices) == 0 {
		return T(lang, "quiz_hint")
	}
	cs := make([]string, len(q.Choices))
	for i, c := range q.Choices {
		cs[i] = fmt.Sprint(c)
	}
	list := strings.Join(cs, ", ")
	if len(cs) > 1 {
		list = strings.Join(cs[:len(cs)-1], ", ") + T(lang, "quiz_or") + cs[len(cs)-1]
	}
	return fmt.Sprintf(T(lang, "quiz_hint_choice"), list)
}

func (s *quizScreen) clampOffset() {
	s.offset = max(0, min(s.offset, len(s.lines)-max(1, s.c.Height-4)))
}

// View shows the body's lines from the scroll offset, indented.
func (s *quizScreen) View(h int) string { return linesView(s.lines, s.offset, h) }

// linesView is h lines of lines from offset, indented by two columns and
// padded with empty ones: the body of a screen that scrolls its own lines.
func linesView(lines []string, offset, h int) string {
	out := make([]string, 0, h)
	for i := offset; i < len(lines) && len(out) < h; i++ {
		out = append(out, "  "+lines[i])
	}
	for len(out) < h {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}
