package quiz

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
)

// Question kinds about optimizers (lessons 1 and 2). Their answers are real
// numbers, graded within optimTolerance; each builder computes its answer
// with its own closed form, and the tests check it against the experiment
// the question names.

// optimTolerance is the relative error an optimizer answer may have.
const optimTolerance = 0.01

// realResult is the last step of a worked solution with a real answer,
// to four significant digits as the verdict shows it.
func realResult(v float64) Text { return text("quiz.step.result", experiment.Number(v)) }

// valley is a quadratic a·x² + b·y² whose condition number b/a is a perfect
// square, so that √κ is a whole number a learner can work with.
var valleys = [][2]float64{
	{0.1, 0.4}, {0.25, 1}, {0.1, 0.9}, {0.5, 4.5}, {0.05, 0.8}, {0.5, 8},
	{0.1, 2.5}, {0.04, 1}, {0.1, 3.6}, {0.02, 0.98}, {0.01, 1}, {0.05, 5},
}

func drawMomentumStep(r *rand.Rand, level int) map[string]any {
	s := map[string]any{"optimizers": "momentum", "lr": pick(r, 0.01, 0.02, 0.05, 0.1, 0.2), "momentum": pick(r, 0.5, 0.8, 0.9, 0.95, 0.99), "dampening": 0.0}
	switch level {
	case 2:
		s["dampening"] = s["momentum"] // an average of past gradients
	case 3:
		s["momentum"], s["dampening"] = pick(r, 0.8, 0.9, 0.95), pick(r, 0.2, 0.5, 0.6, 0.75)
	}
	return s
}

// momentumStep asks for PyTorch SGD's long-run step on a constant gradient:
// buf → (1 − d)·g/(1 − μ), so the step is lr·(1 − d)/(1 − μ) times g.
func momentumStep(v experiment.Values, _ int, _ string) Question {
	if !onlyOptimizer(v, "momentum") {
		return Question{}
	}
	lr, mu, d := v.Float("lr"), v.Float("momentum"), v.Float("dampening")
	ans := lr * (1 - d) / (1 - mu)
	q := Question{Key: "momentum.effective_lr", Answer: ans, Tolerance: optimTolerance,
		Prompt: text("quiz.momentum_step.prompt", lr, mu, d)}
	q.Steps = []Text{note("quiz.note.buf_limit"), formula("η = lr·(1 − d)/(1 − μ)"),
		fill("%s·(1 − %s)/(1 − %s)", num(lr), num(d), num(mu)), realResult(ans)}
	q.Slips = []Slip{{ID: "momentum_ignored", Value: lr}, {ID: "mu_multiplied", Value: lr * (1 - d) * (1 - mu)}}
	if d > 0 {
		q.Slips = append(q.Slips, Slip{ID: "dampening_ignored", Value: lr / (1 - mu)})
	}
	return q
}

// onlyOptimizer reports whether the optimize spec runs just name.
func onlyOptimizer(v experiment.Values, name string) bool {
	l := v.List("optimizers")
	return len(l) == 1 && l[0] == name
}

func drawHeavyBall(r *rand.Rand, _ int) map[string]any {
	vl := pick(r, valleys...)
	return map[string]any{"a": vl[0], "b": vl[1]}
}

// eigen is a valley's Hessian eigenvalues 2a ≤ 2b and √κ.
func eigen(v experiment.Values) (lmin, lmax, sk float64) {
	a, b := v.Float("a"), v.Float("b")
	lmin, lmax = 2*min(a, b), 2*max(a, b)
	return lmin, lmax, math.Sqrt(lmax / lmin)
}

// heavyBall asks for the heavy ball's best β, α or rate on a·x² + b·y²
// (Goh 2017): α* = (2/(√λmin + √λmax))², β* = ((√κ − 1)/(√κ + 1))²,
// rate* = (√κ − 1)/(√κ + 1).
func heavyBall(v experiment.Values, level int, key string) Question {
	lmin, lmax, sk := eigen(v)
	a, b := v.Float("a"), v.Float("b")
	if key == "" {
		key = []string{"momentum.optimal_beta", "momentum.optimal_lr", "momentum.optimal_rate"}[level-1]
	}
	q := Question{Key: key, Tolerance: optimTolerance}
	rate := (sk - 1) / (sk + 1)
	gdRate := (sk*sk - 1) / (sk*sk + 1)
	q.Steps = []Text{note("quiz.note.eigen", num(a), num(b), num(lmin), num(lmax), num(sk*sk), num(sk))}
	switch key {
	case "momentum.optimal_beta":
		q.Answer, q.Prompt = rate*rate, text("quiz.heavy_ball.beta", num(a), num(b))
		q.Steps = append(q.Steps, formula("β* = ((√κ − 1)/(√κ + 1))²"), fill("((%s − 1)/(%s + 1))²", num(sk), num(sk)), realResult(q.Answer))
		q.Slips = []Slip{{ID: "rate_for_beta", Value: rate}, {ID: "gd_rate", Value: gdRate}}
	case "momentum.optimal_lr":
		q.Answer, q.Prompt = math.Pow(2/(math.Sqrt(lmin)+math.Sqrt(lmax)), 2), text("quiz.heavy_ball.lr", num(a), num(b))
		q.Steps = append(q.Steps, formula("α* = (2/(√λmin + √λmax))²"), fill("(2/(√%s + √%s))²", num(lmin), num(lmax)), realResult(q.Answer))
		q.Slips = []Slip{{ID: "coefficients_for_eigenvalues", Value: math.Pow(2/(math.Sqrt(a)+math.Sqrt(b)), 2)}, {ID: "gd_optimal_lr", Value: 2 / (lmin + lmax)}}
	case "momentum.optimal_rate":
		q.Answer, q.Prompt = rate, text("quiz.heavy_ball.rate", num(a), num(b))
		q.Steps = append(q.Steps, formula("rate* = (√κ − 1)/(√κ + 1)"), fill("(%s − 1)/(%s + 1)", num(sk), num(sk)), realResult(q.Answer))
		q.Slips = []Slip{{ID: "beta_for_rate", Value: rate * rate}, {ID: "gd_rate", Value: gdRate}}
	}
	return q
}

func drawMomentumLimit(r *rand.Rand, _ int) map[string]any {
	vl := pick(r, valleys...)
	return map[string]any{"a": vl[0], "b": vl[1], "momentum": pick(r, 0.5, 0.8, 0.9)}
}

// momentumLimit asks for the largest stable lr on a·x² + b·y²: gradient
// descent 2/λmax, the heavy ball (2 + 2μ)/λmax, Nesterov
// (2 + 2μ)/((1 + 2μ)·λmax).
func momentumLimit(v experiment.Values, level int, key string) Question {
	lmin, lmax, _ := eigen(v)
	a, b, mu := v.Float("a"), v.Float("b"), v.Float("momentum")
	if key == "" {
		key = []string{"gd.max_lr", "momentum.max_lr", "nesterov.max_lr"}[level-1]
	}
	q := Question{Key: key, Tolerance: optimTolerance}
	q.Steps = []Text{note("quiz.note.lambda_max", num(a), num(b), num(lmax))}
	gd, hb := 2/lmax, (2+2*mu)/lmax
	switch key {
	case "gd.max_lr":
		q.Answer, q.Prompt = gd, text("quiz.momentum_limit.gd", num(a), num(b))
		q.Steps = append(q.Steps, formula("lr < 2/λmax"), fill("2/%s", num(lmax)), realResult(gd))
		q.Slips = []Slip{{ID: "coefficient_for_eigenvalue", Value: 2 / max(a, b)}, {ID: "lambda_min_used", Value: 2 / lmin}}
	case "momentum.max_lr":
		q.Answer, q.Prompt = hb, text("quiz.momentum_limit.heavy_ball", num(a), num(b), num(mu))
		q.Steps = append(q.Steps, formula("lr < (2 + 2μ)/λmax"), fill("(2 + 2·%s)/%s", num(mu), num(lmax)), realResult(hb))
		q.Slips = []Slip{{ID: "gd_limit", Value: gd}, {ID: "coefficient_for_eigenvalue", Value: (2 + 2*mu) / max(a, b)}}
	case "nesterov.max_lr":
		ans := (2 + 2*mu) / ((1 + 2*mu) * lmax)
		q.Answer, q.Prompt = ans, text("quiz.momentum_limit.nesterov", num(a), num(b), num(mu))
		q.Steps = append(q.Steps, formula("lr < (2 + 2μ)/((1 + 2μ)·λmax)"), fill("(2 + 2·%s)/((1 + 2·%s)·%s)", num(mu), num(mu), num(lmax)), realResult(ans))
		q.Slips = []Slip{{ID: "heavy_ball_limit", Value: hb}, {ID: "gd_limit", Value: gd}}
	}
	return q
}

func drawAdamStep(r *rand.Rand, level int) map[string]any {
	s := map[string]any{"g": pick(r, 0.01, 0.5, 2.0, 40.0), "lr": pick(r, 0.001, 0.01, 0.1), "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "steps": 10}
	if level > 1 {
		s["beta1"], s["beta2"] = pick(r, 0.8, 0.9, 0.95, 0.99), pick(r, 0.99, 0.999, 0.9999)
	}
	return s
}

// adamStep asks for Adam's first step on a constant gradient g (PyTorch
// semantics): with bias correction lr·g/(|g| + ε); without it
// lr·(1 − β1)·g/(√(1 − β2)·|g| + ε); and the ratio of the two.
func adamStep(v experiment.Values, level int, key string) Question {
	g, lr, b1, b2, eps := v.Float("g"), v.Float("lr"), v.Float("beta1"), v.Float("beta2"), v.Float("eps")
	if g <= 0 {
		return Question{} // the prompts speak of a positive gradient
	}
	if key == "" {
		key = []string{"step1_corrected", "step1_uncorrected", "step1_ratio"}[level-1]
	}
	corr := lr * g / (g + eps)
	unc := lr * (1 - b1) * g / (math.Sqrt((1-b2)*g*g) + eps)
	q := Question{Key: key, Tolerance: optimTolerance}
	q.Steps = []Text{note("quiz.note.adam_moments", num(b1), num(g), num((1-b1)*g), num(b2), num((1-b2)*g*g))}
	if key == "step1_ratio" { // its prompt gives no g: the ratio does not depend on it
		q.Steps = []Text{note("quiz.note.adam_moments_g", num(b1), num(1-b1), num(b2), num(1-b2))}
	}
	switch key {
	case "step1_corrected":
		q.Answer, q.Prompt = corr, text("quiz.adam_step.corrected", num(g), num(lr), num(b1), num(b2))
		q.Steps = append(q.Steps, note("quiz.note.adam_corrected"), formula("lr·g/(|g| + ε)"), fill("%s·%s/(%s + 10⁻⁸)", num(lr), num(g), num(g)), realResult(corr))
		q.Slips = []Slip{{ID: "sgd_step", Value: lr * g}, {ID: "uncorrected_step", Value: unc}}
	case "step1_uncorrected":
		q.Answer, q.Prompt = unc, text("quiz.adam_step.uncorrected", num(g), num(lr), num(b1), num(b2))
		q.Steps = append(q.Steps, formula("lr·m₁/(√v₁ + ε) = lr·(1 − β1)·g/(√(1 − β2)·|g| + ε)"), fill("%s·(1 − %s)·%s/(√(1 − %s)·%s + 10⁻⁸)", num(lr), num(b1), num(g), num(b2), num(g)), realResult(unc))
		q.Slips = []Slip{{ID: "corrected_step", Value: corr}, {ID: "no_square_root", Value: lr * (1 - b1) / (1 - b2)}}
	case "step1_ratio":
		ans := unc / corr
		q.Answer, q.Prompt = ans, text("quiz.adam_step.ratio", num(b1), num(b2))
		q.Steps = append(q.Steps, formula("(1 − β1)/√(1 − β2)"), fill("(1 − %s)/√(1 − %s)", num(b1), num(b2)), realResult(ans))
		q.Slips = []Slip{{ID: "ratio_inverted", Value: 1 / ans}, {ID: "no_square_root", Value: (1 - b1) / (1 - b2)}}
	}
	return q
}

// num prints a number of a worked solution to six significant digits: a
// spec's number as it was given (0.9, 1e-08), one computed from it without
// the binary rounding's tail ((1 − 0.9)·40 → 4).
func num(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func drawAdagradRate(r *rand.Rand, level int) map[string]any {
	s := map[string]any{"lr": pick(r, 0.01, 0.1, 0.5, 1.0)}
	var gs []float64
	switch level {
	case 1: // the same gradient every step
		g, n := pick(r, 0.5, 1.0, 2.0, 3.0), pick(r, 2, 4)
		for range n {
			gs = append(gs, g)
		}
	case 2:
		for range pick(r, 2, 3, 4) {
			gs = append(gs, pick(r, -2.0, -1.0, 0.5, 1.0, 2.0, 3.0))
		}
	default: // a rare feature: steps without a gradient
		n := pick(r, 4, 5, 6)
		for i := range n {
			g := pick(r, 1.0, 2.0, -1.0)
			if i > 0 && i < n-1 && r.IntN(2) == 0 { // the first and the last step have one
				g = 0
			}
			gs = append(gs, g)
		}
	}
	s["n"] = len(gs)
	for i, g := range gs {
		s[fmt.Sprintf("g%d", i+1)] = g
	}
	return s
}

// adagradRate asks for AdaGrad's effective learning rate after given
// gradients (PyTorch semantics): η = lr/(√Σg² + ε) at the last step.
func adagradRate(v experiment.Values, _ int, _ string) Question {
	lr, n, eps, s0 := v.Float("lr"), v.Int("n"), v.Float("eps"), v.Float("initial_accumulator_value")
	if s0 != 0 || eps > 1e-6 || v.Float(fmt.Sprintf("g%d", n)) == 0 {
		return Question{} // the prompts speak of PyTorch's defaults, and of a last step with a gradient
	}
	var gs, sq []string
	sum, present := 0.0, 0
	for i := 1; i <= n; i++ {
		g := v.Float(fmt.Sprintf("g%d", i))
		gs = append(gs, num(g))
		sq = append(sq, "("+num(g)+")²")
		sum += g * g
		if g != 0 {
			present++
		}
	}
	last := math.Abs(v.Float(fmt.Sprintf("g%d", n)))
	ans := lr / (math.Sqrt(sum) + eps)
	q := Question{Key: "eff_lr", Answer: ans, Tolerance: optimTolerance,
		Prompt: text("quiz.adagrad_rate.prompt", num(lr), n, strings.Join(gs, ", "))}
	q.Steps = []Text{formula("s = Σ g²"), fill("%s = %s", strings.Join(sq, " + "), num(sum)),
		formula("η = lr/(√s + ε)"), fill("%s/(√%s + 10⁻¹⁰)", num(lr), num(sum)), realResult(ans)}
	q.Slips = []Slip{
		{ID: "updates_counted", Value: lr / math.Sqrt(float64(present))},
		{ID: "adagrad_no_square_root", Value: lr / sum},
		{ID: "last_gradient_only", Value: lr / last},
	}
	return q
}
