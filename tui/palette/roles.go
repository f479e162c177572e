package palette

// Roles are one theme's colours: the interface's text, the charts' series
// and the surfaces' ramp. In 16 colours the user's palette is unknown, so
// the roles there keep to the colours that read on xterm's defaults and on
// common palettes, and leave the rest (muted text, the header, selections)
// to the default colour, bold and reverse video (see tui.NewStyles).
type Roles struct {
	Dark bool
	// Text on the terminal's background.
	Accent, Subtle, Error, Pass, Warn, Param Colour
	// A selected row, the header bar and the parameter being changed:
	// text on a background (in 16 colours, reverse video instead).
	SelectFG, SelectBG, HeadFG, HeadBG, KnobFG, KnobBG Colour
	// Border is an unfocused cell's rule and Axis a chart's axes: decoration.
	Border, Axis Colour
	// Label is a chart's words (text); Min its minimum's mark.
	Label, Min Colour
	// Series are the colours of a chart's series, in legend order (marks).
	Series []Colour
	// Ramp colours a surface from low to high, ordered in lightness: away
	// from the background as the value grows (dark to light on a dark
	// theme, light to dark on a light one).
	Ramp []Colour
}

// For is the theme for a dark or a light background.
func For(dark bool) Roles {
	if dark {
		return Roles{
			Dark:   true,
			Accent: C("#87afff", 111, 14), Subtle: C("#8a8a8a", 245, Default),
			Error: C("#ff5f5f", 203, 9), Pass: C("#87d787", 114, 10), Warn: C("#ffd75f", 221, 11),
			Param:    C("#d0d0d0", 252, Default),
			SelectFG: C("#ffffff", 231, Default), SelectBG: C("#30466b", 24, Default),
			HeadFG: C("#ffffff", 231, Default), HeadBG: C("#30466b", 24, Default),
			KnobFG: C("#000000", 16, Default), KnobBG: C("#87afff", 111, Default),
			Border: C("#4e4e4e", 239, 8), Axis: C("#6c6c6c", 242, 8),
			Label: C("#8a8a8a", 245, Default), Min: C("#ffffff", 231, 15),
			Series: []Colour{
				C("#5fafff", 75, 14), C("#ffaf5f", 215, 11), C("#87d787", 114, 10), C("#ff87af", 211, 13),
				C("#d7afff", 183, 15), C("#ffd75f", 221, 9), C("#5fd7d7", 80, 6), C("#d78787", 174, 7),
			},
			Ramp: makeRamp(true),
		}
	}
	return Roles{
		Accent: C("#005faf", 25, 4), Subtle: C("#6c6c6c", 242, Default),
		Error: C("#af0000", 124, 1), Pass: C("#008700", 28, Default), Warn: C("#875f00", 94, 5),
		Param:    C("#303030", 236, Default),
		SelectFG: C("#000000", 16, Default), SelectBG: C("#d0e0f5", 189, Default),
		HeadFG: C("#000000", 16, Default), HeadBG: C("#d0e0f5", 189, Default),
		KnobFG: C("#ffffff", 231, Default), KnobBG: C("#005faf", 25, Default),
		Border: C("#bcbcbc", 250, 7), Axis: C("#9e9e9e", 247, 8),
		Label: C("#6c6c6c", 242, Default), Min: C("#000000", 16, 0),
		Series: []Colour{
			C("#005faf", 25, 4), C("#af5f00", 130, 1), C("#008700", 28, 5), C("#af005f", 125, 0),
			C("#5f00af", 55, 12), C("#875f00", 94, 4), C("#006f6f", 23, 1), C("#870000", 88, 5),
		},
		Ramp: makeRamp(false),
	}
}

// Mono is a theme without colour (NO_COLOR): every role the terminal's own
// colour; the interface marks what matters with bold and reverse video.
func Mono(dark bool) Roles {
	r := For(dark)
	for _, c := range []*Colour{&r.Accent, &r.Subtle, &r.Error, &r.Pass, &r.Warn, &r.Param, &r.SelectFG, &r.SelectBG,
		&r.HeadFG, &r.HeadBG, &r.KnobFG, &r.KnobBG, &r.Border, &r.Axis, &r.Label, &r.Min} {
		*c = None
	}
	r.Series = []Colour{None}
	r.Ramp = []Colour{None}
	return r
}
