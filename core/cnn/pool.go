package cnn

import (
	"fmt"
	"math"
)

// Pool2d is torch.nn.MaxPool2d(K, stride=Stride, padding=Pad,
// ceil_mode=Ceil) (Avg false) or torch.nn.AvgPool2d(K, stride=Stride,
// padding=Pad, ceil_mode=Ceil, count_include_pad=IncludePad) (Avg true)
// over each channel of an N×C×H×W input. The output side is
//
//	out = ⌊(in + 2·pad − K)/s⌋ + 1, or ⌈·⌉ with Ceil,
//
// less one when Ceil would start the last window in the right padding, as
// torch does. Max pooling pads with −∞ and keeps the first maximum of a
// window (the last NaN, if any, as torch's CPU kernel does); average pooling divides by the window clipped to the
// padded input (IncludePad) or to the input alone.
type Pool2d struct {
	Avg               bool
	K, Stride, Pad    int
	Ceil, IncludePad  bool
	argmax            []int32 // max pooling: the input index each output came from
	inShape, outShape [4]int
}

// MaxPool2d returns max pooling with a k×k window.
func MaxPool2d(k, stride, pad int, ceil bool) *Pool2d {
	return &Pool2d{K: k, Stride: stride, Pad: pad, Ceil: ceil}
}

// AvgPool2d returns average pooling with a k×k window.
func AvgPool2d(k, stride, pad int, ceil, includePad bool) *Pool2d {
	return &Pool2d{Avg: true, K: k, Stride: stride, Pad: pad, Ceil: ceil, IncludePad: includePad}
}

// OutSize returns the pooled height and width of an h×w input.
func (pl *Pool2d) OutSize(h, w int) (oh, ow int, err error) {
	switch {
	case pl.K < 1 || pl.K > MaxKernel:
		return 0, 0, fmt.Errorf("pool2d: kernel size must be from 1 to %d, got %d", MaxKernel, pl.K)
	case pl.Stride < 1 || pl.Stride > MaxStride:
		return 0, 0, fmt.Errorf("pool2d: stride must be from 1 to %d, got %d", MaxStride, pl.Stride)
	case pl.Pad < 0 || 2*pl.Pad > pl.K:
		return 0, 0, fmt.Errorf("pool2d: padding must be from 0 to half the kernel size %d, got %d", pl.K, pl.Pad)
	}
	oh, ow = pl.side(h), pl.side(w)
	if h < 1 || w < 1 || oh < 1 || ow < 1 {
		return 0, 0, fmt.Errorf("pool2d: a %d×%d window does not fit a %d×%d input padded by %d", pl.K, pl.K, h, w, pl.Pad)
	}
	return oh, ow, nil
}

// side is torch's pooling_output_shape: ⌊(in + 2·pad − K (+ s − 1 with
// Ceil))/s⌋ + 1, the floor taken toward −∞, less one with Ceil when the
// last window would start in the right padding.
func (pl *Pool2d) side(in int) int {
	a := in + 2*pl.Pad - pl.K
	if pl.Ceil {
		a += pl.Stride - 1
	}
	if a < 0 {
		return 0
	}
	out := a/pl.Stride + 1
	if pl.Ceil && (out-1)*pl.Stride >= in+pl.Pad {
		out--
	}
	return out
}

// Forward pools x; max pooling remembers where each maximum came from,
// for Backward.
func (pl *Pool2d) Forward(x *Tensor) (*Tensor, error) {
	if x == nil || len(x.Data) != x.Len() {
		return nil, fmt.Errorf("pool2d: input is missing")
	}
	oh, ow, err := pl.OutSize(x.H, x.W)
	if err != nil {
		return nil, err
	}
	y := &Tensor{N: x.N, C: x.C, H: oh, W: ow, Data: make([]float64, x.N*x.C*oh*ow)}
	pl.inShape, pl.outShape = x.Shape(), y.Shape()
	if !pl.Avg {
		if cap(pl.argmax) >= len(y.Data) {
			pl.argmax = pl.argmax[:len(y.Data)]
		} else {
			pl.argmax = make([]int32, len(y.Data))
		}
	}
	h, w, s, pad, k := x.H, x.W, pl.Stride, pl.Pad, pl.K
	for nc := 0; nc < x.N*x.C; nc++ {
		in := x.Data[nc*h*w : (nc+1)*h*w]
		out := y.Data[nc*oh*ow : (nc+1)*oh*ow]
		for i := 0; i < oh; i++ {
			for j := 0; j < ow; j++ {
				y0, x0 := i*s-pad, j*s-pad
				if pl.Avg {
					y1, x1 := min(y0+k, h+pad), min(x0+k, w+pad)
					size := (y1 - y0) * (x1 - x0)
					y0, x0, y1, x1 = max(y0, 0), max(x0, 0), min(y1, h), min(x1, w)
					if !pl.IncludePad {
						size = (y1 - y0) * (x1 - x0)
					}
					var sum float64
					for yy := y0; yy < y1; yy++ {
						for _, v := range in[yy*w+x0 : yy*w+x1] {
							sum += v
						}
					}
					out[i*ow+j] = sum / float64(size)
					continue
				}
				y1, x1 := min(y0+k, h), min(x0+k, w)
				y0, x0 = max(y0, 0), max(x0, 0)
				best, at := math.Inf(-1), y0*w+x0
				for yy := y0; yy < y1; yy++ {
					for xx := x0; xx < x1; xx++ {
						if v := in[yy*w+xx]; v > best || math.IsNaN(v) {
							best, at = v, yy*w+xx
						}
					}
				}
				out[i*ow+j] = best
				pl.argmax[nc*oh*ow+i*ow+j] = int32(at)
			}
		}
	}
	return y, nil
}

// Backward returns the gradient with respect to the input of the last
// Forward, given dy, the gradient with respect to its output: max pooling
// sends each output's gradient to its maximum, average pooling spreads it
// over the window with the forward pass's divisor.
func (pl *Pool2d) Backward(dy *Tensor) (*Tensor, error) {
	o := pl.outShape
	if o[0] == 0 {
		return nil, fmt.Errorf("pool2d: backward before forward")
	}
	if err := dy.sameShape("pool2d output gradient", o[0], o[1], o[2], o[3]); err != nil {
		return nil, err
	}
	in := pl.inShape
	dx := &Tensor{N: in[0], C: in[1], H: in[2], W: in[3], Data: make([]float64, in[0]*in[1]*in[2]*in[3])}
	h, w, oh, ow, s, pad, k := in[2], in[3], o[2], o[3], pl.Stride, pl.Pad, pl.K
	for nc := 0; nc < in[0]*in[1]; nc++ {
		d := dx.Data[nc*h*w : (nc+1)*h*w]
		g := dy.Data[nc*oh*ow : (nc+1)*oh*ow]
		if !pl.Avg {
			for i, v := range g {
				d[pl.argmax[nc*oh*ow+i]] += v
			}
			continue
		}
		for i := 0; i < oh; i++ {
			for j := 0; j < ow; j++ {
				y0, x0 := i*s-pad, j*s-pad
				y1, x1 := min(y0+k, h+pad), min(x0+k, w+pad)
				size := (y1 - y0) * (x1 - x0)
				y0, x0, y1, x1 = max(y0, 0), max(x0, 0), min(y1, h), min(x1, w)
				if !pl.IncludePad {
					size = (y1 - y0) * (x1 - x0)
				}
				v := g[i*ow+j] / float64(size)
				for yy := y0; yy < y1; yy++ {
					row := d[yy*w+x0 : yy*w+x1]
					for xx := range row {
						row[xx] += v
					}
				}
			}
		}
	}
	return dx, nil
}

// GlobalAvgPool returns the mean of each channel of x, N×C×1×1
// (torch.nn.AdaptiveAvgPool2d(1)).
func GlobalAvgPool(x *Tensor) *Tensor {
	y := &Tensor{N: x.N, C: x.C, H: 1, W: 1, Data: make([]float64, x.N*x.C)}
	hw := x.H * x.W
	for i := range y.Data {
		var s float64
		for _, v := range x.Data[i*hw : (i+1)*hw] {
			s += v
		}
		y.Data[i] = s / float64(hw)
	}
	return y
}

// GlobalAvgPoolBackward returns the gradient with respect to an input of
// x's shape given dy (N×C×1×1): each pixel gets dy/(H·W).
func GlobalAvgPoolBackward(x, dy *Tensor) (*Tensor, error) {
	if err := dy.sameShape("global average pool output gradient", x.N, x.C, 1, 1); err != nil {
		return nil, err
	}
	dx := &Tensor{N: x.N, C: x.C, H: x.H, W: x.W, Data: make([]float64, x.Len())}
	hw := x.H * x.W
	for i, g := range dy.Data {
		v := g / float64(hw)
		for j := range dx.Data[i*hw : (i+1)*hw] {
			dx.Data[i*hw+j] = v
		}
	}
	return dx, nil
}
