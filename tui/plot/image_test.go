package plot

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/nnlab/nnlab/core/cnn"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiment/experimenttest"
	"github.com/nnlab/nnlab/tui/report"
)

// featureMap runs feature_map (test image 0, Sobel y) and returns its
// output image and input image.
func featureMap(t *testing.T) (experiment.Image, experiment.Image) {
	t.Helper()
	e := experimenttest.Named(t, cnn.Experiments(), "feature_map")
	r := experimenttest.Run(t, e, map[string]string{"image": "0", "kernel": "edge_y"}, nil)
	out, ok1 := r.Image("output")
	in, ok2 := r.Image("input")
	if !ok1 || !ok2 {
		t.Fatal("feature_map has no input or output image")
	}
	return out, in
}

// TestImageHalfBlocks checks the colour drawing: two pixel rows to a text
// row, one cell a pixel, the upper pixel's colour as the foreground of ▀
// and the lower's as its background, and a signed map's colours diverging
// around zero (0 is the ramp's middle).
func TestImageHalfBlocks(t *testing.T) {
	out, in := featureMap(t)
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.TrueColor)
	th := NewTheme(r, true)
	s := ImageWith(out, &in, -1, 80, th, report.WordsIn("en"))
	lines := strings.Split(s, "\n")
	// Title, names, 14 rows of half blocks, the key.
	if len(lines) != 1+1+14+1 {
		t.Fatalf("%d lines:\n%s", len(lines), s)
	}
	for _, l := range lines[2:16] {
		if w := ansi.StringWidth(l); w != 28+3+28 || strings.Count(l, "▀") != 56 {
			t.Errorf("a row %d wide with %d half blocks, want input and map of 28 side by side: %q", w, strings.Count(l, "▀"), l)
		}
	}
	// Pixel (0, 0) of image 0 is background: the row starts with a run in
	// viridis' low end, above and below.
	want := termenv.TrueColor.Color(ramp(viridisRamp, 0))
	if prefix := termenv.String("▀").Foreground(want).Background(want).String(); !strings.HasPrefix(lines[2], prefix[:strings.Index(prefix, "▀")]+"▀▀") {
		t.Errorf("input's first cells are not viridis' low end: %q", lines[2][:40])
	}
	for _, dark := range []bool{true, false} {
		rp := divergingRamp
		if dark {
			rp = divergingDark
		}
		if got := imageColour(out, 0, dark); got != ramp(rp, 0.5) {
			t.Errorf("dark=%v: 0 in a signed map is %s, want the ramp's middle %s", dark, got, ramp(rp, 0.5))
		}
	}
	if lo, hi := report.Span(out); lo != -hi || hi != max(-out.Min, out.Max) {
		t.Errorf("signed span %v…%v, want symmetric around 0", lo, hi)
	}
	if ramp(viridisRamp, 0) != "#440154" || ramp(viridisRamp, 1) != "#FDE725" {
		t.Error("viridis' ends moved")
	}
}

// TestImageScrubbed checks the scrubber's view of an output pixel: its
// window ringed on the input, the pixel ringed on the map, and the nine
// products written out with their sum, which is the pixel's value.
func TestImageScrubbed(t *testing.T) {
	out, in := featureMap(t)
	plain := lipgloss.NewRenderer(nil)
	plain.SetColorProfile(termenv.Ascii)
	th := NewTheme(plain, true)
	i, j := 15, 14
	s := ImageWith(out, &in, i*out.W+j, 100, th, report.WordsIn("en"))
	want := "output[15][14] = Σ products = " + experiment.Number(out.At(0, i, j))
	if !strings.Contains(s, want) {
		t.Errorf("no %q in\n%s", want, s)
	}
	if !strings.Contains(s, "input, rows 14…16, columns 13…15") {
		t.Errorf("the window's rows and columns are not named:\n%s", s)
	}
	if n := strings.Count(s, "o"); n < 10 {
		t.Errorf("%d ring marks; want the window's ring and the pixel's", n)
	}
	golden.RequireEqual(t, []byte(s))
}

// TestImagePlain checks the text drawing without colour: the shades, one
// line per two pixel rows, and the key naming the range.
func TestImagePlain(t *testing.T) {
	_, in := featureMap(t)
	s := report.Image(in, report.Options{Width: 80})
	lines := strings.Split(s, "\n")
	if len(lines) != 1+1+14+1 || !strings.HasPrefix(lines[len(lines)-1], "0 [ .:-=+*#%@] 1") {
		t.Fatalf("got\n%s", s)
	}
	if !strings.ContainsAny(s, "%@") {
		t.Error("no dark shades: the boot's ink is missing")
	}
}
