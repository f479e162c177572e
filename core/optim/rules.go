package optim

import "math"

// SGD is torch.optim.SGD: with weight decay wd, momentum μ, dampening d,
//
//	g ← g + wd·θ
//	b ← g on the first step, else b ← μ·b + (1−d)·g   (when μ ≠ 0)
//	g ← g + μ·b (nesterov) or g ← b                     (when μ ≠ 0)
//	θ ← θ − lr·g
//
// The optimizers "sgd", "momentum" and "nesterov" are all SGD.
type SGD struct {
	name    string
	c       Config
	buf     []float64
	started bool
}

// Name implements Optimizer.
func (o *SGD) Name() string { return o.name }

// Reset implements Optimizer.
func (o *SGD) Reset() { o.buf, o.started = nil, false }

// Velocity is the momentum buffer after the last step — PyTorch's buf, the
// heavy ball's z — when the optimizer has momentum and has stepped.
func (o *SGD) Velocity() ([]float64, bool) {
	return o.buf, o.c.Momentum != 0 && o.started
}

// Step implements Optimizer.
func (o *SGD) Step(theta, grad []float64) {
	if len(o.buf) != len(theta) {
		o.buf, o.started = make([]float64, len(theta)), false
	}
	c := o.c
	for i, th := range theta {
		g := grad[i]
		if c.WeightDecay != 0 {
			g += c.WeightDecay * th
		}
		if c.Momentum != 0 {
			if o.started {
				o.buf[i] = o.buf[i]*c.Momentum + (1-c.Dampening)*g
			} else {
				o.buf[i] = g
			}
			if c.Nesterov {
				g += c.Momentum * o.buf[i]
			} else {
				g = o.buf[i]
			}
		}
		theta[i] = th - c.LR*g
	}
	o.started = true
}

// Adagrad is torch.optim.Adagrad: at step t (from 1), with s starting at
// initial_accumulator_value,
//
//	g ← g + wd·θ;  clr = lr / (1 + (t−1)·lr_decay)
//	s ← s + g²;    θ ← θ − clr·g / (√s + ε)
type Adagrad struct {
	c   Config
	sum []float64
	t   int
}

// Name implements Optimizer.
func (o *Adagrad) Name() string { return "adagrad" }

// Reset implements Optimizer.
func (o *Adagrad) Reset() { o.sum, o.t = nil, 0 }

// Step implements Optimizer.
func (o *Adagrad) Step(theta, grad []float64) {
	if len(o.sum) != len(theta) {
		o.sum, o.t = make([]float64, len(theta)), 0
		for i := range o.sum {
			o.sum[i] = o.c.InitialAccumulatorValue
		}
	}
	o.t++
	c := o.c
	clr := c.LR / (1 + float64(o.t-1)*c.LRDecay)
	for i, th := range theta {
		g := grad[i]
		if c.WeightDecay != 0 {
			g += c.WeightDecay * th
		}
		o.sum[i] += g * g
		theta[i] = th - clr*(g/(math.Sqrt(o.sum[i])+c.Eps))
	}
}

// RMSprop is torch.optim.RMSprop (no bias correction):
//
//	g ← g + wd·θ;  v ← α·v + (1−α)·g²
//	centered: ḡ ← α·ḡ + (1−α)·g,  d = √(v − ḡ²) + ε;  else d = √v + ε
//	μ > 0: b ← μ·b + g/d, θ ← θ − lr·b;  else θ ← θ − lr·g/d
type RMSprop struct {
	c           Config
	v, gavg, bf []float64
}

// Name implements Optimizer.
func (o *RMSprop) Name() string { return "rmsprop" }

// Reset implements Optimizer.
func (o *RMSprop) Reset() { o.v, o.gavg, o.bf = nil, nil, nil }

// Step implements Optimizer.
func (o *RMSprop) Step(theta, grad []float64) {
	n := len(theta)
	if len(o.v) != n {
		o.v, o.gavg, o.bf = make([]float64, n), make([]float64, n), make([]float64, n)
	}
	c := o.c
	for i, th := range theta {
		g := grad[i]
		if c.WeightDecay != 0 {
			g += c.WeightDecay * th
		}
		o.v[i] = o.v[i]*c.Alpha + (1-c.Alpha)*g*g
		var d float64
		if c.Centered {
			o.gavg[i] = o.gavg[i]*c.Alpha + (1-c.Alpha)*g
			d = math.Sqrt(o.v[i]-o.gavg[i]*o.gavg[i]) + c.Eps
		} else {
			d = math.Sqrt(o.v[i]) + c.Eps
		}
		if c.Momentum > 0 {
			o.bf[i] = o.bf[i]*c.Momentum + g/d
			theta[i] = th - c.LR*o.bf[i]
		} else {
			theta[i] = th - c.LR*(g/d)
		}
	}
}

// Adadelta is torch.optim.Adadelta (ε inside both roots):
//
//	g ← g + wd·θ;  v ← ρ·v + (1−ρ)·g²
//	δ = √(u + ε) / √(v + ε) · g;  u ← ρ·u + (1−ρ)·δ²;  θ ← θ − lr·δ
type Adadelta struct {
	c    Config
	v, u []float64
}

// Name implements Optimizer.
func (o *Adadelta) Name() string { return "adadelta" }

// Reset implements Optimizer.
func (o *Adadelta) Reset() { o.v, o.u = nil, nil }

// Step implements Optimizer.
func (o *Adadelta) Step(theta, grad []float64) {
	n := len(theta)
	if len(o.v) != n {
		o.v, o.u = make([]float64, n), make([]float64, n)
	}
	c := o.c
	for i, th := range theta {
		g := grad[i]
		if c.WeightDecay != 0 {
			g += c.WeightDecay * th
		}
		o.v[i] = o.v[i]*c.Rho + (1-c.Rho)*g*g
		delta := math.Sqrt(o.u[i]+c.Eps) / math.Sqrt(o.v[i]+c.Eps) * g
		o.u[i] = o.u[i]*c.Rho + (1-c.Rho)*delta*delta
		theta[i] = th - c.LR*delta
	}
}

// Adam is torch.optim.Adam, or torch.optim.AdamW when decoupled. At step t:
//
//	adam:  g ← g + wd·θ          adamw: θ ← θ·(1 − lr·wd)
//	m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//	amsgrad: v̄ ← max(v̄, v) replaces v below
//	θ ← θ − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + ε)
type Adam struct {
	name       string
	c          Config
	decoupled  bool
	m, v, vmax []float64
	t          int
}

// Name implements Optimizer.
func (o *Adam) Name() string { return o.name }

// Reset implements Optimizer.
func (o *Adam) Reset() { o.m, o.v, o.vmax, o.t = nil, nil, nil, 0 }

// Step implements Optimizer.
func (o *Adam) Step(theta, grad []float64) {
	n := len(theta)
	if len(o.m) != n {
		o.m, o.v, o.vmax, o.t = make([]float64, n), make([]float64, n), make([]float64, n), 0
	}
	o.t++
	c := o.c
	t := float64(o.t)
	stepSize := c.LR / (1 - math.Pow(c.Beta1, t))
	bc2Sqrt := math.Sqrt(1 - math.Pow(c.Beta2, t))
	for i, th := range theta {
		g := grad[i]
		if o.decoupled {
			th *= 1 - c.LR*c.WeightDecay
		} else if c.WeightDecay != 0 {
			g += c.WeightDecay * th
		}
		o.m[i] = o.m[i]*c.Beta1 + (1-c.Beta1)*g
		o.v[i] = o.v[i]*c.Beta2 + (1-c.Beta2)*g*g
		v := o.v[i]
		if c.AMSGrad {
			o.vmax[i] = math.Max(o.vmax[i], v)
			v = o.vmax[i]
		}
		theta[i] = th - stepSize*(o.m[i]/(math.Sqrt(v)/bc2Sqrt+c.Eps))
	}
}
