package adaptive

import "math"

// The four update rules below follow PyTorch's torch.optim single-tensor code
// (version 1.13) with weight decay, momentum, lr_decay and amsgrad at their
// defaults of zero/off. ε sits outside the square root, as in PyTorch.
//
// Each rule also writes the effective learning rate η_j of every coordinate:
// the factor that multiplies the rule's "direction" in θ_j −= η_j·(direction_j).
// For SGD, Adagrad and RMSprop the direction is the gradient g_j itself; for
// Adam it is the first-moment estimate m_j (not bias-corrected), so that
// η_j·m_j is exactly the step PyTorch takes.

// sgdStep applies plain SGD:
//
//	θ_j −= lr·g_j,   η_j = lr.
func sgdStep(theta, g, eff []float64, lr float64) {
	for j, gj := range g {
		theta[j] -= lr * gj
		eff[j] = lr
	}
}

// adagradStep applies Adagrad (Duchi et al. 2011) as torch.optim.Adagrad:
//
//	s_j += g_j²,   η_j = lr/(√s_j + ε),   θ_j −= η_j·g_j.
//
// s is the running sum of squared gradients (initial_accumulator_value 0).
// Because s_j only grows, η_j only shrinks, and it shrinks faster for a
// coordinate whose gradient is often non-zero.
func adagradStep(theta, g, sum, eff []float64, lr, eps float64) {
	for j, gj := range g {
		sum[j] += gj * gj
		eff[j] = lr / (math.Sqrt(sum[j]) + eps)
		theta[j] -= eff[j] * gj
	}
}

// rmspropStep applies RMSprop (Tieleman & Hinton 2012) as torch.optim.RMSprop
// (centered false, momentum 0):
//
//	v_j = α·v_j + (1−α)·g_j²,   η_j = lr/(√v_j + ε),   θ_j −= η_j·g_j.
//
// v is an exponential moving average of g², with no bias correction: while a
// coordinate's gradient is zero v_j decays by α per step and η_j grows back.
func rmspropStep(theta, g, v, eff []float64, lr, alpha, eps float64) {
	for j, gj := range g {
		v[j] = alpha*v[j] + (1-alpha)*gj*gj
		eff[j] = lr / (math.Sqrt(v[j]) + eps)
		theta[j] -= eff[j] * gj
	}
}

// adamStep applies Adam (Kingma & Ba 2015) as torch.optim.Adam at step t ≥ 1:
//
//	m_j = β1·m_j + (1−β1)·g_j,   v_j = β2·v_j + (1−β2)·g_j²,
//	η_j = lr/(1−β1ᵗ) / (√v_j/√(1−β2ᵗ) + ε),   θ_j −= η_j·m_j,
//
// which is θ_j −= lr·m̂_j/(√v̂_j + ε) with the bias-corrected m̂ = m/(1−β1ᵗ) and
// v̂ = v/(1−β2ᵗ), computed in PyTorch's order.
func adamStep(theta, g, m, v, eff []float64, t int, lr, beta1, beta2, eps float64) {
	bc1 := 1 - math.Pow(beta1, float64(t))
	bc2Sqrt := math.Sqrt(1 - math.Pow(beta2, float64(t)))
	stepSize := lr / bc1
	for j, gj := range g {
		m[j] = beta1*m[j] + (1-beta1)*gj
		v[j] = beta2*v[j] + (1-beta2)*gj*gj
		eff[j] = stepSize / (math.Sqrt(v[j])/bc2Sqrt + eps)
		theta[j] -= eff[j] * m[j]
	}
}

// Optimizer names, in the order the experiment lists them.
const (
	SGD     = "sgd"
	Adagrad = "adagrad"
	RMSprop = "rmsprop"
	Adam    = "adam"
)

// OptimizerNames lists the update rules this package implements.
var OptimizerNames = []string{SGD, Adagrad, RMSprop, Adam}

// Hyper holds the hyper-parameters shared by the rules; each rule reads the
// ones it uses (Alpha is RMSprop's, Beta1 and Beta2 Adam's; SGD uses only LR).
type Hyper struct {
	LR, Eps, Alpha, Beta1, Beta2 float64
}

// optimizer is one update rule with its per-coordinate state.
type optimizer struct {
	name string
	hp   Hyper
	t    int       // steps taken
	s    []float64 // Adagrad's sum of g², RMSprop's and Adam's v
	m    []float64 // Adam's first moment
}

func newOptimizer(name string, d int, hp Hyper) *optimizer {
	return &optimizer{name: name, hp: hp, s: make([]float64, d), m: make([]float64, d)}
}

// step updates theta in place from the gradient g and writes the effective
// learning rates into eff.
func (o *optimizer) step(theta, g, eff []float64) {
	o.t++
	h := o.hp
	switch o.name {
	case SGD:
		sgdStep(theta, g, eff, h.LR)
	case Adagrad:
		adagradStep(theta, g, o.s, eff, h.LR, h.Eps)
	case RMSprop:
		rmspropStep(theta, g, o.s, eff, h.LR, h.Alpha, h.Eps)
	case Adam:
		adamStep(theta, g, o.m, o.s, eff, o.t, h.LR, h.Beta1, h.Beta2, h.Eps)
	default:
		panic("adaptive: unknown optimizer " + o.name) // unreachable: names are validated
	}
}
