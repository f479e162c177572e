package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/nnlab/nnlab/core/experiment"
)

// ImageShades stand in for colours when an image is drawn as text, from
// the low end of its range to the high end: denser than Shades, for
// pictures.
var ImageShades = []rune(" .:-=+*#%@")

// Span is the range an image's colours (or shades) run over: from Lo to Hi,
// or, for a signed image, from −M to M around zero (M the larger of
// |Min| and |Max|), so that zero sits in the middle.
func Span(m experiment.Image) (lo, hi float64) {
	lo, hi = m.Min, m.Max
	if m.Signed {
		a := math.Max(math.Abs(lo), math.Abs(hi))
		lo, hi = -a, a
	}
	if !(hi > lo) {
		hi = lo + 1
	}
	return lo, hi
}

// Level is where v lies in the image's span, from 0 to 1 (clamped; NaN
// reads as 0).
func Level(m experiment.Image, v float64) float64 {
	lo, hi := Span(m)
	t := (v - lo) / (hi - lo)
	if !(t > 0) {
		return 0
	}
	return math.Min(t, 1)
}

// Mark is a set of pixels a drawing rings: (y, x) → true.
type Mark map[[2]int]bool

// Ring returns the pixels around a rectangle of pixels [y0, y1]×[x0, x1]
// (inclusive): the one-pixel frame just outside it.
func Ring(y0, x0, y1, x1 int) Mark {
	m := Mark{}
	for x := x0 - 1; x <= x1+1; x++ {
		m[[2]int{y0 - 1, x}], m[[2]int{y1 + 1, x}] = true, true
	}
	for y := y0; y <= y1; y++ {
		m[[2]int{y, x0 - 1}], m[[2]int{y, x1 + 1}] = true, true
	}
	return m
}

// ShadePlane draws channel c of m as text, one character a pixel wide and
// two pixel rows to a line (their mean picks the shade), ImageShades from
// the low end of the span to the high end; pixels in mark are drawn 'o'.
func ShadePlane(m experiment.Image, c int, mark Mark) []string {
	rows := (m.H + 1) / 2
	out := make([]string, rows)
	for r := range rows {
		var b strings.Builder
		for x := 0; x < m.W; x++ {
			y0, y1 := 2*r, min(2*r+1, m.H-1)
			if mark[[2]int{y0, x}] || mark[[2]int{y1, x}] {
				b.WriteRune('o')
				continue
			}
			t := (Level(m, m.At(c, y0, x)) + Level(m, m.At(c, y1, x))) / 2
			b.WriteRune(ImageShades[min(len(ImageShades)-1, int(t*float64(len(ImageShades))))])
		}
		out[r] = b.String()
	}
	return out
}

// KeyText is an image's value key in words: the span's ends (and zero for a
// signed image) around the shades, e.g. "−3.02 [ .:-=+*#%@] 3.02 (0 in the
// middle)".
func KeyText(m experiment.Image, shades string) string {
	lo, hi := Span(m)
	s := experiment.Number(lo) + " " + shades + " " + experiment.Number(hi)
	if m.Signed {
		s += " (0 = " + string([]rune(shades)[len([]rune(shades))/2]) + ")"
	}
	return s
}

// Tile lays out blocks of lines side by side, each under its name and
// padded to its width, with gap columns between; a row of blocks that would
// be wider than width wraps onto the next lines.
func Tile(names []string, blocks [][]string, widths []int, gap, width int) string {
	var rows []string
	for i := 0; i < len(blocks); {
		// As many blocks as fit (at least one).
		j, w := i, 0
		for j < len(blocks) && (j == i || w+gap+widths[j] <= width) {
			if j > i {
				w += gap
			}
			w += widths[j]
			j++
		}
		h := 0
		for k := i; k < j; k++ {
			h = max(h, len(blocks[k]))
		}
		line := func(get func(k int) string) string {
			var b strings.Builder
			for k := i; k < j; k++ {
				if k > i {
					b.WriteString(strings.Repeat(" ", gap))
				}
				b.WriteString(Pad(get(k), widths[k], false))
			}
			return strings.TrimRight(b.String(), " ")
		}
		rows = append(rows, line(func(k int) string { return ansi.Truncate(names[k], widths[k], "…") }))
		for r := range h {
			rows = append(rows, line(func(k int) string {
				if r < len(blocks[k]) {
					return blocks[k][r]
				}
				return ""
			}))
		}
		i = j
	}
	return strings.Join(rows, "\n")
}

// Image renders an image as text: its title and size, each channel shaded
// under its name (side by side as the width allows) and the key.
func Image(m experiment.Image, o Options) string {
	if m.W < 1 || m.H < 1 || len(m.Data) != len(m.Channels)*m.W*m.H {
		return m.Title
	}
	names := make([]string, len(m.Channels))
	blocks := make([][]string, len(m.Channels))
	widths := make([]int, len(m.Channels))
	for c, name := range m.Channels {
		names[c], blocks[c], widths[c] = name, ShadePlane(m, c, nil), m.W
	}
	head := fmt.Sprintf("%s (%d×%d)", m.Title, m.H, m.W)
	return Wrap(head, o.width()) + "\n" + Tile(names, blocks, widths, 2, o.width()) + "\n" +
		Wrap(KeyText(m, "["+string(ImageShades)+"]"), o.width())
}

// TapsText is a convolution's output pixel (i, j) written out as its sum,
// CNN Explainer's formula view in text: the input window, the kernel and
// their products side by side (K rows each; a tap in the padding reads 0),
// then the sum (words.PixelSum). Lines are at most width columns where the
// three blocks fit, else they stack.
func TapsText(w *experiment.Window, taps []experiment.Tap, sum float64, i, j, width int, words Words) []string {
	k := w.K
	cell := func(v float64) string { return fmt.Sprintf("%7.3f", v+0) } // +0: no "-0.000" for a product that is −0
	blocks := make([][]string, 3)
	for p := range k {
		var in, kw, pr strings.Builder
		for q := range k {
			t := taps[p*k+q]
			in.WriteString(cell(t.In))
			kw.WriteString(cell(t.W))
			pr.WriteString(cell(t.Prod))
		}
		blocks[0] = append(blocks[0], in.String())
		blocks[1] = append(blocks[1], kw.String())
		blocks[2] = append(blocks[2], pr.String())
	}
	first, last := taps[0], taps[len(taps)-1]
	names := []string{
		"  " + fmt.Sprintf(words.Window, first.Y, last.Y, first.X, last.X),
		"  " + words.Kernel, "  " + words.Products,
	}
	widths := []int{max(7*k, Width(names[0])), 7 * k, 7 * k}
	lines := strings.Split(Tile(names, blocks, widths, 3, width), "\n")
	return append(lines, fmt.Sprintf(words.PixelSum, i, j, experiment.Number(sum)))
}
