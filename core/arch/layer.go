package arch

import (
	"fmt"
	"strconv"

	"github.com/nnlab/nnlab/core/conv"
)

// Shape is a feature map's size without the batch dimension: C×H×W, or a
// vector of C features when Flat (after a flatten).
type Shape struct {
	C, H, W int
	Flat    bool
}

// Map returns the feature-map shape c×h×w.
func Map(c, h, w int) Shape { return Shape{C: c, H: h, W: w} }

// Dims returns the shape with a batch dimension of 1, as torch prints it:
// [1, C, H, W] or [1, C].
func (s Shape) Dims() []int {
	if s.Flat {
		return []int{1, s.C}
	}
	return []int{1, s.C, s.H, s.W}
}

// String prints the shape as torchinfo does, e.g. "[1, 64, 112, 112]".
func (s Shape) String() string {
	b := []byte{'['}
	for i, d := range s.Dims() {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, int64(d), 10)
	}
	return string(append(b, ']'))
}

// spatial prints the spatial size, e.g. "28×28".
func (s Shape) spatial() string { return fmt.Sprintf("%d×%d", s.H, s.W) }

// describe prints the shape for messages: "64×56×56" or "a flat vector of 1024".
func (s Shape) describe() string {
	if s.Flat {
		return fmt.Sprintf("a flat vector of %d", s.C)
	}
	return fmt.Sprintf("%d×%d×%d", s.C, s.H, s.W)
}

// Join says how a container combines its children.
type Join int

const (
	// Sequential applies the children one after another.
	Sequential Join = iota
	// Concat applies every child (branch) to the same input and concatenates
	// their outputs along channels; the branches must agree in spatial size.
	Concat
	// Residual computes F(x) with the first Main children, adds the shortcut
	// (child Main when Shortcut, else the identity) applied to x, and applies
	// the remaining children to the sum.
	Residual
)

// Layer is a node of an architecture: a leaf that computes an Op, or a
// container of children (in the order they run). Layers are plain data; the
// same description can be analysed any number of times.
type Layer struct {
	Name     string   // attribute name inside the parent, as torch names it ("conv1", "0", "branch2")
	Type     string   // class name shown in summaries ("Conv2d", "Inception", "BasicBlock")
	Op       Op       // what a leaf computes; nil for containers
	Children []*Layer // sub-modules in execution order
	Join     Join     // how the children combine
	Main     int      // Residual: number of leading children forming F(x)
	Shortcut bool     // Residual: child Main is the shortcut (else identity)
	// Functional marks an operation that torch applies in forward() without a
	// module (F.relu, torch.flatten): it shapes the data but is not a summary row.
	Functional bool
}

// Op is the computation of a leaf layer.
type Op interface {
	// Output returns the shape produced from in, or an error naming the rule broken.
	Output(in Shape) (Shape, error)
	// Params is the number of learned parameters.
	Params() int64
	// MACs is the number of multiply-accumulates for one input of shape in
	// producing out. Only convolutions and linear layers count.
	MACs(in, out Shape) int64
}

// Buffered is implemented by ops that keep non-learned state (running statistics).
type Buffered interface {
	// Buffers is the number of buffer elements (torch's module.buffers()).
	Buffers() int64
}

func leaf(name, typ string, op Op) *Layer { return &Layer{Name: name, Type: typ, Op: op} }

func container(name, typ string, children ...*Layer) *Layer {
	return &Layer{Name: name, Type: typ, Children: children}
}

func needMap(in Shape, what string) error {
	if in.Flat {
		return fmt.Errorf("%s needs a C×H×W feature map, got %s", what, in.describe())
	}
	return nil
}

// Conv2d is a torch.nn.Conv2d layer.
type Conv2d struct{ conv.Spec }

// Output checks the channels and applies the convolution arithmetic of package conv.
func (c Conv2d) Output(in Shape) (Shape, error) {
	if err := needMap(in, "Conv2d"); err != nil {
		return Shape{}, err
	}
	if in.C != c.InChannels {
		return Shape{}, fmt.Errorf("Conv2d expects %d input channels, got %d", c.InChannels, in.C)
	}
	cost, err := c.Cost(in.H, in.W) // also checks that the MAC count fits in int64
	if err != nil {
		return Shape{}, err
	}
	return Map(c.OutChannels, cost.OutH, cost.OutW), nil
}

// Params is k_h·k_w·(c_in/groups)·c_out (+ c_out with bias).
func (c Conv2d) Params() int64 { return c.Spec.Params() }

// MACs is out_h·out_w·c_out·k_h·k_w·(c_in/groups).
func (c Conv2d) MACs(_, out Shape) int64 { return int64(out.H) * int64(out.W) * c.Weights() }

// BatchNorm2d is torch.nn.BatchNorm2d: a learned scale and shift per channel
// (2·C parameters) and running mean and variance (buffers, not parameters).
type BatchNorm2d struct {
	C   int
	Eps float64
}

// Output checks the channel count; the shape is unchanged.
func (b BatchNorm2d) Output(in Shape) (Shape, error) {
	if err := needMap(in, "BatchNorm2d"); err != nil {
		return Shape{}, err
	}
	if in.C != b.C {
		return Shape{}, fmt.Errorf("BatchNorm2d expects %d channels, got %d", b.C, in.C)
	}
	return in, nil
}

// Params is 2·C (weight γ and bias β).
func (b BatchNorm2d) Params() int64 { return 2 * int64(b.C) }

// MACs is 0: only convolutions and linear layers are counted.
func (BatchNorm2d) MACs(_, _ Shape) int64 { return 0 }

// Buffers is 2·C + 1: running mean, running variance and num_batches_tracked.
func (b BatchNorm2d) Buffers() int64 { return 2*int64(b.C) + 1 }

// shapeKeeping is embedded by ops without parameters that keep the shape.
type shapeKeeping struct{}

func (shapeKeeping) Output(in Shape) (Shape, error) { return in, nil }
func (shapeKeeping) Params() int64                  { return 0 }
func (shapeKeeping) MACs(_, _ Shape) int64          { return 0 }

// ReLU is max(0, x) elementwise.
type ReLU struct{ shapeKeeping }

// Dropout zeroes activations with probability P while training.
type Dropout struct {
	shapeKeeping
	P float64
}

// LocalResponseNorm normalises each activation by its Size neighbouring
// channels (GoogLeNet's "LocalRespNorm"); it has no parameters.
type LocalResponseNorm struct{ Size int }

// Output keeps the shape of a feature map.
func (l LocalResponseNorm) Output(in Shape) (Shape, error) {
	return in, needMap(in, "LocalResponseNorm")
}

// Params is 0.
func (LocalResponseNorm) Params() int64 { return 0 }

// MACs is 0 (not a convolution or linear layer).
func (LocalResponseNorm) MACs(_, _ Shape) int64 { return 0 }

// Flatten turns a C×H×W map into a vector of C·H·W features.
type Flatten struct{}

// Output is the flat vector of C·H·W.
func (Flatten) Output(in Shape) (Shape, error) {
	if in.Flat {
		return in, nil
	}
	return Shape{C: in.C * in.H * in.W, Flat: true}, nil
}

// Params is 0.
func (Flatten) Params() int64 { return 0 }

// MACs is 0.
func (Flatten) MACs(_, _ Shape) int64 { return 0 }

// maxFeatures bounds a Linear layer's sizes so that in·out fits easily in int64.
const maxFeatures = 1 << 28

// Linear is torch.nn.Linear on a flat vector.
type Linear struct {
	In, Out int
	Bias    bool
}

// Output checks the input features.
func (l Linear) Output(in Shape) (Shape, error) {
	if !in.Flat {
		return Shape{}, fmt.Errorf("Linear needs a flat vector, got %s (flatten first)", in.describe())
	}
	if l.In < 1 || l.In > maxFeatures {
		return Shape{}, fmt.Errorf("Linear in features must be from 1 to %d, got %d", maxFeatures, l.In)
	}
	if in.C != l.In {
		return Shape{}, fmt.Errorf("Linear expects %d input features, got %d", l.In, in.C)
	}
	if l.Out < 1 || l.Out > maxFeatures {
		return Shape{}, fmt.Errorf("Linear out features must be from 1 to %d, got %d", maxFeatures, l.Out)
	}
	return Shape{C: l.Out, Flat: true}, nil
}

// Params is in·out (+ out with bias).
func (l Linear) Params() int64 {
	p := int64(l.In) * int64(l.Out)
	if l.Bias {
		p += int64(l.Out)
	}
	return p
}

// MACs is in·out.
func (l Linear) MACs(_, _ Shape) int64 { return int64(l.In) * int64(l.Out) }

// AdaptiveAvgPool2d averages to a fixed H×W output whatever the input size.
type AdaptiveAvgPool2d struct{ H, W int }

// Output is C×H×W.
func (a AdaptiveAvgPool2d) Output(in Shape) (Shape, error) {
	if err := needMap(in, "AdaptiveAvgPool2d"); err != nil {
		return Shape{}, err
	}
	if a.H < 1 || a.W < 1 {
		return Shape{}, fmt.Errorf("AdaptiveAvgPool2d output size must be ≥ 1, got %d×%d", a.H, a.W)
	}
	return Map(in.C, a.H, a.W), nil
}

// Params is 0.
func (AdaptiveAvgPool2d) Params() int64 { return 0 }

// MACs is 0.
func (AdaptiveAvgPool2d) MACs(_, _ Shape) int64 { return 0 }
