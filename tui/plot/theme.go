package plot

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/palette"
)

// Theme holds the colours charts are drawn in, bound to one renderer (so each
// SSH client gets its own colour profile), from the palette designed for the
// renderer's colour depth.
type Theme struct {
	R       *lipgloss.Renderer
	Profile termenv.Profile
	Dark    bool
	Series  []lipgloss.Style // one per series, in legend order
	Axis    lipgloss.Style
	Label   lipgloss.Style
	Min     lipgloss.Style // a surface's minimum marker
	// Palette is the theme's colours, for drawings that write their own
	// escape codes (a surface's half blocks).
	Palette palette.Roles
	// Plain is true when the terminal shows no colour (NO_COLOR, a dumb
	// terminal): surfaces are shaded with characters and series get markers.
	Plain bool
	// Shaded is true in 16 colours, where the palette is the user's: a
	// surface is shaded with dots and shades ( ·░▒▓) in a muted colour
	// and its paths drawn in the terminal's own colour, bold, with markers.
	Shaded bool
	// Words are the few words charts print, in the learner's language.
	Words Words
	// Step, when ≥ 0, is the step of the paths a surface marks ◆ and
	// describes under itself: the point, the loss and the velocity there.
	Step int
}

// Words a chart prints besides the data's own labels.
type Words struct {
	Log     string // after the title of a chart with a log axis
	Minimum string // the legend of a surface's ✕
	Start   string // the legend of a surface's ●, where the paths start
	End     string // the legend of a surface's ■, where they end
	Step    string // "step", before a scrubbed step's number
	Low     string // the ends of a surface's colour key
	High    string
	// OffScale notes a series cut at the top of the scale: its name, where
	// it leaves (the x label and value) and its peak.
	OffScale string
	// Clipped notes that values above a chart's y window (the value) are
	// cut at its top edge.
	Clipped string
	// OffWindow notes a path that ends outside a surface's window: its name
	// and its final x and y.
	OffWindow string
}

// WordsIn is the chart words in lang, from the message catalog.
func WordsIn(lang string) Words {
	m := func(id string) string { return locale.Msg(lang, id) }
	return Words{Step: m("chart.step"), Log: m("chart.log_scale"), Minimum: m("chart.minimum"), Start: m("chart.start"), End: m("chart.end"), Low: m("chart.low"), High: m("chart.high"),
		OffScale: m("chart.off_scale"), OffWindow: m("chart.off_window"), Clipped: m("chart.clipped")}
}

// NewTheme builds the chart colours for a dark or light background.
func NewTheme(r *lipgloss.Renderer, dark bool) Theme { return NewThemeFor(r, dark, false) }

// NewThemeFor is NewTheme, drawn without colour if noColor (NO_COLOR):
// shades and markers as on a terminal without colour, bold kept.
func NewThemeFor(r *lipgloss.Renderer, dark, noColor bool) Theme {
	if r == nil {
		r = lipgloss.NewRenderer(nil)
		r.SetColorProfile(termenv.Ascii)
	}
	p := palette.For(dark)
	if noColor {
		p = palette.Mono(dark)
	}
	profile := r.ColorProfile()
	fg := func(c palette.Colour) lipgloss.Style { return r.NewStyle().Foreground(c.Lip()) }
	t := Theme{
		R:       r,
		Profile: profile,
		Dark:    dark,
		Axis:    fg(p.Axis),
		Label:   fg(p.Label),
		Min:     fg(p.Min).Bold(true),
		Palette: p,
		Plain:   profile == termenv.Ascii || noColor,
		Shaded:  profile == termenv.ANSI && !noColor,
		Words:   WordsIn("en"),
		Step:    -1,
	}
	for _, c := range p.Series {
		t.Series = append(t.Series, fg(c))
	}
	return t
}

// SeriesStyle is the style of series i.
func (t Theme) SeriesStyle(i int) lipgloss.Style { return t.Series[i%len(t.Series)] }
