package report

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
)

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
		got := RoundTicks(tc.lo, tc.hi, tc.log, tc.n)
		if len(got) != len(tc.want) {
			t.Errorf("RoundTicks(%v, %v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.log, tc.n, got, tc.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-12 {
				t.Errorf("RoundTicks(%v, %v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.log, tc.n, got, tc.want)
				break
			}
		}
	}
}

// The text chart cuts a diverging series at the top with an arrow and a
// note, labels its reference line, and shows every series' marker even
// where lines coincide.
func TestTextChartDoesNotMislead(t *testing.T) {
	var sgd, adam, same []float64
	for k := range 101 {
		sgd = append(sgd, 10*math.Pow(10, 0.75*float64(k)))
		adam = append(adam, 10*math.Exp(-float64(k)/10))
		same = append(same, 10*math.Exp(-float64(k)/10))
	}
	c := experiment.Chart{Title: "loss", LogY: true, XLabel: "step", Refs: []float64{1}, YLabel: "loss",
		Series: []experiment.Series{{Name: "sgd", Y: sgd}, {Name: "adam", Y: adam}, {Name: "rmsprop", Y: same}}}
	for _, lang := range []string{"en", "ko"} {
		o := Options{Width: 80, Words: WordsIn(lang)}
		out := Chart(c, o)
		rows := strings.Split(out, "\n")[1:11]
		reached := 0
		for _, r := range rows {
			if strings.ContainsAny(r, "+o") {
				reached++
			}
		}
		if reached < 8 {
			t.Errorf("%s: the converging runs reach %d of 10 rows:\n%s", lang, reached, out)
		}
		note := "↑ " + fmt.Sprintf(o.Words.OffScale, "sgd", "step 1", "1.000e+76")
		if !strings.Contains(rows[0], "↑") || !strings.Contains(out, note) || !strings.Contains(out, "loss = 1") {
			t.Errorf("%s: no arrow, no note %q or no reference label:\n%s", lang, note, out)
		}
		// adam and rmsprop coincide: both markers show.
		plot := strings.Join(rows, "\n")
		if !strings.Contains(plot, "+") || !strings.Contains(plot, "o") {
			t.Errorf("%s: a hidden series:\n%s", lang, out)
		}
	}
}

// A path leaving the text surface ends in an arrow on the edge, and a note
// gives its final point.
func TestTextSurfaceMarksExits(t *testing.T) {
	s := experiment.Surface{Title: "bowl", XMin: -1, XMax: 1, YMin: -1, YMax: 1, NX: 3, NY: 3, Z: make([]float64, 9),
		Paths: []experiment.Path{{Name: "sgd", Points: [][2]float64{{0, 0}, {0.5, 0.5}, {0.6, 3}, {0.7, -40}}}}}
	for _, lang := range []string{"en", "ko"} {
		o := Options{Width: 60, Words: WordsIn(lang)}
		out := Surface(s, o)
		if !strings.Contains(strings.Split(out, "\n")[2], "↑") {
			t.Errorf("%s: no ↑ on the top edge:\n%s", lang, out)
		}
		if note := fmt.Sprintf(o.Words.OffWindow, "sgd", "0.7", "-40"); !strings.Contains(out, note) {
			t.Errorf("%s: no note %q:\n%s", lang, note, out)
		}
	}
}

func TestTicksAtLeastThree(t *testing.T) {
	for _, tc := range [][3]float64{{0.6518, 2.75, 0}, {-0.7, -0.05, 1}, {-2, 0, 1}, {0, 1e-3, 0}, {-3.2, 0, 1}} {
		if got := Ticks(tc[0], tc[1], tc[2] == 1, 3); len(got) < 3 {
			t.Errorf("Ticks(%v, %v, log %v) = %v", tc[0], tc[1], tc[2] == 1, got)
		}
	}
}

// TestSettle: a range below the values' precision is one value.
func TestSettle(t *testing.T) {
	for _, tc := range []struct {
		lo, hi   float64
		log      bool
		wlo, whi float64
	}{
		{0.001, 0.001 + 1e-19, false, 0.0005, 0.0015},
		{0.001, 0.002, false, 0.001, 0.002},
		{3, 3, true, 2.5, 3.5},
		{-3, -3 + 1e-15, true, -3.5, -2.5},
		{0, 0, false, -0.5, 0.5},
		{math.Inf(1), math.Inf(-1), false, 0, 1},
	} {
		lo, hi := Settle(tc.lo, tc.hi, tc.log)
		if math.Abs(lo-tc.wlo) > 1e-12 || math.Abs(hi-tc.whi) > 1e-12 {
			t.Errorf("Settle(%g, %g, %v) = %g, %g; want %g, %g", tc.lo, tc.hi, tc.log, lo, hi, tc.wlo, tc.whi)
		}
	}
}
