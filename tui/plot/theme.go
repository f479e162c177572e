package plot

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/tui/locale"
)

// Theme holds the colours charts are drawn in, bound to one renderer (so each
// SSH client gets its own colour profile).
type Theme struct {
	R      *lipgloss.Renderer
	Series []lipgloss.Style // one per series, in legend order
	Axis   lipgloss.Style
	Label  lipgloss.Style
	Min    lipgloss.Style // a surface's minimum marker
	Heat   []lipgloss.Color
	// Plain is true when the terminal shows no colour (NO_COLOR, a dumb
	// terminal): surfaces are shaded with characters and series get markers.
	Plain bool
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
	Step    string // "step", before a scrubbed step's number
	Low     string // the ends of a surface's colour key
	High    string
	// OffScale notes a series cut at the top of the scale: its name, where
	// it leaves (the x label and value) and its peak.
	OffScale string
	// OffWindow notes a path that ends outside a surface's window: its name
	// and its final x and y.
	OffWindow string
}

// WordsIn is the chart words in lang, from the message catalog.
func WordsIn(lang string) Words {
	m := func(id string) string { return locale.Msg(lang, id) }
	return Words{Step: m("chart.step"), Log: m("chart.log_scale"), Minimum: m("chart.minimum"), Start: m("chart.start"), Low: m("chart.low"), High: m("chart.high"),
		OffScale: m("chart.off_scale"), OffWindow: m("chart.off_window")}
}

// NewTheme builds the chart colours for a dark or light background.
func NewTheme(r *lipgloss.Renderer, dark bool) Theme {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	series := []string{"#5FAFFF", "#FFAF5F", "#87D787", "#FF87AF", "#D7AFFF", "#FFD75F", "#5FD7D7", "#D78787"}
	heat := []string{"#1C2B3A", "#22364A", "#29425A", "#314E69", "#3A5A77", "#446684", "#4F7290", "#5B7E9B"}
	axis, label, min := "#6C6C6C", "#8A8A8A", "#FFFFFF"
	if !dark {
		series = []string{"#005FAF", "#AF5F00", "#008700", "#AF005F", "#5F00AF", "#875F00", "#008787", "#870000"}
		heat = []string{"#F4F8FB", "#E6EFF6", "#D8E6F0", "#C9DCEA", "#BAD2E4", "#ABC8DE", "#9CBED8", "#8DB4D2"}
		axis, label, min = "#9E9E9E", "#6C6C6C", "#000000"
	}
	t := Theme{
		R:     r,
		Axis:  r.NewStyle().Foreground(lipgloss.Color(axis)),
		Label: r.NewStyle().Foreground(lipgloss.Color(label)),
		Min:   r.NewStyle().Foreground(lipgloss.Color(min)).Bold(true),
		Plain: r.ColorProfile() == termenv.Ascii,
		Words: WordsIn("en"),
		Step:  -1,
	}
	for _, c := range series {
		t.Series = append(t.Series, r.NewStyle().Foreground(lipgloss.Color(c)))
	}
	for _, c := range heat {
		t.Heat = append(t.Heat, lipgloss.Color(c))
	}
	return t
}

// SeriesStyle is the style of series i.
func (t Theme) SeriesStyle(i int) lipgloss.Style { return t.Series[i%len(t.Series)] }
