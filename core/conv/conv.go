package conv

import (
	"fmt"
	"math/bits"

	"github.com/nnlab/nnlab/core/experiment"
)

// Limits on a Spec. They keep every count inside int64 and float64's exact
// integer range for any sizes a lesson can ask for.
const (
	MaxChannels = 1 << 16 // most input or output channels
	MaxKernel   = 1 << 10 // largest kernel side
	MaxSize     = 1 << 16 // largest input side
)

// Spec describes a 2-D convolution layer as torch.nn.Conv2d does:
// Conv2d(InChannels, OutChannels, (KH, KW), stride=Stride, padding=Pad,
// dilation=Dilation, groups=Groups, bias=Bias), with the same stride,
// padding and dilation on both spatial axes.
type Spec struct {
	InChannels  int  // c_in
	OutChannels int  // c_out
	KH, KW      int  // kernel height and width
	Stride      int  // step between windows, ≥ 1
	Pad         int  // zeros added on each side, ≥ 0
	Dilation    int  // spacing between kernel taps, ≥ 1
	Groups      int  // c_in and c_out are split into this many independent groups
	Bias        bool // one learned offset per output channel
}

// New returns a k×k convolution from cin to cout channels with torch's
// defaults: stride 1, no padding, dilation 1, one group, with bias.
func New(cin, cout, k int) Spec {
	return Spec{InChannels: cin, OutChannels: cout, KH: k, KW: k, Stride: 1, Dilation: 1, Groups: 1, Bias: true}
}

// Validate checks the rules torch.nn.Conv2d enforces: channels ≥ 1, kernel ≥ 1,
// stride ≥ 1, dilation ≥ 1, padding ≥ 0, groups ≥ 1 dividing both c_in and c_out.
// The error names the parameter, the rule and the value given.
func (s Spec) Validate() error {
	switch {
	case s.InChannels < 1 || s.InChannels > MaxChannels:
		return fmt.Errorf("conv: in channels must be from 1 to %d, got %d", MaxChannels, s.InChannels)
	case s.OutChannels < 1 || s.OutChannels > MaxChannels:
		return fmt.Errorf("conv: out channels must be from 1 to %d, got %d", MaxChannels, s.OutChannels)
	case s.KH < 1 || s.KH > MaxKernel:
		return fmt.Errorf("conv: kernel height k must be from 1 to %d, got %d", MaxKernel, s.KH)
	case s.KW < 1 || s.KW > MaxKernel:
		return fmt.Errorf("conv: kernel width k must be from 1 to %d, got %d", MaxKernel, s.KW)
	case s.Stride < 1 || s.Stride > MaxSize:
		return fmt.Errorf("conv: stride must be from 1 to %d, got %d", MaxSize, s.Stride)
	case s.Pad < 0 || s.Pad > MaxSize:
		return fmt.Errorf("conv: pad must be from 0 to %d (negative padding is not supported), got %d", MaxSize, s.Pad)
	case s.Dilation < 1 || s.Dilation > MaxKernel:
		return fmt.Errorf("conv: dilation must be from 1 to %d, got %d", MaxKernel, s.Dilation)
	case s.Groups < 1:
		return fmt.Errorf("conv: groups must be ≥ 1, got %d", s.Groups)
	case s.InChannels%s.Groups != 0:
		return experiment.Invalid([]string{"cin", "groups"}, "rule.conv.groups_cin", "conv: in channels must be divisible by groups, got c_in={1}, groups={2}", s.InChannels, s.Groups)
	case s.OutChannels%s.Groups != 0:
		return experiment.Invalid([]string{"cout", "groups"}, "rule.conv.groups_cout", "conv: out channels must be divisible by groups, got c_out={1}, groups={2}", s.OutChannels, s.Groups)
	}
	return nil
}

// OutSize is the output length along one axis,
//
//	out = ⌊(in + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1,
//
// with the floor taken toward −∞ (so the result may be ≤ 0 when the dilated
// kernel does not fit). stride must be ≥ 1.
func OutSize(in, k, stride, pad, dilation int) int {
	return floorDiv(in+2*pad-dilation*(k-1)-1, stride) + 1
}

// floorDiv is ⌊a/b⌋ for b > 0.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// Output returns the output height and width for an h×w input, or an error
// when the spec is invalid or the output would be empty.
func (s Spec) Output(h, w int) (oh, ow int, err error) {
	if err := s.Validate(); err != nil {
		return 0, 0, err
	}
	if h < 1 || h > MaxSize {
		return 0, 0, fmt.Errorf("conv: input height h must be from 1 to %d, got %d", MaxSize, h)
	}
	if w < 1 || w > MaxSize {
		return 0, 0, fmt.Errorf("conv: input width w must be from 1 to %d, got %d", MaxSize, w)
	}
	oh = OutSize(h, s.KH, s.Stride, s.Pad, s.Dilation)
	if oh < 1 {
		return 0, 0, s.emptyErr("h", h, s.KH, oh)
	}
	ow = OutSize(w, s.KW, s.Stride, s.Pad, s.Dilation)
	if ow < 1 {
		return 0, 0, s.emptyErr("w", w, s.KW, ow)
	}
	return oh, ow, nil
}

func (s Spec) emptyErr(axis string, in, k, out int) error {
	return experiment.Invalid([]string{axis, "k", "pad", "dilation", "stride"}, "rule.conv.empty",
		"conv: output would be empty: ⌊({1} + 2·pad − dilation·(k−1) − 1)/stride⌋ + 1 = {2} for {1}={3}, k={4}, pad={5}, dilation={6}, stride={7}",
		axis, out, in, k, s.Pad, s.Dilation, s.Stride)
}

// Weights is the number of kernel weights, k_h·k_w·(c_in/groups)·c_out.
// It assumes a valid spec.
func (s Spec) Weights() int64 {
	return int64(s.KH) * int64(s.KW) * int64(s.InChannels/s.Groups) * int64(s.OutChannels)
}

// Params is the number of learned parameters, k_h·k_w·(c_in/groups)·c_out,
// plus c_out with bias. It assumes a valid spec (see Validate).
func (s Spec) Params() int64 {
	p := s.Weights()
	if s.Bias {
		p += int64(s.OutChannels)
	}
	return p
}

// Cost is what a convolution does to an h×w input.
type Cost struct {
	OutH   int   `json:"out_h"`
	OutW   int   `json:"out_w"`
	Params int64 `json:"params"`
	// MACs is the number of multiply-accumulates,
	// out_h·out_w·c_out·k_h·k_w·(c_in/groups); the bias additions are not counted.
	MACs int64 `json:"macs"`
}

// Cost returns the output size, parameters and multiply-accumulates of the
// convolution applied to an h×w input.
func (s Spec) Cost(h, w int) (Cost, error) {
	oh, ow, err := s.Output(h, w)
	if err != nil {
		return Cost{}, err
	}
	macs, ok := mulInt64(int64(oh), int64(ow), s.Weights())
	if !ok {
		return Cost{}, fmt.Errorf("conv: MAC count %d·%d·%d overflows int64", oh, ow, s.Weights())
	}
	return Cost{OutH: oh, OutW: ow, Params: s.Params(), MACs: macs}, nil
}

// mulInt64 multiplies non-negative factors and reports whether the product
// fits in an int64.
func mulInt64(xs ...int64) (int64, bool) {
	p := uint64(1)
	for _, x := range xs {
		if x < 0 {
			return 0, false
		}
		hi, lo := bits.Mul64(p, uint64(x))
		if hi != 0 || lo > 1<<63-1 {
			return 0, false
		}
		p = lo
	}
	return int64(p), true
}
