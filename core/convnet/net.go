package convnet

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Architectures.
const (
	Plain     = "plain"
	ResNet    = "resnet"
	Inception = "inception"
)

// Spec describes a network (see testdata/torchnets.py for the same in
// PyTorch).
type Spec struct {
	Arch     string // Plain, ResNet or Inception
	N        int    // basic blocks per stage (plain, resnet): 6N+2 weighted layers
	Width    int    // first stage's channels; Inception: GoogLeNet's widths × Width/64
	Size     int    // input side: 28, or 14 (the image's 2×2 averages)
	BN       bool   // batch normalization after every convolution (which then has no bias)
	Shortcut string // "A" (zero-padded identity) or "B" (1×1 projection) where the shape changes
	Reduce   bool   // Inception: 1×1 reductions (false: the paper's naive module)
	// Bottleneck makes plain and residual nets of bottleneck blocks
	// (1×1 to the stage's width, 3×3, 1×1 to four times it: 9N+2 weighted
	// layers) instead of basic ones.
	Bottleneck bool
}

// Classes is the number of classes, Fashion-MNIST's ten.
const Classes = 10

// Param is one parameter tensor of a net, named as PyTorch names it in
// the same network (model.named_parameters()).
type Param struct {
	Name  string
	Shape []int
	Off   int // offset in the parameter vector
	Len   int
	Kind  string // "conv", "conv_bias", "bn_weight", "bn_bias", "fc" or "fc_bias"
}

// Layer is a weighted layer for the per-layer gradient norms: a
// convolution's or the classifier's weight.
type Layer struct {
	Name  string
	Param int // index of its weight in Params
}

// Net is a network built from a Spec, its parameters in one vector.
type Net struct {
	Spec   Spec
	Params []Param
	Layers []Layer
	W, G   []float64 // parameters, gradients
	input  *slot
	nodes  []node
	head   *head
	bns    []*bn
	convs  []*conv
	ws     *workspace
	// binds are the views to set once W and G exist.
	binds []func()
}

// scaled is GoogLeNet's channel count c times width/64, rounded half up,
// at least 1.
func scaled(c, width int) int { return max(1, (c*width+32)/64) }

// googLeNetModules are the rows of Table 1 of Szegedy et al. the small
// GoogLeNet keeps: #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj.
var googLeNetModules = [3][6]int{{64, 96, 128, 16, 32, 32}, {128, 128, 192, 32, 96, 64}, {192, 96, 208, 16, 48, 64}}

// NewNet builds the network of s with zero parameters (see Init).
func NewNet(s Spec) (*Net, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	n := &Net{Spec: s, input: &slot{noGrad: true}, ws: &workspace{}}
	x := n.input
	switch s.Arch {
	case Plain, ResNet:
		x = n.unit("stem", x, 1, s.Width, 3, 1, 1, true)
		cin := s.Width
		bi := 0
		for stage := 0; stage < 3; stage++ {
			w := s.Width << stage
			cout := w
			if s.Bottleneck {
				cout = 4 * w
			}
			for i := 0; i < s.N; i++ {
				stride := 1
				if stage > 0 && i == 0 {
					stride = 2
				}
				name := fmt.Sprintf("blocks.%d", bi)
				last, h := "u2", (*slot)(nil)
				if s.Bottleneck {
					h = n.unit(name+".u1", x, cin, w, 1, 1, 0, true)
					h = n.unit(name+".u2", h, w, w, 3, stride, 1, true)
					last = "u3"
				} else {
					h = n.unit(name+".u1", x, cin, w, 3, stride, 1, true)
				}
				k := 3
				if s.Bottleneck {
					k = 1
				}
				if s.Arch == Plain {
					x = n.unit(name+"."+last, h, w, cout, k, 1, k/2, true)
				} else {
					a := n.unit(name+"."+last, h, w, cout, k, 1, k/2, false)
					sc := x
					if s.Shortcut == "B" && (stride != 1 || cin != cout) {
						sc = n.unit(name+".proj", x, cin, cout, 1, stride, 0, false)
					}
					out := &slot{}
					n.nodes = append(n.nodes, &join{a: a, s: sc, out: out, stride: stride})
					x = out
				}
				cin = cout
				bi++
			}
		}
		n.addHead(x, cin)
	case Inception:
		stem := scaled(192, s.Width)
		x = n.unit("stem", x, 1, stem, 3, 1, 1, true)
		x = n.pool(x, 3, 2, 1)
		cin := stem
		for i, m := range googLeNetModules {
			if i == 2 {
				x = n.pool(x, 3, 2, 1)
			}
			var c [6]int
			for j, v := range m {
				c[j] = scaled(v, s.Width)
			}
			x, cin = n.module(fmt.Sprintf("mods.%d", i), x, cin, c)
		}
		n.addHead(x, cin)
	}
	size := 0
	for i := range n.Params {
		n.Params[i].Off = size
		size += n.Params[i].Len
	}
	n.W, n.G = make([]float64, size), make([]float64, size)
	for _, b := range n.binds {
		b()
	}
	n.binds = nil
	return n, nil
}

func (s Spec) check() error {
	switch {
	case s.Arch != Plain && s.Arch != ResNet && s.Arch != Inception:
		return fmt.Errorf("convnet: arch must be plain, resnet or inception, got %q", s.Arch)
	case s.Arch != Inception && (s.N < 1 || s.N > 64):
		return fmt.Errorf("convnet: n must be from 1 to 64, got %d", s.N)
	case s.Width < 1 || s.Width > 256:
		return fmt.Errorf("convnet: width must be from 1 to 256, got %d", s.Width)
	case s.Size != 14 && s.Size != 28:
		return fmt.Errorf("convnet: size must be 14 or 28, got %d", s.Size)
	case s.Shortcut != "A" && s.Shortcut != "B":
		return fmt.Errorf("convnet: shortcut must be A or B, got %q", s.Shortcut)
	}
	return nil
}

// param registers a parameter tensor and returns a function that binds
// its views (parameter, gradient) once the vectors exist.
func (n *Net) param(name, kind string, shape []int, bind func(w, g []float64)) {
	l := 1
	for _, d := range shape {
		l *= d
	}
	i := len(n.Params)
	n.Params = append(n.Params, Param{Name: name, Shape: shape, Len: l, Kind: kind})
	n.binds = append(n.binds, func() {
		p := n.Params[i]
		bind(n.W[p.Off:p.Off+p.Len:p.Off+p.Len], n.G[p.Off:p.Off+p.Len:p.Off+p.Len])
	})
}

// unit appends a convolution (bias when the spec has no BN), its BN and,
// with relu, a ReLU, named as torchnets.ConvUnit's parameters.
func (n *Net) unit(name string, in *slot, cin, cout, k, stride, pad int, relu bool) *slot {
	c := &conv{Cin: cin, Cout: cout, K: k, S: stride, Pad: pad, ws: n.ws}
	n.Layers = append(n.Layers, Layer{Name: name, Param: len(n.Params)})
	n.param(name+".conv.weight", "conv", []int{cout, cin, k, k}, func(w, g []float64) { c.W, c.DW = w, g })
	u := &unit{in: in, out: &slot{}, conv: c, relu: relu}
	if !n.Spec.BN {
		n.param(name+".conv.bias", "conv_bias", []int{cout}, func(w, g []float64) { c.B, c.DB = w, g })
	} else {
		b := newBN(cout, relu)
		n.param(name+".bn.weight", "bn_weight", []int{cout}, func(w, g []float64) { b.G, b.DG = w, g })
		n.param(name+".bn.bias", "bn_bias", []int{cout}, func(w, g []float64) { b.B, b.DB = w, g })
		u.bn = b
		n.bns = append(n.bns, b)
	}
	n.convs = append(n.convs, c)
	n.nodes = append(n.nodes, u)
	return u.out
}

func (n *Net) pool(in *slot, k, s, p int) *slot {
	m := &maxPool{in: in, out: &slot{}, K: k, S: s, Pad: p}
	n.nodes = append(n.nodes, m)
	return m.out
}

// module appends an inception module (torchnets.Inception) and returns its
// output and channels.
func (n *Net) module(name string, x *slot, cin int, c [6]int) (*slot, int) {
	c1, c3r, c3, c5r, c5, proj := c[0], c[1], c[2], c[3], c[4], c[5]
	p := n.pool(x, 3, 1, 1)
	var outs []*slot
	if n.Spec.Reduce {
		b1 := n.unit(name+".b1", x, cin, c1, 1, 1, 0, true)
		b2 := n.unit(name+".b2", n.unit(name+".b2r", x, cin, c3r, 1, 1, 0, true), c3r, c3, 3, 1, 1, true)
		b3 := n.unit(name+".b3", n.unit(name+".b3r", x, cin, c5r, 1, 1, 0, true), c5r, c5, 5, 1, 2, true)
		b4 := n.unit(name+".b4", p, cin, proj, 1, 1, 0, true)
		outs = []*slot{b1, b2, b3, b4}
	} else {
		b1 := n.unit(name+".b1", x, cin, c1, 1, 1, 0, true)
		b2 := n.unit(name+".b2", x, cin, c3, 3, 1, 1, true)
		b3 := n.unit(name+".b3", x, cin, c5, 5, 1, 2, true)
		outs = []*slot{b1, b2, b3, p}
		proj = cin
	}
	out := &slot{}
	n.nodes = append(n.nodes, &concat{ins: outs, out: out})
	return out, c1 + c3 + c5 + proj
}

func (n *Net) addHead(x *slot, cin int) {
	h := &head{in: x, Classes: Classes}
	n.Layers = append(n.Layers, Layer{Name: "fc", Param: len(n.Params)})
	n.param("fc.weight", "fc", []int{Classes, cin}, func(w, g []float64) { h.W, h.DW = w, g })
	n.param("fc.bias", "fc_bias", []int{Classes}, func(w, g []float64) { h.B, h.DB = w, g })
	n.head = h
}

// Init sets the parameters as nnlab trains them: He-normal convolution
// weights (std √(2/fan_in), fan_in = c_in·k²), zero convolution biases, BN
// γ = 1 and β = 0 with fresh running statistics, and the classifier as
// torch.nn.Linear's default, U(±1/√fan_in) for weights and bias.
func (n *Net) Init(rng *rand.Rand) {
	for _, p := range n.Params {
		w := n.W[p.Off : p.Off+p.Len]
		fanIn := 1
		for _, d := range p.Shape[1:] {
			fanIn *= d
		}
		switch {
		case p.Kind == "conv":
			std := math.Sqrt(2 / float64(fanIn))
			for i := range w {
				w[i] = std * rng.NormFloat64()
			}
		case p.Kind == "fc" || p.Kind == "fc_bias":
			in := float64(n.Params[len(n.Params)-2].Shape[1])
			bound := 1 / math.Sqrt(in)
			for i := range w {
				w[i] = bound * (2*rng.Float64() - 1)
			}
		case p.Kind == "bn_weight":
			for i := range w {
				w[i] = 1
			}
		default:
			clear(w)
		}
	}
	for _, b := range n.bns {
		clear(b.RunMean)
		for i := range b.RunVar {
			b.RunVar[i] = 1
		}
	}
}

// Forward runs the net on x (N images of Size×Size, pixel values, image
// after image) and returns the logits (N×Classes, sample after sample).
// train selects BN's batch statistics (and updates the running ones).
func (n *Net) Forward(x []float64, images int, train bool) []float64 {
	s := n.Spec.Size
	n.input.a.resize(1, images, s, s)
	copy(n.input.a.Data, x[:images*s*s])
	for _, nd := range n.nodes {
		nd.forward(train)
	}
	n.head.forward(train)
	return n.head.logits
}

// LossGrad runs a training step's forward and backward pass on a batch
// (BN in training mode) and returns the mean cross-entropy; G holds the
// gradients.
func (n *Net) LossGrad(x []float64, labels []int) float64 {
	logits := n.Forward(x, len(labels), true)
	n.head.dlogits = grow(n.head.dlogits, len(labels)*Classes)
	loss := crossEntropy(logits, labels, Classes, n.head.dlogits)
	n.Backward()
	return loss
}

// Backward back-propagates the head's dlogits through the net.
func (n *Net) Backward() {
	for _, nd := range n.nodes {
		resetGrads(nd)
	}
	n.head.in.gSet = false
	n.head.backward()
	for i := len(n.nodes) - 1; i >= 0; i-- {
		n.nodes[i].backward()
	}
}

// resetGrads marks a node's output gradient as not yet written.
func resetGrads(nd node) {
	switch v := nd.(type) {
	case *unit:
		v.out.gSet = false
	case *join:
		v.out.gSet = false
	case *maxPool:
		v.out.gSet = false
	case *concat:
		v.out.gSet = false
	}
}

// SGD is torch.optim.SGD with momentum and weight decay:
// g ← g + wd·θ; buf ← g on the first step, μ·buf + g afterwards;
// θ ← θ − lr·buf.
type SGD struct {
	LR, Momentum, WeightDecay float64
	buf                       []float64
	started                   bool
}

// Step updates w with gradient g.
func (o *SGD) Step(w, g []float64) {
	if o.buf == nil {
		o.buf = make([]float64, len(w))
	}
	lr, mu, wd := o.LR, o.Momentum, o.WeightDecay
	if !o.started || mu == 0 {
		for i, gi := range g {
			gi += wd * w[i]
			o.buf[i] = gi
			w[i] -= lr * gi
		}
		o.started = true
		return
	}
	for i, gi := range g {
		gi += wd * w[i]
		b := mu*o.buf[i] + gi
		o.buf[i] = b
		w[i] -= lr * b
	}
}

// MACs is the multiply-accumulates of one image's forward pass through
// the convolutions and the classifier.
func (n *Net) MACs() int64 {
	in := n.Params[len(n.Params)-2].Shape[1]
	return int64(n.Work().MACs) + int64(in*Classes)
}

// Work is what one image costs a net, the terms of the cost model: the
// multiply-accumulates of the convolutions (MACs), the values of their
// unfolded inputs (Unfolded, Σ Cin·K²·OH·OW: the im2col copies), of their
// outputs (Outputs, Σ Cout·OH·OW: the elementwise passes) and of the max
// poolings' inputs and outputs (Pooled), the rows that strided
// convolutions and poolings walk one at a time (Rows), the number of
// convolutions (Convs, each a few calls per step), and the largest input
// or output of one convolution (MaxLayer, its output counted with its
// channels rounded up to 8, as the transposed gradient holds it): the
// size of the shared buffers.
type Work struct {
	MACs, Unfolded, Outputs, Pooled, Rows, MaxLayer float64
	Convs                                           int
}

// Work returns the net's work per image.
func (n *Net) Work() Work {
	var w Work
	side := map[*slot]int{n.input: n.Spec.Size}
	ch := map[*slot]int{n.input: 1}
	for _, nd := range n.nodes {
		switch v := nd.(type) {
		case *unit:
			c, in := v.conv, side[v.in]
			o := c.out(in)
			w.MACs += float64(c.macs(in, in))
			w.Unfolded += float64(c.kd() * o * o)
			w.Outputs += float64(c.Cout * o * o)
			w.MaxLayer = max(w.MaxLayer, float64((c.Cout+7)&^7*o*o), float64(c.Cin*in*in))
			if c.S != 1 {
				w.Rows += float64(c.kd() * o)
			}
			w.Convs++
			side[v.out], ch[v.out] = o, c.Cout
		case *join:
			side[v.out], ch[v.out] = side[v.a], ch[v.a]
		case *maxPool:
			in := side[v.in]
			o := v.outSide(in)
			w.Pooled += float64(ch[v.in] * (in*in + o*o))
			w.Rows += float64(ch[v.in] * (in + o))
			side[v.out], ch[v.out] = o, ch[v.in]
		case *concat:
			c := 0
			for _, s := range v.ins {
				c += ch[s]
			}
			side[v.out], ch[v.out] = side[v.ins[0]], c
		}
	}
	return w
}
