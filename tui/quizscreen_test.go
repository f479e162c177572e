package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/core/quiz"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/state"
)

// A ResNet-style first conv: 9,408 parameters.
func conv1Question(t testing.TB) quiz.Question {
	k, _ := quiz.Lookup("conv_params")
	q, err := k.Build(experiments.Registry(), map[string]string{"h": "224", "w": "224", "cin": "3", "cout": "64", "k": "7", "stride": "2", "pad": "3", "bias": "false"}, 1, "")
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// typeLine sends text as keys and enter.
func typeLine(tm *teatest.TestModel, text string) {
	tm.Type(text)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
}

// The quiz screen through a right, a garbage and a wrong answer, in both
// languages: the verdicts, the refusal that keeps the question, the slip
// and the worked solution, the score and the review.
func TestQuizScreen(t *testing.T) {
	for _, tc := range []struct {
		lang                                                 string
		right, refused, wrong, slip, solution, score, review string
	}{
		{"en", "exactly right", `not a number: "lots"`, "the answer is 9,408", "bias=False", "Numbers in: 64·3·7²", "Score: 1 of 2 right", "To review:"},
		{"ko", "정답입니다", `숫자가 아닙니다: "lots"`, "답은 9,408입니다", "bias=False", "값 대입: 64·3·7²", "점수: 2문제 중 1문제 정답", "다시 볼 문제:"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			store := state.Memory()
			q := conv1Question(t)
			m := New(Options{Library: lessons.NewLibrary(testLessons(t)...), Store: store, Lang: tc.lang, Renderer: plainRenderer(), Dark: true, Quiz: []quiz.Question{q, q}})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
			// screenHas waits until one frame shows every one of what.
			screenHas := func(what ...string) {
				t.Helper()
				teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
					for _, w := range what {
						if !strings.Contains(ansi.Strip(string(b)), w) {
							return false
						}
					}
					return true
				}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
			}
			screenHas("Conv2d(3, 64, kernel_size=7")
			typeLine(tm, "9,408")
			screenHas(tc.right)
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
			typeLine(tm, "lots")
			screenHas(tc.refused)
			tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
			typeLine(tm, "9472") // bias counted
			screenHas(tc.wrong, tc.slip, tc.solution)
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
			screenHas(tc.score, tc.review)
			tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
			tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
			if b, ok := store.QuizBox("conv_params"); !ok || b.Right != 1 || b.Wrong != 1 || b.Box != 1 {
				t.Errorf("Leitner box after a right and a wrong answer: %+v", b)
			}
		})
	}
}

// A lesson's quiz, opened with z, counts as its exercise once passed.
func TestLessonQuizCounts(t *testing.T) {
	src := strings.Replace(testLessonEN, "More prose.", "More prose.\n\n```nnlab-quiz\nid: q\nquestions:\n  - kind: conv_params\n    spec: {k: 7, cin: 3, cout: 64, stride: 2, pad: 3, bias: false}\n```\n", 1)
	l, err := lessons.Parse("t.md", []byte(src), experiments.Registry())
	if err != nil || len(l.Blocks) == 0 {
		t.Skipf("quiz fences not parsed yet: %v", err)
	}
	var qb *lessons.QuizBlock
	for _, b := range l.Blocks {
		if q, ok := b.(*lessons.QuizBlock); ok {
			qb = q
		}
	}
	if qb == nil || len(qb.Fixed) == 0 {
		t.Skip("quiz fences not parsed yet")
	}
	store := state.Memory()
	m := New(Options{Library: lessons.NewLibrary(l), Store: store, Lang: "en", Renderer: plainRenderer(), Dark: true, Open: "t"})
	send(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	pump(t, m, m.Init())
	send(t, m, keys("z")...)
	if _, ok := m.top().(*quizScreen); !ok {
		t.Fatalf("z did not open the lesson's quiz:\n%s", m.View())
	}
	send(t, m, keys("9", "4", "0", "8", "enter")...)
	if _, ok := store.Lesson("t").Passed["q"]; !ok {
		t.Errorf("the passed quiz was not recorded:\n%s", m.View())
	}
	send(t, m, keys("enter")...) // the score
	send(t, m, keys("enter")...) // back
	if m.notebook() == nil || !strings.Contains(m.View(), "exercises 1/2") {
		t.Errorf("back in the lesson, the header does not count the quiz:\n%s", m.View())
	}
}

// The score screen fits the terminal (80 and 60 columns, both languages),
// and a wrapped review or slip line keeps its indent.
func TestQuizScoreWraps(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		for _, w := range []int{80, 60} {
			q := conv1Question(t)
			m := New(Options{Library: lessons.NewLibrary(testLessons(t)...), Store: state.Memory(), Lang: lang, Renderer: plainRenderer(), Dark: true, Quiz: []quiz.Question{q, q}})
			pump(t, m, m.Init())
			send(t, m, tea.WindowSizeMsg{Width: w, Height: 40})
			for range 2 {
				m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("9472")}) // bias counted: a slip (the cursor's blink is not waited for)
				send(t, m, keys("enter", "enter")...)
			}
			s := screen(m)
			if !strings.Contains(s, map[string]string{"en": "To review:", "ko": "다시 볼 문제:"}[lang]) {
				t.Fatalf("%s %d: no review:\n%s", lang, w, s)
			}
			lines := strings.Split(s, "\n")
			for i, l := range lines {
				if lw := ansi.StringWidth(l); lw > w {
					t.Errorf("%s %d: line %d is %d wide: %q", lang, w, i, lw, l)
				}
			}
			// The lines after "N. " or "→ " until a blank one are its
			// continuation: indented at least as far as its text.
			for i, l := range lines {
				t0 := strings.TrimLeft(l, " ")
				lead := len(l) - len(t0)
				switch {
				case strings.HasPrefix(t0, "→ "):
					lead += len("→ ")
				case len(t0) > 2 && t0[0] >= '1' && t0[0] <= '9' && t0[1] == '.':
					lead += 3
				default:
					continue
				}
				for _, next := range lines[i+1:] {
					nt := strings.TrimLeft(next, " ")
					if nt == "" || strings.HasPrefix(nt, "→") || len(next)-len(nt) < lead && !strings.HasPrefix(nt, "you typed") && !strings.HasPrefix(nt, "입력") {
						if nt != "" && !strings.HasPrefix(nt, "→") && len(next)-len(nt) < lead {
							t.Errorf("%s %d: a wrapped line lost its indent of %d:\n%s\n%s", lang, w, lead, l, next)
						}
						break
					}
				}
			}
		}
	}
}

// A question answered with 1 or 2 says so under the answer field, without
// the examples of numbers.
func TestChoiceQuestionHint(t *testing.T) {
	k, _ := quiz.Lookup("compare")
	q, err := k.Build(experiments.Registry(), map[string]string{"measure": "params"}, 1, "")
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en": "Type 1 or 2 and press enter", "ko": "1, 2 중 하나를 입력하고"} {
		m := New(Options{Library: lessons.NewLibrary(testLessons(t)...), Store: state.Memory(), Lang: lang, Renderer: plainRenderer(), Dark: true, Quiz: []quiz.Question{q}})
		pump(t, m, m.Init())
		send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
		if s := screen(m); !strings.Contains(s, want) || strings.Contains(s, "9408") || strings.Contains(s, "25.6M") {
			t.Errorf("%s: the hint is not %q, or shows number examples:\n%s", lang, want, s)
		}
	}
}
