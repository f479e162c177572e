package cnn

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/nnlab/nnlab/core/conv"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiment/experimenttest"
	"github.com/nnlab/nnlab/core/fashion"
)

// direct is the convolution written out as its definition: out[i][j] =
// Σ_{p,q} k[p][q]·in[i·s − pad + p·d][j·s − pad + q·d], zero outside.
func direct(in [][]float64, k [][]float64, s, pad, d int) [][]float64 {
	h, w := len(in), len(in[0])
	oh := (h+2*pad-d*(len(k)-1)-1)/s + 1
	ow := (w+2*pad-d*(len(k)-1)-1)/s + 1
	out := make([][]float64, oh)
	for i := range out {
		out[i] = make([]float64, ow)
		for j := range out[i] {
			var sum float64
			for p := range k {
				for q := range k[p] {
					y, x := i*s-pad+p*d, j*s-pad+q*d
					if y >= 0 && y < h && x >= 0 && x < w {
						sum += k[p][q] * in[y][x]
					}
				}
			}
			out[i][j] = sum
		}
	}
	return out
}

// TestFeatureMapDirect checks the feature map against the direct loop for
// every kernel and a spread of strides, paddings and dilations, its size
// against torch's formula (core/conv), and the scrubber's window sums.
func TestFeatureMapDirect(t *testing.T) {
	set, err := fashion.Test()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Kernels {
		for _, g := range [][3]int{{1, 1, 1}, {1, 0, 1}, {2, 1, 1}, {3, 2, 2}, {8, 8, 8}, {5, 0, 3}} {
			s, pad, d := g[0], g[1], g[2]
			img := (len(k.Name)*7 + s*13 + d) % set.N
			fm, in, out, err := RunFeatureMap(img, k.Name, s, pad, d)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%s image=%d s=%d p=%d d=%d", k.Name, img, s, pad, d)
			if want := conv.OutSize(28, 3, s, pad, d); fm.OutH != want || fm.OutW != want || len(fm.Output) != want || len(fm.Output[0]) != want {
				t.Errorf("%s: output %d×%d, formula %d", name, fm.OutH, fm.OutW, want)
			}
			for y, row := range fm.Input {
				for x, v := range row {
					if v != float64(set.Image(img)[y*28+x])/255 {
						t.Fatalf("%s: input[%d][%d] = %v, want pixel/255", name, y, x, v)
					}
				}
			}
			want := direct(fm.Input, fm.Kernel, s, pad, d)
			for i := range want {
				for j := range want[i] {
					if math.Abs(fm.Output[i][j]-want[i][j]) > 1e-12 {
						t.Fatalf("%s: output[%d][%d] = %v, direct %v", name, i, j, fm.Output[i][j], want[i][j])
					}
				}
			}
			// The window of every output pixel sums to it.
			win := experiment.Window{K: 3, Kernel: flatten(fm.Kernel), Stride: s, Pad: pad, Dilation: d}
			inImg := experiment.Image{W: 28, H: 28, Data: in}
			for i := 0; i < fm.OutH; i++ {
				for j := 0; j < fm.OutW; j++ {
					taps, sum := win.Taps(inImg, i, j)
					if len(taps) != 9 || math.Abs(sum-out[i*fm.OutW+j]) > 1e-12 {
						t.Fatalf("%s: window (%d, %d) sums to %v over %d taps, map %v", name, i, j, sum, len(taps), out[i*fm.OutW+j])
					}
				}
			}
		}
	}
}

func flatten(m [][]float64) []float64 {
	var out []float64
	for _, r := range m {
		out = append(out, r...)
	}
	return out
}

// TestFeatureMapKernels checks what the named kernels do: identity with
// padding 1 returns the image, blur's map averages 3×3 windows, the Sobel
// kernels are transposes and vanish on a constant patch.
func TestFeatureMapKernels(t *testing.T) {
	fm, _, _, err := RunFeatureMap(0, "identity", 1, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	for y := range fm.Input {
		for x := range fm.Input[y] {
			if fm.Output[y][x] != fm.Input[y][x] {
				t.Fatalf("identity: output[%d][%d] = %v, input %v", y, x, fm.Output[y][x], fm.Input[y][x])
			}
		}
	}
	ex, _ := kernelByName("edge_x")
	ey, _ := kernelByName("edge_y")
	want := [9]float64{-1, 0, 1, -2, 0, 2, -1, 0, 1} // Sobel x
	if ex != want {
		t.Errorf("edge_x = %v, want Sobel x %v", ex, want)
	}
	for p := 0; p < 3; p++ {
		for q := 0; q < 3; q++ {
			if ey[p*3+q] != ex[q*3+p] {
				t.Errorf("edge_y is not edge_x's transpose at (%d, %d)", p, q)
			}
		}
	}
	// Top-left corner of image 0 is background (0): every kernel gives 0.
	for _, k := range Kernels {
		fm, _, _, err := RunFeatureMap(0, k.Name, 1, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if fm.Input[0][0] != 0 || fm.Output[0][0] != 0 {
			t.Errorf("%s: corner input %v output %v, want 0 on a blank patch", k.Name, fm.Input[0][0], fm.Output[0][0])
		}
	}
}

// TestFeatureMapExperiment runs the experiment as the CLI does: its JSON
// carries input (28×28, pixel/255) and output (the map) as nested arrays,
// its scalars the sizes, and its images the two maps with the window.
func TestFeatureMapExperiment(t *testing.T) {
	e := experimenttest.Named(t, Experiments(), "feature_map")
	r := experimenttest.Run(t, e, map[string]string{"image": "3", "kernel": "edge_y", "stride": "2", "padding": "0", "dilation": "2"}, nil)
	experimenttest.CheckFinite(t, r)
	if h := experimenttest.Scalar(t, r, "out_h"); h != 12 {
		t.Errorf("out_h = %v, want ⌊(28 − 4 − 1)/2⌋ + 1 = 12", h)
	}
	data, err := json.Marshal(r.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Image         int
		Input, Output [][]float64
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Image != 3 || len(got.Input) != 28 || len(got.Input[0]) != 28 || len(got.Output) != 12 || len(got.Output[0]) != 12 {
		t.Errorf("JSON: image %d, input %d×%d, output %d×?", got.Image, len(got.Input), len(got.Input[0]), len(got.Output))
	}
	out, ok := r.Image("output")
	if !ok || out.Window == nil || out.W != 12 || !out.Signed {
		t.Errorf("output image %+v", out)
	}
	if _, ok := r.Image("input"); !ok {
		t.Error("no input image")
	}
	// row = col = 14 is past the 12×12 map: the last pixel is written out,
	// its value that of the map, and on the 0–255 values (pixel_raw) the
	// direct loop's sum over the raw pixels — an integer for Sobel y.
	if i, j := experimenttest.Scalar(t, r, "pixel_row"), experimenttest.Scalar(t, r, "pixel_col"); i != 11 || j != 11 {
		t.Errorf("pixel (%v, %v) written out of a 12×12 map, want (11, 11)", i, j)
	}
	if p := experimenttest.Scalar(t, r, "pixel"); p != got.Output[11][11] {
		t.Errorf("pixel = %v, map %v", p, got.Output[11][11])
	}
	set, err := fashion.Test()
	if err != nil {
		t.Fatal(err)
	}
	raw := make([][]float64, 28)
	for y := range raw {
		for x := 0; x < 28; x++ {
			raw[y] = append(raw[y], float64(set.Image(3)[y*28+x]))
		}
	}
	k, _ := kernelByName("edge_y")
	want := direct(raw, rows(k[:], 3, 3), 2, 0, 2)[11][11]
	if p := experimenttest.Scalar(t, r, "pixel_raw"); p != want || p != math.Trunc(p) || math.Abs(p/255-got.Output[11][11]) > 1e-13 {
		t.Errorf("pixel_raw = %v, the direct sum %v, the map ×255 %v", p, want, 255*got.Output[11][11])
	}
	// An image beyond the embedded subset names the way to the full set.
	_, err = e.Parse(map[string]string{"image": "1000"})
	var inv *experiment.InvalidError
	if !errors.As(err, &inv) || inv.Rule != "rule.feature_map.image_subset" {
		t.Errorf("image=1000 with the embedded subset: %v", err)
	}
	if _, err := e.Parse(map[string]string{"kernel": "emboss"}); err == nil {
		t.Error("kernel=emboss accepted")
	}
}
