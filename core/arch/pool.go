package arch

import (
	"fmt"

	"github.com/nnlab/nnlab/core/experiment"
)

// Pool is the window of a max or average pooling layer (same on both axes).
type Pool struct {
	K, Stride, Pad int
	// Ceil rounds the output size up as torch's ceil_mode=True does, dropping
	// a last window that would start in the right padding.
	Ceil bool
}

// PoolOutSize is torch's pooling output length along one axis:
//
//	out = ⌊(in + 2·pad − (k − 1) − 1 + (ceil ? stride − 1 : 0)) / stride⌋ + 1,
//
// and with ceil_mode, out − 1 when (out − 1)·stride ≥ in + pad (the last
// window would start in the padding). It may be ≤ 0 when the window does not fit.
func PoolOutSize(in, k, stride, pad int, ceil bool) int {
	num := in + 2*pad - (k - 1) - 1
	if ceil {
		num += stride - 1
	}
	out := floorDiv(num, stride) + 1
	if ceil && (out-1)*stride >= in+pad {
		out--
	}
	return out
}

// floorDiv is ⌊a/b⌋ for b > 0.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// output applies the window to a feature map; what names the layer type.
func (p Pool) output(in Shape, what string) (Shape, error) {
	if err := needMap(in, what); err != nil {
		return Shape{}, err
	}
	switch {
	case p.K < 1:
		return Shape{}, fmt.Errorf("%s kernel size must be ≥ 1, got %d", what, p.K)
	case p.Stride < 1:
		return Shape{}, fmt.Errorf("%s stride must be ≥ 1, got %d", what, p.Stride)
	case p.Pad < 0 || p.Pad > p.K/2:
		return Shape{}, fmt.Errorf("%s pad must be from 0 to half the kernel size (%d), got %d", what, p.K/2, p.Pad)
	}
	oh := PoolOutSize(in.H, p.K, p.Stride, p.Pad, p.Ceil)
	ow := PoolOutSize(in.W, p.K, p.Stride, p.Pad, p.Ceil)
	if oh < 1 || ow < 1 {
		mode := ""
		if p.Ceil {
			mode = ", ceil_mode"
		}
		return Shape{}, experiment.Invalid([]string{"h", "w"}, "rule.arch.pool_empty",
			"{1} output would be empty: a {2}×{2} window (stride {3}, pad {4}{5}) does not fit the {6}×{7} input",
			what, p.K, p.Stride, p.Pad, mode, in.H, in.W)
	}
	return Map(in.C, oh, ow), nil
}

// MaxPool2d takes the maximum over each window.
type MaxPool2d struct{ Pool }

// Output applies the pooling arithmetic.
func (m MaxPool2d) Output(in Shape) (Shape, error) { return m.output(in, "MaxPool2d") }

// Params is 0.
func (MaxPool2d) Params() int64 { return 0 }

// MACs is 0.
func (MaxPool2d) MACs(_, _ Shape) int64 { return 0 }

// AvgPool2d averages over each window.
type AvgPool2d struct{ Pool }

// Output applies the pooling arithmetic.
func (a AvgPool2d) Output(in Shape) (Shape, error) { return a.output(in, "AvgPool2d") }

// Params is 0.
func (AvgPool2d) Params() int64 { return 0 }

// MACs is 0.
func (AvgPool2d) MACs(_, _ Shape) int64 { return 0 }
