package adaptive

import (
	"context"
	"fmt"

	"github.com/nnlab/nnlab/core/experiment"
)

// MaxGradients is how many gradients the adagrad_steps experiment takes.
const MaxGradients = 6

// StepsJSON is the --json payload of "adagrad_steps": per step, the
// gradient, the sum of squares after it, the effective learning rate and
// the weight.
type StepsJSON struct {
	G     []float64 `json:"g"`
	Sum   []float64 `json:"sum"`
	EffLR []float64 `json:"eff_lr"`
	Theta []float64 `json:"theta"`
}

// AdagradSteps returns the experiment "adagrad_steps": torch.optim.Adagrad
// on one weight that receives the gradients g1 … gn (0 where its feature
// is absent), from θ = 0 — AdaGrad's effective learning rate
// lr/(√Σg² + ε) after a given history, worked by hand in lesson 2's quiz.
//
// Result keys: sum (Σg² after the last step, with the initial accumulator),
// eff_lr (the effective learning rate of the last step), first_eff_lr,
// theta (the weight after the last step).
func AdagradSteps() *experiment.Experiment {
	ps := experiment.Schema{
		{Name: "lr", Kind: experiment.Float, Default: 0.1, Min: 1e-6, Max: 10, Step: 2, Log: true, Help: "learning rate (PyTorch default 0.01)"},
		{Name: "n", Kind: experiment.Int, Default: 3, Min: 1, Max: MaxGradients, Step: 1, Help: "how many of g1 … g6 the weight receives, one per step"},
	}
	for i := 1; i <= MaxGradients; i++ {
		ps = append(ps, experiment.Param{Name: fmt.Sprintf("g%d", i), Kind: experiment.Float, Default: 1.0, Min: -1e6, Max: 1e6, Step: 0.5,
			Help: fmt.Sprintf("the gradient at step %d (0: the feature is absent)", i)})
	}
	ps = append(ps,
		experiment.Param{Name: "eps", Kind: experiment.Float, Default: 1e-10, Min: 0, Max: 1, Step: 10, Log: true, Help: "ε added to √s (PyTorch default 1e-10)"},
		experiment.Param{Name: "initial_accumulator_value", Kind: experiment.Float, Default: 0.0, Min: 0, Max: 100, Step: 0.5, Help: "the sum of squares s before the first step (PyTorch default 0)"},
	)
	return &experiment.Experiment{
		Name:    "adagrad_steps",
		Summary: "AdaGrad on one weight that receives given gradients: the sum of squares and the effective learning rate step by step",
		Params:  ps,
		Run:     runAdagradSteps,
	}
}

func runAdagradSteps(_ context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
	lr, n, eps := v.Float("lr"), v.Int("n"), v.Float("eps")
	theta, sum, eff := []float64{0}, []float64{v.Float("initial_accumulator_value")}, []float64{0}
	var pay StepsJSON
	for i := 1; i <= n; i++ {
		g := v.Float(fmt.Sprintf("g%d", i))
		adagradStep(theta, []float64{g}, sum, eff, lr, eps)
		pay.G, pay.Sum, pay.EffLR, pay.Theta = append(pay.G, g), append(pay.Sum, sum[0]), append(pay.EffLR, eff[0]), append(pay.Theta, theta[0])
	}
	r := &experiment.Result{}
	r.AddScalar("sum", "sum of squared gradients s after the last step", sum[0], "")
	r.AddScalar("eff_lr", "effective learning rate lr/(√s + ε) at the last step", eff[0], "")
	r.AddScalar("first_eff_lr", "effective learning rate at the first step", pay.EffLR[0], "")
	r.AddScalar("theta", "the weight after the last step, from 0", theta[0], "")
	rows := make([]experiment.Row, n)
	for i := range n {
		rows[i] = experiment.Row{Cells: []any{int64(i + 1), pay.G[i], pay.Sum[i], pay.EffLR[i], pay.Theta[i]}}
	}
	r.Tables = []experiment.Table{{Key: "steps", Title: "AdaGrad step by step on one weight",
		Columns: []experiment.Column{{Name: "step"}, {Name: "g"}, {Name: "s = Σg²"}, {Name: "η = lr/(√s + ε)"}, {Name: "θ"}}, Rows: rows}}
	r.JSON = pay
	return r, nil
}
