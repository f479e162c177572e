package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// openedModel is a notebook at w×h with every cell run and drawn.
func openedModel(b *testing.B, w, h int) *Model {
	m := newTestModel(b, nil)
	send(b, m, tea.WindowSizeMsg{Width: w, Height: h})
	send(b, m, keys("enter")...)
	return m
}

func BenchmarkViewNotebook120x40(b *testing.B) {
	m := openedModel(b, 120, 40)
	for b.Loop() {
		_ = m.View()
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
