package tui

import (
	"context"
	"io"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// NewRenderer makes the renderer for a terminal on out: NO_COLOR turns colour
// off; theme "dark" or "light" fixes the background, "auto" asks the terminal
// once, here, never again.
func NewRenderer(out io.Writer, theme string) (r *lipgloss.Renderer, dark bool) {
	r = lipgloss.NewRenderer(out)
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		r.SetColorProfile(termenv.Ascii)
	}
	switch theme {
	case "dark":
		dark = true
	case "light":
		dark = false
	default:
		dark = r.HasDarkBackground()
	}
	r.SetHasDarkBackground(dark)
	return r, dark
}

// Run shows the app full-screen until the learner quits.
func Run(ctx context.Context, o Options, in io.Reader, out io.Writer) error {
	m := New(o)
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(),
		tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	_, err := p.Run()
	if err == tea.ErrProgramKilled && ctx.Err() != nil {
		return nil
	}
	return err
}
