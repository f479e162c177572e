package palette

import (
	"math"
	"sort"
	"sync"
)

// MarkContrast is the contrast a chart's mark keeps against what is
// beneath it (WCAG's 3:1 for graphics, with a margin for rounding).
const MarkContrast = 3.2

// Casing is the background a mark of colour mark is drawn on where it
// crosses a shade of a surface: the shade itself, darkened (dark theme) or
// lightened (light theme) just enough that the mark keeps MarkContrast
// against it in truecolor and in 256 colours — a shadow of the surface
// along the path, as a map's roads are cased. Results are kept: it is
// cheap to call per cell.
func Casing(shade, mark Colour, dark bool) Colour {
	k := casingKey{shade, mark, dark}
	if v, ok := casings.Load(k); ok {
		return v.(Colour)
	}
	c := Colour{X16: Default}
	c.TC = casingTC(shade, mark, dark)
	c.X256 = casing256(c.TC, mark, dark)
	casings.Store(k, c)
	return c
}

type casingKey struct {
	shade, mark Colour
	dark        bool
}

var casings sync.Map

// casingTC mixes the shade towards black (or white) in linear light, as
// little as keeps the contrast.
func casingTC(shade, mark Colour, dark bool) string {
	s, ok := shade.Shown(truecolor)
	m, mok := mark.Shown(truecolor)
	if !ok || !mok {
		return shade.TC
	}
	mix := func(t float64) [3]float64 {
		var c [3]float64
		for i := range 3 {
			l := linear(s[i])
			if dark {
				l *= 1 - t
			} else {
				l += (1 - l) * t
			}
			c[i] = gamma(l)
		}
		return c
	}
	if Contrast(mix(0), m) >= MarkContrast {
		return shade.TC
	}
	lo, hi := 0.0, 1.0
	for range 30 {
		t := (lo + hi) / 2
		if Contrast(mix(t), m) >= MarkContrast {
			hi = t
		} else {
			lo = t
		}
	}
	return Hex(mix(hi))
}

// casing256 is the colour of xterm's palette nearest to target (in CIELAB)
// among those that keep the contrast with the mark's 256-colour value.
func casing256(target string, mark Colour, dark bool) int {
	m, ok := mark.Shown(ansi256)
	t, tok := hexRGB(target)
	if !ok || !tok {
		return Default
	}
	lt := lab(unit(t))
	type cand struct {
		i int
		d float64
	}
	var cs []cand
	for i := 16; i < 256; i++ {
		x := Xterm(i)
		if Contrast(x, m) < MarkContrast {
			continue
		}
		l := lab(x)
		cs = append(cs, cand{i, sq(l[0]-lt[0]) + sq(l[1]-lt[1]) + sq(l[2]-lt[2])})
	}
	if len(cs) == 0 {
		if dark {
			return 16
		}
		return 231
	}
	sort.Slice(cs, func(a, b int) bool { return cs[a].d < cs[b].d })
	return cs[0].i
}

func sq(v float64) float64 { return v * v }

// lab is CIELAB (D65) of an sRGB colour.
func lab(c [3]float64) [3]float64 {
	r, g, b := linear(c[0]), linear(c[1]), linear(c[2])
	x := (0.4124*r + 0.3576*g + 0.1805*b) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*b
	z := (0.0193*r + 0.1192*g + 0.9505*b) / 1.08883
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}
