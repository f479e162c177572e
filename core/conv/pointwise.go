package conv

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Tensor is a c×h×w array of float64 stored channel-major like a torch
// tensor without its batch dimension: element (c, y, x) is Data[(c·H + y)·W + x].
type Tensor struct {
	C, H, W int
	Data    []float64
}

// NewTensor returns a zero c×h×w tensor.
func NewTensor(c, h, w int) Tensor {
	return Tensor{C: c, H: h, W: w, Data: make([]float64, c*h*w)}
}

// At returns element (c, y, x).
func (t Tensor) At(c, y, x int) float64 { return t.Data[(c*t.H+y)*t.W+x] }

// check reports whether the tensor's sizes agree with its data.
func (t Tensor) check() error {
	if t.C < 1 || t.H < 1 || t.W < 1 {
		return fmt.Errorf("conv: tensor sizes must be ≥ 1, got %d×%d×%d", t.C, t.H, t.W)
	}
	if len(t.Data) != t.C*t.H*t.W {
		return fmt.Errorf("conv: tensor of %d×%d×%d needs %d values, got %d", t.C, t.H, t.W, t.C*t.H*t.W, len(t.Data))
	}
	return nil
}

// checkPointwise validates the shapes of a 1×1 convolution: weight is
// c_out×c_in, bias (may be nil) has c_out entries, x has c_in channels.
func checkPointwise(weight mat.Matrix, bias []float64, x Tensor) (cout int, err error) {
	if err := x.check(); err != nil {
		return 0, err
	}
	r, c := weight.Dims()
	if c != x.C {
		return 0, fmt.Errorf("conv: 1×1 weight has %d input channels but the tensor has %d", c, x.C)
	}
	if bias != nil && len(bias) != r {
		return 0, fmt.Errorf("conv: bias has %d entries, want c_out=%d", len(bias), r)
	}
	return r, nil
}

// Pointwise applies a 1×1 convolution by direct loops:
//
//	y[o, p] = Σ_i weight[o, i]·x[i, p] + bias[o]
//
// at every pixel p. weight is c_out×c_in; bias may be nil.
func Pointwise(weight mat.Matrix, bias []float64, x Tensor) (Tensor, error) {
	cout, err := checkPointwise(weight, bias, x)
	if err != nil {
		return Tensor{}, err
	}
	n := x.H * x.W
	y := NewTensor(cout, x.H, x.W)
	w := make([]float64, x.C)
	for o := 0; o < cout; o++ {
		mat.Row(w, o, weight)
		out := y.Data[o*n : (o+1)*n]
		if bias != nil {
			for p := range out {
				out[p] = bias[o]
			}
		}
		// Accumulate channel by channel: out[p] += W[o,i]·x[i,p] for every pixel p.
		for i, wi := range w {
			in := x.Data[i*n : (i+1)*n]
			for p, xv := range in {
				out[p] += wi * xv
			}
		}
	}
	return y, nil
}

// PointwiseMatMul computes the same 1×1 convolution as the matrix product
//
//	Y (c_out×(h·w)) = W (c_out×c_in) · X (c_in×(h·w)) + b·1ᵀ,
//
// viewing the tensor's channel-major data as X without copying it.
func PointwiseMatMul(weight mat.Matrix, bias []float64, x Tensor) (Tensor, error) {
	cout, err := checkPointwise(weight, bias, x)
	if err != nil {
		return Tensor{}, err
	}
	n := x.H * x.W
	X := mat.NewDense(x.C, n, x.Data)
	y := NewTensor(cout, x.H, x.W)
	Y := mat.NewDense(cout, n, y.Data)
	Y.Mul(weight, X)
	for o, b := range bias { // none without a bias
		row := y.Data[o*n : (o+1)*n]
		for p := range row {
			row[p] += b
		}
	}
	return y, nil
}
