package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/tui/palette"
	"github.com/nnlab/nnlab/tui/plot"
)

// Styles are the UI's styles, built from one renderer so that each SSH
// client gets its own colour profile.
type Styles struct {
	R          *lipgloss.Renderer
	Dark       bool
	NoColor    bool // NO_COLOR: no colour, bold and reverse video kept
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
	GlamourSty string // the prose's style: see ProseStyle
}

// NewStyles builds the styles for a dark or light background from the
// palette designed for the renderer's colour depth. In 16 colours, where
// the palette is the user's, the header, the selected row and the
// parameter being changed are in reverse video (always readable) and
// muted text keeps the terminal's own colour.
func NewStyles(r *lipgloss.Renderer, dark bool) *Styles { return newStyles(r, dark, false) }

// newStyles is NewStyles, without any colour if noColor (NO_COLOR).
func newStyles(r *lipgloss.Renderer, dark, noColor bool) *Styles {
	p := palette.For(dark)
	if noColor {
		p = palette.Mono(dark)
	}
	fg := func(c palette.Colour) lipgloss.Style { return r.NewStyle().Foreground(c.Lip()) }
	on := func(f, b palette.Colour) lipgloss.Style {
		if r.ColorProfile() == termenv.ANSI {
			return r.NewStyle().Reverse(true)
		}
		return r.NewStyle().Foreground(f.Lip()).Background(b.Lip())
	}
	s := &Styles{
		R:         r,
		Dark:      dark,
		NoColor:   noColor,
		Title:     fg(p.Accent).Bold(true),
		Subtle:    fg(p.Subtle),
		Accent:    fg(p.Accent),
		Selected:  on(p.SelectFG, p.SelectBG).Bold(true),
		Error:     fg(p.Error),
		Pass:      fg(p.Pass),
		Warn:      fg(p.Warn),
		CellFocus: r.NewStyle().Border(lipgloss.ThickBorder(), false, false, false, true).BorderForeground(p.Accent.Lip()).PaddingLeft(1),
		CellBlur:  r.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(p.Border.Lip()).PaddingLeft(1),
		ParamSel:  on(p.KnobFG, p.KnobBG).Bold(true),
		Param:     fg(p.Param),
		Key:       fg(p.Accent).Bold(true),
		Header:    on(p.HeadFG, p.HeadBG).Bold(true).Padding(0, 1),
		Footer:    fg(p.Subtle),
		Plot:      plot.NewThemeFor(r, dark, noColor),
	}
	if r.ColorProfile() == termenv.ANSI && (!dark || noColor) {
		s.Pass = s.Pass.Bold(true) // green does not read on white: the default colour, bold
	}
	s.GlamourSty = ProseStyleName(r.ColorProfile(), dark)
	if noColor {
		s.GlamourSty = "notty"
	}
	return s
}

// TextInput is a text field drawn with the session's renderer (bubbles'
// defaults draw with lipgloss's process-wide one).
func (s *Styles) TextInput() textinput.Model {
	in := textinput.New()
	in.PromptStyle, in.TextStyle = s.R.NewStyle(), s.R.NewStyle()
	in.PlaceholderStyle, in.CompletionStyle = s.Subtle, s.Subtle
	in.Cursor.Style, in.Cursor.TextStyle = s.R.NewStyle(), s.R.NewStyle()
	return in
}

// Help is the key help drawn with the session's renderer.
func (s *Styles) Help() help.Model {
	h := help.New()
	h.Styles = help.Styles{
		Ellipsis: s.Subtle, ShortKey: s.Key, ShortDesc: s.Subtle, ShortSeparator: s.Subtle,
		FullKey: s.Key, FullDesc: s.Subtle, FullSeparator: s.Subtle,
	}
	return h
}

// List sets a bubbles list's styles to the session's (its defaults draw with
// lipgloss's process-wide renderer, and its page dots are drawn once, here).
func (s *Styles) List(l *list.Model) {
	plain := s.R.NewStyle()
	l.Styles = list.Styles{
		TitleBar: plain, Title: s.Title, Spinner: s.Accent, FilterPrompt: s.Accent, FilterCursor: s.Accent,
		DefaultFilterCharacterMatch: plain.Underline(true),
		StatusBar:                   s.Subtle, StatusEmpty: s.Subtle, StatusBarActiveFilter: s.Accent, StatusBarFilterCount: s.Subtle,
		NoItems: s.Subtle, PaginationStyle: plain.PaddingLeft(2), HelpStyle: plain.Padding(1, 0, 0, 2),
		ActivePaginationDot: s.Accent.SetString("•"), InactivePaginationDot: s.Subtle.SetString("•"),
		ArabicPagination: s.Subtle, DividerDot: s.Subtle.SetString(" • "),
	}
	l.Paginator.ActiveDot = l.Styles.ActivePaginationDot.String()
	l.Paginator.InactiveDot = l.Styles.InactivePaginationDot.String()
}
