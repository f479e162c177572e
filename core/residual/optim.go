package residual

import (
	"fmt"
	"math"
)

// Optimizer names.
const (
	SGD  = "sgd"  // SGD with momentum 0.9
	Adam = "adam" // Adam with β = (0.9, 0.999), ε = 1e-8
)

// Momentum is the SGD momentum coefficient μ.
const Momentum = 0.9

// optimizer updates parameters in place from their gradients, following
// torch.optim semantics (see the shared reference):
//
//	SGD:  buf = g on the first step, then buf = μ·buf + g;  θ −= lr·buf
//	Adam: m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;
//	      θ −= lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)
type optimizer struct {
	kind string
	lr   float64
	t    int
	m, v []float64
}

func newOptimizer(kind string, lr float64, n int) (*optimizer, error) {
	switch kind {
	case SGD:
		return &optimizer{kind: kind, lr: lr, m: make([]float64, n)}, nil
	case Adam:
		return &optimizer{kind: kind, lr: lr, m: make([]float64, n), v: make([]float64, n)}, nil
	}
	return nil, fmt.Errorf("residual: optimizer must be sgd or adam, got %q", kind)
}

// step applies one update to p given gradient g.
func (o *optimizer) step(p, g []float64) { o.stepTo(p, p, g) }

// stepTo applies one update to the parameters p given gradient g and
// writes the result to dst (which may be p), in one pass.
func (o *optimizer) stepTo(dst, p, g []float64) {
	o.t++
	o.update(dst, p, g, 0, len(p), 1)
}

// update applies the current step (o.t, already counted) to entries
// lo…hi−1 of p, with gradient f·g, and writes them to dst (which may be
// p). f scales the gradient as clipping would have (f·g is rounded as
// g ← f·g in place is; f = 1 leaves it as it is).
func (o *optimizer) update(dst, p, g []float64, lo, hi int, f float64) {
	p = p[lo:hi]
	g = g[lo:hi:hi][:len(p)]
	m := o.m[lo:hi:hi][:len(p)]
	dst = dst[lo:hi:hi][:len(p)]
	switch o.kind {
	case SGD:
		if o.t == 1 {
			for i, gi := range g {
				m[i] = gi * f
			}
			for i, b := range m {
				dst[i] = p[i] - o.lr*b
			}
			return
		}
		i0 := 0
		if useAsm {
			i0 = len(p) &^ 3
			sgdAsm(dst[:i0], p, g, m, o.lr, Momentum, f)
		}
		for i := i0; i < len(p); i++ {
			b := Momentum*m[i] + g[i]*f
			m[i] = b
			dst[i] = p[i] - o.lr*b
		}
	case Adam:
		const b1, b2, eps = 0.9, 0.999, 1e-8
		c1 := 1 - math.Pow(b1, float64(o.t))
		c2 := 1 - math.Pow(b2, float64(o.t))
		sc2 := math.Sqrt(c2)
		v := o.v[lo:hi:hi][:len(p)]
		for i, gi := range g {
			gi *= f
			m[i] = b1*m[i] + (1-b1)*gi
			v[i] = b2*v[i] + (1-b2)*gi*gi
			// PyTorch: denom = √v / √(1−β₂ᵗ) + ε; θ −= (lr/(1−β₁ᵗ))·m/denom.
			dst[i] = p[i] - (o.lr/c1)*m[i]/(math.Sqrt(v[i])/sc2+eps)
		}
	}
}
