package convnet

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// torchFixture is testdata/torch_convnet.json, written by
// testdata/gen_torch_convnet.py (PyTorch 1.13, float64).
type torchFixture struct {
	Torch    string    `json:"torch"`
	LCGCheck []float64 `json:"lcg_check"`
	Cases    []struct {
		Name, Arch, Shortcut, Block string
		N, Width, Size, Batch       int
		BN, Reduce                  bool
		Seed                        uint64
		Names                       []string
		Shapes                      [][]int
		Loss, Grad0, Params3        []float64
		RunningMean                 []float64 `json:"running_mean"`
		RunningVar                  []float64 `json:"running_var"`
		EvalLogits                  []float64 `json:"eval_logits"`
	} `json:"cases"`
}

// lcg repeats the fixture script's generator: top 24 bits of a 64-bit LCG
// scaled to [−1, 1), exact in float64.
func lcg(seed uint64, n int) []float64 {
	s := seed*0x9E3779B97F4A7C15 + 1
	out := make([]float64, n)
	for i := range out {
		s = s*6364136223846793005 + 1442695040888963407
		out[i] = float64(s>>40)/float64(1<<23) - 1
	}
	return out
}

// fillLCG fills the parameters as the fixture script does.
func fillLCG(n *Net, seed uint64) {
	for j, p := range n.Params {
		v := lcg(seed+uint64(j), p.Len)
		w := n.W[p.Off : p.Off+p.Len]
		switch {
		case len(p.Shape) > 1:
			s := math.Sqrt(6 / float64(p.Len/p.Shape[0]))
			for i := range w {
				w[i] = v[i] * s
			}
		case p.Kind == "bn_weight":
			for i := range w {
				w[i] = 1 + 0.2*v[i]
			}
		default:
			for i := range w {
				w[i] = 0.1 * v[i]
			}
		}
	}
}

// lcgBatch is the script's batch k: b images of 28×28 values (lcg + 1)/2,
// downsampled for size 14, and labels ⌊5·(lcg + 1)⌋.
func lcgBatch(seed uint64, k, b, size int) ([]float64, []int) {
	raw := lcg(seed+1000+uint64(k), b*28*28)
	var x []float64
	for i := 0; i < b; i++ {
		img := make([]float64, 28*28)
		for j := range img {
			img[j] = (raw[i*784+j] + 1) / 2
		}
		if size == 14 {
			img = Downsample(img, 28)
		}
		x = append(x, img...)
	}
	var y []int
	for _, v := range lcg(seed+2000+uint64(k), b) {
		y = append(y, min(9, int(5*(v+1))))
	}
	return x, y
}

// closeTo checks got against want element by element: within tol of the
// larger of |want| and the largest |want| of the tensor times 1e-3 (so
// that a gradient entry near zero is judged against its tensor's scale).
func closeTo(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, torch %d", what, len(got), len(want))
		return
	}
	scale := 0.0
	for _, v := range want {
		scale = max(scale, math.Abs(v))
	}
	worst, at := 0.0, -1
	for i := range want {
		ref := max(math.Abs(want[i]), 1e-3*scale, 1e-300)
		if e := math.Abs(got[i]-want[i]) / ref; e > worst || math.IsNaN(got[i]) {
			worst, at = e, i
		}
	}
	if worst > tol || at >= 0 && math.IsNaN(got[at]) {
		t.Errorf("%s: relative error %.3g at %d (got %v, torch %v), want ≤ %g", what, worst, at, got[at], want[at], tol)
	}
}

// TestAgainstTorch trains each fixture network for three SGD steps (BN in
// training mode) from the script's parameters and batches and compares
// every loss, every gradient of the first step, every parameter after the
// third, the BN running statistics and eval-mode logits with PyTorch's,
// to 1e-10 relative.
func TestAgainstTorch(t *testing.T) {
	var f torchFixture
	experimenttest.LoadJSON(t, "testdata/torch_convnet.json", &f)
	if got := lcg(7, 3); !slices.Equal(got, f.LCGCheck) {
		t.Fatalf("lcg(7) = %v, the script's %v", got, f.LCGCheck)
	}
	const tol = 1e-10
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			net, err := NewNet(Spec{Arch: c.Arch, N: c.N, Width: c.Width, Size: c.Size, BN: c.BN, Shortcut: c.Shortcut, Reduce: c.Reduce, Bottleneck: c.Block == "bottleneck"})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for i, p := range net.Params {
				names = append(names, p.Name)
				if i < len(c.Shapes) && !slices.Equal(p.Shape, c.Shapes[i]) {
					t.Errorf("%s: shape %v, torch %v", p.Name, p.Shape, c.Shapes[i])
				}
			}
			if !slices.Equal(names, c.Names) {
				t.Fatalf("parameters\n%s\ntorch's\n%s", strings.Join(names, " "), strings.Join(c.Names, " "))
			}
			fillLCG(net, c.Seed)
			opt := &SGD{LR: 0.05, Momentum: 0.9, WeightDecay: 5e-4}
			for k := 0; k < 3; k++ {
				x, y := lcgBatch(c.Seed, k, c.Batch, c.Size)
				loss := net.LossGrad(x, y)
				closeTo(t, fmt.Sprintf("loss of step %d", k+1), []float64{loss}, []float64{c.Loss[k]}, tol)
				if k == 0 {
					for _, p := range net.Params {
						closeTo(t, "gradient of "+p.Name, net.G[p.Off:p.Off+p.Len], c.Grad0[p.Off:p.Off+p.Len], tol)
					}
				}
				opt.Step(net.W, net.G)
			}
			for _, p := range net.Params {
				closeTo(t, p.Name+" after 3 steps", net.W[p.Off:p.Off+p.Len], c.Params3[p.Off:p.Off+p.Len], tol)
			}
			var rm, rv []float64
			for _, b := range net.bns {
				rm = append(rm, b.RunMean...)
				rv = append(rv, b.RunVar...)
			}
			closeTo(t, "running means", rm, c.RunningMean, tol)
			closeTo(t, "running variances", rv, c.RunningVar, tol)
			x, _ := lcgBatch(c.Seed, 3, c.Batch, c.Size)
			closeTo(t, "eval logits", net.Forward(x, c.Batch, false), c.EvalLogits, tol)
		})
	}
}
