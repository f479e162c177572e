package plot

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/tui/report"
)

func themes() map[string]Theme {
	color := lipgloss.NewRenderer(nil)
	color.SetColorProfile(termenv.TrueColor)
	plain := lipgloss.NewRenderer(nil)
	plain.SetColorProfile(termenv.Ascii)
	return map[string]Theme{"dark": NewTheme(color, true), "light": NewTheme(color, false), "plain": NewTheme(plain, true)}
}

func bowl() experiment.Surface {
	s := experiment.Surface{Title: "bowl", XMin: -2, XMax: 2, YMin: -1, YMax: 1, NX: 41, NY: 21, Minima: [][2]float64{{0, 0}}}
	for j := range s.NY {
		for i := range s.NX {
			x, y := -2+4*float64(i)/40, -1+2*float64(j)/20
			s.Z = append(s.Z, x*x+5*y*y)
		}
	}
	s.Paths = []experiment.Path{{Name: "gd", Points: [][2]float64{{-2, 1}, {-1, -0.5}, {0, 0}}}, {Name: "far", Points: [][2]float64{{5, 5}, {-1.5, 0.8}}}}
	return s
}

func decay() experiment.Chart {
	y1, y2 := make([]float64, 300), make([]float64, 300)
	for i := range y1 {
		y1[i] = math.Exp(-float64(i) / 30)
		y2[i] = 1 / float64(i+1)
	}
	y2[10] = math.NaN()
	y2[11] = 0 // not drawable on a log axis
	return experiment.Chart{Title: "loss", LogY: true, Series: []experiment.Series{{Name: "sgd", Y: y1}, {Name: "adam", Y: y2}}}
}

// Every drawing fits the box it was given, in every theme, and never panics
// on gaps, zeros on log axes or paths that leave the window.
func TestFitsBox(t *testing.T) {
	bars := experiment.BarChart{Title: "grad", LogY: true, Labels: []string{"L1", "L2", "층3"}, Groups: []experiment.BarGroup{{Name: "plain", Values: []float64{1e-9, 1e-3, 0}}, {Name: "residual", Values: []float64{0.5, 1, 2}}}}
	for name, th := range themes() {
		for _, w := range []int{30, 60, 118} {
			for what, out := range map[string]string{
				"chart":   LineChart(decay(), w, 12, th),
				"surface": Surface(bowl(), w, 14, th),
				"bars":    Bars(bars, w, th),
			} {
				for _, l := range strings.Split(out, "\n") {
					if lw := ansi.StringWidth(l); lw > w {
						t.Errorf("%s %s width %d: line is %d wide: %q", name, what, w, lw, ansi.Strip(l))
					}
				}
			}
		}
	}
}

func TestSurfaceMarksMinimumAndPaths(t *testing.T) {
	th := themes()["plain"]
	out := ansi.Strip(Surface(bowl(), 41, 11, th))
	lines := strings.Split(out, "\n")
	// The minimum (0,0) sits in the middle of the 41×11 box: row 5, column 20.
	if r := []rune(lines[1+5]); r[20] != '✕' {
		t.Errorf("minimum not at the centre:\n%s", out)
	}
	if !strings.Contains(out, "*") || !strings.Contains(out, "+ far") {
		t.Errorf("paths or legend missing:\n%s", out)
	}
}

func TestBarsAreProportional(t *testing.T) {
	th := themes()["plain"]
	out := Bars(experiment.BarChart{Title: "t", Labels: []string{"a", "b"}, Groups: []experiment.BarGroup{{Name: "g", Values: []float64{1, 2}}}}, 40, th)
	lines := strings.Split(out, "\n")
	a, b := strings.Count(lines[1], "*"), strings.Count(lines[2], "*")
	if b == 0 || math.Abs(float64(a)/float64(b)-0.5) > 0.1 {
		t.Errorf("bars not proportional (%d vs %d):\n%s", a, b, out)
	}
}

func BenchmarkLineChart(b *testing.B) {
	th := themes()["dark"]
	c := decay()
	for b.Loop() {
		LineChart(c, 100, 14, th)
	}
}

// BenchmarkSurface draws a surface with two paths, 100×20, at each depth.
func BenchmarkSurface(b *testing.B) {
	s := bowl()
	for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
		r := lipgloss.NewRenderer(nil)
		r.SetColorProfile(p)
		th := NewTheme(r, true)
		b.Run(p.Name(), func(b *testing.B) {
			for b.Loop() {
				Surface(s, 100, 20, th)
			}
		})
	}
}

// The notebook at 80×24 draws charts 77 columns wide and 8 rows high.
const nbW, nbH = 77, 8

// plotRows are the rows of a line chart between its title and its x axis.
func plotRows(out string) []string {
	lines := strings.Split(ansi.Strip(out), "\n")
	var rows []string
	for _, l := range lines[1:] {
		if strings.Contains(l, "└") {
			break
		}
		rows = append(rows, l)
	}
	return rows
}

func themeIn(name, lang string) Theme {
	th := themes()[name]
	th.Words = WordsIn(lang)
	return th
}

// rates is shaped like the momentum lesson's chart: rates against the
// learning rate, linear, with the line below which a run converges.
func rates() experiment.Chart {
	var xs, gd, hb []float64
	for k := range 60 {
		lr := 0.05 + 0.015*float64(k)
		xs = append(xs, lr)
		gd = append(gd, math.Max(math.Abs(1-lr*0.2), math.Abs(1-lr*4)))
		hb = append(hb, 0.65+math.Max(0, lr-0.3)*2.2)
	}
	return experiment.Chart{Title: "rates", XLabel: "learning rate", YLabel: "rate", Refs: []float64{1},
		Series: []experiment.Series{{Name: "gradient descent", X: xs, Y: gd}, {Name: "momentum", X: xs, Y: hb}}}
}

// Every y axis has at least three labelled ticks at 80 columns, and a
// reference line carries its value.
func TestThreeTicksAt80Columns(t *testing.T) {
	narrow := experiment.Chart{Title: "within a decade", LogY: true, Series: []experiment.Series{{Name: "a", Y: []float64{0.9, 0.5, 0.3, 0.2}}}}
	for _, th := range []string{"plain", "dark"} {
		for name, c := range map[string]experiment.Chart{"log": decay(), "linear": rates(), "narrow log": narrow} {
			rows := plotRows(LineChart(c, nbW, nbH, themes()[th]))
			n := 0
			for _, r := range rows {
				if l, _, _ := strings.Cut(r, "│"); strings.TrimSpace(l) != "" {
					n++
				}
			}
			if n < 3 {
				t.Errorf("%s %s: %d labelled ticks:\n%s", th, name, n, strings.Join(rows, "\n"))
			}
		}
		if out := LineChart(rates(), nbW, nbH, themes()[th]); !strings.Contains(ansi.Strip(out), "rate = 1") {
			t.Errorf("%s: the reference line has no label:\n%s", th, ansi.Strip(out))
		}
	}
	golden.RequireEqual(t, []byte(LineChart(rates(), nbW, nbH, themes()["plain"])))
}

// diverging has one run that blows up to 1e+76 beside two that converge.
func diverging() experiment.Chart {
	var sgd, adam, rms []float64
	for k := range 101 {
		sgd = append(sgd, 10*math.Pow(10, 0.75*float64(k)))
		adam = append(adam, 10*math.Exp(-float64(k)/10))
		rms = append(rms, 10*math.Exp(-float64(k)/20))
	}
	return experiment.Chart{Title: "loss", LogY: true, XLabel: "step", Series: []experiment.Series{{Name: "sgd", Y: sgd}, {Name: "adam", Y: adam}, {Name: "rmsprop", Y: rms}}}
}

// A series that diverges is cut at the top with an arrow and a note in the
// learner's language; the others keep the height of the chart.
func TestDivergenceIsClipped(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		th := themeIn("plain", lang)
		out := ansi.Strip(LineChart(diverging(), nbW, 12, th))
		rows := plotRows(out)
		adam := 0 // rows the converging run reaches
		for _, r := range rows {
			if strings.Contains(r, "+") {
				adam++
			}
		}
		if adam < len(rows)/2 {
			t.Errorf("%s: the converging run is squeezed into %d of %d rows:\n%s", lang, adam, len(rows), out)
		}
		note := "↑ " + fmt.Sprintf(th.Words.OffScale, "sgd", "step 1", "1.000e+76")
		if !strings.Contains(rows[0], "↑") || !strings.Contains(out, note) {
			t.Errorf("%s: no arrow at the top or no note %q:\n%s", lang, note, out)
		}
		t.Run(lang, func(t *testing.T) { golden.RequireEqual(t, []byte(out)) })
	}
}

// Four series on top of one another each show their marker, in colour and
// without.
func TestOverlappingSeriesStayVisible(t *testing.T) {
	y := decay().Series[0].Y
	c := experiment.Chart{Title: "loss", LogY: true}
	for _, n := range []string{"sgd", "adagrad", "rmsprop", "adam"} {
		c.Series = append(c.Series, experiment.Series{Name: n, Y: y})
	}
	plain := strings.Join(plotRows(LineChart(c, nbW, nbH, themes()["plain"])), "\n")
	for i := range c.Series {
		if m := string(report.Markers[i]); !strings.Contains(plain, m) {
			t.Errorf("series %d (%s) is hidden:\n%s", i, m, plain)
		}
	}
	th := themes()["dark"]
	out := LineChart(c, nbW, nbH, th)
	body := strings.Join(strings.Split(out, "\n")[1:nbH-1], "\n")
	for i := range c.Series {
		sgr, _, _ := strings.Cut(th.SeriesStyle(i).Render("x"), "x")
		if !strings.Contains(body, sgr) {
			t.Errorf("series %d has no cell of its colour", i)
		}
	}
	golden.RequireEqual(t, []byte(plain))
}

// A path that leaves the surface's window ends in an arrow on the edge it
// crossed, and a note gives its final point.
func TestPathLeavingTheWindow(t *testing.T) {
	s := bowl()
	s.Paths = []experiment.Path{{Name: "sgd", Points: [][2]float64{{-1, 0}, {0.5, 0.5}, {3, 0.6}, {9, 0.7}}}}
	for _, lang := range []string{"en", "ko"} {
		th := themeIn("plain", lang)
		out := ansi.Strip(Surface(s, 41, 11, th))
		lines := strings.Split(out, "\n")
		// (3, 0.6) is past the right edge x = 2: the arrow is in the last column.
		if r := []rune(lines[1+2]); r[40] != '→' {
			t.Errorf("%s: no → on the right edge:\n%s", lang, out)
		}
		if note := fmt.Sprintf(th.Words.OffWindow, "sgd", "9", "0.7"); !strings.Contains(out, note) {
			t.Errorf("%s: no note %q:\n%s", lang, note, out)
		}
		t.Run(lang, func(t *testing.T) { golden.RequireEqual(t, []byte(out)) })
	}
}

// Bars drawn on a kept scale have the length they had on it.
func TestBarsOnKeptScale(t *testing.T) {
	th := themes()["plain"]
	c := func(vs ...float64) experiment.BarChart {
		return experiment.BarChart{Title: "t", Labels: []string{"a", "b"}, Groups: []experiment.BarGroup{{Name: "g", Values: vs}}}
	}
	first := Bars(c(1, 4), 40, th)
	again := BarsOn(c(1, 2), ScaleOf(c(1, 4)), 40, th)
	if a, b := strings.Split(first, "\n")[1], strings.Split(again, "\n")[1]; a != b {
		t.Errorf("the bar of 1 changed on the kept scale:\n%s\n%s", a, b)
	}
	if BarsOn(c(1, 2), BarScale{}, 40, th) != Bars(c(1, 2), 40, th) {
		t.Error("the zero scale changes the drawing")
	}
}

// TestSurfaceHalfBlocks: in colour a surface has two pixels a character —
// the upper one the half block's foreground, the lower its background — in
// the ramp, ordered from the top row to the bottom one as the field is.
func TestSurfaceHalfBlocks(t *testing.T) {
	// z = y on a window from y = -1 (bottom) to 1 (top): high at the top.
	s := experiment.Surface{Title: "slope", XMin: 0, XMax: 1, YMin: -1, YMax: 1, NX: 2, NY: 41}
	for j := range s.NY {
		y := -1 + 2*float64(j)/40
		s.Z = append(s.Z, y, y)
	}
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.TrueColor)
	th := NewTheme(r, true)
	level := map[string]int{}
	for i, c := range th.Palette.Ramp {
		level[c.Seq(termenv.TrueColor, false)[3:]] = i // "2;r;g;b"
	}
	out := Surface(s, 10, 6, th)
	rows := strings.Split(out, "\n")[1:7]
	var pixels []int // the first column's pixel levels, top to bottom
	fgRe, bgRe := regexp.MustCompile(`38;(2;\d+;\d+;\d+)`), regexp.MustCompile(`48;(2;\d+;\d+;\d+)`)
	for _, row := range rows {
		first := strings.SplitN(row, "m", 2)[0] // the row's first attributes
		fg, bg := fgRe.FindStringSubmatch(first), bgRe.FindStringSubmatch(first)
		switch {
		case bg == nil:
			t.Fatalf("row %q has no background", row)
		case fg != nil && strings.Contains(row, "▀"):
			pixels = append(pixels, level[fg[1]], level[bg[1]])
		default:
			pixels = append(pixels, level[bg[1]], level[bg[1]])
		}
	}
	halves := 0
	for i := 1; i < len(pixels); i++ {
		if pixels[i] > pixels[i-1] {
			t.Errorf("pixel row %d is higher on the ramp than the one above it: %v", i, pixels)
		}
		if i%2 == 1 && pixels[i] != pixels[i-1] {
			halves++ // a character whose two pixels differ
		}
	}
	if halves == 0 || pixels[0] != len(th.Palette.Ramp)-1 || pixels[len(pixels)-1] != 0 {
		t.Errorf("pixels %v: want the whole ramp, top to bottom, some characters split in two", pixels)
	}
}
