package arch

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
)

// Experiments lists the architecture experiments: model, inception, block
// googlenet_table, googlenet_aux and gap_head.
func Experiments() []*experiment.Experiment {
	return []*experiment.Experiment{modelExperiment(), inceptionExperiment(), blockExperiment(), googLeNetTableExperiment(), auxExperiment(), gapExperiment()}
}

// doubling makes +/− double and halve p: ResNet's channel counts are powers
// of two (64, 128, 256, 512), so one press reaches the next stage's width.
func doubling(p experiment.Param) experiment.Param {
	p.Step, p.Log = 2, true
	return p
}

func modelExperiment() *experiment.Experiment {
	summary := func(v experiment.Values) (*ModelSummary, error) {
		return ShortcutSummary(v.String("model"), [3]int{3, v.Int("h"), v.Int("w")}, v.Int("depth"), ShortcutOption(v.String("shortcut")))
	}
	return &experiment.Experiment{
		Name:    "model",
		Summary: "A torchinfo-style summary of GoogLeNet or a ResNet: shapes, parameters, multiply-accumulates.",
		Params: experiment.Schema{
			{Name: "model", Kind: experiment.Enum, Default: "resnet18", Choices: Models(), Help: "architecture"},
			experiment.IntParam("h", 224, 1, 1024, "input height"),
			experiment.IntParam("w", 224, 1, 1024, "input width"),
			experiment.IntParam("depth", 2, 1, MaxSummaryDepth, "tree depth shown in the summary"),
			shortcutParam(),
		},
		Validate: func(v experiment.Values) error {
			_, err := summary(v)
			return err
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			s, err := summary(v)
			if err != nil {
				return nil, err
			}
			m, _ := Build(s.Model)
			r := &experiment.Result{JSON: s, Tables: []experiment.Table{s.Table(), s.Stages()}}
			r.AddScalar("params", "Parameters", float64(s.TotalParams), "params")
			r.AddScalar("trainable_params", "Trainable parameters", float64(s.TrainableParams), "params")
			r.AddScalar("non_trainable_params", "Non-trainable parameters", float64(s.NonTrainableParams), "params")
			r.AddScalar("buffers", "Buffer elements (BN running statistics and counters; not parameters)", float64(s.Buffers), "")
			r.AddScalar("macs", "Multiply-accumulates (conv + linear)", float64(s.MACs), "MACs")
			r.AddScalar("gmacs", "Total mult-adds", float64(s.MACs)/1e9, "G")
			r.AddScalar("flops", "FLOPs at 2 per multiply-accumulate (a multiply and an add)", 2*float64(s.MACs), "FLOPs")
			r.AddScalar("weighted_layers", "Layers with parameters on the longest path (conv + linear)", float64(LongestPath(m, false)), "layers")
			r.AddScalar("layers_with_pool", "Layers on the longest path counting pooling", float64(LongestPath(m, true)), "layers")
			r.AddScalar("out_features", "Output features", float64(s.OutputShape[len(s.OutputShape)-1]), "")
			addShortcutScalars(r, v)
			addBNBufferScalars(r, v)
			for _, l := range s.Layers {
				if l.Depth == 1 && l.Params > 0 {
					r.AddScalar(l.Name+".params", l.Name+": parameters", float64(l.Params), "params")
					r.AddScalar(l.Name+".macs", l.Name+": multiply-accumulates", float64(l.MACs), "MACs")
				}
			}
			r.Notes = append(r.Notes, "MACs count convolutions and linear layers only (torchvision's GFLOPS convention); BN running statistics are buffers, not parameters.")
			return r, nil
		},
	}
}

// inceptionSpec reads the widths of the inception experiment.
func inceptionSpec(v experiment.Values, reduce bool) InceptionSpec {
	return InceptionSpec{
		In: v.Int("in"), C1: v.Int("c1"), C3Reduce: v.Int("c3r"), C3: v.Int("c3"),
		C5Reduce: v.Int("c5r"), C5: v.Int("c5"), PoolProj: v.Int("proj"), Reduce: reduce, K5: v.Int("k5"),
	}
}

// inceptionRun analyses one inception module (paper style) on an in×h×w input.
func inceptionRun(v experiment.Values, reduce bool) (*Analysis, error) {
	a, err := analyze(Inception("inception", inceptionSpec(v, reduce), Paper), Map(v.Int("in"), v.Int("h"), v.Int("w")))
	if err != nil {
		if k := v.Int("k5"); k%2 == 0 {
			return nil, fmt.Errorf("k5=%d: an even kernel with padding ⌊k/2⌋ changes the size: %w", k, err)
		}
		return nil, err
	}
	return a, nil
}

type inceptionBranch struct {
	Name        string `json:"name"`
	Layers      string `json:"layers"`
	OutputShape []int  `json:"output_shape"`
	Params      int64  `json:"params"`
	MACs        int64  `json:"macs"`
}

type variantCost struct {
	Params      int64 `json:"params"`
	MACs        int64 `json:"macs"`
	OutChannels int   `json:"out_channels"`
}

func inceptionExperiment() *experiment.Experiment {
	// Channel counts move 16 at a time with +/−: one press is a visible change.
	w := func(name string, def int, help string) experiment.Param {
		p := experiment.IntParam(name, def, 1, 1024, help)
		p.Step = 16
		return p
	}
	return &experiment.Experiment{
		Name:    "inception",
		Summary: "One inception module, naive or with 1×1 reductions: branches, parameters, multiply-accumulates.",
		Params: experiment.Schema{
			experiment.IntParam("in", 192, 1, 2048, "input channels"),
			experiment.IntParam("h", 28, 1, 256, "input height"),
			experiment.IntParam("w", 28, 1, 256, "input width"),
			w("c1", 64, "#1×1: channels of the 1×1 branch"),
			w("c3r", 96, "#3×3 reduce: 1×1 channels before the 3×3"),
			w("c3", 128, "#3×3: channels of the 3×3 branch"),
			w("c5r", 16, "#5×5 reduce: 1×1 channels before the 5×5"),
			w("c5", 32, "#5×5: channels of the 5×5 branch"),
			w("proj", 32, "pool proj: 1×1 channels after the 3×3 max pool"),
			{Name: "reduce", Kind: experiment.Bool, Default: true, Help: "with 1×1 reductions (false = the naive module)"},
			{Name: "k5", Kind: experiment.Int, Default: 5, Min: 1, Max: 7, Step: 2, Help: "kernel of the \"5×5\" branch (5 in the paper, 3 in torchvision)"},
		},
		Validate: func(v experiment.Values) error {
			for _, reduce := range []bool{false, true} {
				if _, err := inceptionRun(v, reduce); err != nil {
					return err
				}
			}
			return nil
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			var an [2]*Analysis
			for i, reduce := range []bool{false, true} {
				a, err := inceptionRun(v, reduce)
				if err != nil {
					return nil, err
				}
				an[i] = a
			}
			reduce := v.Bool("reduce")
			a := an[0]
			if reduce {
				a = an[1]
			}
			spec := inceptionSpec(v, reduce)
			r := &experiment.Result{}
			r.AddScalar("params", "Parameters (weights and biases)", float64(a.Params), "params")
			r.AddScalar("macs", "Multiply-accumulates", float64(a.MACs), "MACs")
			r.AddScalar("out_channels", "Output channels", float64(a.Output.C), "")
			r.AddScalar("out_h", "Output height", float64(a.Output.H), "px")
			r.AddScalar("out_w", "Output width", float64(a.Output.W), "px")
			cost := map[string]variantCost{}
			for i, name := range []string{"naive", "reduced"} {
				c := variantCost{Params: an[i].Params, MACs: an[i].MACs, OutChannels: an[i].Output.C}
				cost[name] = c
				r.AddScalar(name+".params", name+" module: parameters", float64(c.Params), "params")
				r.AddScalar(name+".macs", name+" module: multiply-accumulates", float64(c.MACs), "MACs")
				r.AddScalar(name+".out_channels", name+" module: output channels", float64(c.OutChannels), "")
			}
			r.AddScalar("saving", "MAC saving of the reductions (naive ÷ reduced)", float64(an[0].MACs)/float64(an[1].MACs), "×")
			t := experiment.Table{
				Key: "branches", Title: fmt.Sprintf("Inception branches on %d×%d×%d", spec.In, v.Int("h"), v.Int("w")),
				Columns: []experiment.Column{{Name: "Branch"}, {Name: "Layers"}, {Name: "Output Shape"},
					{Name: "Params", Align: experiment.Right}, {Name: "MACs", Align: experiment.Right}},
			}
			var branches []inceptionBranch
			for _, l := range a.Layers {
				if l.Depth != 1 {
					continue
				}
				b := inceptionBranch{Name: l.Name, Layers: branchLayers(l.Name, spec), OutputShape: l.Out.Dims(), Params: l.Params, MACs: l.MACs}
				branches = append(branches, b)
				r.AddScalar(b.Name+".params", b.Name+" branch: parameters", float64(b.Params), "params")
				r.AddScalar(b.Name+".macs", b.Name+" branch: multiply-accumulates", float64(b.MACs), "MACs")
				t.Rows = append(t.Rows, experiment.Row{Cells: []any{b.Name, b.Layers, dimsString(b.OutputShape), b.Params, b.MACs}})
			}
			t.Footer = []experiment.Row{{Cells: []any{"concat", "", a.Output.String(), a.Params, a.MACs}}}
			r.Tables = append(r.Tables, t)
			r.JSON = map[string]any{
				"params": a.Params, "macs": a.MACs, "out_channels": a.Output.C, "out_h": a.Output.H, "out_w": a.Output.W,
				"branches": branches, "naive": cost["naive"], "reduced": cost["reduced"],
			}
			r.Notes = append(r.Notes, "Convolutions have biases and ReLUs, as in the paper; every branch pads ⌊k/2⌋ so the branches can be concatenated along channels.")
			return r, nil
		},
	}
}

// branchLayers describes a branch in words, e.g. "1×1 (16) → 5×5 (32)".
func branchLayers(name string, s InceptionSpec) string {
	k := fmt.Sprintf("%d×%d", s.K5, s.K5)
	switch {
	case name == "1x1":
		return fmt.Sprintf("1×1 (%d)", s.C1)
	case name == "3x3" && s.Reduce:
		return fmt.Sprintf("1×1 (%d) → 3×3 (%d)", s.C3Reduce, s.C3)
	case name == "3x3":
		return fmt.Sprintf("3×3 (%d)", s.C3)
	case name == "5x5" && s.Reduce:
		return fmt.Sprintf("1×1 (%d) → %s (%d)", s.C5Reduce, k, s.C5)
	case name == "5x5":
		return fmt.Sprintf("%s (%d)", k, s.C5)
	case s.Reduce:
		return fmt.Sprintf("3×3 max pool → 1×1 (%d)", s.PoolProj)
	}
	return fmt.Sprintf("3×3 max pool (%d)", s.In)
}

// blockPair is a block and the block of the other kind with the same input
// and output channels.
type blockPair struct {
	kind        BlockKind
	block       *Layer
	basic       *Layer
	bottleneck  *Layer
	bottleWidth int
}

func blockPairFrom(v experiment.Values) (blockPair, error) {
	kind := BlockKind(v.String("kind"))
	in, width, stride, exp := v.Int("in"), v.Int("width"), v.Int("stride"), v.Int("expansion")
	p := blockPair{kind: kind}
	if kind == Basic {
		if width%exp != 0 {
			return p, fmt.Errorf("width must be divisible by expansion for the bottleneck compared at the same output channels, got width=%d, expansion=%d", width, exp)
		}
		p.bottleWidth = width / exp
		p.basic = BasicBlock("block", in, width, stride)
		p.bottleneck = BottleneckBlock("block", in, p.bottleWidth, stride, exp, false)
		p.block = p.basic
	} else {
		p.bottleWidth = width
		p.basic = BasicBlock("block", in, width*exp, stride)
		p.bottleneck = BottleneckBlock("block", in, width, stride, exp, false)
		p.block = p.bottleneck
	}
	opt := ShortcutOption(v.String("shortcut"))
	for _, b := range []*Layer{p.basic, p.bottleneck} {
		if _, err := WithShortcuts(b, opt); err != nil {
			return p, err
		}
	}
	return p, nil
}

func blockExperiment() *experiment.Experiment {
	analyse := func(v experiment.Values) (blockPair, [2]*Analysis, error) {
		var an [2]*Analysis
		p, err := blockPairFrom(v)
		if err != nil {
			return p, an, err
		}
		in := Map(v.Int("in"), v.Int("h"), v.Int("w"))
		for i, l := range []*Layer{p.basic, p.bottleneck} {
			if an[i], err = analyze(l, in); err != nil {
				return p, an, err
			}
		}
		return p, an, nil
	}
	return &experiment.Experiment{
		Name:    "block",
		Summary: "A ResNet basic or bottleneck block (torchvision v1.5) at any widths, and the other kind for the same in/out.",
		Params: experiment.Schema{
			{Name: "kind", Kind: experiment.Enum, Default: "bottleneck", Choices: []string{"basic", "bottleneck"}, Help: "block type"},
			doubling(experiment.IntParam("in", 256, 1, 4096, "input channels")),
			doubling(experiment.IntParam("width", 64, 1, 2048, "width: output channels of a basic block, inner channels of a bottleneck")),
			experiment.IntParam("stride", 1, 1, 4, "stride of the block (≠ 1 adds a 1×1 conv + BN downsample)"),
			experiment.IntParam("h", 56, 1, 512, "input height"),
			experiment.IntParam("w", 56, 1, 512, "input width"),
			experiment.IntParam("expansion", 4, 1, 8, "bottleneck output = width × expansion"),
			shortcutParam(),
		},
		Validate: func(v experiment.Values) error {
			_, _, err := analyse(v)
			return err
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			p, an, err := analyse(v)
			if err != nil {
				return nil, err
			}
			a := an[0]
			if p.kind == Bottleneck {
				a = an[1]
			}
			down := float64(Projections(p.block))
			r := &experiment.Result{}
			r.AddScalar("params", "Parameters", float64(a.Params), "params")
			r.AddScalar("macs", "Multiply-accumulates", float64(a.MACs), "MACs")
			r.AddScalar("out_channels", "Output channels", float64(a.Output.C), "")
			r.AddScalar("out_h", "Output height", float64(a.Output.H), "px")
			r.AddScalar("out_w", "Output width", float64(a.Output.W), "px")
			r.AddScalar("downsample", "Shortcut with a projection (1 = yes: a 1×1 convolution with batch norm; 0 = no: the input passes as it is or zero-padded)", down, "")
			r.AddScalar("shortcut.params", "Shortcut: parameters (0 for identity and zero-padding)", float64(shortcutParams(a)), "params")
			r.AddScalar("basic.params", "Basic block, same in/out: parameters", float64(an[0].Params), "params")
			r.AddScalar("bottleneck.params", "Bottleneck, same in/out: parameters", float64(an[1].Params), "params")
			r.AddScalar("basic.macs", "Basic block, same in/out: multiply-accumulates", float64(an[0].MACs), "MACs")
			r.AddScalar("bottleneck.macs", "Bottleneck, same in/out: multiply-accumulates", float64(an[1].MACs), "MACs")
			layers := experiment.Table{
				Key: "layers", Title: fmt.Sprintf("%s block on %s", p.kind, a.Input.String()),
				Columns: []experiment.Column{{Name: "Module"}, {Name: "Type"}, {Name: "Output Shape"},
					{Name: "Params", Align: experiment.Right}, {Name: "MACs", Align: experiment.Right}},
			}
			var rows []SummaryLayer
			for _, l := range a.Layers {
				var pc, mc any
				if l.Params > 0 {
					pc = l.Params
				}
				if l.MACs > 0 {
					mc = l.MACs
				}
				layers.Rows = append(layers.Rows, experiment.Row{Depth: l.Depth - 1, Cells: []any{l.Name, l.Type, l.Out.String(), pc, mc}})
				rows = append(rows, SummaryLayer{Name: l.Path, Type: l.Type, Depth: l.Depth, Index: l.Index, OutputShape: l.Out.Dims(), Params: l.Params, MACs: l.MACs, Leaf: l.Leaf})
			}
			layers.Footer = []experiment.Row{{Cells: []any{"residual sum → output", "", a.Output.String(), a.Params, a.MACs}}}
			cmp := experiment.Table{
				Key: "compare", Title: fmt.Sprintf("Same input and output channels (%d → %d)", a.Input.C, a.Output.C),
				Columns: []experiment.Column{{Name: "Block"}, {Name: "Convolutions"},
					{Name: "Params", Align: experiment.Right}, {Name: "MACs", Align: experiment.Right}},
			}
			out := a.Output.C
			cmp.Rows = []experiment.Row{
				{Cells: []any{"basic", fmt.Sprintf("3×3 (%d) → 3×3 (%d)", out, out), an[0].Params, an[0].MACs}},
				{Cells: []any{"bottleneck", fmt.Sprintf("1×1 (%d) → 3×3 (%d) → 1×1 (%d)", p.bottleWidth, p.bottleWidth, out), an[1].Params, an[1].MACs}},
			}
			r.Tables = append(r.Tables, layers, cmp)
			r.JSON = map[string]any{
				"kind": string(p.kind), "params": a.Params, "macs": a.MACs, "out_channels": a.Output.C,
				"out_h": a.Output.H, "out_w": a.Output.W, "downsample": down == 1, "shortcut": v.String("shortcut"),
				"basic":      map[string]int64{"params": an[0].Params, "macs": an[0].MACs},
				"bottleneck": map[string]int64{"params": an[1].Params, "macs": an[1].MACs, "width": int64(p.bottleWidth)},
				"layers":     rows,
			}
			r.Notes = append(r.Notes, "torchvision v1.5: convolutions without bias, BN after each, the stride in the 3×3 conv; the block outputs ReLU(F(x) + shortcut(x)).")
			return r, nil
		},
	}
}

type tableRowJSON struct {
	Key            string  `json:"key"`
	Type           string  `json:"type"`
	Patch          string  `json:"patch,omitempty"`
	Output         []int   `json:"output"`       // computed H, W, C
	PaperOutput    [3]int  `json:"paper_output"` // published H, W, C
	Params         int64   `json:"params"`
	Weights        int64   `json:"weights"`
	PaperParams    int64   `json:"paper_params"`
	MACs           int64   `json:"macs"`
	PaperOps       int64   `json:"paper_ops"`
	ParamsDiffPct  float64 `json:"params_diff_pct"`
	OpsDiffPct     float64 `json:"ops_diff_pct"`
	PublishedCount bool    `json:"published"`
}

// pct is x as a percentage rounded to one decimal (never −0).
func pct(x float64) float64 { return math.Round(1000*x)/10 + 0 }

func googLeNetTableExperiment() *experiment.Experiment {
	return &experiment.Experiment{
		Name:    "googlenet_table",
		Summary: "Table 1 of the GoogLeNet paper next to what its channel columns compute.",
		Params:  experiment.Schema{},
		Run: func(ctx context.Context, _ experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rows, a, err := CompareGoogLeNetTable1()
			if err != nil {
				return nil, err
			}
			r := &experiment.Result{}
			t := experiment.Table{
				Key: "rows", Title: "GoogLeNet Table 1 (Szegedy et al. 2014): published vs computed at 224×224",
				Columns: []experiment.Column{
					{Name: "Type"}, {Name: "Patch"}, {Name: "Output (paper)"}, {Name: "Output"},
					{Name: "Params (paper)", Align: experiment.Right}, {Name: "Params", Align: experiment.Right},
					{Name: "Weights", Align: experiment.Right}, {Name: "Δ params %", Align: experiment.Right},
					{Name: "Ops (paper)", Align: experiment.Right}, {Name: "MACs", Align: experiment.Right},
					{Name: "Δ ops %", Align: experiment.Right},
				},
			}
			pb := experiment.BarChart{Key: "params_bars", Title: "Parameters per row", Groups: []experiment.BarGroup{{Name: "paper"}, {Name: "computed"}}}
			ob := experiment.BarChart{Key: "ops_bars", Title: "Multiply-accumulates per row", Groups: []experiment.BarGroup{{Name: "paper"}, {Name: "computed"}}}
			var js []tableRowJSON
			var paperParams, paperOps int64
			var off []string
			for _, c := range rows {
				published := c.Params > 0
				out := fmt.Sprintf("%d×%d×%d", c.Computed.H, c.Computed.W, c.Computed.C)
				if c.Computed.Flat {
					out = fmt.Sprintf("1×1×%d", c.Computed.C)
				}
				cells := []any{c.Type, c.Patch, fmt.Sprintf("%d×%d×%d", c.Output[0], c.Output[1], c.Output[2]), out}
				j := tableRowJSON{Key: c.Key, Type: c.Type, Patch: c.Patch, Output: outputHWC(c.Computed), PaperOutput: c.Output,
					Params: c.ComputedParams, Weights: c.ComputedWeights, MACs: c.ComputedMACs, PublishedCount: published}
				if published {
					paperParams += c.Params
					paperOps += c.Ops
					j.PaperParams, j.PaperOps = c.Params, c.Ops
					j.ParamsDiffPct, j.OpsDiffPct = pct(c.ParamsDiff()), pct(c.OpsDiff())
					cells = append(cells, c.Params, c.ComputedParams, c.ComputedWeights, j.ParamsDiffPct, c.Ops, c.ComputedMACs, j.OpsDiffPct)
					r.AddScalar(c.Key+".params", c.Key+": computed parameters", float64(c.ComputedParams), "params")
					r.AddScalar(c.Key+".paper_params", c.Key+": published parameters", float64(c.Params), "params")
					r.AddScalar(c.Key+".macs", c.Key+": computed multiply-accumulates", float64(c.ComputedMACs), "MACs")
					r.AddScalar(c.Key+".paper_ops", c.Key+": published ops", float64(c.Ops), "MACs")
					for i, x := range []int64{c.Params, c.ComputedParams} {
						pb.Groups[i].Values = append(pb.Groups[i].Values, float64(x))
					}
					for i, x := range []int64{c.Ops, c.ComputedMACs} {
						ob.Groups[i].Values = append(ob.Groups[i].Values, float64(x))
					}
					pb.Labels = append(pb.Labels, c.Key)
					ob.Labels = append(ob.Labels, c.Key)
					if math.Abs(c.ParamsDiff()) > 0.05 {
						off = append(off, fmt.Sprintf("%s (%+.1f%%)", c.Key, 100*c.ParamsDiff()))
					}
				} else {
					cells = append(cells, nil, nil, nil, nil, nil, nil, nil)
				}
				t.Rows = append(t.Rows, experiment.Row{Cells: cells})
				js = append(js, j)
			}
			t.Footer = []experiment.Row{{Cells: []any{"total", "", "", a.Output.String(), paperParams, a.Params, nil, pct(relDiff(a.Params, paperParams)), paperOps, a.MACs, pct(relDiff(a.MACs, paperOps))}}}
			r.Tables = append(r.Tables, t)
			r.Bars = append(r.Bars, pb, ob)
			r.AddScalar("params", "Computed parameters (weights and biases)", float64(a.Params), "params")
			r.AddScalar("paper_params", "Sum of the published params column", float64(paperParams), "params")
			r.AddScalar("macs", "Computed multiply-accumulates", float64(a.MACs), "MACs")
			r.AddScalar("paper_ops", "Sum of the published ops column", float64(paperOps), "MACs")
			r.JSON = map[string]any{"rows": js, "params": a.Params, "paper_params": paperParams, "macs": a.MACs, "paper_ops": paperOps}
			r.Notes = append(r.Notes, "Computed from the table's channel columns with true 5×5 convolutions and biases; ops are multiply-accumulates of conv and linear layers.")
			if len(off) > 0 {
				r.Notes = append(r.Notes, "Rows whose published params differ by more than 5% from the recomputation: "+strings.Join(off, ", ")+".")
			}
			return r, nil
		},
	}
}

// outputHWC returns a shape as the paper writes it: H, W, C (1, 1, C when flat).
func outputHWC(s Shape) []int {
	if s.Flat {
		return []int{1, 1, s.C}
	}
	return []int{s.H, s.W, s.C}
}
