package residual

import (
	"math"
	"testing"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// torchBNFixture is testdata/torch_residual_bn.json, written by
// testdata/gen_torch_residual_bn.py (PyTorch 1.13, float64, BatchNorm1d in
// training mode).
type torchBNFixture struct {
	Torch               string `json:"torch"`
	Depth, Width, Batch int
	Eps                 float64 `json:"eps"`
	Params              int     `json:"params"`
	SGDLR               float64 `json:"sgd_lr"`
	AdamLR              float64 `json:"adam_lr"`
	Steps               int     `json:"steps"`
	X                   []float64
	Y                   []int
	torchBNParams
	Plain, Residual torchBNNet
}

// torchBNParams holds every parameter: W per linear layer (out×in, the
// output layer last), γ and β per BN layer, and the output layer's bias.
type torchBNParams struct {
	W     [][]float64 `json:"w"`
	Gamma [][]float64 `json:"gamma"`
	Beta  [][]float64 `json:"beta"`
	BOut  []float64   `json:"b_out"`
}

type torchBNNet struct {
	Logits    []float64   `json:"logits"`
	Loss      float64     `json:"loss"`
	GradW     [][]float64 `json:"grad_w"`
	GradGamma [][]float64 `json:"grad_gamma"`
	GradBeta  [][]float64 `json:"grad_beta"`
	GradBOut  []float64   `json:"grad_b_out"`
	SGD       torchBNRun  `json:"sgd"`
	Adam      torchBNRun  `json:"adam"`
}

type torchBNRun struct {
	Losses    []float64 `json:"losses"`
	FinalLoss float64   `json:"final_loss"`
	torchBNParams
}

func loadTorchBN(t *testing.T) *torchBNFixture {
	t.Helper()
	var f torchBNFixture
	experimenttest.LoadJSON(t, "testdata/torch_residual_bn.json", &f)
	if f.Eps != BNEps {
		t.Fatalf("fixture eps %v, BNEps %v", f.Eps, BNEps)
	}
	return &f
}

// torchBNNetFor builds a net with BN holding the fixture's parameters.
func torchBNNetFor(t *testing.T, f *torchBNFixture, residual bool) *Net {
	t.Helper()
	n, err := NewBNNet(f.Depth, f.Width, f.Batch, residual)
	if err != nil {
		t.Fatal(err)
	}
	L := NumLayers(f.Depth)
	if len(f.W) != L || len(f.Gamma) != L-1 || len(f.Beta) != L-1 {
		t.Fatalf("fixture has %d/%d/%d layers, want %d/%d/%d", len(f.W), len(f.Gamma), len(f.Beta), L, L-1, L-1)
	}
	for l := range f.W {
		ly := n.layers[l]
		rows := make([][]float64, ly.out)
		for o := range rows {
			rows[o] = f.W[l][o*ly.in : (o+1)*ly.in]
		}
		if err := n.SetWeight(l, rows); err != nil {
			t.Fatal(err)
		}
		if l < L-1 {
			copy(n.Gamma(l), f.Gamma[l])
			copy(n.Beta(l), f.Beta[l])
		}
	}
	copy(n.Bias(L-1), f.BOut)
	return n
}

// worstBN tracks the largest relative error (absolute below 1e-12) seen in
// a comparison with PyTorch, for the log.
type worstBN struct{ rel float64 }

func (w *worstBN) check(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, PyTorch %d", what, len(got), len(want))
	}
	for i := range want {
		w.rel = math.Max(w.rel, math.Abs(got[i]-want[i])/math.Max(math.Abs(want[i]), 1e-12))
		if !closeTo(got[i], want[i]) {
			t.Errorf("%s [%d]: got %.17g, PyTorch %.17g", what, i, got[i], want[i])
		}
	}
}

func flatRows(rows [][]float64) []float64 {
	var out []float64
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// TestTorchBNParamCount compares ParamCount and the length of Params with
// PyTorch's parameter count for the same net with BN.
func TestTorchBNParamCount(t *testing.T) {
	f := loadTorchBN(t)
	if got := ParamCount(f.Depth, f.Width, true); got != f.Params {
		t.Errorf("ParamCount(%d, %d, true) = %d, PyTorch counts %d", f.Depth, f.Width, got, f.Params)
	}
	if got := len(torchBNNetFor(t, f, false).Params()); got != f.Params {
		t.Errorf("len(Params()) = %d, PyTorch counts %d", got, f.Params)
	}
}

// TestTorchBNForwardAndGradients compares the logits, the loss and every
// gradient (W, γ, β, output bias) of a net with BN with PyTorch's autograd
// through torch.nn.BatchNorm1d in training mode.
func TestTorchBNForwardAndGradients(t *testing.T) {
	f := loadTorchBN(t)
	L := NumLayers(f.Depth)
	for _, tc := range []struct {
		name     string
		residual bool
		want     torchBNNet
	}{{"plain", false, f.Plain}, {"residual", true, f.Residual}} {
		t.Run(tc.name, func(t *testing.T) {
			var w worstBN
			n := torchBNNetFor(t, f, tc.residual)
			w.check(t, "logits", n.Forward(f.X, f.Batch), tc.want.Logits)
			loss := n.LossGrad(f.X, f.Y, f.Batch)
			w.check(t, "loss", []float64{loss}, []float64{tc.want.Loss})
			for l := 0; l < L; l++ {
				w.check(t, "∂L/∂W", flatRows(n.WeightGrad(l)), tc.want.GradW[l])
				if l < L-1 {
					w.check(t, "∂L/∂γ", n.GammaGrad(l), tc.want.GradGamma[l])
					w.check(t, "∂L/∂β", n.BetaGrad(l), tc.want.GradBeta[l])
				}
			}
			w.check(t, "∂L/∂b_out", n.BiasGrad(L-1), tc.want.GradBOut)
			t.Logf("worst relative error vs PyTorch: %.2g", w.rel)
		})
	}
}

// TestTorchBNOptimizers runs three steps of SGD (momentum 0.9) and of Adam
// on a net with BN and compares the losses and every final parameter with
// torch.optim.
func TestTorchBNOptimizers(t *testing.T) {
	f := loadTorchBN(t)
	L := NumLayers(f.Depth)
	for _, tc := range []struct {
		name     string
		residual bool
		want     torchBNNet
	}{{"plain", false, f.Plain}, {"residual", true, f.Residual}} {
		for _, opt := range []struct {
			kind string
			lr   float64
			want torchBNRun
		}{{SGD, f.SGDLR, tc.want.SGD}, {Adam, f.AdamLR, tc.want.Adam}} {
			t.Run(tc.name+"/"+opt.kind, func(t *testing.T) {
				var w worstBN
				n := torchBNNetFor(t, f, tc.residual)
				o, err := newOptimizer(opt.kind, opt.lr, len(n.Params()))
				if err != nil {
					t.Fatal(err)
				}
				for k := 0; k < f.Steps; k++ {
					loss := n.LossGrad(f.X, f.Y, f.Batch)
					w.check(t, "step loss", []float64{loss}, opt.want.Losses[k:k+1])
					o.step(n.Params(), n.Grads())
					n.Sync()
				}
				w.check(t, "final loss", []float64{n.Loss(f.X, f.Y, f.Batch)}, []float64{opt.want.FinalLoss})
				for l := 0; l < L; l++ {
					w.check(t, "W", flatRows(n.Weight(l)), opt.want.W[l])
					if l < L-1 {
						w.check(t, "γ", n.Gamma(l), opt.want.Gamma[l])
						w.check(t, "β", n.Beta(l), opt.want.Beta[l])
					}
				}
				w.check(t, "b_out", n.Bias(L-1), opt.want.BOut)
				t.Logf("worst relative error vs PyTorch: %.2g", w.rel)
			})
		}
	}
}
