package adaptive

import (
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// torchFixture is testdata/torch_adaptive.json, written by
// testdata/gen_torch_adaptive.py with PyTorch's torch.optim in float64.
type torchFixture struct {
	TorchVersion string      `json:"torch_version"`
	Batch        int         `json:"batch"`
	Steps        int         `json:"steps"`
	X            [][]float64 `json:"X"`
	YLinear      []float64   `json:"y_linear"`
	YLogistic    []float64   `json:"y_logistic"`
	W0           []float64   `json:"w0"`
	Cases        []struct {
		Task      string `json:"task"`
		Optimizer string `json:"optimizer"`
		Hyper     struct {
			LR    float64 `json:"lr"`
			Eps   float64 `json:"eps"`
			Alpha float64 `json:"alpha"`
			Beta1 float64 `json:"beta1"`
			Beta2 float64 `json:"beta2"`
		} `json:"hyper"`
		Loss    []float64   `json:"loss"`
		Weights [][]float64 `json:"weights"`
	} `json:"cases"`
}

// The package's rules and losses, fed the fixture's batches, reproduce the
// weights PyTorch reaches after each of 20 steps, and the batch losses.
func TestTorchFixture(t *testing.T) {
	var fx torchFixture
	experimenttest.LoadJSON(t, "testdata/torch_adaptive.json", &fx)
	if len(fx.Cases) != 16 {
		t.Fatalf("fixture has %d cases, want 16", len(fx.Cases))
	}
	n, d, B := len(fx.X), len(fx.W0), fx.Batch
	for _, tc := range fx.Cases {
		y := fx.YLinear
		if tc.Task == Logistic {
			y = fx.YLogistic
		}
		hp := Hyper{LR: tc.Hyper.LR, Eps: tc.Hyper.Eps, Alpha: tc.Hyper.Alpha, Beta1: tc.Hyper.Beta1, Beta2: tc.Hyper.Beta2}
		tr := newTrainer(tc.Task, d, []string{tc.Optimizer}, func(string) Hyper { return hp })
		r := tr.runs[0]
		copy(r.w, fx.W0)
		X, yb := make([]float64, B*d), make([]float64, B)
		for step := range fx.Steps {
			for i := range B {
				row := (B*step + i) % n
				copy(X[i*d:(i+1)*d], fx.X[row])
				yb[i] = y[row]
			}
			loss := lossGrad(tc.Task, X, yb, r.w, make([]float64, d))
			if !scalar.EqualWithinAbsOrRel(loss, tc.Loss[step], 1e-12, 1e-12) {
				t.Errorf("%s/%s lr=%v step %d: loss %.17g, torch %.17g", tc.Task, tc.Optimizer, hp.LR, step+1, loss, tc.Loss[step])
			}
			tr.step(step+1, X, yb)
			for j := range d {
				if !scalar.EqualWithinAbsOrRel(r.w[j], tc.Weights[step][j], 1e-12, 1e-9) {
					t.Errorf("%s/%s lr=%v step %d: w_%d = %.17g, torch %.17g", tc.Task, tc.Optimizer, hp.LR, step+1, j, r.w[j], tc.Weights[step][j])
				}
			}
		}
		if r.divergedAt != 0 {
			t.Errorf("%s/%s: diverged at %d", tc.Task, tc.Optimizer, r.divergedAt)
		}
	}
}
