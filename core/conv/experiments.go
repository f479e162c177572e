package conv

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/nnlab/nnlab/core/experiment"
)

// Experiments lists the convolution-arithmetic experiments: conv, conv1x1,
// channel_mix, receptive_field and compare.
func Experiments() []*experiment.Experiment {
	return []*experiment.Experiment{convExperiment(), conv1x1Experiment(), channelMixExperiment(), receptiveFieldExperiment(), compareExperiment()}
}

// Bounds of the experiments' parameters. Every count they produce stays below
// 2⁵³, so scalars are exact in float64.
const (
	maxSide     = 2048
	maxChans    = 2048
	maxK        = 15
	maxStride   = 8
	maxPad      = 16
	maxDilation = 8
)

// specFrom reads a square convolution from checked values.
func specFrom(v experiment.Values) Spec {
	k := v.Int("k")
	return Spec{
		InChannels: v.Int("cin"), OutChannels: v.Int("cout"), KH: k, KW: k,
		Stride: v.Int("stride"), Pad: v.Int("pad"), Dilation: v.Int("dilation"),
		Groups: v.Int("groups"), Bias: v.Bool("bias"),
	}
}

func convExperiment() *experiment.Experiment {
	return &experiment.Experiment{
		Name:    "conv",
		Summary: "Output size, parameters and multiply-accumulates of one torch.nn.Conv2d layer.",
		Params: experiment.Schema{
			experiment.IntParam("h", 224, 1, maxSide, "input height"),
			experiment.IntParam("w", 224, 1, maxSide, "input width"),
			experiment.IntParam("cin", 3, 1, maxChans, "input channels c_in"),
			experiment.IntParam("cout", 64, 1, maxChans, "output channels c_out"),
			experiment.IntParam("k", 7, 1, maxK, "kernel size (k×k)"),
			experiment.IntParam("stride", 2, 1, maxStride, "stride"),
			experiment.IntParam("pad", 3, 0, maxPad, "zero padding on each side"),
			experiment.IntParam("dilation", 1, 1, maxDilation, "spacing between kernel taps"),
			experiment.IntParam("groups", 1, 1, maxChans, "groups (c_in and c_out must be divisible by it)"),
			{Name: "bias", Kind: experiment.Bool, Default: true, Help: "learn one bias per output channel (torch's default)"},
		},
		Validate: func(v experiment.Values) error {
			_, err := specFrom(v).Cost(v.Int("h"), v.Int("w"))
			return err
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			s := specFrom(v)
			h, w := v.Int("h"), v.Int("w")
			c, err := s.Cost(h, w)
			if err != nil {
				return nil, err
			}
			r := &experiment.Result{JSON: c}
			r.AddScalar("out_h", "Output height", float64(c.OutH), "px")
			r.AddScalar("out_w", "Output width", float64(c.OutW), "px")
			r.AddScalar("params", "Parameters", float64(c.Params), "params")
			r.AddScalar("macs", "Multiply-accumulates", float64(c.MACs), "MACs")
			bias := ""
			if s.Bias {
				bias = fmt.Sprintf(" + %d", s.OutChannels)
			}
			r.Notes = append(r.Notes, fmt.Sprintf(
				"out_h = ⌊(%d + 2·%d − %d·(%d−1) − 1)/%d⌋ + 1 = %d, out_w = %d; params = %d·%d·(%d/%d)·%d%s = %d; MACs = %d·%d·%d·%d·%d·(%d/%d) = %d",
				h, s.Pad, s.Dilation, s.KH, s.Stride, c.OutH, c.OutW,
				s.KH, s.KW, s.InChannels, s.Groups, s.OutChannels, bias, c.Params,
				c.OutH, c.OutW, s.OutChannels, s.KH, s.KW, s.InChannels, s.Groups, c.MACs))
			return r, nil
		},
	}
}

// Bottleneck compares a k×k convolution from cin to cout channels (same
// padding ⌊k/2⌋, stride 1) with a 1×1 convolution down to reduce channels
// followed by the same k×k convolution, on an h×w input. Biases are not counted.
type Bottleneck struct {
	Direct  Cost `json:"direct"`
	Reduce  Cost `json:"reduce"`  // the 1×1 stage (zero when reduce = 0)
	Conv    Cost `json:"conv"`    // the k×k stage after the reduction
	Reduced Cost `json:"reduced"` // Reduce + Conv (Direct when reduce = 0)
}

// CompareBottleneck computes the costs of the two ways. reduce = 0 means no
// reduction. k must be odd so that 'same' padding keeps the size.
func CompareBottleneck(h, w, cin, cout, k, reduce int) (Bottleneck, error) {
	if k%2 == 0 {
		return Bottleneck{}, fmt.Errorf("conv: k must be odd for 'same' padding ⌊k/2⌋, got %d", k)
	}
	if reduce < 0 {
		return Bottleneck{}, fmt.Errorf("conv: reduce must be ≥ 0 (0 = no 1×1 reduction), got %d", reduce)
	}
	same := func(ci, co, kk int) Spec {
		s := New(ci, co, kk)
		s.Pad, s.Bias = kk/2, false
		return s
	}
	var b Bottleneck
	var err error
	if b.Direct, err = same(cin, cout, k).Cost(h, w); err != nil {
		return Bottleneck{}, err
	}
	if reduce == 0 {
		b.Conv, b.Reduced = b.Direct, b.Direct
		return b, nil
	}
	if b.Reduce, err = same(cin, reduce, 1).Cost(h, w); err != nil {
		return Bottleneck{}, err
	}
	if b.Conv, err = same(reduce, cout, k).Cost(h, w); err != nil {
		return Bottleneck{}, err
	}
	b.Reduced = Cost{OutH: b.Conv.OutH, OutW: b.Conv.OutW, Params: b.Reduce.Params + b.Conv.Params, MACs: b.Reduce.MACs + b.Conv.MACs}
	return b, nil
}

func conv1x1Experiment() *experiment.Experiment {
	return &experiment.Experiment{
		Name:    "conv1x1",
		Summary: "GoogLeNet's motivation: a k×k convolution direct vs after a 1×1 bottleneck.",
		Params: experiment.Schema{
			experiment.IntParam("h", 28, 1, maxSide, "input height"),
			experiment.IntParam("w", 28, 1, maxSide, "input width"),
			experiment.IntParam("cin", 192, 1, maxChans, "input channels"),
			experiment.IntParam("cout", 32, 1, maxChans, "output channels of the k×k convolution"),
			{Name: "k", Kind: experiment.Int, Default: 5, Min: 1, Max: maxK, Step: 2, Help: "kernel size (odd; 'same' padding ⌊k/2⌋)"},
			func() experiment.Param { // 16 channels a press: the saving changes visibly
				p := experiment.IntParam("reduce", 16, 0, maxChans, "channels of the 1×1 bottleneck (0 = no reduction)")
				p.Step = 16
				return p
			}(),
		},
		Validate: func(v experiment.Values) error {
			if k := v.Int("k"); k%2 == 0 {
				return experiment.Invalid([]string{"k"}, "rule.conv.k_odd", "k must be odd for 'same' padding ⌊k/2⌋, got {1}", k)
			}
			return nil
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			h, w, cin, cout, k, red := v.Int("h"), v.Int("w"), v.Int("cin"), v.Int("cout"), v.Int("k"), v.Int("reduce")
			b, err := CompareBottleneck(h, w, cin, cout, k, red)
			if err != nil {
				return nil, err
			}
			r := &experiment.Result{JSON: b}
			r.AddScalar("direct.params", fmt.Sprintf("Direct %d×%d: weights", k, k), float64(b.Direct.Params), "params")
			r.AddScalar("direct.macs", fmt.Sprintf("Direct %d×%d: multiply-accumulates", k, k), float64(b.Direct.MACs), "MACs")
			r.AddScalar("reduced.params", "1×1 reduce then k×k: weights", float64(b.Reduced.Params), "params")
			r.AddScalar("reduced.macs", "1×1 reduce then k×k: multiply-accumulates", float64(b.Reduced.MACs), "MACs")
			r.AddScalar("reduced.reduce_macs", "1×1 stage: multiply-accumulates", float64(b.Reduce.MACs), "MACs")
			r.AddScalar("reduced.conv_macs", "k×k stage after the 1×1: multiply-accumulates", float64(b.Conv.MACs), "MACs")
			r.AddScalar("saving", "MAC saving (direct ÷ reduced)", float64(b.Direct.MACs)/float64(b.Reduced.MACs), "×")
			r.AddScalar("params_saving", "Weight saving (direct ÷ reduced)", float64(b.Direct.Params)/float64(b.Reduced.Params), "×")
			r.AddScalar("saved.params", "Weights saved by the 1×1 reduction (direct − reduced)", float64(b.Direct.Params-b.Reduced.Params), "params")
			r.AddScalar("saved.macs", "Multiply-accumulates saved by the 1×1 reduction (direct − reduced)", float64(b.Direct.MACs-b.Reduced.MACs), "MACs")
			shape := func(c int) string { return fmt.Sprintf("%d×%d×%d", b.Direct.OutH, b.Direct.OutW, c) }
			t := experiment.Table{
				Key: "comparison", Title: "Direct k×k vs 1×1 reduce then k×k (weights only, 'same' padding)",
				Columns: []experiment.Column{{Name: "Stage"}, {Name: "Output"}, {Name: "Params", Align: experiment.Right}, {Name: "MACs", Align: experiment.Right}},
			}
			row := func(depth int, name, out string, c Cost) {
				t.Rows = append(t.Rows, experiment.Row{Depth: depth, Cells: []any{name, out, c.Params, c.MACs}})
			}
			row(0, fmt.Sprintf("direct %d×%d, %d→%d", k, k, cin, cout), shape(cout), b.Direct)
			if red > 0 {
				row(0, "1×1 reduce then k×k", shape(cout), b.Reduced)
				row(1, fmt.Sprintf("1×1, %d→%d", cin, red), shape(red), b.Reduce)
				row(1, fmt.Sprintf("%d×%d, %d→%d", k, k, red, cout), shape(cout), b.Conv)
			} else {
				r.Notes = append(r.Notes, "reduce=0: no 1×1 bottleneck, both ways are the same convolution.")
			}
			r.Tables = append(r.Tables, t)
			r.Notes = append(r.Notes, fmt.Sprintf("direct: %d·%d·%d·%d·%d·%d = %d MACs; reduced: %d·%d·%d·%d + %d·%d·%d·%d·%d·%d = %d MACs",
				b.Direct.OutH, b.Direct.OutW, cout, k, k, cin, b.Direct.MACs,
				b.Direct.OutH, b.Direct.OutW, red, cin, b.Direct.OutH, b.Direct.OutW, cout, k, k, red, b.Reduced.MACs))
			return r, nil
		},
	}
}

// ChannelMix is a seeded random 1×1 convolution applied two ways.
type ChannelMix struct {
	Weight     *mat.Dense // c_out×c_in
	Input      Tensor     // c_in×h×w
	Direct     Tensor     // by Pointwise
	MatMul     Tensor     // by PointwiseMatMul
	MaxAbsDiff float64    // max |Direct − MatMul|
}

// MixChannels draws a c_out×c_in weight and a c_in×h×w input from N(0, 1)
// with the given seed and applies the 1×1 convolution directly and as a
// matrix product.
func MixChannels(cin, cout, h, w int, seed uint64) (ChannelMix, error) {
	if cin < 1 || cout < 1 || h < 1 || w < 1 || cin > MaxChannels || cout > MaxChannels || h > MaxSize || w > MaxSize {
		return ChannelMix{}, fmt.Errorf("conv: channel mix sizes must be ≥ 1, got cin=%d, cout=%d, h=%d, w=%d", cin, cout, h, w)
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	wd := make([]float64, cout*cin)
	for i := range wd {
		wd[i] = rng.NormFloat64()
	}
	x := NewTensor(cin, h, w)
	for i := range x.Data {
		x.Data[i] = rng.NormFloat64()
	}
	m := ChannelMix{Weight: mat.NewDense(cout, cin, wd), Input: x}
	var err error
	if m.Direct, err = Pointwise(m.Weight, nil, x); err != nil {
		return ChannelMix{}, err
	}
	if m.MatMul, err = PointwiseMatMul(m.Weight, nil, x); err != nil {
		return ChannelMix{}, err
	}
	for i, d := range m.Direct.Data {
		m.MaxAbsDiff = math.Max(m.MaxAbsDiff, math.Abs(d-m.MatMul.Data[i]))
	}
	return m, nil
}

func channelMixExperiment() *experiment.Experiment {
	return &experiment.Experiment{
		Name:    "channel_mix",
		Summary: "A 1×1 convolution is a matrix product over channels at every pixel.",
		Params: experiment.Schema{
			experiment.IntParam("cin", 3, 1, 64, "input channels"),
			experiment.IntParam("cout", 4, 1, 64, "output channels"),
			experiment.IntParam("h", 4, 1, 64, "height"),
			experiment.IntParam("w", 4, 1, 64, "width"),
			experiment.IntParam("row", 0, 0, 63, "row of the pixel shown"),
			experiment.IntParam("col", 0, 0, 63, "column of the pixel shown"),
			experiment.IntParam("seed", 1, 0, 1_000_000, "random seed of weights and input"),
		},
		Validate: func(v experiment.Values) error {
			if r, h := v.Int("row"), v.Int("h"); r >= h {
				return experiment.Invalid([]string{"row", "h"}, "rule.conv.row_in", "row must be < h={1}, got {2}", h, r)
			}
			if c, w := v.Int("col"), v.Int("w"); c >= w {
				return experiment.Invalid([]string{"col", "w"}, "rule.conv.col_in", "col must be < w={1}, got {2}", w, c)
			}
			return nil
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			cin, cout, h, w := v.Int("cin"), v.Int("cout"), v.Int("h"), v.Int("w")
			y, x := v.Int("row"), v.Int("col")
			m, err := MixChannels(cin, cout, h, w, uint64(v.Int("seed")))
			if err != nil {
				return nil, err
			}
			r := &experiment.Result{}
			r.AddScalar("max_abs_diff", "Max |direct loop − matrix product|", m.MaxAbsDiff, "")
			r.AddScalar("weights", "Weights c_out·c_in", float64(cout*cin), "params")
			r.AddScalar("macs", "Multiply-accumulates h·w·c_out·c_in", float64(h*w*cout*cin), "MACs")
			t := experiment.Table{
				Key: "pixel", Title: fmt.Sprintf("Pixel (%d, %d): input channels and output channels", y, x),
				Columns: []experiment.Column{{Name: "Channel"}, {Name: "Input x", Align: experiment.Right},
					{Name: "Output y (loop)", Align: experiment.Right}, {Name: "Output y (W·X)", Align: experiment.Right}},
			}
			pix := map[string]any{"row": y, "col": x}
			var in, outD, outM []float64
			for c := 0; c < max(cin, cout); c++ {
				cells := []any{fmt.Sprint(c), nil, nil, nil}
				if c < cin {
					cells[1] = m.Input.At(c, y, x)
					in = append(in, m.Input.At(c, y, x))
				}
				if c < cout {
					cells[2], cells[3] = m.Direct.At(c, y, x), m.MatMul.At(c, y, x)
					outD = append(outD, m.Direct.At(c, y, x))
					outM = append(outM, m.MatMul.At(c, y, x))
				}
				t.Rows = append(t.Rows, experiment.Row{Cells: cells})
			}
			pix["input"], pix["direct"], pix["matmul"] = in, outD, outM
			r.Tables = append(r.Tables, t)
			r.JSON = map[string]any{"max_abs_diff": m.MaxAbsDiff, "pixel": pix}
			r.Notes = append(r.Notes, fmt.Sprintf("y[o] = Σ_i W[o,i]·x[i] at every pixel: the %d×%d×%d input viewed as X (%d×%d) gives Y = W·X (%d×%d).",
				cin, h, w, cin, h*w, cout, h*w))
			return r, nil
		},
	}
}
