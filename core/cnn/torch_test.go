package cnn

import (
	"fmt"
	"math"
	"testing"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// torchFixture is testdata/torch_cnn.json, written by
// testdata/gen_torch_cnn.py (PyTorch 1.13, float64). Inputs are not stored:
// they are filled from lcg, as the script fills them.
type torchFixture struct {
	Torch    string    `json:"torch"`
	LCGCheck []float64 `json:"lcg_check"`
	Conv     []struct {
		N, Cin, Cout, H, W, KH, KW, Stride, Pad, Dilation, Groups int
		Bias                                                      bool
		Seed                                                      uint64
		Out                                                       [4]int
		Y, DX, DW, DB                                             []float64
	} `json:"conv"`
	Pool []struct {
		Avg            bool
		K, Stride, Pad int
		Ceil           bool
		IncludePad     bool `json:"include_pad"`
		N, C, H, W     int
		Seed           uint64
		Out            [4]int
		Y, DX          []float64
	} `json:"pool"`
	BN []struct {
		Training              bool
		N, C, H, W            int
		Seed                  uint64
		Y, DX, DWeight, DBias []float64
		RunningMean           []float64 `json:"running_mean"`
		RunningVar            []float64 `json:"running_var"`
	} `json:"bn"`
	Net struct {
		Seed       uint64
		N          int
		Labels     []int
		Loss       float64
		Logits, DX []float64
		C1DW       []float64 `json:"c1_dw"`
		C1DB       []float64 `json:"c1_db"`
		BNDW       []float64 `json:"bn_dw"`
		BNDB       []float64 `json:"bn_db"`
		C2DW       []float64 `json:"c2_dw"`
		FCDW       []float64 `json:"fc_dw"`
		FCDB       []float64 `json:"fc_db"`
	} `json:"net"`
}

func loadTorch(t *testing.T) *torchFixture {
	t.Helper()
	var f torchFixture
	experimenttest.LoadJSON(t, "testdata/torch_cnn.json", &f)
	return &f
}

// lcg returns n values of the fixture script's generator for seed: a 64-bit
// linear congruential generator, top 24 bits scaled to [−1, 1) (exact in
// float64).
func lcg(seed uint64, n int) []float64 {
	s := seed*0x9E3779B97F4A7C15 + 1
	out := make([]float64, n)
	for i := range out {
		s = s*6364136223846793005 + 1442695040888963407
		out[i] = float64(s>>40)/float64(1<<23) - 1
	}
	return out
}

func filled(t *testing.T, seed uint64, n, c, h, w int) *Tensor {
	t.Helper()
	x, err := FromData(n, c, h, w, lcg(seed, n*c*h*w))
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// closeTo reports the first index where got and want differ by more than
// tol relative to the larger of |want[i]| and the largest |want| (so that
// a value near zero after cancellation is judged on the tensor's scale).
func closeTo(got, want []float64, tol float64) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d values, want %d", len(got), len(want))
	}
	var scale float64
	for _, w := range want {
		scale = max(scale, math.Abs(w))
	}
	for i := range want {
		if d := math.Abs(got[i] - want[i]); !(d <= tol*max(math.Abs(want[i]), scale, 1e-300)) {
			return fmt.Errorf("[%d] = %.17g, want %.17g (|Δ| = %.3g)", i, got[i], want[i], d)
		}
	}
	return nil
}

const torchTol = 1e-12

func TestLCGMatchesScript(t *testing.T) {
	f := loadTorch(t)
	if err := closeTo(lcg(7, 4), f.LCGCheck, 0); err != nil {
		t.Fatal(err)
	}
}

// TestConvTorch checks Conv2d's output and every gradient against torch's
// over the fixture's shapes (1×1 in place, groups, dilation, stride > kernel,
// odd sizes).
func TestConvTorch(t *testing.T) {
	f := loadTorch(t)
	for i, c := range f.Conv {
		name := fmt.Sprintf("%d:n%d-c%d→%d-g%d-k%dx%d-s%d-p%d-d%d-%dx%d", i, c.N, c.Cin, c.Cout, c.Groups, c.KH, c.KW, c.Stride, c.Pad, c.Dilation, c.H, c.W)
		t.Run(name, func(t *testing.T) {
			cv, err := NewConv2d(c.Cin, c.Cout, c.KH, c.KW, c.Stride, c.Pad, c.Dilation, c.Groups, c.Bias)
			if err != nil {
				t.Fatal(err)
			}
			x := filled(t, c.Seed, c.N, c.Cin, c.H, c.W)
			copy(cv.Weight, lcg(c.Seed+1, len(cv.Weight)))
			if c.Bias {
				copy(cv.Bias, lcg(c.Seed+2, c.Cout))
			}
			y, err := cv.Forward(x)
			if err != nil {
				t.Fatal(err)
			}
			if y.Shape() != c.Out {
				t.Fatalf("output %v, torch %v", y.Shape(), c.Out)
			}
			if err := closeTo(y.Data, c.Y, torchTol); err != nil {
				t.Fatalf("y%v", err)
			}
			dy := filled(t, c.Seed+3, c.Out[0], c.Out[1], c.Out[2], c.Out[3])
			dx, err := cv.Backward(x, dy)
			if err != nil {
				t.Fatal(err)
			}
			if err := closeTo(dx.Data, c.DX, torchTol); err != nil {
				t.Errorf("dx%v", err)
			}
			if err := closeTo(cv.DWeight, c.DW, torchTol); err != nil {
				t.Errorf("dw%v", err)
			}
			if c.Bias {
				if err := closeTo(cv.DBias, c.DB, torchTol); err != nil {
					t.Errorf("db%v", err)
				}
			}
		})
	}
}

// TestPoolTorch checks max and average pooling (ceil_mode, padding,
// count_include_pad) and their gradients against torch.
func TestPoolTorch(t *testing.T) {
	f := loadTorch(t)
	for i, c := range f.Pool {
		kind := "max"
		if c.Avg {
			kind = "avg"
		}
		t.Run(fmt.Sprintf("%d:%s-k%d-s%d-p%d-ceil%v-inc%v-%dx%d", i, kind, c.K, c.Stride, c.Pad, c.Ceil, c.IncludePad, c.H, c.W), func(t *testing.T) {
			pl := MaxPool2d(c.K, c.Stride, c.Pad, c.Ceil)
			if c.Avg {
				pl = AvgPool2d(c.K, c.Stride, c.Pad, c.Ceil, c.IncludePad)
			}
			y, err := pl.Forward(filled(t, c.Seed, c.N, c.C, c.H, c.W))
			if err != nil {
				t.Fatal(err)
			}
			if y.Shape() != c.Out {
				t.Fatalf("output %v, torch %v", y.Shape(), c.Out)
			}
			if err := closeTo(y.Data, c.Y, torchTol); err != nil {
				t.Fatalf("y%v", err)
			}
			dx, err := pl.Backward(filled(t, c.Seed+1, c.Out[0], c.Out[1], c.Out[2], c.Out[3]))
			if err != nil {
				t.Fatal(err)
			}
			if err := closeTo(dx.Data, c.DX, torchTol); err != nil {
				t.Errorf("dx%v", err)
			}
		})
	}
}

// TestBatchNormTorch checks BatchNorm2d in training and evaluation: output,
// gradients and the running statistics after one step.
func TestBatchNormTorch(t *testing.T) {
	f := loadTorch(t)
	for i, c := range f.BN {
		t.Run(fmt.Sprintf("%d:train%v-%dx%dx%dx%d", i, c.Training, c.N, c.C, c.H, c.W), func(t *testing.T) {
			bn := NewBatchNorm2d(c.C)
			bn.Training = c.Training
			copy(bn.Weight, lcg(c.Seed, c.C))
			copy(bn.Bias, lcg(c.Seed+1, c.C))
			copy(bn.RunningMean, lcg(c.Seed+2, c.C))
			for j, v := range lcg(c.Seed+3, c.C) {
				bn.RunningVar[j] = math.Abs(v) + 0.5
			}
			x := filled(t, c.Seed+4, c.N, c.C, c.H, c.W)
			for j, v := range x.Data {
				x.Data[j] = 3*v + 1
			}
			y, err := bn.Forward(x)
			if err != nil {
				t.Fatal(err)
			}
			dx, err := bn.Backward(filled(t, c.Seed+5, c.N, c.C, c.H, c.W))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []struct {
				name      string
				got, want []float64
			}{{"y", y.Data, c.Y}, {"dx", dx.Data, c.DX}, {"dweight", bn.DWeight, c.DWeight}, {"dbias", bn.DBias, c.DBias},
				{"running_mean", bn.RunningMean, c.RunningMean}, {"running_var", bn.RunningVar, c.RunningVar}} {
				if err := closeTo(p.got, p.want, torchTol); err != nil {
					t.Errorf("%s%v", p.name, err)
				}
			}
		})
	}
}

// TestNetTorch runs the fixture's small CNN end to end (conv, BN, ReLU,
// max pool, grouped strided conv, ReLU, average pool with ceil_mode, global
// average pool, linear, cross-entropy) and checks the loss and every
// gradient against torch.
func TestNetTorch(t *testing.T) {
	f := loadTorch(t)
	c := f.Net
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	x := filled(t, c.Seed, c.N, 1, 12, 11)
	c1, err := NewConv2d(1, 4, 3, 3, 1, 1, 1, 1, true)
	must(err)
	copy(c1.Weight, lcg(c.Seed+1, 36))
	copy(c1.Bias, lcg(c.Seed+2, 4))
	bn := NewBatchNorm2d(4)
	copy(bn.Weight, lcg(c.Seed+3, 4))
	copy(bn.Bias, lcg(c.Seed+4, 4))
	c2, err := NewConv2d(4, 6, 3, 3, 2, 1, 1, 2, false)
	must(err)
	copy(c2.Weight, lcg(c.Seed+5, len(c2.Weight)))
	fc, err := NewLinear(6, 10, true)
	must(err)
	copy(fc.Weight, lcg(c.Seed+6, 60))
	copy(fc.Bias, lcg(c.Seed+7, 10))
	mp, ap := MaxPool2d(2, 2, 0, false), AvgPool2d(2, 2, 0, true, true)

	h1, err := c1.Forward(x)
	must(err)
	h2, err := bn.Forward(h1)
	must(err)
	h3 := ReLU(h2)
	h4, err := mp.Forward(h3)
	must(err)
	h5, err := c2.Forward(h4)
	must(err)
	h6 := ReLU(h5)
	h7, err := ap.Forward(h6)
	must(err)
	h8 := GlobalAvgPool(h7)
	logits, err := fc.Forward(h8)
	must(err)
	loss, g, err := CrossEntropy(logits, c.Labels)
	must(err)
	if err := closeTo([]float64{loss}, []float64{c.Loss}, torchTol); err != nil {
		t.Errorf("loss%v", err)
	}
	if err := closeTo(logits.Data, c.Logits, torchTol); err != nil {
		t.Errorf("logits%v", err)
	}
	g, err = fc.Backward(h8, g)
	must(err)
	g, err = GlobalAvgPoolBackward(h7, g)
	must(err)
	g, err = ap.Backward(g)
	must(err)
	g, err = ReLUBackward(h6, g)
	must(err)
	g, err = c2.Backward(h4, g)
	must(err)
	g, err = mp.Backward(g)
	must(err)
	g, err = ReLUBackward(h3, g)
	must(err)
	g, err = bn.Backward(g)
	must(err)
	g, err = c1.Backward(x, g)
	must(err)
	// A bias before BN has no effect: its gradient is zero up to rounding
	// (about 1e-16 here, in torch too), so it is judged on the scale of the
	// layer's weight gradient.
	if err := closeTo(append(c1.DBias, c.C1DW...), append(c.C1DB, c.C1DW...), torchTol); err != nil {
		t.Errorf("c1.db%v", err)
	}
	for _, p := range []struct {
		name      string
		got, want []float64
	}{{"dx", g.Data, c.DX}, {"c1.dw", c1.DWeight, c.C1DW}, {"bn.dw", bn.DWeight, c.BNDW},
		{"bn.db", bn.DBias, c.BNDB}, {"c2.dw", c2.DWeight, c.C2DW}, {"fc.dw", fc.DWeight, c.FCDW}, {"fc.db", fc.DBias, c.FCDB}} {
		if err := closeTo(p.got, p.want, torchTol); err != nil {
			t.Errorf("%s%v", p.name, err)
		}
	}
}
