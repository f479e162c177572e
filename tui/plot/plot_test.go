package plot

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/core/experiment"
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

func BenchmarkSurface(b *testing.B) {
	th := themes()["dark"]
	s := bowl()
	for b.Loop() {
		Surface(s, 100, 20, th)
	}
}

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		log    bool
		n      int
		want   []float64
	}{
		{0, 2.8, false, 3, []float64{0, 1, 2}},
		{5, 888, false, 5, []float64{200, 400, 600, 800}},
		{0, 1000, false, 5, []float64{0, 200, 400, 600, 800, 1000}},
		{-6, 1, true, 4, []float64{-6, -4, -2, 0}},
		{-0.3, 0.9, true, 3, []float64{0}},
		{0.6518, 2.75, false, 3, []float64{1, 2}},
	} {
		got := ticks(tc.lo, tc.hi, tc.log, tc.n)
		if len(got) != len(tc.want) {
			t.Errorf("ticks(%v, %v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.log, tc.n, got, tc.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-12 {
				t.Errorf("ticks(%v, %v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.log, tc.n, got, tc.want)
				break
			}
		}
	}
}
