package arch

import (
	"fmt"

	"github.com/nnlab/nnlab/core/conv"
)

// Style chooses how a building block makes its convolutions.
type Style int

const (
	// Torchvision uses BasicConv2d: a convolution without bias, batch norm
	// (eps 0.001) and a functional ReLU; branches are named branch1…branch4.
	Torchvision Style = iota
	// Paper uses a convolution with bias followed by a ReLU module, as in
	// Szegedy et al. 2014 (no batch norm); branches are named 1x1, 3x3, 5x5, pool.
	Paper
)

// convSpec is a square convolution with the given stride and padding.
func convSpec(cin, cout, k, stride, pad int, bias bool) conv.Spec {
	s := conv.New(cin, cout, k)
	s.Stride, s.Pad, s.Bias = stride, pad, bias
	return s
}

// Conv returns a Conv2d layer.
func Conv(name string, cin, cout, k, stride, pad int, bias bool) *Layer {
	return leaf(name, "Conv2d", Conv2d{convSpec(cin, cout, k, stride, pad, bias)})
}

// BN returns a BatchNorm2d layer over c channels with torch's default eps 1e-5.
func BN(name string, c int) *Layer { return leaf(name, "BatchNorm2d", BatchNorm2d{C: c, Eps: 1e-5}) }

// Relu returns a ReLU module.
func Relu(name string) *Layer { return leaf(name, "ReLU", ReLU{}) }

// MaxPool returns a MaxPool2d layer.
func MaxPool(name string, k, stride, pad int, ceil bool) *Layer {
	return leaf(name, "MaxPool2d", MaxPool2d{Pool{K: k, Stride: stride, Pad: pad, Ceil: ceil}})
}

// functional marks l as applied in forward() without a module.
func functional(l *Layer) *Layer {
	l.Functional = true
	return l
}

// ConvUnit returns a convolution with its normalisation and activation in the
// given style: torchvision's BasicConv2d (conv without bias, BatchNorm2d with
// eps 0.001, functional ReLU) or the paper's conv with bias followed by a ReLU.
func ConvUnit(name string, style Style, cin, cout, k, stride, pad int) *Layer {
	if style == Paper {
		return container(name, "ConvReLU", Conv("conv", cin, cout, k, stride, pad, true), Relu("relu"))
	}
	return container(name, "BasicConv2d",
		Conv("conv", cin, cout, k, stride, pad, false),
		leaf("bn", "BatchNorm2d", BatchNorm2d{C: cout, Eps: 0.001}),
		functional(Relu("relu")))
}

// InceptionSpec gives the widths of an inception module in the order of
// GoogLeNet's Table 1: #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj.
type InceptionSpec struct {
	In       int // input channels
	C1       int // #1×1
	C3Reduce int // #3×3 reduce (used when Reduce)
	C3       int // #3×3
	C5Reduce int // #5×5 reduce (used when Reduce)
	C5       int // #5×5
	PoolProj int // pool proj (used when Reduce)
	// Reduce adds the 1×1 reductions before the 3×3 and 5×5 convolutions and
	// the projection after the pool; without it the module is the naive one.
	Reduce bool
	// K5 is the kernel of the "5×5" branch: 5 in the paper, 3 in torchvision.
	K5 int
}

// OutChannels is C1 + C3 + C5 + PoolProj, or C1 + C3 + C5 + In for the
// naive module (its pool branch keeps all input channels).
func (s InceptionSpec) OutChannels() int {
	if s.Reduce {
		return s.C1 + s.C3 + s.C5 + s.PoolProj
	}
	return s.C1 + s.C3 + s.C5 + s.In
}

// Inception builds an inception module: 1×1, 3×3 and K5×K5 convolutions and a
// 3×3 max pool (stride 1, padding 1) side by side, concatenated along
// channels. Each k×k convolution pads ⌊k/2⌋ so that every branch keeps the
// input's spatial size.
func Inception(name string, s InceptionSpec, style Style) *Layer {
	names := [4]string{"branch1", "branch2", "branch3", "branch4"}
	inner := [4]string{"0", "1", "0", "1"} // reduce, conv, pool, proj
	if style == Paper {
		names = [4]string{"1x1", "3x3", "5x5", "pool"}
		inner = [4]string{"reduce", "conv", "pool", "proj"}
	}
	unit := func(n string, cin, cout, k int) *Layer { return ConvUnit(n, style, cin, cout, k, 1, k/2) }
	pool := MaxPool(inner[2], 3, 1, 1, true)
	m := &Layer{Name: name, Type: "Inception", Join: Concat}
	if !s.Reduce {
		pool.Name = names[3]
		m.Children = []*Layer{
			unit(names[0], s.In, s.C1, 1),
			unit(names[1], s.In, s.C3, 3),
			unit(names[2], s.In, s.C5, s.K5),
			pool,
		}
		return m
	}
	m.Children = []*Layer{
		unit(names[0], s.In, s.C1, 1),
		container(names[1], "Sequential", unit(inner[0], s.In, s.C3Reduce, 1), unit(inner[1], s.C3Reduce, s.C3, 3)),
		container(names[2], "Sequential", unit(inner[0], s.In, s.C5Reduce, 1), unit(inner[1], s.C5Reduce, s.C5, s.K5)),
		container(names[3], "Sequential", pool, unit(inner[3], s.In, s.PoolProj, 1)),
	}
	return m
}

// downsample is torchvision's shortcut projection: a strided 1×1 conv and BN.
func downsample(in, out, stride int) *Layer {
	return container("downsample", "Sequential", Conv("0", in, out, 1, stride, 0, false), BN("1", out))
}

// needsDownsample reports whether the identity shortcut cannot be added:
// the block changes the size (stride ≠ 1) or the channels.
func needsDownsample(in, out, stride int) bool { return stride != 1 || in != out }

// BasicBlock is torchvision's ResNet BasicBlock: 3×3 conv (stride) → BN →
// ReLU → 3×3 conv → BN, plus the shortcut (a 1×1 conv + BN projection when
// stride ≠ 1 or in ≠ width), then ReLU. Output channels = width.
func BasicBlock(name string, in, width, stride int) *Layer {
	b := &Layer{Name: name, Type: "BasicBlock", Join: Residual, Main: 5, Children: []*Layer{
		Conv("conv1", in, width, 3, stride, 1, false), BN("bn1", width), Relu("relu"),
		Conv("conv2", width, width, 3, 1, 1, false), BN("bn2", width),
	}}
	if needsDownsample(in, width, stride) {
		b.Shortcut = true
		b.Children = append(b.Children, downsample(in, width, stride))
	}
	b.Children = append(b.Children, Relu("relu"))
	return b
}

// BottleneckBlock is torchvision's ResNet Bottleneck: 1×1 conv to width →
// BN → ReLU → 3×3 conv → BN → ReLU → 1×1 conv to width·expansion → BN, plus the
// shortcut, then ReLU. The stride sits in the 3×3 conv (torchvision's
// "ResNet v1.5"), or in the first 1×1 conv when strideIn1x1 (the paper's v1).
func BottleneckBlock(name string, in, width, stride, expansion int, strideIn1x1 bool) *Layer {
	out := width * expansion
	s1, s3 := 1, stride
	if strideIn1x1 {
		s1, s3 = stride, 1
	}
	b := &Layer{Name: name, Type: "Bottleneck", Join: Residual, Main: 8, Children: []*Layer{
		Conv("conv1", in, width, 1, s1, 0, false), BN("bn1", width), Relu("relu"),
		Conv("conv2", width, width, 3, s3, 1, false), BN("bn2", width), Relu("relu"),
		Conv("conv3", width, out, 1, 1, 0, false), BN("bn3", out),
	}}
	if needsDownsample(in, out, stride) {
		b.Shortcut = true
		b.Children = append(b.Children, downsample(in, out, stride))
	}
	b.Children = append(b.Children, Relu("relu"))
	return b
}

// BlockKind names a ResNet block.
type BlockKind string

const (
	Basic      BlockKind = "basic"
	Bottleneck BlockKind = "bottleneck"
)

// Block builds a basic or bottleneck block (torchvision v1.5); expansion is
// used by the bottleneck only.
func Block(kind BlockKind, in, width, stride, expansion int) (*Layer, error) {
	switch kind {
	case Basic:
		return BasicBlock("block", in, width, stride), nil
	case Bottleneck:
		return BottleneckBlock("block", in, width, stride, expansion, false), nil
	}
	return nil, fmt.Errorf("arch: block kind must be basic or bottleneck, got %q", kind)
}
