package residual

import (
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// torchFixture is testdata/torch_residual.json, written by
// testdata/gen_torch_residual.py (PyTorch 1.13, float64).
type torchFixture struct {
	Torch               string `json:"torch"`
	Depth, Width, Batch int
	Params              int         `json:"params"`
	SGDLR               float64     `json:"sgd_lr"`
	AdamLR              float64     `json:"adam_lr"`
	Steps               int         `json:"steps"`
	X                   []float64   `json:"x"`
	Y                   []int       `json:"y"`
	W                   [][]float64 `json:"w"` // per layer, out×in row-major
	B                   [][]float64 `json:"b"`
	Plain, Residual     torchNet
}

type torchNet struct {
	Loss  float64     `json:"loss"`
	GradW [][]float64 `json:"grad_w"`
	GradB [][]float64 `json:"grad_b"`
	SGD   torchRun    `json:"sgd"`
	Adam  torchRun    `json:"adam"`
}

type torchRun struct {
	Losses    []float64   `json:"losses"`
	FinalLoss float64     `json:"final_loss"`
	W         [][]float64 `json:"w"`
	B         [][]float64 `json:"b"`
}

func loadTorch(t *testing.T) *torchFixture {
	t.Helper()
	var f torchFixture
	experimenttest.LoadJSON(t, "testdata/torch_residual.json", &f)
	return &f
}

// torchNetFor builds a Net holding the fixture's weights.
func torchNetFor(t *testing.T, f *torchFixture, residual bool) *Net {
	t.Helper()
	n, err := NewNet(f.Depth, f.Width, f.Batch, residual)
	if err != nil {
		t.Fatal(err)
	}
	setTorchWeights(t, n, f.W, f.B)
	return n
}

func setTorchWeights(t *testing.T, n *Net, w, b [][]float64) {
	t.Helper()
	if len(w) != NumLayers(n.Depth) || len(b) != len(w) {
		t.Fatalf("fixture has %d/%d layers, want %d", len(w), len(b), NumLayers(n.Depth))
	}
	for l := range w {
		ly := n.layers[l]
		rows := make([][]float64, ly.out)
		for o := range rows {
			rows[o] = w[l][o*ly.in : (o+1)*ly.in]
		}
		if err := n.SetWeight(l, rows); err != nil {
			t.Fatal(err)
		}
		copy(n.Bias(l), b[l])
	}
}

// closeTo reports whether got matches want to a relative 1e-9, with an
// absolute floor of 1e-15 for entries that are (near) zero, such as the
// gradients of dead ReLU units.
func closeTo(got, want float64) bool { return scalar.EqualWithinAbsOrRel(got, want, 1e-15, 1e-9) }

func compareMatrix(t *testing.T, what string, l int, got [][]float64, want []float64) {
	t.Helper()
	in := len(got[0])
	for o, row := range got {
		for i, g := range row {
			if w := want[o*in+i]; !closeTo(g, w) {
				t.Errorf("%s layer %d [%d][%d]: got %.17g, PyTorch %.17g", what, l, o, i, g, w)
			}
		}
	}
}

func compareVector(t *testing.T, what string, l int, got, want []float64) {
	t.Helper()
	for i := range want {
		if !closeTo(got[i], want[i]) {
			t.Errorf("%s layer %d [%d]: got %.17g, PyTorch %.17g", what, l, i, got[i], want[i])
		}
	}
}

// TestTorchParamCount compares NumParams and the length of Params with
// PyTorch's parameter count for the same net.
func TestTorchParamCount(t *testing.T) {
	f := loadTorch(t)
	if got := NumParams(f.Depth, f.Width); got != f.Params {
		t.Errorf("NumParams(%d, %d) = %d, PyTorch counts %d", f.Depth, f.Width, got, f.Params)
	}
	if got := len(torchNetFor(t, f, true).Params()); got != f.Params {
		t.Errorf("len(Params()) = %d, PyTorch counts %d", got, f.Params)
	}
}

// TestTorchLossAndGradients compares the loss and every weight and bias
// gradient with PyTorch's autograd on the same weights and batch.
func TestTorchLossAndGradients(t *testing.T) {
	f := loadTorch(t)
	for _, tc := range []struct {
		name     string
		residual bool
		want     torchNet
	}{{"plain", false, f.Plain}, {"residual", true, f.Residual}} {
		t.Run(tc.name, func(t *testing.T) {
			n := torchNetFor(t, f, tc.residual)
			loss := n.LossGrad(f.X, f.Y, f.Batch)
			if !closeTo(loss, tc.want.Loss) {
				t.Errorf("loss: got %.17g, PyTorch %.17g", loss, tc.want.Loss)
			}
			for l := range f.W {
				compareMatrix(t, "∂L/∂W", l, n.WeightGrad(l), tc.want.GradW[l])
				compareVector(t, "∂L/∂b", l, n.BiasGrad(l), tc.want.GradB[l])
			}
		})
	}
}

// TestTorchOptimizers runs three steps of SGD (momentum 0.9) and of Adam on
// the fixture's batch and compares the losses and the final parameters with
// torch.optim.
func TestTorchOptimizers(t *testing.T) {
	f := loadTorch(t)
	for _, tc := range []struct {
		name     string
		residual bool
		want     torchNet
	}{{"plain", false, f.Plain}, {"residual", true, f.Residual}} {
		for _, opt := range []struct {
			kind string
			lr   float64
			want torchRun
		}{{SGD, f.SGDLR, tc.want.SGD}, {Adam, f.AdamLR, tc.want.Adam}} {
			t.Run(tc.name+"/"+opt.kind, func(t *testing.T) {
				n := torchNetFor(t, f, tc.residual)
				o, err := newOptimizer(opt.kind, opt.lr, len(n.Params()))
				if err != nil {
					t.Fatal(err)
				}
				for k := 0; k < f.Steps; k++ {
					loss := n.LossGrad(f.X, f.Y, f.Batch)
					if !closeTo(loss, opt.want.Losses[k]) {
						t.Errorf("step %d loss: got %.17g, PyTorch %.17g", k+1, loss, opt.want.Losses[k])
					}
					o.step(n.Params(), n.Grads())
					n.Sync()
				}
				if got := n.Loss(f.X, f.Y, f.Batch); !closeTo(got, opt.want.FinalLoss) {
					t.Errorf("final loss: got %.17g, PyTorch %.17g", got, opt.want.FinalLoss)
				}
				for l := range f.W {
					compareMatrix(t, "W", l, n.Weight(l), opt.want.W[l])
					compareVector(t, "b", l, n.Bias(l), opt.want.B[l])
				}
			})
		}
	}
}
