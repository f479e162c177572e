package optim

import (
	"context"
	"fmt"
	"math"

	"github.com/nnlab/nnlab/core/experiment"
)

// AdamUncorrectedStep is the t-th step (t ≥ 1) of Adam without bias
// correction on a gradient that has been g at every step so far, with
// m and v started at 0:
//
//	m_t = (1 − β1ᵗ)·g,  v_t = (1 − β2ᵗ)·g²,  step = lr·m_t/(√v_t + ε).
//
// The first step is lr·(1 − β1)·g/(√(1 − β2)·|g| + ε): with the defaults
// β1 = 0.9, β2 = 0.999 about 3.16·lr·sign(g), because v is shrunk toward 0
// more than m is.
func AdamUncorrectedStep(t int, g, lr, beta1, beta2, eps float64) float64 {
	m := (1 - math.Pow(beta1, float64(t))) * g
	v := (1 - math.Pow(beta2, float64(t))) * g * g
	return lr * m / (math.Sqrt(v) + eps)
}

// AdamBiasJSON is the --json payload of "adam_bias": the step taken at
// t = 1…steps with and without bias correction on a constant gradient.
type AdamBiasJSON struct {
	T           []int     `json:"t"`
	Corrected   []float64 `json:"corrected"`
	Uncorrected []float64 `json:"uncorrected"`
}

func adamBiasExperiment() *experiment.Experiment {
	num := func(name string, def, lo, hi, step float64, log bool, help string) experiment.Param {
		return experiment.Param{Name: name, Kind: experiment.Float, Default: def, Min: lo, Max: hi, Step: step, Log: log, Help: help}
	}
	return &experiment.Experiment{
		Name:    "adam_bias",
		Summary: "Adam's steps on a constant gradient with and without bias correction: what dividing by 1 − βᵗ changes",
		Params: experiment.Schema{
			num("g", 1, -1e6, 1e6, 0.5, false, "the gradient, the same at every step"),
			num("lr", 0.001, 1e-6, 10, 2, true, "learning rate (PyTorch default 0.001)"),
			num("beta1", 0.9, 0, 0.9999, 0.05, false, "β1, decay of the average of g (PyTorch default 0.9)"),
			num("beta2", 0.999, 0, 0.99999, 0.001, false, "β2, decay of the average of g² (PyTorch default 0.999)"),
			num("eps", 1e-8, 0, 1, 10, true, "ε added to √v̂ (PyTorch default 1e-8)"),
			{Name: "steps", Kind: experiment.Int, Default: 5000, Min: 1, Max: 100000, Step: 2, Log: true, Help: "number of steps"},
		},
		Validate: func(v experiment.Values) error {
			if v.Float("g") == 0 {
				return fmt.Errorf("g must not be 0: a zero gradient gives no step either way")
			}
			return nil
		},
		Run: runAdamBias,
	}
}

func runAdamBias(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
	g, lr, b1, b2, eps, steps := v.Float("g"), v.Float("lr"), v.Float("beta1"), v.Float("beta2"), v.Float("eps"), v.Int("steps")
	// The corrected steps come from the Adam optimizer itself.
	opt, err := New("adam", Config{LR: lr, Beta1: b1, Beta2: b2, Eps: eps, Exact: true})
	if err != nil {
		return nil, err
	}
	theta, grad := []float64{0}, []float64{g}
	pay := AdamBiasJSON{T: make([]int, steps), Corrected: make([]float64, steps), Uncorrected: make([]float64, steps)}
	xs := make([]float64, steps)
	maxRatio, maxAt, agreeAt := 0.0, 0, -1
	for k := range steps {
		if k%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		t := k + 1
		before := theta[0]
		opt.Step(theta, grad)
		c, u := before-theta[0], AdamUncorrectedStep(t, g, lr, b1, b2, eps)
		pay.T[k], pay.Corrected[k], pay.Uncorrected[k], xs[k] = t, c, u, float64(t)
		ratio := u / c
		if ratio > maxRatio {
			maxRatio, maxAt = ratio, t
		}
		if agreeAt < 0 && math.Abs(ratio-1) <= 0.01 {
			agreeAt = t
		}
	}
	r := &experiment.Result{}
	r.AddScalar("m1", "first moment after step 1, m₁ = (1 − β1)·g", (1-b1)*g, "")
	r.AddScalar("v1", "second moment after step 1, v₁ = (1 − β2)·g²", (1-b2)*g*g, "")
	r.AddScalar("step1_corrected", "first step with bias correction: lr·m̂₁/(√v̂₁ + ε) = lr·g/(|g| + ε)", pay.Corrected[0], "")
	r.AddScalar("step1_uncorrected", "first step without bias correction: lr·m₁/(√v₁ + ε)", pay.Uncorrected[0], "")
	r.AddScalar("step1_ratio", "first step without ÷ with bias correction", pay.Uncorrected[0]/pay.Corrected[0], "×")
	r.AddScalar("max_ratio", "largest ratio of the uncorrected to the corrected step", maxRatio, "×")
	r.AddScalar("max_ratio_step", "step with the largest ratio", float64(maxAt), "steps")
	r.AddScalar("agree_step", "first step at which the two steps agree within 1% (−1: not within the run)", float64(agreeAt), "steps")
	// The chart shows the steps' sizes |Δθ| on a log axis: the corrected
	// step is lr·|g|/(|g| + ε) at every t, the uncorrected one up to
	// 1/√(1 − β2) times larger (316 at β2 = 0.99999), and both stay in view
	// (a linear axis would either flatten the corrected line or cut the
	// uncorrected peak).
	size := func(ys []float64) []float64 {
		out := make([]float64, len(ys))
		for i, y := range ys {
			out[i] = math.Abs(y)
		}
		return out
	}
	r.Charts = []experiment.Chart{{
		Key:    "steps",
		Title:  fmt.Sprintf("Adam's step per iteration on a constant gradient g = %s", fmtCoef(g)),
		XLabel: "step t", YLabel: "step size", LogY: true,
		Series: []experiment.Series{
			{Name: "with bias correction", X: xs, Y: size(pay.Corrected)},
			{Name: "without bias correction", X: xs, Y: size(pay.Uncorrected)},
		},
	}}
	r.Notes = []string{"With a constant gradient the corrected averages are exact, m̂ = g and v̂ = g², so every corrected step is lr·g/(|g| + ε) ≈ lr·sign(g). Without correction m_t = (1 − β1ᵗ)·g and v_t = (1 − β2ᵗ)·g²; with β2 > β1, v stays biased toward 0 longer than m, and the steps are too large (Kingma & Ba 2015, §3)."}
	r.JSON = pay
	return r, nil
}
