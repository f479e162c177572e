package quiz

import (
	"testing"

	"github.com/nnlab/nnlab/core/experiments"
)

// conv_pixel's answer is the window's products summed without a flip; for
// Sobel x, a flipped kernel gives the negated answer and a transposed one
// Sobel y's, which the slips name; at level 3 the taps are two pixels
// apart, and the dilation-ignored slip reads the 3×3 next to the pixel.
func TestConvPixelSlips(t *testing.T) {
	k, _ := Lookup("conv_pixel")
	for i := uint64(0); i < 30; i++ {
		for level := MinLevel; level <= MaxLevel; level++ {
			q := k.Draw(experiments.Registry(), 9, i, level)
			slips := map[string]float64{}
			for _, s := range q.Slips {
				slips[s.ID] = s.Value
			}
			if q.Spec["kernel"] == "edge_x" {
				if v, ok := slips["kernel_flipped"]; !ok || v != -q.Answer {
					t.Errorf("%v: flipped Sobel x gives %v, want %v", q.Spec, v, -q.Answer)
				}
			}
			if d := q.Spec["dilation"]; (d == "2") != (level == 3) {
				t.Errorf("level %d: dilation %s", level, d)
			}
			if _, ok := slips["dilation_ignored"]; ok != (level == 3) && slips["dilation_ignored"] != q.Answer {
				t.Errorf("level %d: dilation slip %v", level, slips)
			}
			if q.Answer == 0 || q.Answer != float64(int64(q.Answer)) {
				t.Errorf("%v: answer %v is not a non-zero whole number", q.Spec, q.Answer)
			}
		}
	}
	// A spec whose window is not centred on the pixel is refused.
	if _, err := k.Build(experiments.Registry(), map[string]string{"image": "0", "kernel": "edge_x", "stride": "2", "padding": "1", "dilation": "1", "row": "5", "col": "5"}, 1, ""); err == nil {
		t.Error("stride 2 accepted")
	}
	if _, err := k.Build(experiments.Registry(), map[string]string{"image": "0", "kernel": "blur", "stride": "1", "padding": "1", "dilation": "1", "row": "5", "col": "5"}, 1, ""); err == nil {
		t.Error("the blur kernel (not whole numbers) accepted")
	}
}
