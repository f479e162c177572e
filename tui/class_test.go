package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/workshop"
)

// fakeRoom is a class of three: one stuck failing, one online, one gone.
type fakeRoom struct{ sent []workshop.Notice }

const longHint = "Raise beta towards 0.9 so that the velocity keeps more of the past gradients, then run the cell again"

func (r *fakeRoom) class(now time.Time) workshop.Class {
	var evs []workshop.Event
	ev := func(l int64, min int, kind, lesson, cell string, ok bool, detail string) {
		evs = append(evs, workshop.Event{Learner: l, At: now.Add(time.Duration(min-30) * time.Minute), Kind: kind, Lesson: lesson, Cell: cell, OK: ok, Detail: detail})
	}
	ev(1, 0, workshop.KindConnect, "", "", false, "s")
	ev(1, 1, workshop.KindLesson, "momentum", "", false, "")
	for i := 2; i < 5; i++ {
		ev(1, i, workshop.KindRun, "momentum", "ripples", false, "beta=0.5")
		ev(1, i, workshop.KindExercise, "momentum", "ripples", false, longHint)
	}
	ev(2, 0, workshop.KindConnect, "", "", false, "s")
	ev(2, 29, workshop.KindLesson, "conv", "", false, "")
	ev(3, 0, workshop.KindConnect, "", "", false, "s")
	ev(3, 10, workshop.KindDisconnect, "", "", false, "s")
	return workshop.Fold([]workshop.Learner{{ID: 1, Name: "지민"}, {ID: 2, Name: "Ann"}, {ID: 3, Name: "Bo"}}, evs, 0, now, nil)
}

func (r *fakeRoom) Class(ctx context.Context) (Class, error) { return r.class(time.Now()), nil }
func (r *fakeRoom) Learner(ctx context.Context, id int64) (LearnerDetail, bool, error) {
	a := workshop.NewAggregate()
	c := r.class(time.Now())
	_ = c
	return LearnerDetail{LearnerReport: c.Learners[0], Lessons: []workshop.LessonTime{{Lesson: "momentum", Seconds: 180}},
		Exercises: []workshop.ExerciseTry{{Lesson: "momentum", Cell: "ripples", Attempts: 3, LastHint: longHint}},
		Quiz:      []workshop.QuizRecord{{Kind: "conv_out", Right: 1, Answered: 2}},
		LastRun:   &workshop.Run{Lesson: "momentum", Cell: "ripples", Values: "beta=0.5", At: time.Now()}}, a != nil, nil
}
func (r *fakeRoom) Send(ctx context.Context, n workshop.Notice) error {
	r.sent = append(r.sent, n)
	return nil
}

func classModel(t *testing.T, lang string, room Room) *Model {
	m := New(Options{Library: lessons.NewLibrary(testLessons(t)...), Lang: lang, Renderer: plainRenderer(), Dark: true, Room: room, Width: 80, Height: 40})
	m.Update(classMsg{class: room.(*fakeRoom).class(time.Now()), at: time.Now()})
	return m
}

// The instructor's view in Korean says who needs help in Korean, marks
// who is online and who left, and shows the common hint whole.
func TestClassViewKorean(t *testing.T) {
	m := classModel(t, "ko", &fakeRoom{})
	v := ansi.Strip(m.View())
	for _, want := range []string{"momentum/ripples 연속 3번 실패", "● ", "○ 20m", "학습자 3명 · 접속 2명 · 도움 필요 1명"} {
		if !strings.Contains(v, want) {
			t.Errorf("the view lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "failing") || strings.Contains(v, "idle in") {
		t.Errorf("English in the Korean view:\n%s", v)
	}
	// The hint is whole: every word of it, none cut, over several lines.
	flat := strings.Join(strings.Fields(v), " ")
	if !strings.Contains(flat, longHint) {
		t.Errorf("the hint is not whole:\n%s", v)
	}
	for _, line := range strings.Split(v, "\n") {
		if ansi.StringWidth(line) > 80 {
			t.Errorf("a line wider than the terminal: %q", line)
		}
	}
}

// Enter shows the selected learner in full; m and o send notices.
func TestClassViewActions(t *testing.T) {
	room := &fakeRoom{}
	m := classModel(t, "en", room)
	pump(t, m, func() tea.Msg { return tea.KeyMsg{Type: tea.KeyEnter} })
	v := ansi.Strip(m.View())
	for _, want := range []string{"Lessons visited", "momentum", "3m", "Hint last seen", "Quiz by kind", "conv_out", "1/2", "Last run", "beta=0.5", "failing momentum/ripples (3× in a row)"} {
		if !strings.Contains(v, want) {
			t.Errorf("the learner in full lacks %q:\n%s", want, v)
		}
	}
	pump(t, m, func() tea.Msg { return tea.KeyMsg{Type: tea.KeyEsc} })
	pump(t, m, func() tea.Msg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("m")} })
	for _, r := range "Break" {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	m.Update(tea.KeyMsg{Type: tea.KeyTab})
	for _, r := range "휴식" {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	pump(t, m, func() tea.Msg { return tea.KeyMsg{Type: tea.KeyEnter} })
	pump(t, m, func() tea.Msg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("o")} })
	pump(t, m, func() tea.Msg { return tea.KeyMsg{Type: tea.KeyEnter} })
	if len(room.sent) != 2 || room.sent[0].EN != "Break" || room.sent[0].KO != "휴식" || room.sent[1].Lesson != "t" {
		t.Errorf("sent %+v", room.sent)
	}
}

// A learner offered a lesson opens it with o; a message shows in their
// language.
func TestRoomNoticeToLearner(t *testing.T) {
	m := newTestModel(t, nil)
	m.c.Lang = "ko"
	m.Update(RoomNoticeMsg{Notice: workshop.Notice{EN: "Break", KO: "휴식"}})
	if v := ansi.Strip(m.View()); !strings.Contains(v, "강사 알림: 휴식") {
		t.Errorf("the message:\n%s", v)
	}
	m.Update(RoomNoticeMsg{Notice: workshop.Notice{Lesson: "t"}})
	if v := ansi.Strip(m.View()); !strings.Contains(v, "o를 누르면 이동합니다") {
		t.Errorf("the invitation:\n%s", v)
	}
	pump(t, m, func() tea.Msg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("o")} })
	if nb := m.notebook(); nb == nil || nb.lesson.ID != "t" {
		t.Fatalf("o did not open the lesson: top %T", m.top())
	}
	if v := ansi.Strip(m.View()); strings.Contains(v, "o를 누르면") {
		t.Errorf("the invitation outlived its taking:\n%s", v)
	}
}
