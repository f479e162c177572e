package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
)

// openedModel is a notebook at w×h with every cell run and drawn.
func openedModel(b *testing.B, w, h int) *Model {
	m := newTestModel(b, nil)
	send(b, m, tea.WindowSizeMsg{Width: w, Height: h})
	send(b, m, keys("enter", "tab")...)
	return m
}

func BenchmarkViewNotebook120x40(b *testing.B) {
	m := openedModel(b, 120, 40)
	for b.Loop() {
		_ = m.View()
	}
}

// compose is where the frame is laid out (at the end of every Update);
// View itself only returns it.
func BenchmarkComposeNotebook120x40(b *testing.B) {
	m := openedModel(b, 120, 40)
	for b.Loop() {
		_ = m.compose()
	}
}

// A key that changes a parameter: the cost of Update itself (the run it
// may start happens in a command, off the loop).
func BenchmarkKeyNudge(b *testing.B) {
	m := openedModel(b, 120, 40)
	plus, minus := keys("+")[0], keys("-")[0]
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.Update(plus)
		} else {
			m.Update(minus)
		}
	}
}

func BenchmarkKeyScroll(b *testing.B) {
	m := openedModel(b, 120, 40)
	down, up := keys("j")[0], keys("k")[0]
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.Update(down)
		} else {
			m.Update(up)
		}
	}
}

// Keys stay within a 60 Hz frame while a long training run streams progress
// in the background: the run lives in its own goroutine and only its
// messages reach Update.
func BenchmarkKeyWhileTraining(b *testing.B) {
	m := openedModel(b, 120, 40)
	nb := m.notebook()
	nb.focusCell(0)
	// Swap cell 0's experiment for the residual one at a heavy setting.
	reg := experiments.Registry()
	e, _ := reg.Get("residual")
	c := nb.cells[0]
	src := *c.src
	src.Experiment, src.Params, src.Tweak, src.Show, src.Exercise = e, e.Params.Defaults(), []string{"lr"}, nil, nil
	src.Params["steps"] = 5000
	c.src, c.values = &src, src.Params.Clone()
	cmd := nb.start(0, true, true)
	go func() { // deliver progress as the program would
		for msg := cmd(); msg != nil; {
			switch mm := msg.(type) {
			case tea.BatchMsg:
				msg = nil
				for _, c := range mm {
					if c != nil {
						if r, ok := c().(runMsg); ok {
							msg = r
							break
						}
					}
				}
			case runMsg:
				if mm.final {
					return
				}
				msg = waitRun(mm.ch)()
			default:
				return
			}
		}
	}()
	down, up := keys("j")[0], keys("k")[0]
	plus := keys("+")[0]
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		switch i % 3 {
		case 0:
			m.Update(down)
		case 1:
			m.Update(up)
		case 2:
			m.Update(plus)
		}
	}
	b.StopTimer()
	c.cancel()
}

// A value changed on a fast cell until its new outputs are drawn in the
// frame: the key, the live rerun, the drawing and the layout, all of it
// (run here one after another, as the program runs them off the loop).
func BenchmarkLiveRerunToFrame(b *testing.B) {
	m := openedModel(b, 120, 40)
	nudgeToFrame(b, m)
}

// The same for a cell that draws a loss surface with two paths (lesson 1's
// kind): the key, the rerun, the surface drawn, the layout.
func BenchmarkLiveRerunSurfaceToFrame(b *testing.B) {
	src := strings.Replace(testLessonEN, "experiment: conv1x1\ntweak: [reduce]\nshow: [direct.macs, reduced.macs]", "experiment: optimize\nparams: {optimizers: [sgd, momentum], steps: 50}\ntweak: [lr]\nshow: [surface, loss]", 1)
	l, err := lessons.Parse("t.md", []byte(src), experiments.Registry())
	if err != nil {
		b.Fatal(err)
	}
	m := New(Options{Library: lessons.NewLibrary(l), Lang: "en", Renderer: plainRenderer(), Dark: true})
	send(b, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	send(b, m, keys("enter", "tab", "tab")...)
	nudgeToFrame(b, m)
}

// The same for a cell that runs a real image through a convolution and
// draws the input and the feature map in colour half blocks (lesson 3's
// real-image cell; issue 24's goal: within a frame, 16 ms): the key, the
// image's forward pass, the drawing, the layout.
func BenchmarkLiveRerunImageToFrame(b *testing.B) {
	src := strings.Replace(testLessonEN, "experiment: conv1x1\ntweak: [reduce]\nshow: [direct.macs, reduced.macs]", "experiment: feature_map\ntweak: [kernel]\nshow: [output, out_h]", 1)
	l, err := lessons.Parse("t.md", []byte(src), experiments.Registry())
	if err != nil {
		b.Fatal(err)
	}
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.TrueColor)
	m := New(Options{Library: lessons.NewLibrary(l), Lang: "en", Renderer: r, Dark: true})
	send(b, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	send(b, m, keys("enter", "tab", "tab")...)
	nudgeToFrame(b, m)
}

// nudgeToFrame changes the focused cell's value up and down, each time
// until its new outputs are drawn.
func nudgeToFrame(b *testing.B, m *Model) {
	plus, minus := keys("+")[0], keys("-")[0]
	for i := 0; b.Loop(); i++ {
		k := plus
		if i%2 == 1 {
			k = minus
		}
		_, cmd := m.Update(k)
		pump(b, m, cmd)
	}
}
