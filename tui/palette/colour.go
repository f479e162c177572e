package palette

import (
	"fmt"
	"math"
	"strconv"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Default is "the terminal's own colour" at a depth (no colour set).
const Default = -1

// Colour is one colour as designed for each depth: exact in truecolor, an
// index of xterm's 256-colour palette (16…255, whose values are fixed), and
// an index of the 16 colours (0…15, the user's palette) or Default.
type Colour struct {
	TC   string // "#rrggbb", or "" for Default
	X256 int
	X16  int
}

// C builds a Colour.
func C(tc string, x256, x16 int) Colour { return Colour{TC: tc, X256: x256, X16: x16} }

// None is the terminal's default colour at every depth.
var None = Colour{X256: Default, X16: Default}

// Lip is the colour for lipgloss, with no automatic degradation: each depth
// gets its own designed value.
func (c Colour) Lip() lipgloss.TerminalColor {
	if c.TC == "" && c.X256 == Default && c.X16 == Default {
		return lipgloss.NoColor{}
	}
	return lipgloss.CompleteColor{TrueColor: c.TC, ANSI256: index(c.X256), ANSI: index(c.X16)}
}

func index(i int) string {
	if i < 0 {
		return ""
	}
	return strconv.Itoa(i)
}

// String is the colour as glamour and termenv name it at depth p ("" for
// the default).
func (c Colour) String(p termenv.Profile) string {
	switch p {
	case termenv.TrueColor:
		return c.TC
	case termenv.ANSI256:
		return index(c.X256)
	case termenv.ANSI:
		return index(c.X16)
	}
	return ""
}

// Seq is the SGR parameters that set the colour at depth p as foreground
// (or background): "38;2;r;g;b", "38;5;n", "31", "102"… or "" for the
// default colour (and for termenv.Ascii).
func (c Colour) Seq(p termenv.Profile, bg bool) string {
	base := 38
	if bg {
		base = 48
	}
	switch p {
	case termenv.TrueColor:
		if rgb, ok := hexRGB(c.TC); ok {
			return fmt.Sprintf("%d;2;%d;%d;%d", base, rgb[0], rgb[1], rgb[2])
		}
	case termenv.ANSI256:
		if c.X256 >= 0 {
			return fmt.Sprintf("%d;5;%d", base, c.X256)
		}
	case termenv.ANSI:
		if c.X16 >= 0 {
			n := 30 + c.X16
			if c.X16 >= 8 {
				n = 90 + c.X16 - 8
			}
			if bg {
				n += 10
			}
			return strconv.Itoa(n)
		}
	}
	return ""
}

// Shown is the colour a terminal shows at depth p, 0…1 a channel, taking
// the 16 colours to be xterm's defaults; ok is false for the default
// colour, whose value is the terminal's.
func (c Colour) Shown(p termenv.Profile) (rgb [3]float64, ok bool) {
	switch p {
	case termenv.TrueColor:
		if v, ok := hexRGB(c.TC); ok {
			return unit(v), true
		}
	case termenv.ANSI256:
		if c.X256 >= 0 {
			return Xterm(c.X256), true
		}
	case termenv.ANSI:
		if c.X16 >= 0 {
			return Xterm(c.X16), true
		}
	}
	return rgb, false
}

func unit(v [3]uint8) [3]float64 {
	return [3]float64{float64(v[0]) / 255, float64(v[1]) / 255, float64(v[2]) / 255}
}

func hexRGB(s string) ([3]uint8, bool) {
	var v [3]uint8
	if len(s) != 7 || s[0] != '#' {
		return v, false
	}
	for i := range 3 {
		n, err := strconv.ParseUint(s[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return v, false
		}
		v[i] = uint8(n)
	}
	return v, true
}

// Hex formats a colour, 0…1 a channel, as "#rrggbb".
func Hex(c [3]float64) string {
	b := func(v float64) int { return int(math.Round(math.Max(0, math.Min(1, v)) * 255)) }
	return fmt.Sprintf("#%02x%02x%02x", b(c[0]), b(c[1]), b(c[2]))
}

// xterm16 are xterm's default values of the 16 colours.
var xterm16 = [16]string{
	"#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
	"#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff",
}

// Xterm is colour i (0…255) of xterm's palette: the 16 defaults, the
// 6×6×6 cube (levels 0, 95, 135, 175, 215, 255) and the 24 greys.
func Xterm(i int) [3]float64 {
	switch {
	case i < 16:
		v, _ := hexRGB(xterm16[max(0, i)])
		return unit(v)
	case i < 232:
		levels := [6]uint8{0, 95, 135, 175, 215, 255}
		i -= 16
		return unit([3]uint8{levels[i/36], levels[(i/6)%6], levels[i%6]})
	}
	g := uint8(8 + 10*(min(i, 255)-232))
	return unit([3]uint8{g, g, g})
}

// Luminance is WCAG 2's relative luminance of an sRGB colour.
func Luminance(c [3]float64) float64 {
	return 0.2126*linear(c[0]) + 0.7152*linear(c[1]) + 0.0722*linear(c[2])
}

func linear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

func gamma(v float64) float64 {
	if v <= 0.0031308 {
		return 12.92 * v
	}
	return 1.055*math.Pow(v, 1/2.4) - 0.055
}

// Contrast is WCAG 2's contrast ratio of two colours, 1…21.
func Contrast(a, b [3]float64) float64 {
	la, lb := Luminance(a), Luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// The depths by name, for this package's own use.
const (
	truecolor = termenv.TrueColor
	ansi256   = termenv.ANSI256
)
