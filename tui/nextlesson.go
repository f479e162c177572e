package tui

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/report"
)

// nextLesson is the lesson after this one in the list, nil after the last.
func (nb *notebook) nextLesson() *lessons.Lesson {
	list := nb.c.Library.List(nb.c.Lang)
	for i, l := range list {
		if l.ID == nb.lesson.ID && i+1 < len(list) {
			return list[i+1]
		}
	}
	return nil
}

// openNext opens the next lesson in order (N) in place of this one, so esc
// still leads to the lesson list; after the last lesson it goes back there.
func (nb *notebook) openNext() tea.Cmd {
	if next := nb.nextLesson(); next != nil {
		return tea.Sequence(back, openLesson(next.ID))
	}
	return back
}

// endView is the last line of a lesson: the key that opens the next one.
func (nb *notebook) endView(width int) string {
	st, lang := nb.c.Styles, nb.c.Lang
	s := "■ " + T(lang, "lesson_end") + " · "
	if next := nb.nextLesson(); next != nil {
		s += st.Accent.Render("N") + " " + T(lang, "next_lesson") + ": " + next.Title
	} else {
		s += st.Accent.Render("N") + " " + T(lang, "back_to_lessons")
	}
	return report.Wrap(s, width) + "\n"
}
