package report

import (
	"math"
	"sort"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
)

// Scale helpers shared by the text report and the terminal charts (package
// plot): which round values label an axis, which series set the y scale,
// where a segment crosses a window's edge, where each series shows a marker.

// Ticks returns round values within [lo, hi] to label an axis, about n of
// them and at least three where round values allow: whole decades on a log
// axis (lo and hi are log10 values), then 1-2-5 steps within decades, else
// multiples of 1, 2 or 5 × 10ᵏ. Finer steps are tried until three fit.
func Ticks(lo, hi float64, log bool, n int) []float64 {
	n = max(n, 1)
	if log {
		for _, ms := range [][]float64{{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}} {
			if out := logTicks(lo, hi, ms, n); len(out) >= 3 {
				return out
			}
		}
	}
	out := RoundTicks(lo, hi, false, n)
	for k := n + 1; len(out) < 3 && k <= 4*n+8; k++ {
		out = RoundTicks(lo, hi, false, k)
	}
	return out
}

// logTicks returns log10(m·10ᵏ) within [lo, hi] for m in ms, thinned to
// about n+1 values (every other one, …) when there are more.
func logTicks(lo, hi float64, ms []float64, n int) []float64 {
	var out []float64
	for k := math.Floor(lo) - 1; k <= math.Ceil(hi); k++ {
		for _, m := range ms {
			if v := k + math.Log10(m); v >= lo-1e-9 && v <= hi+1e-9 {
				out = append(out, v)
			}
		}
	}
	if len(out) > n+1 { // every second, third, … value
		step := int(math.Ceil(float64(len(out)-1) / float64(n)))
		var thin []float64
		for i := 0; i < len(out); i += step {
			thin = append(thin, out[i])
		}
		out = thin
	}
	return out
}

// RoundTicks returns round values within [lo, hi] for an axis, about n of
// them: whole decades (lo and hi are log10 values) on a log axis, else
// multiples of 1, 2 or 5 × 10ᵏ. It may return fewer than three; Ticks does not.
func RoundTicks(lo, hi float64, log bool, n int) []float64 {
	var out []float64
	if log {
		a, b := math.Ceil(lo-1e-9), math.Floor(hi+1e-9)
		step := math.Max(1, math.Ceil((b-a)/float64(n)))
		for v := a; v <= b+1e-9; v += step {
			out = append(out, v)
		}
		if len(out) > 0 {
			return out
		}
	}
	span := hi - lo
	if !(span > 0) {
		return []float64{lo}
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// Tame reports which series set the top of a chart's y scale, given each
// series' lowest and highest drawable value (on the axis' scale: log10 on a
// log axis; NaN for a series with none). Series whose peaks lie so far above
// the rest that even the lowest of them would squeeze the rest into less
// than a quarter of the height — runs that diverged to 1e+76 next to runs
// that converged — are left out: they are drawn up to the top edge and
// marked as leaving the scale. The floor of a span is one decade on a log
// axis, a tenth of the values' size on a linear one.
func Tame(lo, hi []float64, log bool) []bool {
	tame := make([]bool, len(hi))
	var order []int // the series with data, lowest peak first
	low := math.Inf(1)
	for i := range hi {
		if !math.IsNaN(hi[i]) {
			tame[i] = true
			order = append(order, i)
			low = math.Min(low, lo[i])
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return hi[order[a]] < hi[order[b]] })
	for j := len(order) - 1; j >= 1; j-- { // the j lowest are kept
		h := hi[order[j-1]]
		floor := 0.1 * math.Max(math.Abs(low), math.Abs(h))
		if log {
			floor = 1
		}
		if hi[order[j]]-low > 4*math.Max(h-low, floor) {
			for _, i := range order[j:] {
				tame[i] = false
			}
			break
		}
	}
	return tame
}

// ClipSegment clips the segment from (x0, y0) to (x1, y1) to the window
// [xmin, xmax] × [ymin, ymax] (Liang–Barsky): the part inside runs from
// parameter t0 to t1 (0 ≤ t0 ≤ t1 ≤ 1 along the segment); ok is false when
// no part is inside or a coordinate is not finite.
func ClipSegment(x0, y0, x1, y1, xmin, xmax, ymin, ymax float64) (t0, t1 float64, ok bool) {
	for _, v := range []float64{x0, y0, x1, y1} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, 0, false
		}
	}
	t0, t1 = 0, 1
	dx, dy := x1-x0, y1-y0
	for _, e := range [4][2]float64{{-dx, x0 - xmin}, {dx, xmax - x0}, {-dy, y0 - ymin}, {dy, ymax - y0}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return 0, 0, false
			}
			continue
		}
		r := q / p
		if p < 0 {
			t0 = math.Max(t0, r)
		} else {
			t1 = math.Min(t1, r)
		}
		if t0 > t1 {
			return 0, 0, false
		}
	}
	return t0, t1, true
}

// Arrow is the arrow pointing along (dx, dy), y up, in eight directions.
func Arrow(dx, dy float64) rune {
	a := math.Atan2(dy, dx) // −π … π, 0 is right
	k := int(math.Round(a/(math.Pi/4))+8) % 8
	return []rune("→↗↑↖←↙↓↘")[k]
}

// MarkerColumn reports whether series i of n puts its marker in column x:
// the series take turns, a few columns apart, so that each shows its marker
// even where lines lie on top of one another.
func MarkerColumn(x, i, n int) bool {
	gap := 4
	if n > 6 {
		gap = max(1, 24/n)
	}
	period := max(8, gap*n)
	return x%period == (2+i*gap)%period
}

// Inside reports whether v lies in [lo, hi], with a little slack for
// rounding.
func Inside(v, lo, hi float64) bool {
	e := 1e-9 * math.Max(1, hi-lo)
	return v >= lo-e && v <= hi+e
}

// Settle returns the range an axis shows for values spanning [lo, hi] (on
// the axis' scale: log10 on a log axis). A range narrower than the values'
// own precision — a constant computed with rounding noise, 0.001 ± 1e-19 —
// is one value, not a span: its ticks would all print alike. Such a range,
// like a single value, is widened around its middle: by half a decade on a
// log axis, by half the value's size on a linear one (±0.5 around 0). No
// values at all give [0, 1].
func Settle(lo, hi float64, log bool) (float64, float64) {
	if lo > hi {
		return 0, 1
	}
	mid := lo/2 + hi/2
	if hi-lo > 1e-9*math.Max(math.Abs(lo), math.Abs(hi)) {
		return lo, hi
	}
	half := 0.5
	if !log && mid != 0 {
		half = math.Abs(mid) / 2
	}
	return mid - half, mid + half
}

// FaintMark draws a faint series where there is no colour.
const FaintMark = '·'

// Slots gives each series of a chart its colour and marker: the series
// that are not faint take turns from 0, in order; a faint one gets −1 (it
// is drawn muted, without markers).
func Slots(ss []experiment.Series) []int {
	out := make([]int, len(ss))
	n := 0
	for i, s := range ss {
		out[i] = -1
		if !s.Faint {
			out[i], n = n, n+1
		}
	}
	return out
}

// Ref is a horizontal reference line of a chart and the text it carries.
type Ref struct {
	At   float64
	Text string
}

// YRefs is a chart's horizontal reference lines: its Refs with the y label
// ("rate = 1") and its horizontal marks with their names ("floor √β =
// 0.7071").
func YRefs(c experiment.Chart) []Ref {
	var out []Ref
	for _, v := range c.Refs {
		out = append(out, Ref{v, RefText(v, c.YLabel)})
	}
	for _, m := range c.Marks {
		if !m.X {
			out = append(out, Ref{m.At, RefText(m.At, m.Label)})
		}
	}
	return out
}

// XMark is the vertical marks of one name within a chart's x range, and
// the note that names them: "critical damping: learning rate 0.4289, 0.7286".
type XMark struct {
	At   []float64
	Text string
}

// XMarks groups a chart's vertical marks within [lo, hi] by name, in the
// order the names first appear.
func XMarks(c experiment.Chart, lo, hi float64) []XMark {
	var out []XMark
	index := map[string]int{}
	for _, m := range c.Marks {
		if !m.X || !Inside(m.At, lo, hi) {
			continue
		}
		k, ok := index[m.Label]
		if !ok {
			k = len(out)
			index[m.Label] = k
			out = append(out, XMark{})
		}
		out[k].At = append(out[k].At, m.At)
	}
	for name, k := range index {
		vals := make([]string, len(out[k].At))
		for i, v := range out[k].At {
			vals[i] = experiment.Number(v)
		}
		out[k].Text = strings.TrimSpace(name + ": " + strings.TrimSpace(c.XLabel+" "+strings.Join(vals, ", ")))
	}
	return out
}
