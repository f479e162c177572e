package plot

import (
	"fmt"
	"math"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/tui/report"
)

// span is a finite range of values, optionally in log10.
type span struct {
	lo, hi float64
	log    bool
}

func newSpan(log bool) span { return span{lo: math.Inf(1), hi: math.Inf(-1), log: log} }

// add widens the span by v and returns v transformed (and whether it is drawable).
func (s *span) add(v float64) (float64, bool) {
	v, ok := s.tr(v)
	if ok {
		s.lo, s.hi = math.Min(s.lo, v), math.Max(s.hi, v)
	}
	return v, ok
}

func (s span) tr(v float64) (float64, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) || (s.log && v <= 0) {
		return 0, false
	}
	if s.log {
		v = math.Log10(v)
	}
	return v, true
}

func (s *span) settle() { s.lo, s.hi = report.Settle(s.lo, s.hi, s.log) }

// values is ticks (on the span's scale) as the values they stand for.
func (s span) values(ticks []float64) []float64 {
	out := make([]float64, len(ticks))
	for i, v := range ticks {
		out[i] = v
		if s.log {
			out[i] = math.Pow(10, v)
		}
	}
	return out
}

// Legend lists the series names in their styles, wrapped to w columns.
func Legend(names []string, w int, t Theme) string { return legend(names, nil, w, t) }

// legend lists the series names, each in its style: series i in colour and
// marker slot[i] (its own index when slot is nil), a faint one (slot −1)
// as a muted dotted line.
func legend(names []string, slot []int, w int, t Theme) string {
	var lines []string
	line, lw := "", 0
	for i, n := range names {
		k := i
		if slot != nil {
			k = slot[i]
		}
		var item string
		switch {
		case k < 0 && t.Plain:
			item = string(report.FaintMark) + " " + n
		case k < 0:
			item = t.Label.Render("┄┄┄") + " " + n
		case t.Plain:
			item = string(report.Markers[k%len(report.Markers)]) + " " + n
		default:
			item = t.SeriesStyle(k).Render("━"+string(report.Markers[k%len(report.Markers)])+"━") + " " + n
		}
		iw := lipgloss.Width(item)
		if lw > 0 && lw+3+iw > w {
			lines, line, lw = append(lines, line), "", 0
		}
		if lw > 0 {
			line, lw = line+"   ", lw+3
		}
		line, lw = line+item, lw+iw
	}
	return report.Wrap(strings.Join(append(lines, line), "\n"), w)
}

// LineChart draws the chart's series as braille lines in a w×h box (axes and
// labels included), with notes and the legend below (they add lines to the
// height). Each series also shows its marker every few columns, the series
// taking turns, so that one hidden under another is still seen; faint
// series (raw values under their moving average) are drawn first, muted and
// without markers. A series that diverges far above the others is cut at
// the top edge with an ↑ and a note, instead of squeezing the others flat;
// a chart with a y window shows that window and cuts whatever leaves it.
// Reference lines carry their value ("rate = 1"), named marks their name
// ("floor √β = 0.7071"); vertical marks are dotted columns named below.
func LineChart(c experiment.Chart, w, h int, t Theme) string {
	w, h = max(w, 20), max(h, 5)
	sx, sy := newSpan(false), newSpan(c.LogY)
	type pt struct {
		x, y    float64 // on the axes' scales
		raw     float64 // the value as given
		ok, inf bool    // drawable; +Inf (overflow: a run that diverged)
	}
	series := make([][]pt, len(c.Series))
	names := make([]string, len(c.Series))
	slot := report.Slots(c.Series) // colour and marker of each series; −1: faint
	los, his := make([]float64, len(c.Series)), make([]float64, len(c.Series))
	whole := true
	bright := 0
	for i, s := range c.Series {
		names[i] = s.Name
		if slot[i] >= 0 {
			bright++
		}
		series[i] = make([]pt, len(s.Y))
		ys := newSpan(c.LogY)
		for k, v := range s.Y {
			x := float64(k)
			if s.X != nil && k < len(s.X) {
				x = s.X[k]
				whole = whole && x == math.Trunc(x)
			}
			xv, okx := sx.add(x)
			yv, oky := ys.add(v)
			series[i][k] = pt{x: xv, y: yv, raw: v, ok: okx && oky, inf: okx && math.IsInf(v, 1)}
		}
		los[i], his[i] = math.NaN(), math.NaN()
		if ys.lo <= ys.hi {
			los[i], his[i] = ys.lo, ys.hi
			sy.lo = math.Min(sy.lo, ys.lo)
		}
	}
	tame := report.Tame(los, his, c.LogY)
	for i := range his {
		if tame[i] {
			sy.hi = math.Max(sy.hi, his[i])
		}
	}
	window := false
	if c.YWindow != nil {
		lo, okl := sy.tr(c.YWindow[0])
		hi, okh := sy.tr(c.YWindow[1])
		if okl && okh && lo < hi {
			sy.lo, sy.hi, window = lo, hi, true
		}
	}
	sx.settle()
	sy.settle()
	if sy.log && sy.hi-sy.lo >= 1 && !window {
		// Whole decades at the ends, so the axis reads 1e-06 … 1.
		sy.lo, sy.hi = math.Floor(sy.lo), math.Ceil(sy.hi)
	}
	gh := h - 2 // the axis line and the x labels
	// Round ticks, at least three: decades on a log axis, 1-2-5 steps on a
	// linear one; all labels in one format.
	yt := report.Ticks(sy.lo, sy.hi, sy.log, max(3, min(5, gh/2)))
	ylab := experiment.TickLabels(sy.values(yt), sy.log)
	lw := 0
	for _, l := range ylab {
		lw = max(lw, lipgloss.Width(l))
	}
	gw := w - lw - 1 // the label column and the axis
	if gw < 4 || gh < 2 {
		return legend(names, slot, w, t)
	}
	row := func(y float64) int { return int(math.Round((sy.hi - y) / (sy.hi - sy.lo) * float64(gh-1))) }
	col := func(x float64) int { return int(math.Round((x - sx.lo) / (sx.hi - sx.lo) * float64(gw-1))) }
	cv := canvas.New(gw, gh)
	type mark struct {
		p canvas.Point
		r rune
		i int
	}
	var marks []mark // drawn over the lines: markers, then arrows
	var arrows []mark
	var notes []string
	clipped := false
	style := func(i int) lipgloss.Style {
		if slot[i] < 0 {
			return t.Label
		}
		return t.SeriesStyle(slot[i])
	}
	// Faint series first, under the rest; of the others the first ends on
	// top.
	var order []int
	for _, faint := range []bool{true, false} {
		for i := len(series) - 1; i >= 0; i-- {
			if (slot[i] < 0) == faint {
				order = append(order, i)
			}
		}
	}
	for _, i := range order {
		g := graph.NewBrailleGrid(gw, gh, sx.lo, sx.hi, sy.lo, sy.hi)
		grid := func(x, y float64) canvas.Point { return g.GridPoint(canvas.Float64Point{X: x, Y: y}) }
		var prev *pt
		left := -1 // the index of the first point above the scale
		for k := range series[i] {
			p := &series[i][k]
			above := p.inf || (p.ok && p.y > sy.hi)
			clipped = clipped || above
			if above && left < 0 {
				left = k
				switch {
				case slot[i] < 0: // a faint series gets no arrows
				case prev != nil && prev.y <= sy.hi && p.inf:
					arrows = append(arrows, mark{canvas.Point{X: col(prev.x), Y: 0}, '↑', i})
				case prev == nil && p.ok:
					arrows = append(arrows, mark{canvas.Point{X: col(p.x), Y: 0}, '↑', i})
				}
			}
			if !p.ok {
				prev = nil
				continue
			}
			if prev == nil {
				if report.Inside(p.y, sy.lo, sy.hi) {
					g.Set(grid(p.x, p.y))
				}
				prev = p
				continue
			}
			t0, t1, ok := report.ClipSegment(prev.x, prev.y, p.x, p.y, sx.lo, sx.hi, sy.lo, sy.hi)
			if ok {
				a := grid(prev.x+t0*(p.x-prev.x), prev.y+t0*(p.y-prev.y))
				b := grid(prev.x+t1*(p.x-prev.x), prev.y+t1*(p.y-prev.y))
				for _, r := range graph.GetLinePoints(a, b) {
					g.Set(r)
				}
				if prev.y <= sy.hi && p.y > sy.hi && slot[i] >= 0 { // it leaves through the top
					arrows = append(arrows, mark{canvas.Point{X: col(prev.x + t1*(p.x-prev.x)), Y: 0}, '↑', i})
				}
			}
			prev = p
		}
		if left >= 0 && !window && slot[i] >= 0 && (!tame[i] || series[i][left].inf) {
			peak := math.Inf(-1)
			for _, v := range c.Series[i].Y {
				if !math.IsNaN(v) {
					peak = math.Max(peak, v)
				}
			}
			x := float64(left)
			if xs := c.Series[i].X; xs != nil && left < len(xs) {
				x = xs[left]
			}
			at := strings.TrimSpace(c.XLabel + " " + experiment.Number(x))
			notes = append([]string{"↑ " + fmt.Sprintf(t.Words.OffScale, names[i], at, experiment.Number(peak))}, notes...)
		}
		pat := g.BraillePatterns()
		if slot[i] >= 0 {
			m := report.Markers[slot[i]%len(report.Markers)]
			for x := range gw {
				if !report.MarkerColumn(x, slot[i], bright) {
					continue
				}
				var rows []int
				for y := range gh {
					if pat[y][x] != 0x2800 && pat[y][x] != 0 {
						rows = append(rows, y)
					}
				}
				if len(rows) > 0 {
					marks = append(marks, mark{canvas.Point{X: x, Y: rows[len(rows)/2]}, m, i})
				}
			}
		}
		if t.Plain { // braille lines look alike without colour: use markers
			m := report.FaintMark
			if slot[i] >= 0 {
				m = report.Markers[slot[i]%len(report.Markers)]
			}
			for y, r := range pat {
				for x, b := range r {
					if b != 0x2800 && b != 0 {
						cv.SetRune(canvas.Point{X: x, Y: y}, m)
					}
				}
			}
			continue
		}
		graph.DrawBraillePatterns(&cv, canvas.Point{}, pat, style(i))
	}
	// Markers of the first series last, so they win where columns coincide.
	for k := len(marks) - 1; k >= 0; k-- {
		cv.SetCell(marks[k].p, canvas.NewCellWithStyle(marks[k].r, style(marks[k].i)))
	}
	for _, a := range arrows {
		cv.SetCell(a.p, canvas.NewCellWithStyle(a.r, style(a.i)))
	}
	if window && clipped {
		notes = append(notes, "↑ "+fmt.Sprintf(t.Words.Clipped, experiment.Number(c.YWindow[1])))
	}
	// Vertical marks: dotted columns where the data leaves room, named below.
	for _, xm := range report.XMarks(c, sx.lo, sx.hi) {
		for _, v := range xm.At {
			x := col(v)
			for y := range gh {
				if p := (canvas.Point{X: x, Y: y}); cv.Cell(p).Rune == 0 {
					cv.SetCell(p, canvas.NewCellWithStyle('┊', t.Axis))
				}
			}
		}
		notes = append(notes, "┊ "+xm.Text)
	}
	type refLabel struct {
		row, start int
		text       string
	}
	var refs []refLabel
	for _, ref := range report.YRefs(c) { // faint lines where the data leaves room
		v, ok := sy.tr(ref.At)
		if !ok || !report.Inside(v, sy.lo, sy.hi) {
			continue
		}
		r := row(v)
		for x := range gw {
			if p := (canvas.Point{X: x, Y: r}); cv.Cell(p).Rune == 0 || cv.Cell(p).Rune == '┊' {
				cv.SetCell(p, canvas.NewCellWithStyle('┈', t.Axis))
			}
		}
		// Its text on the line, at the right end of the last free stretch
		// long enough for it.
		tw := lipgloss.Width(ref.Text)
		best := report.RefSpot(gw, tw, func(x int) bool { return cv.Cell(canvas.Point{X: x, Y: r}).Rune == '┈' })
		if best < 0 {
			notes = append(notes, "┈ "+ref.Text)
			continue
		}
		refs = append(refs, refLabel{r, best - tw, ref.Text}) // one free cell kept after it
	}
	lines := strings.Split(cv.View(), "\n")
	for _, rl := range refs {
		l := lines[rl.row]
		lines[rl.row] = ansi.Cut(l, 0, rl.start) + t.Label.Render(rl.text) + ansi.Cut(l, rl.start+lipgloss.Width(rl.text), gw)
	}
	// The y labels sit on the rows their values fall on.
	rowLabel := make([]string, gh)
	for k, v := range yt {
		if r := row(v); r >= 0 && r < gh && rowLabel[r] == "" {
			rowLabel[r] = ylab[k]
		}
	}
	var b strings.Builder
	title := c.Title
	if c.LogY {
		title += " · " + t.Words.Log
	}
	b.WriteString(t.Label.Render(title))
	for r, line := range lines {
		b.WriteString("\n" + t.Label.Render(report.Pad(rowLabel[r], lw, true)) + t.Axis.Render("│") + line)
	}
	b.WriteString("\n" + strings.Repeat(" ", lw) + t.Axis.Render("└"+strings.Repeat("─", gw)))
	// x labels at round values, left to right, never overlapping, all in
	// one format.
	xl := []rune(strings.Repeat(" ", w))
	end := -1
	var xt []float64
	for _, v := range report.RoundTicks(sx.lo, sx.hi, false, max(2, gw/12)) {
		if !whole || v == math.Trunc(v) { // steps are whole: no tick at 2.5
			xt = append(xt, v)
		}
	}
	for k, text := range experiment.TickLabels(xt, false) {
		v := xt[k]
		cx := lw + 1 + col(v)
		start := min(cx-len([]rune(text))/2, w-len([]rune(text)))
		start = max(start, lw+1)
		if start <= end+1 {
			continue
		}
		copy(xl[start:], []rune(text))
		end = start + len([]rune(text)) - 1
	}
	b.WriteString("\n" + t.Label.Render(strings.TrimRight(string(xl), " ")))
	if c.XLabel != "" { // the x axis's name, under its right end
		b.WriteString("\n" + t.Label.Render(report.Pad(ansi.Truncate(c.XLabel, w, "…"), w, true)))
	}
	for _, n := range notes {
		b.WriteString("\n" + t.Label.Render(report.Wrap(n, w)))
	}
	return b.String() + "\n" + legend(names, slot, w, t)
}

// BarScale is the range of values a bar chart's axis covers. A drawer that
// keeps it from one drawing of an output to the next (Union) keeps bar
// lengths comparable run to run: a bar of 0.5 is as long after a rerun as
// before it. The zero BarScale covers nothing.
type BarScale struct {
	Lo, Hi float64 // the smallest and the largest finite value
	MinPos float64 // the smallest positive value (for a log axis), +Inf if none
	set    bool
}

// ScaleOf is the range of the chart's finite values.
func ScaleOf(c experiment.BarChart) BarScale {
	s := BarScale{Lo: math.Inf(1), Hi: math.Inf(-1), MinPos: math.Inf(1)}
	for _, g := range c.Groups {
		for _, v := range g.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			s.Lo, s.Hi, s.set = math.Min(s.Lo, v), math.Max(s.Hi, v), true
			if v > 0 {
				s.MinPos = math.Min(s.MinPos, v)
			}
		}
	}
	if !s.set {
		return BarScale{}
	}
	return s
}

// Union is the smallest scale covering both s and o.
func (s BarScale) Union(o BarScale) BarScale {
	switch {
	case !o.set:
		return s
	case !s.set:
		return o
	}
	return BarScale{Lo: math.Min(s.Lo, o.Lo), Hi: math.Max(s.Hi, o.Hi), MinPos: math.Min(s.MinPos, o.MinPos), set: true}
}

// Bars draws a horizontal bar chart w columns wide: for each label one bar per
// group in the group's colour, the value at the end. LogY bars grow with log10.
func Bars(c experiment.BarChart, w int, t Theme) string { return BarsOn(c, BarScale{}, w, t) }

// BarsOn is Bars on a scale that covers at least keep (the scale of an
// earlier drawing of the same output), so bar lengths compare across runs.
func BarsOn(c experiment.BarChart, keep BarScale, w int, t Theme) string {
	labelW, groupW := 0, 0
	for _, l := range c.Labels {
		labelW = max(labelW, lipgloss.Width(l))
	}
	sc := ScaleOf(c).Union(keep)
	// A log axis makes 0.05 against 0.18 look like 1 against 18: keep it
	// only where the values span two decades or more.
	logY := c.LogY && sc.set && report.SpansDecades([][]float64{{sc.MinPos, sc.Hi}}, 2)
	sp := newSpan(logY)
	if sc.set {
		sp.add(sc.Lo)
		sp.add(sc.Hi)
		sp.add(sc.MinPos)
	}
	valueW := 0
	for _, g := range c.Groups {
		groupW = max(groupW, lipgloss.Width(g.Name))
		for _, v := range g.Values {
			valueW = max(valueW, lipgloss.Width(experiment.Number(v)))
		}
	}
	if len(c.Groups) < 2 {
		groupW = 0
	}
	sp.settle()
	if !logY {
		sp.lo = math.Min(0, sp.lo)
	} else {
		sp.lo -= (sp.hi - sp.lo) * 0.05 // the smallest value still gets a sliver
	}
	barW := max(w-labelW-groupW-valueW-3, 4)
	var b strings.Builder
	title := c.Title
	if logY {
		title += " · " + t.Words.Log
	}
	b.WriteString(t.Label.Render(title))
	for li, l := range c.Labels {
		for gi, g := range c.Groups {
			name := ""
			if gi == 0 {
				name = l
			}
			v := math.NaN()
			if li < len(g.Values) {
				v = g.Values[li]
			}
			n := 0
			if tv, ok := sp.tr(v); ok {
				n = int(math.Round((tv - sp.lo) / (sp.hi - sp.lo) * float64(barW)))
				n = max(0, min(barW, n))
			}
			b.WriteString("\n" + report.Pad(name, labelW, false) + " ")
			if groupW > 0 {
				b.WriteString(report.Pad(g.Name, groupW, false) + " ")
			}
			bar := strings.Repeat("█", n)
			if t.Plain {
				bar = strings.Repeat(string(report.Markers[gi%len(report.Markers)]), n)
			}
			b.WriteString(t.SeriesStyle(gi).Render(bar) + " " + experiment.Number(v))
		}
	}
	return b.String()
}
