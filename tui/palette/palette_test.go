package palette

import (
	"testing"

	"github.com/muesli/termenv"
)

// backgrounds are the common terminal backgrounds each theme must read on.
// In 16 colours the palette is the user's: it is measured with xterm's
// default colours on xterm's own backgrounds.
func backgrounds(dark bool, p termenv.Profile) []string {
	switch {
	case p == termenv.ANSI && dark:
		return []string{"#000000"}
	case p == termenv.ANSI:
		return []string{"#ffffff"}
	case dark:
		return []string{"#000000", "#1e1e2e"}
	}
	return []string{"#ffffff", "#fafafa"}
}

var depths = []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI}

func rgb(t *testing.T, hex string) [3]float64 {
	v, ok := hexRGB(hex)
	if !ok {
		t.Fatalf("bad hex %q", hex)
	}
	return unit(v)
}

func TestTextContrast(t *testing.T) {
	for _, dark := range []bool{true, false} {
		r := For(dark)
		text := map[string]Colour{"accent": r.Accent, "subtle": r.Subtle, "error": r.Error, "pass": r.Pass,
			"warn": r.Warn, "param": r.Param, "label": r.Label}
		for i, s := range r.Series { // series colours also write text (a scrubbed step's numbers)
			text["series"+string(rune('0'+i))] = s
		}
		for _, p := range depths {
			for _, bg := range backgrounds(dark, p) {
				for name, c := range text {
					fg, ok := c.Shown(p)
					if !ok {
						continue // the terminal's own text colour
					}
					if got := Contrast(fg, rgb(t, bg)); got < 4.5 {
						t.Errorf("dark=%v depth %v: %s %s on %s: contrast %.2f, want ≥ 4.5", dark, p, name, Hex(fg), bg, got)
					}
				}
			}
			pairs := map[string][2]Colour{"selected": {r.SelectFG, r.SelectBG}, "header": {r.HeadFG, r.HeadBG}, "knob": {r.KnobFG, r.KnobBG}}
			for name, pr := range pairs {
				fg, ok1 := pr[0].Shown(p)
				bg, ok2 := pr[1].Shown(p)
				if !ok1 || !ok2 {
					if ok1 != ok2 {
						t.Errorf("dark=%v depth %v: %s sets one of its two colours only", dark, p, name)
					}
					continue
				}
				if got := Contrast(fg, bg); got < 4.5 {
					t.Errorf("dark=%v depth %v: %s %s on %s: contrast %.2f, want ≥ 4.5", dark, p, name, Hex(fg), Hex(bg), got)
				}
			}
		}
	}
}

func TestMarkContrastOnBackground(t *testing.T) {
	for _, dark := range []bool{true, false} {
		r := For(dark)
		for _, p := range depths {
			for _, bg := range backgrounds(dark, p) {
				for i, c := range append([]Colour{r.Min}, r.Series...) {
					fg, ok := c.Shown(p)
					if !ok {
						t.Errorf("dark=%v depth %v: mark %d has no colour", dark, p, i)
						continue
					}
					if got := Contrast(fg, rgb(t, bg)); got < 3 {
						t.Errorf("dark=%v depth %v: mark %d %s on %s: contrast %.2f, want ≥ 3", dark, p, i, Hex(fg), bg, got)
					}
				}
			}
		}
	}
}

// TestRampsOrdered: low to high moves away from the background in lightness,
// step by step, in truecolor and in 256 colours.
func TestRampsOrdered(t *testing.T) {
	for _, dark := range []bool{true, false} {
		r := For(dark)
		for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256} {
			prev := -1.0
			for i, c := range r.Ramp {
				v, ok := c.Shown(p)
				if !ok {
					t.Fatalf("dark=%v depth %v: ramp %d has no colour", dark, p, i)
				}
				l := Luminance(v)
				if !dark {
					l = -l
				}
				if i > 0 && l <= prev {
					t.Errorf("dark=%v depth %v: ramp step %d (%s) is not further from the background than step %d", dark, p, i, Hex(v), i-1)
				}
				prev = l
			}
		}
	}
}

func TestCasingKeepsMarksVisible(t *testing.T) {
	for _, dark := range []bool{true, false} {
		r := For(dark)
		marks := append([]Colour{r.Min}, r.Series...)
		for _, shade := range r.Ramp {
			for _, m := range marks {
				c := Casing(shade, m, dark)
				for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256} {
					bg, _ := c.Shown(p)
					fg, _ := m.Shown(p)
					if got := Contrast(fg, bg); got < 3 {
						t.Errorf("dark=%v depth %v: mark %s on the casing %s of %s: contrast %.2f", dark, p, Hex(fg), Hex(bg), shade.TC, got)
					}
				}
			}
			// A shade the marks already stand out on is left as it is.
			if c := Casing(shade, r.Series[0], dark); c.TC != shade.TC {
				fg, _ := r.Series[0].Shown(termenv.TrueColor)
				bg, _ := shade.Shown(termenv.TrueColor)
				if Contrast(fg, bg) >= MarkContrast {
					t.Errorf("dark=%v: casing changed %s although the mark stood out on it", dark, shade.TC)
				}
			}
		}
	}
}

func TestSeq(t *testing.T) {
	c := C("#102030", 24, 12)
	for _, tc := range []struct {
		p    termenv.Profile
		bg   bool
		want string
	}{
		{termenv.TrueColor, false, "38;2;16;32;48"}, {termenv.TrueColor, true, "48;2;16;32;48"},
		{termenv.ANSI256, false, "38;5;24"}, {termenv.ANSI, false, "94"}, {termenv.ANSI, true, "104"},
		{termenv.Ascii, false, ""},
	} {
		if got := c.Seq(tc.p, tc.bg); got != tc.want {
			t.Errorf("Seq(%v, bg=%v) = %q, want %q", tc.p, tc.bg, got, tc.want)
		}
	}
	if got := C("", Default, 1).Seq(termenv.ANSI, false); got != "31" {
		t.Errorf("red = %q", got)
	}
	if got := None.Seq(termenv.ANSI256, false); got != "" {
		t.Errorf("None = %q", got)
	}
}

func TestXtermPalette(t *testing.T) {
	for i, want := range map[int]string{0: "#000000", 9: "#ff0000", 16: "#000000", 21: "#0000ff", 196: "#ff0000", 231: "#ffffff", 232: "#080808", 255: "#eeeeee", 111: "#87afff"} {
		if got := Hex(Xterm(i)); got != want {
			t.Errorf("Xterm(%d) = %s, want %s", i, got, want)
		}
	}
	if c := Contrast([3]float64{0, 0, 0}, [3]float64{1, 1, 1}); c < 20.99 || c > 21.01 {
		t.Errorf("black on white = %v, want 21", c)
	}
}

// TestDataRamp: a ramp through stops keeps, in 256 colours, the lightness
// direction of every truecolor step (a diverging ramp turns at its middle);
// a ramp too fine for the palette still gets colours.
func TestDataRamp(t *testing.T) {
	for _, stops := range [][]string{
		{"#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"},
		{"#2166AC", "#92C5DE", "#E8E8E8", "#F4A582", "#B2182B"},
		{"#9EB0FF", "#2B5477", "#151515", "#7A2C15", "#FFADAD"},
	} {
		r := Ramp(stops, 12)
		for i := 1; i < len(r); i++ {
			a, _ := r[i-1].Shown(termenv.TrueColor)
			b, _ := r[i].Shown(termenv.TrueColor)
			a2, _ := r[i-1].Shown(termenv.ANSI256)
			b2, _ := r[i].Shown(termenv.ANSI256)
			if (Luminance(b) >= Luminance(a)) != (Luminance(b2) > Luminance(a2)) {
				t.Errorf("%v step %d: truecolor %s→%s but 256 colours %s→%s", stops, i, Hex(a), Hex(b), Hex(a2), Hex(b2))
			}
		}
	}
	if r := Ramp([]string{"#000000", "#0a0a0a"}, 40); len(r) != 40 || r[39].X256 < 16 {
		t.Errorf("a ramp too fine for 256 colours: %v", r)
	}
}
