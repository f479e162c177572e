package cnn

import (
	"fmt"
	"math"
)

// BatchNorm2d is torch.nn.BatchNorm2d(C, eps=Eps, momentum=Momentum)
// with its affine weight γ and bias β. In training (Training true) it
// normalises each channel with the batch's mean μ and biased variance σ²
// over N·H·W values,
//
//	y = γ·(x − μ)/√(σ² + ε) + β,
//
// and updates the running statistics with the unbiased variance:
// running_mean ← (1 − m)·running_mean + m·μ, running_var ← (1 − m)·running_var + m·σ²·M/(M − 1),
// M = N·H·W. In evaluation it normalises with the running statistics.
type BatchNorm2d struct {
	C             int
	Eps, Momentum float64
	Weight, Bias  []float64 // γ, β
	RunningMean   []float64
	RunningVar    []float64
	Training      bool
	// DWeight and DBias hold the gradients set by Backward.
	DWeight, DBias []float64

	xhat   []float64 // the normalised input of the last Forward
	invstd []float64
	shape  [4]int
}

// NewBatchNorm2d returns torch's initial state: γ = 1, β = 0, running mean
// 0 and variance 1, ε = 1e-5, momentum 0.1, in training mode.
func NewBatchNorm2d(c int) *BatchNorm2d {
	b := &BatchNorm2d{C: c, Eps: 1e-5, Momentum: 0.1, Training: true,
		Weight: make([]float64, c), Bias: make([]float64, c), RunningMean: make([]float64, c), RunningVar: make([]float64, c)}
	for i := range b.Weight {
		b.Weight[i], b.RunningVar[i] = 1, 1
	}
	return b
}

func (b *BatchNorm2d) check(x *Tensor) error {
	if x == nil || x.C != b.C || len(x.Data) != x.Len() {
		return fmt.Errorf("batchnorm2d: input must be N×%d×H×W", b.C)
	}
	if len(b.Weight) != b.C || len(b.Bias) != b.C || len(b.RunningMean) != b.C || len(b.RunningVar) != b.C {
		return fmt.Errorf("batchnorm2d: weight, bias and running statistics must hold %d values each", b.C)
	}
	if !(b.Eps > 0) || !(b.Momentum >= 0 && b.Momentum <= 1) {
		return fmt.Errorf("batchnorm2d: eps must be > 0 and momentum from 0 to 1, got %v and %v", b.Eps, b.Momentum)
	}
	if b.Training && x.N*x.H*x.W < 2 {
		return fmt.Errorf("batchnorm2d: training needs more than one value per channel, got input %d×%d×%d×%d", x.N, x.C, x.H, x.W)
	}
	return nil
}

// Forward normalises x (and, in training, updates the running statistics).
func (b *BatchNorm2d) Forward(x *Tensor) (*Tensor, error) {
	if err := b.check(x); err != nil {
		return nil, err
	}
	n, c, hw := x.N, x.C, x.H*x.W
	m := float64(n * hw)
	y := &Tensor{N: x.N, C: x.C, H: x.H, W: x.W, Data: make([]float64, len(x.Data))}
	b.xhat = grow(b.xhat, len(x.Data))
	b.invstd = grow(b.invstd, c)
	b.shape = x.Shape()
	for ch := 0; ch < c; ch++ {
		var mean, invstd float64
		if b.Training {
			var s float64
			for i := 0; i < n; i++ {
				for _, v := range x.Data[(i*c+ch)*hw : (i*c+ch+1)*hw] {
					s += v
				}
			}
			mean = s / m
			var ss float64
			for i := 0; i < n; i++ {
				for _, v := range x.Data[(i*c+ch)*hw : (i*c+ch+1)*hw] {
					ss += (v - mean) * (v - mean)
				}
			}
			variance := ss / m
			invstd = 1 / math.Sqrt(variance+b.Eps)
			b.RunningMean[ch] = (1-b.Momentum)*b.RunningMean[ch] + b.Momentum*mean
			b.RunningVar[ch] = (1-b.Momentum)*b.RunningVar[ch] + b.Momentum*ss/(m-1)
		} else {
			mean, invstd = b.RunningMean[ch], 1/math.Sqrt(b.RunningVar[ch]+b.Eps)
		}
		b.invstd[ch] = invstd
		g, be := b.Weight[ch], b.Bias[ch]
		for i := 0; i < n; i++ {
			o := (i*c + ch) * hw
			for j, v := range x.Data[o : o+hw] {
				xh := (v - mean) * invstd
				b.xhat[o+j] = xh
				y.Data[o+j] = xh*g + be
			}
		}
	}
	return y, nil
}

// Backward sets DWeight = Σ dy·x̂ and DBias = Σ dy per channel and returns
// the gradient with respect to the last Forward's input: in training,
//
//	dx = γ/(M·√(σ² + ε)) · (M·dy − Σdy − x̂·Σ(dy·x̂)),
//
// and γ·dy/√(running_var + ε) in evaluation.
func (b *BatchNorm2d) Backward(dy *Tensor) (*Tensor, error) {
	s := b.shape
	if s[0] == 0 {
		return nil, fmt.Errorf("batchnorm2d: backward before forward")
	}
	if err := dy.sameShape("batchnorm2d output gradient", s[0], s[1], s[2], s[3]); err != nil {
		return nil, err
	}
	n, c, hw := s[0], s[1], s[2]*s[3]
	m := float64(n * hw)
	b.DWeight = grow(b.DWeight, c)
	b.DBias = grow(b.DBias, c)
	dx := &Tensor{N: s[0], C: s[1], H: s[2], W: s[3], Data: make([]float64, len(dy.Data))}
	for ch := 0; ch < c; ch++ {
		var sdy, sdyx float64
		for i := 0; i < n; i++ {
			o := (i*c + ch) * hw
			for j, g := range dy.Data[o : o+hw] {
				sdy += g
				sdyx += g * b.xhat[o+j]
			}
		}
		b.DWeight[ch], b.DBias[ch] = sdyx, sdy
		k := b.Weight[ch] * b.invstd[ch]
		for i := 0; i < n; i++ {
			o := (i*c + ch) * hw
			for j, g := range dy.Data[o : o+hw] {
				if b.Training {
					dx.Data[o+j] = k * (g - sdy/m - b.xhat[o+j]*sdyx/m)
				} else {
					dx.Data[o+j] = k * g
				}
			}
		}
	}
	return dx, nil
}
