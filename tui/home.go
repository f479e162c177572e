package tui

import (
	"fmt"
	"github.com/nnlab/nnlab/core/quiz"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/report"
)

// lessonItem is one row of the lesson list.
type lessonItem struct {
	l       *lessons.Lesson
	visited bool
	passed  int
}

func (i lessonItem) FilterValue() string { return i.l.Title + " " + i.l.Summary }

// practiceItem is the row under the lessons that opens quiz practice.
type practiceItem struct{ due int }

func (practiceItem) FilterValue() string { return "quiz" }

// lessonDelegate draws a lesson as two lines: title, then summary and
// progress; with a blank line between lessons when the screen has room for
// them all so, without it when not, and one line per lesson (title and
// progress) when even that does not fit.
type lessonDelegate struct {
	c       *Common
	lines   int // 2, or 1 on small screens
	spacing int // 1, or 0 on small screens
}

func (d lessonDelegate) Height() int                         { return d.lines }
func (d lessonDelegate) Spacing() int                        { return d.spacing }
func (d lessonDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

func (d lessonDelegate) Render(w io.Writer, m list.Model, index int, it list.Item) {
	if p, ok := it.(practiceItem); ok {
		d.renderPractice(w, m, index, p)
		return
	}
	item, ok := it.(lessonItem)
	if !ok {
		return
	}
	st, lang := d.c.Styles, d.c.Lang
	width := m.Width() - 4
	l := item.l
	mark := "  "
	title := fmt.Sprintf("%d. %s", l.Order, l.Title)
	if index == m.Index() {
		mark = st.Accent.Render("▌ ")
		title = st.Title.Render(truncate(title, width))
	} else {
		title = truncate(title, width)
	}
	status := st.Subtle.Render(T(lang, "new"))
	if item.visited {
		status = st.Subtle.Render(T(lang, "visited"))
	}
	if n := l.Exercises(); n > 0 {
		ex := fmt.Sprintf(T(lang, "exercises"), item.passed, n)
		if item.passed == n {
			ex = st.Pass.Render("✓ " + ex)
		} else {
			ex = st.Subtle.Render(ex)
		}
		status += st.Subtle.Render(" · ") + ex
	}
	meta := st.Subtle.Render(fmt.Sprintf(T(lang, "minutes"), l.Minutes)+" · ") + status
	if d.lines == 1 {
		plain := fmt.Sprintf("%d. %s", l.Order, l.Title)
		t := truncateWords(plain, max(10, width-report.Width(stripANSI(meta))-3))
		if index == m.Index() {
			t = st.Title.Render(t)
		}
		fmt.Fprintf(w, "%s%s%s%s", mark, t, st.Subtle.Render(" · "), meta)
		return
	}
	summary := truncateWords(l.Summary, max(10, width-report.Width(stripANSI(meta))-3))
	fmt.Fprintf(w, "%s%s\n%s%s", mark, title, "  ", summary+st.Subtle.Render(" · ")+meta)
}

func (d lessonDelegate) renderPractice(w io.Writer, m list.Model, index int, p practiceItem) {
	st, lang := d.c.Styles, d.c.Lang
	width := m.Width() - 4
	mark, title := "  ", "✎ "+T(lang, "quiz_practice")
	if index == m.Index() {
		mark, title = st.Accent.Render("▌ "), st.Title.Render(truncate(title, width))
	}
	meta := st.Subtle.Render("z")
	if p.due > 0 {
		meta = st.Warn.Render(fmt.Sprintf(T(lang, "quiz_due"), p.due)) + st.Subtle.Render(" · z")
	}
	if d.lines == 1 {
		fmt.Fprintf(w, "%s%s%s%s", mark, title, st.Subtle.Render(" · "), meta)
		return
	}
	summary := truncateWords(T(lang, "quiz_practice_summary"), max(10, width-report.Width(stripANSI(meta))-3))
	fmt.Fprintf(w, "%s%s\n%s%s", mark, title, "  ", summary+st.Subtle.Render(" · ")+meta)
}

// home is the lesson list, the first screen of every session.
type home struct {
	c    *Common
	list list.Model
	due  int // kinds of quiz question due, as of the last refresh
}

func newHome(c *Common) *home {
	h := &home{c: c}
	h.list = list.New(nil, lessonDelegate{c: c, lines: 2, spacing: 1}, c.Width, c.Height-2)
	c.Styles.List(&h.list)
	h.list.SetShowTitle(false)
	h.list.SetShowHelp(false)
	h.list.SetShowStatusBar(false)
	h.list.SetFilteringEnabled(false)
	h.list.DisableQuitKeybindings()
	h.refresh()
	return h
}

// refresh rebuilds the rows (language or progress changed).
func (h *home) refresh() {
	var items []list.Item
	for _, l := range h.c.Library.List(h.c.Lang) {
		st := h.c.Store.Lesson(l.ID)
		items = append(items, lessonItem{l: l, visited: st.Visited, passed: len(st.Passed)})
	}
	if len(items) > 0 {
		_, h.due = h.c.Store.QuizOrder(quiz.KindIDs(), time.Now())
		items = append(items, practiceItem{due: h.due})
	}
	h.list.SetItems(items)
	h.fit(h.list.Height())
}

// fit picks the densest layout of the rows that still shows them all in
// height lines: two lines and a blank between, two lines, or one line.
func (h *home) fit(height int) {
	n := len(h.list.Items())
	d := lessonDelegate{c: h.c, lines: 2, spacing: 1}
	switch {
	case n*3-1 <= height:
	case n*2 <= height:
		d.spacing = 0
	default:
		d.lines, d.spacing = 1, 0
	}
	h.list.SetDelegate(d)
}

// selectLesson puts the cursor on lesson id, if it is listed.
func (h *home) selectLesson(id string) {
	for i, it := range h.list.Items() {
		if li, ok := it.(lessonItem); ok && li.l.ID == id {
			h.list.Select(i)
			return
		}
	}
}

func (h *home) Title() string     { return "" }
func (h *home) Keys() help.KeyMap { return homeKeys{h.c.Keys, h.c.rename != nil} }
func (h *home) Close()            {}
func (h *home) Relang() tea.Cmd   { h.c.Styles.List(&h.list); h.refresh(); return nil }

func (h *home) Resize() tea.Cmd {
	h.list.SetSize(h.c.Width, max(1, h.c.Height-3))
	h.fit(h.list.Height())
	return nil
}

// practiceCount is how many questions a practice quiz asks.
const practiceCount = 10

// newPracticeQuiz draws a practice quiz: the kinds due first, lowest
// Leitner box first, a harder level for a kind in a higher box.
func newPracticeQuiz(c *Common) *quizScreen {
	now := time.Now()
	order, _ := c.Store.QuizOrder(quiz.KindIDs(), now)
	pool := order[:min(len(order), 5)]
	seed := uint64(now.UnixNano())
	if c.quizSeed != 0 { // a room's quiz: the same questions for everyone
		qs, _ := quiz.Generate(quiz.Options{Seed: c.quizSeed, Count: practiceCount})
		return newQuizScreen(c, qs, quizFrom{})
	}
	qs := make([]quiz.Question, 0, practiceCount)
	for i := range practiceCount {
		id := pool[i%len(pool)]
		k, _ := quiz.Lookup(id)
		b, _ := c.Store.QuizBox(id)
		qs = append(qs, k.Draw(seed, uint64(i), min(quiz.MaxLevel, max(quiz.MinLevel, b.Box))))
	}
	return newQuizScreen(c, qs, quizFrom{})
}

// Status shows how many kinds of quiz question are due.
func (h *home) Status() string {
	var parts []string
	if h.due > 0 {
		parts = append(parts, fmt.Sprintf(T(h.c.Lang, "quiz_due"), h.due))
	}
	if h.c.Name != "" {
		parts = append(parts, h.c.Name)
	}
	return strings.Join(parts, " · ")
}

// Resume shows the progress made in the screen just closed, with the cursor
// on the lesson it showed.
func (h *home) Resume(closed Screen) tea.Cmd {
	h.refresh()
	if nb, ok := closed.(*notebook); ok {
		h.selectLesson(nb.lesson.ID)
	}
	return nil
}

func (h *home) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, h.c.Keys.Quiz):
			return push(newPracticeQuiz(h.c))
		case h.c.rename != nil && key.Matches(k, h.c.Keys.Rename):
			return push(newLoginScreen(h.c, loginRename, h.c.renameLogin))
		case key.Matches(k, h.c.Keys.Open):
			switch it := h.list.SelectedItem().(type) {
			case lessonItem:
				return openLesson(it.l.ID)
			case practiceItem:
				return push(newPracticeQuiz(h.c))
			}
			return nil
		}
	}
	var cmd tea.Cmd
	h.list, cmd = h.list.Update(msg)
	return cmd
}

func (h *home) View(height int) string {
	if len(h.list.Items()) == 0 {
		return h.c.Styles.Subtle.Render("  " + T(h.c.Lang, "no_lessons"))
	}
	title := "  " + h.c.Styles.Title.Render(T(h.c.Lang, "lessons"))
	if lh := max(1, height-2); lh != h.list.Height() {
		h.list.SetHeight(lh)
		h.fit(lh)
	}
	return title + "\n\n" + h.list.View()
}

func stripANSI(s string) string { return strings.TrimSpace(ansiStrip(s)) }

// truncateWords cuts s to w columns at the end of a word, with "…"; a first
// word longer than w is cut where it must be.
func truncateWords(s string, w int) string {
	if report.Width(s) <= w {
		return s
	}
	cut := truncate(s, w)
	body := strings.TrimSuffix(cut, "…")
	if i := strings.LastIndexByte(body, ' '); i > 0 {
		return strings.TrimRight(body[:i], " ,;:·—-") + "…"
	}
	return cut
}
