package adaptive

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Each rule takes two steps from θ0 = (1, −2) with the gradients g1 = (2, 0)
// and g2 = (−1, 3). The expected values are the formulas of the reference
// (PyTorch semantics, ε outside the square root) unrolled by hand.
const (
	ruleLR  = 0.1
	ruleEps = 1e-8
)

var ruleGrads = [2][]float64{{2, 0}, {-1, 3}}

type twoSteps struct {
	name  string
	step  func(theta, g, eff []float64, t int)
	theta [2][]float64 // expected θ after step 1 and step 2
	eff   [2][]float64 // expected η after step 1 and step 2
}

func checkTwoSteps(t *testing.T, tc twoSteps) {
	t.Helper()
	theta := []float64{1, -2}
	eff := make([]float64, 2)
	for k := range 2 {
		tc.step(theta, ruleGrads[k], eff, k+1)
		for j := range theta {
			if !scalar.EqualWithinAbsOrRel(theta[j], tc.theta[k][j], 1e-15, 1e-14) {
				t.Errorf("%s step %d: θ_%d = %.17g, want %.17g", tc.name, k+1, j, theta[j], tc.theta[k][j])
			}
			if !scalar.EqualWithinAbsOrRel(eff[j], tc.eff[k][j], 1e-15, 1e-14) {
				t.Errorf("%s step %d: η_%d = %.17g, want %.17g", tc.name, k+1, j, eff[j], tc.eff[k][j])
			}
		}
	}
}

func TestSGDTwoSteps(t *testing.T) {
	const lr = ruleLR
	checkTwoSteps(t, twoSteps{
		name: "sgd",
		step: func(theta, g, eff []float64, _ int) { sgdStep(theta, g, eff, lr) },
		// θ −= lr·g
		theta: [2][]float64{{0.8, -2}, {0.9, -2.3}},
		eff:   [2][]float64{{lr, lr}, {lr, lr}},
	})
}

func TestAdagradTwoSteps(t *testing.T) {
	const lr, eps = ruleLR, ruleEps
	sum := make([]float64, 2)
	// s1 = (4, 0), s2 = (5, 9); η = lr/(√s + ε).
	checkTwoSteps(t, twoSteps{
		name: "adagrad",
		step: func(theta, g, eff []float64, _ int) { adagradStep(theta, g, sum, eff, lr, eps) },
		theta: [2][]float64{
			{1 - lr*2/(2+eps), -2},
			{1 - lr*2/(2+eps) + lr/(math.Sqrt(5)+eps), -2 - lr*3/(3+eps)},
		},
		eff: [2][]float64{{lr / (2 + eps), lr / eps}, {lr / (math.Sqrt(5) + eps), lr / (3 + eps)}},
	})
}

func TestRMSpropTwoSteps(t *testing.T) {
	const lr, eps, alpha = ruleLR, ruleEps, 0.75
	v := make([]float64, 2)
	// v1 = 0.25·g1² = (1, 0); v2 = 0.75·v1 + 0.25·g2² = (1, 2.25); η = lr/(√v + ε).
	checkTwoSteps(t, twoSteps{
		name: "rmsprop",
		step: func(theta, g, eff []float64, _ int) { rmspropStep(theta, g, v, eff, lr, alpha, eps) },
		theta: [2][]float64{
			{1 - lr*2/(1+eps), -2},
			{1 - lr*2/(1+eps) + lr/(1+eps), -2 - lr*3/(1.5+eps)},
		},
		eff: [2][]float64{{lr / (1 + eps), lr / eps}, {lr / (1 + eps), lr / (1.5 + eps)}},
	})
}

func TestAdamTwoSteps(t *testing.T) {
	const lr, eps, b1, b2 = ruleLR, ruleEps, 0.5, 0.75
	m, v := make([]float64, 2), make([]float64, 2)
	// Step 1: m = (1, 0), v = (1, 0), 1−β1 = 0.5, √(1−β2) = 0.5:
	//   η = (lr/0.5)/(√v/0.5 + ε) = 0.2/(2 + ε) for θ_0, 0.2/ε for θ_1; θ −= η·m.
	// Step 2: m = (0, 1.5), v = (1, 2.25), 1−β1² = 0.75, √(1−β2²) = √0.4375:
	//   η_0 = (lr/0.75)/(1/√0.4375 + ε), η_1 = (lr/0.75)/(1.5/√0.4375 + ε).
	s2 := math.Sqrt(0.4375)
	e2 := []float64{lr / 0.75 / (1/s2 + eps), lr / 0.75 / (1.5/s2 + eps)}
	checkTwoSteps(t, twoSteps{
		name: "adam",
		step: func(theta, g, eff []float64, k int) { adamStep(theta, g, m, v, eff, k, lr, b1, b2, eps) },
		theta: [2][]float64{
			{1 - 0.2/(2+eps), -2},
			{1 - 0.2/(2+eps), -2 - e2[1]*1.5},
		},
		eff: [2][]float64{{0.2 / (2 + eps), 0.2 / eps}, e2},
	})
}

// The optimizer wrapper dispatches to the rules above and counts steps for
// Adam's bias correction.
func TestOptimizerDispatch(t *testing.T) {
	hp := Hyper{LR: ruleLR, Eps: ruleEps, Alpha: 0.75, Beta1: 0.5, Beta2: 0.75}
	for _, name := range OptimizerNames {
		o := newOptimizer(name, 2, hp)
		theta, eff := []float64{1, -2}, make([]float64, 2)
		want, weff := []float64{1, -2}, make([]float64, 2)
		s, m := make([]float64, 2), make([]float64, 2)
		for k := range 2 {
			o.step(theta, ruleGrads[k], eff)
			switch name {
			case SGD:
				sgdStep(want, ruleGrads[k], weff, hp.LR)
			case Adagrad:
				adagradStep(want, ruleGrads[k], s, weff, hp.LR, hp.Eps)
			case RMSprop:
				rmspropStep(want, ruleGrads[k], s, weff, hp.LR, hp.Alpha, hp.Eps)
			case Adam:
				adamStep(want, ruleGrads[k], m, s, weff, k+1, hp.LR, hp.Beta1, hp.Beta2, hp.Eps)
			}
		}
		for j := range theta {
			if theta[j] != want[j] || eff[j] != weff[j] {
				t.Errorf("%s: θ=%v η=%v, want θ=%v η=%v", name, theta, eff, want, weff)
			}
		}
	}
}
