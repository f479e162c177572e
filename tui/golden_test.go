package tui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/nnlab/nnlab/lessons"
)

// settle wraps the app and quits once the screen stops changing: every cell
// run and drawn, every prose block rendered. teatest then hands back the
// final model, whose View is compared with a golden file.
type settle struct {
	*Model
	wantNotebook bool
	sized        bool // the terminal's size has arrived
	// runAll runs the cells that wait for a prediction too, as if the
	// learner skipped it (a test that looks at every output).
	runAll bool
}

func (s *settle) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.WindowSizeMsg); ok {
		s.sized = true
	}
	_, cmd := s.Model.Update(msg)
	if nb := s.notebook(); s.runAll && nb != nil {
		for i, c := range nb.cells {
			if c.awaiting() {
				c.pred.done = true
				cmd = tea.Batch(cmd, nb.start(i, false, false))
			}
		}
	}
	if s.done() {
		return s, tea.Quit
	}
	return s, cmd
}

func (s *settle) done() bool {
	if !s.sized {
		return false
	}
	if !s.wantNotebook {
		return len(s.stack[0].(*home).list.Items()) > 0
	}
	nb := s.notebook()
	if nb == nil {
		return false
	}
	for _, c := range nb.cells {
		if c.awaiting() { // waits for the learner's prediction before it runs
			continue
		}
		if c.running || c.drawing || c.result == nil || c.out == "" || !c.outSpec.same(outputSpec{result: c.result, pins: c.pins, width: nb.contentWidth() - 2, height: s.c.Height, lang: s.c.Lang}) {
			return false
		}
	}
	for _, b := range nb.blocks {
		if b.prose == nil {
			continue
		}
		if _, ok := s.c.prose.get(proseKey{b.key, nb.contentWidth(), s.c.Styles.GlamourSty}); !ok {
			return false
		}
	}
	return true
}

func TestGolden(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			for _, screen := range []string{"home", "notebook"} {
				name := fmt.Sprintf("%s_%s_%dx%d", screen, lang, size[0], size[1])
				t.Run(name, func(t *testing.T) {
					m := New(Options{Library: lessons.NewLibrary(testLessons(t)...), Lang: lang, Renderer: plainRenderer(), Dark: true,
						FormatDuration: func(time.Duration) string { return "1ms" }})
					if screen == "notebook" {
						m.open = "t"
					}
					tm := teatest.NewTestModel(t, &settle{Model: m, wantNotebook: screen == "notebook"}, teatest.WithInitialTermSize(size[0], size[1]))
					final := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*settle)
					golden.RequireEqual(t, []byte(final.View()))
				})
			}
		}
	}
}
