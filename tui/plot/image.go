package plot

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/tui/palette"
	"github.com/nnlab/nnlab/tui/report"
)

// Colour ramps of images, as stops from the low end to the high end:
// viridis (an ordered lightness ramp) for values that run from Min to Max,
// and, for signed maps, zero in the middle, a blue–red diverging ramp
// whose middle is the background's lightness (dark on a dark background,
// after Crameri's berlin; light on a light one, ColorBrewer's RdBu), so
// that lightness grows with |value| and zero recedes.
var (
	viridisRamp   = []string{"#440154", "#482878", "#3E4989", "#31688E", "#26828E", "#1F9E89", "#35B779", "#6DCD59", "#B4DE2C", "#FDE725"}
	divergingRamp = []string{"#2166AC", "#4393C3", "#92C5DE", "#D1E5F0", "#E8E8E8", "#FDDBC7", "#F4A582", "#D6604D", "#B2182B"}
	divergingDark = []string{"#9EB0FF", "#5A8CC8", "#2B5477", "#16304A", "#151515", "#45180A", "#7A2C15", "#B4523A", "#FFADAD"}
	// ringColour marks a scrubbed window and its output pixel.
	ringColour = "#FF2FD0"
)

// ramp returns the colour at t ∈ [0, 1] of a ramp, interpolated between
// its stops in sRGB.
func ramp(stops []string, t float64) string {
	t = math.Max(0, math.Min(1, t))
	f := t * float64(len(stops)-1)
	i := min(int(f), len(stops)-2)
	a, b := hexRGB(stops[i]), hexRGB(stops[i+1])
	u := f - float64(i)
	mix := func(x, y int) int { return int(math.Round(float64(x) + u*float64(y-x))) }
	return fmt.Sprintf("#%02X%02X%02X", mix(a[0], b[0]), mix(a[1], b[1]), mix(a[2], b[2]))
}

// hexRGB reads a colour written #RRGGBB.
func hexRGB(h string) [3]int {
	var c [3]int
	for i := range c {
		c[i] = hexDigit(h[1+2*i])<<4 | hexDigit(h[2+2*i])
	}
	return c
}

func hexDigit(b byte) int {
	switch {
	case b >= 'a':
		return int(b-'a') + 10
	case b >= 'A':
		return int(b-'A') + 10
	}
	return int(b - '0')
}

// imageLevels is how many colours an image has in 256 colours.
const imageLevels = 16

// imageStops is the ramp of m's values on a dark background or not.
func imageStops(m experiment.Image, dark bool) []string {
	switch {
	case m.Signed && dark:
		return divergingDark
	case m.Signed:
		return divergingRamp
	}
	return viridisRamp
}

// levelColour is the colour at level lv ∈ [0, 1] of a ramp at depth p: the
// stops interpolated in truecolor, the nearest of the fitted levels in 256.
func levelColour(p termenv.Profile, stops []string, fitted []palette.Colour, lv float64) string {
	if p == termenv.ANSI256 {
		return fitted[max(0, min(len(fitted)-1, int(math.Round(lv*float64(len(fitted)-1)))))].String(p)
	}
	return ramp(stops, lv)
}

// imageColour is the colour of value v in m, on a dark background or not.
func imageColour(m experiment.Image, v float64, dark bool) string {
	return ramp(imageStops(m, dark), report.Level(m, v))
}

// shadeOnly reports whether images are drawn as text shades: without
// colour (NO_COLOR, a dumb terminal) or with only the 16 ANSI colours,
// which cannot show a ramp.
func (t Theme) shadeOnly() bool {
	if t.Plain || t.R == nil {
		return true
	}
	p := t.R.ColorProfile()
	return p == termenv.Ascii || p == termenv.ANSI
}

// plane draws channel c of m in half blocks: each text row holds two pixel
// rows, the upper as the foreground of ▀ and the lower as its background;
// pixels in mark take the ring colour.
func plane(m experiment.Image, c int, mark report.Mark, t Theme) []string {
	if t.shadeOnly() {
		return report.ShadePlane(m, c, mark)
	}
	// Cells are written with termenv's sequences directly (a lipgloss
	// style per cell costs more than the rest of the frame), in the
	// renderer's profile: truecolor exact, 256 colours from a ramp of
	// imageLevels fitted to keep its order (palette.Ramp).
	p, dark := t.R.ColorProfile(), t.R.HasDarkBackground()
	steps := imageStops(m, dark)
	fitted := palette.Ramp(steps, imageLevels)
	colour := func(y, x int) termenv.Color {
		if mark[[2]int{y, x}] {
			return p.Color(ringColour)
		}
		return p.Color(levelColour(p, steps, fitted, report.Level(m, m.At(c, y, x))))
	}
	rows := (m.H + 1) / 2
	out := make([]string, rows)
	for r := range rows {
		// Runs of cells with the same two colours share one sequence.
		var b strings.Builder
		for x := 0; x < m.W; {
			fg, bg := colour(2*r, x), termenv.Color(nil)
			if 2*r+1 < m.H {
				bg = colour(2*r+1, x)
			}
			n := 1
			for ; x+n < m.W; n++ {
				f2 := colour(2*r, x+n)
				var b2 termenv.Color
				if 2*r+1 < m.H {
					b2 = colour(2*r+1, x+n)
				}
				if f2 != fg || b2 != bg {
					break
				}
			}
			s := termenv.String(strings.Repeat("▀", n)).Foreground(fg)
			if bg != nil {
				s = s.Background(bg)
			}
			b.WriteString(s.String())
			x += n
		}
		out[r] = b.String()
	}
	return out
}

// colourKey is a ramp of w cells from the low to the high end of m's span,
// with the span's ends (symmetric around 0 for a signed map: 0 is its
// middle).
func colourKey(m experiment.Image, w int, t Theme) string {
	lo, hi := report.Span(m)
	if t.shadeOnly() {
		return t.Label.Render(report.KeyText(m, "["+string(report.ImageShades)+"]"))
	}
	w = max(w, 8)
	p := t.R.ColorProfile()
	steps := imageStops(m, t.R.HasDarkBackground())
	fitted := palette.Ramp(steps, imageLevels)
	var b strings.Builder
	for i := range w {
		v := lo + (hi-lo)*(float64(i)+0.5)/float64(w)
		b.WriteString(t.R.NewStyle().Foreground(lipgloss.Color(levelColour(p, steps, fitted, report.Level(m, v)))).Render("█"))
	}
	key := t.Label.Render(experiment.Number(lo)+" ") + b.String() + t.Label.Render(" "+experiment.Number(hi))
	return key
}

// Image draws an image: its title and size, each channel under its name
// (side by side as w allows) in colour half blocks — or text shades on a
// terminal without a colour ramp — and a colour key with its range.
func Image(m experiment.Image, w int, t Theme) string {
	return ImageWith(m, nil, -1, w, t, report.WordsIn("en"))
}

// ImageWith draws an output image m beside the image it was computed
// from (in, m.Window's input) when both are given. With a pixel p ≥ 0
// (row-major over m, as a scrubber walks it) it rings that output pixel
// and its window on the input, and writes the pixel out under them: the
// window's values, the kernel, the products and their sum, which is the
// output pixel (report.TapsText, in words). Signed maps diverge around
// zero.
func ImageWith(m experiment.Image, in *experiment.Image, p, w int, t Theme, words report.Words) string {
	if m.W < 1 || m.H < 1 || len(m.Data) != len(m.Channels)*m.W*m.H {
		return m.Title
	}
	var names []string
	var blocks [][]string
	var widths []int
	var outMark, inMark report.Mark
	var taps []experiment.Tap
	var sum float64
	pi, pj := -1, -1
	if p >= 0 && m.Window != nil && in != nil && p < m.W*m.H {
		pi, pj = p/m.W, p%m.W
		outMark = report.Ring(pi, pj, pi, pj)
		taps, sum = m.Window.Taps(*in, pi, pj)
		first, last := taps[0], taps[len(taps)-1]
		inMark = report.Ring(first.Y, first.X, last.Y, last.X)
		if m.Window.Dilation > 1 {
			inMark = report.Mark{}
			for _, tp := range taps {
				for k := range report.Ring(tp.Y, tp.X, tp.Y, tp.X) {
					inMark[k] = true
				}
			}
			for _, tp := range taps {
				delete(inMark, [2]int{tp.Y, tp.X})
			}
		}
	}
	if in != nil && m.Window != nil {
		for c, name := range in.Channels {
			names = append(names, t.Label.Render(name))
			blocks = append(blocks, plane(*in, c, inMark, t))
			widths = append(widths, in.W)
		}
	}
	for c, name := range m.Channels {
		names = append(names, t.Label.Render(name))
		blocks = append(blocks, plane(m, c, outMark, t))
		widths = append(widths, m.W)
	}
	head := fmt.Sprintf("%s (%d×%d)", m.Title, m.H, m.W)
	var b strings.Builder
	b.WriteString(t.Label.Render(report.Wrap(head, w)))
	b.WriteString("\n" + report.Tile(names, blocks, widths, 3, w))
	b.WriteString("\n" + colourKey(m, min(24, w/3), t))
	if taps != nil {
		lines := report.TapsText(m.Window, taps, sum, pi, pj, w, words)
		for i, l := range lines {
			if i == len(lines)-1 {
				l = t.Min.Render(l) // the sum: the output pixel
			}
			b.WriteString("\n" + l)
		}
	}
	return b.String()
}
