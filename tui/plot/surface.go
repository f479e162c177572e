package plot

import (
	"fmt"
	"math"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/tui/palette"
	"github.com/nnlab/nnlab/tui/report"
)

// shades stand in for colours on a plain terminal, low to high (the text
// report's); blocks do in 16 colours.
var (
	shades = report.Shades
	blocks = []rune(" ·░▒▓")
)

// The marks a surface draws over its shading.
const (
	startMark = '●'
	endMark   = '■'
	minMark   = '✕'
	stepMark  = '◆'
)

// minOwner is the owner of a minimum's mark (not a path).
const minOwner = -2

// surfCell is one character of a surface: shading only (r == 0), or a mark
// — a path's braille, a marker, an arrow — owned by a path (its index) or
// by a minimum.
type surfCell struct {
	r     rune
	owner int
}

// Surface draws the field as a heat map in a w×h box, banded by rank of
// log(z − z_min) like contour lines, with each path over it, its start ●
// and end ■, each minimum ✕, the legend below.
//
// In colour (truecolor, 256) the field is drawn at twice the vertical
// resolution with half blocks (▀, the upper pixel in the foreground, the
// lower in the background) in a ramp ordered in lightness; a path is a
// braille line in its series colour, bold, on a casing — the shade beneath,
// darkened or lightened until the path keeps 3:1 against it (see
// palette.Casing). In 16 colours the shading is block characters in a
// muted colour and the paths the terminal's own colour, bold, one marker
// character a path; without colour, ASCII shades and markers.
func Surface(s experiment.Surface, w, h int, t Theme) string {
	w, h = max(w, 10), max(h, 4)
	if s.NX < 2 || s.NY < 2 || len(s.Z) != s.NX*s.NY {
		return s.Title
	}
	cells := make([][]surfCell, h)
	for y := range cells {
		cells[y] = make([]surfCell, w)
	}
	set := func(p canvas.Point, r rune, owner int) {
		if p.X >= 0 && p.X < w && p.Y >= 0 && p.Y < h {
			cells[p.Y][p.X] = surfCell{r, owner}
		}
	}
	// Paths, the last first so the first ends on top. A path is cut where it
	// leaves the window, with an arrow on the edge pointing the way it went.
	names := make([]string, len(s.Paths))
	type exit struct {
		p canvas.Point
		r rune
		i int
	}
	var exits []exit
	var notes []string
	cell := func(x, y float64) canvas.Point {
		return canvas.Point{
			X: max(0, min(w-1, int(math.Round((x-s.XMin)/(s.XMax-s.XMin)*float64(w-1))))),
			Y: max(0, min(h-1, int(math.Round((s.YMax-y)/(s.YMax-s.YMin)*float64(h-1))))),
		}
	}
	markers := t.Plain || t.Shaded // braille lines look alike without colour
	for i := len(s.Paths) - 1; i >= 0; i-- {
		p := s.Paths[i]
		names[i] = p.Name
		g := graph.NewBrailleGrid(w, h, s.XMin, s.XMax, s.YMin, s.YMax)
		grid := func(x, y float64) canvas.Point { return g.GridPoint(canvas.Float64Point{X: x, Y: y}) }
		for k, xy := range p.Points {
			if k == 0 {
				if report.Inside(xy[0], s.XMin, s.XMax) && report.Inside(xy[1], s.YMin, s.YMax) {
					g.Set(grid(xy[0], xy[1]))
				}
				continue
			}
			a := p.Points[k-1]
			t0, t1, ok := report.ClipSegment(a[0], a[1], xy[0], xy[1], s.XMin, s.XMax, s.YMin, s.YMax)
			if !ok || (t0 > 0 && t1 < 1) {
				continue // outside, or only passing through: drawn, it would hide the rest
			}
			dx, dy := xy[0]-a[0], xy[1]-a[1]
			from, to := grid(a[0]+t0*dx, a[1]+t0*dy), grid(a[0]+t1*dx, a[1]+t1*dy)
			for _, r := range graph.GetLinePoints(from, to) {
				g.Set(r)
			}
			if t1 < 1 { // it leaves the window here
				exits = append(exits, exit{cell(a[0]+t1*dx, a[1]+t1*dy), report.Arrow(dx, dy), i})
			}
		}
		if n := len(p.Points); n > 0 {
			end := p.Points[n-1]
			if !report.Inside(end[0], s.XMin, s.XMax) || !report.Inside(end[1], s.YMin, s.YMax) {
				notes = append([]string{fmt.Sprintf(t.Words.OffWindow, p.Name, experiment.Number(end[0]), experiment.Number(end[1]))}, notes...)
			}
		}
		for y, row := range g.BraillePatterns() {
			for x, r := range row {
				if r == 0x2800 || r == 0 {
					continue
				}
				if markers {
					r = report.Markers[i%len(report.Markers)]
				}
				set(canvas.Point{X: x, Y: y}, r, i)
			}
		}
	}
	for k := len(exits) - 1; k >= 0; k-- { // the first path's arrows on top
		set(exits[k].p, exits[k].r, exits[k].i)
	}
	mark := func(p [2]float64, r rune, owner int) {
		if report.Inside(p[0], s.XMin, s.XMax) && report.Inside(p[1], s.YMin, s.YMax) {
			set(cell(p[0], p[1]), r, owner)
		}
	}
	// Where each path starts and ends (most runs share the start), then the
	// minima, then a scrubbed step: where each path is then.
	for i := len(s.Paths) - 1; i >= 0; i-- {
		if pts := s.Paths[i].Points; len(pts) > 1 {
			mark(pts[len(pts)-1], endMark, i)
		}
	}
	for i := len(s.Paths) - 1; i >= 0; i-- {
		if pts := s.Paths[i].Points; len(pts) > 0 {
			mark(pts[0], startMark, i)
		}
	}
	for _, m := range s.Minima {
		mark(m, minMark, minOwner)
	}
	var stepNotes []string
	if t.Step >= 0 {
		for i := len(s.Paths) - 1; i >= 0; i-- {
			p := s.Paths[i]
			if len(p.Points) == 0 {
				continue
			}
			k := min(t.Step, len(p.Points)-1)
			mark(p.Points[k], stepMark, i)
			line := fmt.Sprintf("%s %d · %s (%s, %s)", t.Words.Step, k, p.Name, experiment.Number(p.Points[k][0]), experiment.Number(p.Points[k][1]))
			if k < len(p.Loss) {
				line += " · f = " + experiment.Number(p.Loss[k])
			}
			if k < len(p.Velocity) {
				line += fmt.Sprintf(" · z = (%s, %s)", experiment.Number(p.Velocity[k][0]), experiment.Number(p.Velocity[k][1]))
			}
			stepNotes = append([]string{line}, stepNotes...)
		}
	}

	var body string
	switch {
	case t.Plain || t.Shaded:
		body = shadedSurface(s, cells, t)
	default:
		body = colourSurface(s, cells, t)
	}

	// What the shades mean, from low to high.
	var key string
	switch {
	case t.Plain:
		key = t.Label.Render(report.ShadeKey(report.Words{Low: t.Words.Low, High: t.Words.High}))
	case t.Shaded:
		key = t.Label.Render(t.Words.Low+" ") + sgr(t.Palette.Axis.Seq(t.Profile, false), string(blocks[1:])) + t.Label.Render(" "+t.Words.High)
	default:
		var strip strings.Builder
		for _, c := range t.Palette.Ramp {
			strip.WriteString(sgr(c.Seq(t.Profile, true), "  "))
		}
		key = t.Label.Render(t.Words.Low+" ") + strip.String() + t.Label.Render(" "+t.Words.High)
	}
	legend := experiment.Number(s.XMin) + " ≤ x ≤ " + experiment.Number(s.XMax) + ", " +
		experiment.Number(s.YMin) + " ≤ y ≤ " + experiment.Number(s.YMax) +
		" · " + string(startMark) + " " + t.Words.Start + " · " + string(endMark) + " " + t.Words.End +
		" · " + string(minMark) + " " + t.Words.Minimum
	axis := t.Label.Render(report.Wrap(legend, w))
	for _, n := range notes {
		axis += "\n" + t.Label.Render(report.Wrap(n, w))
	}
	for i, n := range stepNotes {
		axis += "\n" + t.SeriesStyle(i).Render(report.Wrap(string(stepMark)+" "+n, w))
	}
	return t.Label.Render(s.Title) + "\n" + body + "\n" + axis + "\n" + key + "\n" + Legend(names, w, t)
}

// bander ranks a surface's values into n bands: by log(1 + z − z_min),
// spread by a square root so the bands near the minimum stay narrow, like
// contour lines.
type bander struct {
	s      experiment.Surface
	zmin   float64
	lo, hi float64
	n      int
}

func newBander(s experiment.Surface, n int) bander {
	b := bander{s: s, zmin: math.Inf(1), lo: math.Inf(1), hi: math.Inf(-1), n: n}
	for _, z := range s.Z {
		b.zmin = math.Min(b.zmin, z)
	}
	for _, z := range s.Z {
		l := b.level(z)
		b.lo, b.hi = math.Min(b.lo, l), math.Max(b.hi, l)
	}
	return b
}

func (b bander) level(z float64) float64 { return math.Log1p(math.Max(0, z-b.zmin)) }

// at is the band of the point at column x of w and row y of h (row 0 on top).
func (b bander) at(x, w, y, h int) int {
	si := int(math.Round(float64(x) / float64(max(1, w-1)) * float64(b.s.NX-1)))
	sj := int(math.Round(float64(h-1-y) / float64(max(1, h-1)) * float64(b.s.NY-1)))
	f := 0.0
	if v := b.level(b.s.At(si, sj)); b.hi > b.lo && !math.IsNaN(v) {
		f = (v - b.lo) / (b.hi - b.lo)
	}
	return max(0, min(b.n-1, int(math.Sqrt(f)*float64(b.n))))
}

// shadedSurface draws without a ramp of colours: a character a band (ASCII
// shades without colour; blocks in a muted colour in 16 colours) and the
// marks in the terminal's own colour (bold in 16 colours).
func shadedSurface(s experiment.Surface, cells [][]surfCell, t Theme) string {
	h, w := len(cells), len(cells[0])
	ramp := shades
	if t.Shaded {
		ramp = blocks
	}
	bd := newBander(s, len(ramp))
	shade, markSeq := "", ""
	if t.Shaded {
		shade, markSeq = t.Palette.Axis.Seq(t.Profile, false), "1"
	}
	var b strings.Builder
	for y := range h {
		if y > 0 {
			b.WriteByte('\n')
		}
		var e emitter
		for x := range w {
			c := cells[y][x]
			if c.r != 0 {
				e.put(&b, markSeq, string(c.r))
				continue
			}
			e.put(&b, shade, string(ramp[bd.at(x, w, y, h)]))
		}
		e.end(&b)
	}
	return b.String()
}

// colourSurface draws with the ramp at two pixels a character (half blocks)
// and the marks on their casings.
func colourSurface(s experiment.Surface, cells [][]surfCell, t Theme) string {
	h, w := len(cells), len(cells[0])
	ramp := t.Palette.Ramp
	bd := newBander(s, len(ramp))
	markColour := func(owner int) palette.Colour {
		if owner == minOwner {
			return t.Palette.Min
		}
		return t.Palette.Series[owner%len(t.Palette.Series)]
	}
	var b strings.Builder
	for y := range h {
		if y > 0 {
			b.WriteByte('\n')
		}
		var e emitter
		for x := range w {
			top, bot := bd.at(x, w, 2*y, 2*h), bd.at(x, w, 2*y+1, 2*h)
			c := cells[y][x]
			switch {
			case c.r != 0:
				m := markColour(c.owner)
				under := palette.Casing(ramp[(top+bot+1)/2], m, t.Dark)
				e.put(&b, "1;"+m.Seq(t.Profile, false)+";"+under.Seq(t.Profile, true), string(c.r))
			case top == bot:
				e.put(&b, ramp[top].Seq(t.Profile, true), " ")
			default:
				e.put(&b, ramp[top].Seq(t.Profile, false)+";"+ramp[bot].Seq(t.Profile, true), "▀")
			}
		}
		e.end(&b)
	}
	return b.String()
}

// emitter writes runs of text, setting the SGR attributes only where they
// change and resetting them at the end of a line.
type emitter struct{ cur string }

func (e *emitter) put(b *strings.Builder, attrs, text string) {
	if attrs != e.cur {
		b.WriteString("\x1b[0")
		if attrs != "" {
			b.WriteString(";" + attrs)
		}
		b.WriteByte('m')
		e.cur = attrs
	}
	b.WriteString(text)
}

func (e *emitter) end(b *strings.Builder) {
	if e.cur != "" {
		b.WriteString("\x1b[0m")
		e.cur = ""
	}
}

// sgr wraps text in attrs ("" leaves it plain).
func sgr(attrs, text string) string {
	if attrs == "" {
		return text
	}
	return "\x1b[" + attrs + "m" + text + "\x1b[0m"
}
