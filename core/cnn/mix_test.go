package cnn

import (
	"math"
	"testing"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// TestMixMap checks the 1×1 convolution of real maps against the matrix
// product written out: every output pixel of every channel equals
// Σ_i W[o,i]·x_i from the pixel table's own numbers (at the chosen pixel)
// and from RealMaps (everywhere), and the counts.
func TestMixMap(t *testing.T) {
	e := experimenttest.Named(t, Experiments(), "mix_map")
	r := experimenttest.Run(t, e, map[string]string{"cout": "3", "row": "10", "col": "20", "image": "2"}, nil)
	experimenttest.CheckFinite(t, r)
	if w := experimenttest.Scalar(t, r, "weights"); w != 12 {
		t.Errorf("weights = %v, want 3·4", w)
	}
	if d := experimenttest.Scalar(t, r, "max_abs_diff"); d > 1e-15 {
		t.Errorf("max_abs_diff = %v", d)
	}
	tb, ok := r.Table("pixel")
	if !ok || len(tb.Rows) != 4 {
		t.Fatalf("pixel table %+v", tb)
	}
	// The x.* scalars are the pixel's inputs, the table's first row.
	for ch, name := range RealMapKernels {
		if got, want := experimenttest.Scalar(t, r, "x."+name), tb.Rows[0].Cells[1+ch].(float64); got != want {
			t.Errorf("x.%s = %v, table %v", name, got, want)
		}
	}
	x, _, err := RealMaps(2)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := r.Image("output")
	for o := 0; o < 3; o++ {
		w := tb.Rows[1+o].Cells[1:5]
		for i := 0; i < 28; i++ {
			for j := 0; j < 28; j++ {
				var s float64
				for ch := 0; ch < 4; ch++ {
					s += w[ch].(float64) * x.At(0, ch, i, j)
				}
				if math.Abs(s-out.At(o, i, j)) > 1e-14 {
					t.Fatalf("y[%d] at (%d, %d) = %v, W·x = %v", o, i, j, out.At(o, i, j), s)
				}
			}
		}
		if got := tb.Rows[1+o].Cells[5].(float64); got != out.At(o, 10, 20) {
			t.Errorf("table y[%d] = %v, map %v", o, got, out.At(o, 10, 20))
		}
	}
}
