package arch

import "fmt"

// Limits on analysed inputs; they keep every count far inside int64.
const (
	MaxInputSide     = 4096
	MaxInputChannels = 4096
	maxDepth         = 64 // deepest nesting of containers accepted
)

// Info is one module call of an analysed model, in execution order
// (a container comes before its children, as torchinfo lists them).
type Info struct {
	Path   string // dotted module name, e.g. "layer1.0.conv1"
	Name   string // last part of Path
	Type   string // class name
	Depth  int    // 1 for children of the model
	Index  int    // torchinfo's idx: the call's position among calls at this depth, from 1
	In     Shape
	Out    Shape
	Params int64 // parameters, children included
	MACs   int64 // multiply-accumulates of conv and linear layers, children included
	Leaf   bool  // has no child modules
}

// Analysis is the result of running shape inference through a model.
type Analysis struct {
	Type    string // the model's class name
	Input   Shape
	Output  Shape
	Params  int64  // learned parameters (all trainable)
	Buffers int64  // buffer elements such as BN running statistics (not parameters)
	MACs    int64  // multiply-accumulates of conv and linear layers
	Layers  []Info // every module call, functional operations left out
}

// Analyze infers every layer's output shape, parameters and MACs for one
// input of shape in. Errors name the layer by its dotted path.
func Analyze(model *Layer, in Shape) (*Analysis, error) {
	if model == nil {
		return nil, fmt.Errorf("arch: no model")
	}
	if err := checkInput(in); err != nil {
		return nil, err
	}
	a, err := analyze(model, in)
	if err != nil {
		return nil, fmt.Errorf("arch: %w", err)
	}
	return a, nil
}

// analyze is Analyze with errors not prefixed by the package name.
func analyze(model *Layer, in Shape) (*Analysis, error) {
	w := &walker{}
	r, err := w.walk(model, "", 0, in)
	if err != nil {
		return nil, err
	}
	return &Analysis{Type: model.Type, Input: in, Output: r.out, Params: r.params, Buffers: w.buffers, MACs: r.macs, Layers: w.layers}, nil
}

// checkInput bounds a model's input size.
func checkInput(in Shape) error {
	if in.Flat || in.C < 1 || in.H < 1 || in.W < 1 || in.C > MaxInputChannels || in.H > MaxInputSide || in.W > MaxInputSide {
		return fmt.Errorf("arch: input must be C×H×W with C from 1 to %d and H, W from 1 to %d, got %s",
			MaxInputChannels, MaxInputSide, in.describe())
	}
	return nil
}

type walker struct {
	layers  []Info
	counts  []int // calls seen so far per depth
	buffers int64
}

type walked struct {
	out          Shape
	params, macs int64
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// where names a layer in errors: its path, or its type for the model itself.
func where(l *Layer, path string) string {
	if path == "" {
		return l.Type
	}
	return path
}

func (w *walker) walk(l *Layer, path string, depth int, in Shape) (walked, error) {
	if depth > maxDepth {
		return walked{}, fmt.Errorf("%s: nesting deeper than %d", where(l, path), maxDepth)
	}
	slot := -1
	if depth > 0 && !l.Functional {
		for len(w.counts) <= depth {
			w.counts = append(w.counts, 0)
		}
		w.counts[depth]++
		slot = len(w.layers)
		w.layers = append(w.layers, Info{Path: path, Name: l.Name, Type: l.Type, Depth: depth, Index: w.counts[depth], In: in, Leaf: len(l.Children) == 0})
	}
	r, err := w.compute(l, path, depth, in)
	if err != nil {
		return walked{}, err
	}
	if slot >= 0 {
		info := &w.layers[slot]
		info.Out, info.Params, info.MACs = r.out, r.params, r.macs
	}
	return r, nil
}

func (w *walker) compute(l *Layer, path string, depth int, in Shape) (walked, error) {
	if l.Op != nil {
		if len(l.Children) > 0 {
			return walked{}, fmt.Errorf("%s: a layer has either an op or children, not both", where(l, path))
		}
		out, err := l.Op.Output(in)
		if err != nil {
			return walked{}, fmt.Errorf("%s: %w", where(l, path), err)
		}
		if b, ok := l.Op.(Buffered); ok {
			w.buffers += b.Buffers()
		}
		return walked{out: out, params: l.Op.Params(), macs: l.Op.MACs(in, out)}, nil
	}
	switch l.Join {
	case Sequential:
		return w.sequence(l.Children, path, depth, in)
	case Concat:
		return w.concat(l, path, depth, in)
	case Residual:
		return w.residual(l, path, depth, in)
	}
	return walked{}, fmt.Errorf("%s: unknown join %d", where(l, path), l.Join)
}

// add sums the counts of o into r, failing if they overflow int64.
func (r *walked) add(o walked) error {
	p, m := r.params+o.params, r.macs+o.macs
	if p < r.params || m < r.macs {
		return fmt.Errorf("parameter or MAC count overflows int64")
	}
	r.params, r.macs = p, m
	return nil
}

func (w *walker) sequence(children []*Layer, path string, depth int, in Shape) (walked, error) {
	r := walked{out: in}
	for _, c := range children {
		cr, err := w.walk(c, join(path, c.Name), depth+1, r.out)
		if err != nil {
			return walked{}, err
		}
		if err := r.add(cr); err != nil {
			return walked{}, err
		}
		r.out = cr.out
	}
	return r, nil
}

func (w *walker) concat(l *Layer, path string, depth int, in Shape) (walked, error) {
	if len(l.Children) == 0 {
		return walked{}, fmt.Errorf("%s: concat needs at least one branch", where(l, path))
	}
	var r walked
	var first *Layer
	for _, b := range l.Children {
		br, err := w.walk(b, join(path, b.Name), depth+1, in)
		if err != nil {
			return walked{}, err
		}
		if br.out.Flat {
			return walked{}, fmt.Errorf("%s: branch %q gives %s; concat needs C×H×W maps", where(l, path), b.Name, br.out.describe())
		}
		if first == nil {
			first, r.out = b, br.out
		} else if br.out.H != r.out.H || br.out.W != r.out.W {
			return walked{}, fmt.Errorf("%s: branch %q gives %s but branch %q gives %s; concat needs equal spatial sizes",
				where(l, path), b.Name, br.out.spatial(), first.Name, r.out.spatial())
		} else {
			r.out.C += br.out.C
		}
		if err := r.add(br); err != nil {
			return walked{}, err
		}
	}
	return r, nil
}

func (w *walker) residual(l *Layer, path string, depth int, in Shape) (walked, error) {
	n := l.Main
	if l.Shortcut {
		n++
	}
	if l.Main < 1 || n > len(l.Children) {
		return walked{}, fmt.Errorf("%s: residual needs %d children (main path and shortcut), has %d", where(l, path), n, len(l.Children))
	}
	r, err := w.sequence(l.Children[:l.Main], path, depth, in)
	if err != nil {
		return walked{}, err
	}
	short, what := in, "the identity shortcut"
	if l.Shortcut {
		s := l.Children[l.Main]
		sr, err := w.walk(s, join(path, s.Name), depth+1, in)
		if err != nil {
			return walked{}, err
		}
		if err := r.add(sr); err != nil {
			return walked{}, err
		}
		short, what = sr.out, fmt.Sprintf("shortcut %q", s.Name)
	}
	if short != r.out {
		return walked{}, fmt.Errorf("%s: the residual sum needs equal shapes, but the main path gives %s and %s gives %s",
			where(l, path), r.out.describe(), what, short.describe())
	}
	after, err := w.sequence(l.Children[n:], path, depth, r.out)
	if err != nil {
		return walked{}, err
	}
	return after, after.add(r)
}

// LongestPath counts the layers on the longest path through l: convolutions
// and linear layers, and pooling layers too when withPool. GoogLeNet is
// "22 layers deep when counting only layers with parameters (or 27 layers if
// we also count pooling)"; ResNet-50 has 50.
func LongestPath(l *Layer, withPool bool) int {
	if l.Op != nil {
		switch l.Op.(type) {
		case Conv2d, Linear:
			return 1
		case MaxPool2d, AvgPool2d, AdaptiveAvgPool2d:
			if withPool {
				return 1
			}
		}
		return 0
	}
	seq := func(ls []*Layer) int {
		n := 0
		for _, c := range ls {
			n += LongestPath(c, withPool)
		}
		return n
	}
	switch l.Join {
	case Concat:
		m := 0
		for _, c := range l.Children {
			m = max(m, LongestPath(c, withPool))
		}
		return m
	case Residual:
		if l.Main < 1 || l.Main > len(l.Children) {
			return seq(l.Children)
		}
		n, short := l.Main, 0
		if l.Shortcut && n < len(l.Children) {
			short = LongestPath(l.Children[n], withPool)
			n++
		}
		return max(seq(l.Children[:l.Main]), short) + seq(l.Children[n:])
	}
	return seq(l.Children)
}
