package cnn

import (
	"fmt"

	"github.com/nnlab/nnlab/core/internal/gemm"
)

// Linear is torch.nn.Linear(In, Out, bias=Bias != nil) applied to each
// sample of an input whose C·H·W values are In features (flattened as
// torch.flatten(x, 1) does): y = x·Wᵀ + b, N×Out×1×1.
type Linear struct {
	In, Out int
	Weight  []float64 // Out × In
	Bias    []float64 // Out, or nil
	// DWeight and DBias hold the gradients set by Backward.
	DWeight, DBias []float64

	wt []float64
}

// NewLinear returns a zero in→out linear layer.
func NewLinear(in, out int, bias bool) (*Linear, error) {
	if in < 1 || out < 1 || in > MaxElements/out {
		return nil, fmt.Errorf("linear: features must be ≥ 1 and in·out ≤ %d, got %d→%d", MaxElements, in, out)
	}
	l := &Linear{In: in, Out: out, Weight: make([]float64, in*out)}
	if bias {
		l.Bias = make([]float64, out)
	}
	return l, nil
}

func (l *Linear) check(x *Tensor) error {
	if len(l.Weight) != l.In*l.Out || (l.Bias != nil && len(l.Bias) != l.Out) {
		return fmt.Errorf("linear: weight must hold %d values and bias %d", l.In*l.Out, l.Out)
	}
	if x == nil || x.C*x.H*x.W != l.In || len(x.Data) != x.Len() {
		return fmt.Errorf("linear: input must have %d features per sample", l.In)
	}
	return nil
}

// Forward returns x·Wᵀ + b.
func (l *Linear) Forward(x *Tensor) (*Tensor, error) {
	if err := l.check(x); err != nil {
		return nil, err
	}
	y := &Tensor{N: x.N, C: l.Out, H: 1, W: 1, Data: make([]float64, x.N*l.Out)}
	l.wt = grow(l.wt, l.In*l.Out)
	gemm.Transpose(l.Out, l.In, l.Weight, l.wt)
	op := gemm.Op{M: x.N, N: l.Out, K: l.In, A: x.Data, RsA: l.In, CsA: 1, B: l.wt, Ldb: l.Out,
		C: y.Data, Ldc: l.Out, Bias: l.Bias, FMA: true}
	op.Run()
	return y, nil
}

// Backward sets DWeight = dyᵀ·x and DBias = Σ_n dy, and returns dx = dy·W
// in x's shape.
func (l *Linear) Backward(x, dy *Tensor) (*Tensor, error) {
	if err := l.check(x); err != nil {
		return nil, err
	}
	if err := dy.sameShape("linear output gradient", x.N, l.Out, 1, 1); err != nil {
		return nil, err
	}
	l.DWeight = grow(l.DWeight, l.In*l.Out)
	op := gemm.Op{M: l.Out, N: l.In, K: x.N, A: dy.Data, RsA: 1, CsA: l.Out, B: x.Data, Ldb: l.In,
		C: l.DWeight, Ldc: l.In, FMA: true}
	op.Run()
	if l.Bias != nil {
		l.DBias = grow(l.DBias, l.Out)
		clear(l.DBias)
		for n := 0; n < x.N; n++ {
			for o, g := range dy.Data[n*l.Out : (n+1)*l.Out] {
				l.DBias[o] += g
			}
		}
	}
	dx := &Tensor{N: x.N, C: x.C, H: x.H, W: x.W, Data: make([]float64, x.Len())}
	op = gemm.Op{M: x.N, N: l.In, K: l.Out, A: dy.Data, RsA: l.Out, CsA: 1, B: l.Weight, Ldb: l.In,
		C: dx.Data, Ldc: l.In, FMA: true}
	op.Run()
	return dx, nil
}
