package tui

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/nnlab/nnlab/tui/plot"
)

// Styles are the UI's styles, built from one renderer so that each SSH
// client gets its own colour profile.
type Styles struct {
	R          *lipgloss.Renderer
	Dark       bool
	Title      lipgloss.Style
	Subtle     lipgloss.Style
	Accent     lipgloss.Style
	Selected   lipgloss.Style
	Error      lipgloss.Style
	Pass       lipgloss.Style
	Warn       lipgloss.Style
	CellFocus  lipgloss.Style // the border of the focused cell
	CellBlur   lipgloss.Style // the border of other cells
	ParamSel   lipgloss.Style // the parameter +/− acts on
	Param      lipgloss.Style
	Key        lipgloss.Style // a key in help text
	Header     lipgloss.Style
	Footer     lipgloss.Style
	Plot       plot.Theme
	GlamourSty string // glamour's standard style name: dark, light or notty
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(r *lipgloss.Renderer, dark bool) *Styles {
	c := func(darkC, lightC string) lipgloss.Color {
		if dark {
			return lipgloss.Color(darkC)
		}
		return lipgloss.Color(lightC)
	}
	accent := c("#87AFFF", "#005FAF")
	s := &Styles{
		R:         r,
		Dark:      dark,
		Title:     r.NewStyle().Bold(true).Foreground(accent),
		Subtle:    r.NewStyle().Foreground(c("#8A8A8A", "#6C6C6C")),
		Accent:    r.NewStyle().Foreground(accent),
		Selected:  r.NewStyle().Bold(true).Foreground(c("#FFFFFF", "#000000")).Background(c("#30466B", "#D0E0F5")),
		Error:     r.NewStyle().Foreground(c("#FF5F5F", "#AF0000")),
		Pass:      r.NewStyle().Foreground(c("#87D787", "#008700")),
		Warn:      r.NewStyle().Foreground(c("#FFD75F", "#875F00")),
		CellFocus: r.NewStyle().Border(lipgloss.ThickBorder(), false, false, false, true).BorderForeground(accent).PaddingLeft(1),
		CellBlur:  r.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(c("#4E4E4E", "#BCBCBC")).PaddingLeft(1),
		ParamSel:  r.NewStyle().Bold(true).Foreground(c("#000000", "#FFFFFF")).Background(accent),
		Param:     r.NewStyle().Foreground(c("#D0D0D0", "#303030")),
		Key:       r.NewStyle().Bold(true).Foreground(accent),
		Header:    r.NewStyle().Bold(true).Foreground(c("#FFFFFF", "#000000")).Background(c("#30466B", "#D0E0F5")).Padding(0, 1),
		Footer:    r.NewStyle().Foreground(c("#8A8A8A", "#6C6C6C")),
		Plot:      plot.NewTheme(r, dark),
	}
	switch {
	case s.Plot.Plain:
		s.GlamourSty = "notty"
	case dark:
		s.GlamourSty = "dark"
	default:
		s.GlamourSty = "light"
	}
	return s
}
