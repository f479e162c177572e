package arch

import (
	"context"
	"fmt"

	"github.com/nnlab/nnlab/core/experiment"
)

// This file holds classifier heads: GoogLeNet's auxiliary classifiers
// (Szegedy et al. 2014, §5) and the global-average-pooling head of Network in
// Network (Lin et al. 2013) against a VGG-style fully-connected one.

// AuxDropout is the dropout ratio of GoogLeNet's auxiliary classifiers (70%
// in the paper and in torchvision's InceptionAux).
const AuxDropout = 0.7

// auxWidth and auxHidden are the widths of the auxiliary classifier: a 1×1
// convolution to 128 channels and a fully-connected layer of 1024 units.
const (
	auxWidth  = 128
	auxHidden = 1024
)

// InceptionAux is one auxiliary classifier of GoogLeNet on an in-channel
// feature map (512 after inception 4a, 528 after 4d), for 1000 classes.
//
// Paper style (§5): average pool 5×5 stride 3 (14×14 → 4×4), 1×1 conv to
// 128 with bias and ReLU, fully-connected 2048 → 1024 with ReLU, dropout 70%,
// linear 1024 → 1000. Torchvision style (InceptionAux): adaptive average pool
// to 4×4 (functional), the 1×1 conv as a BasicConv2d (no bias, BatchNorm2d),
// then the same fc1, dropout 0.7 and fc2.
//
// Parameters: in·128 (+128 bias, or +2·128 BN) + 2048·1024 + 1024 + 1024·1000 + 1000.
func InceptionAux(name string, in int, style Style) *Layer {
	var pool *Layer
	if style == Paper {
		pool = leaf("avgpool", "AvgPool2d", AvgPool2d{Pool{K: 5, Stride: 3}})
	} else {
		pool = functional(leaf("avgpool", "AdaptiveAvgPool2d", AdaptiveAvgPool2d{H: 4, W: 4}))
	}
	return container(name, "InceptionAux",
		pool,
		ConvUnit("conv", style, in, auxWidth, 1, 1, 0),
		functional(leaf("flatten", "Flatten", Flatten{})),
		leaf("fc1", "Linear", Linear{In: auxWidth * 4 * 4, Out: auxHidden, Bias: true}),
		functional(Relu("relu")),
		leaf("dropout", "Dropout", Dropout{P: AuxDropout}),
		leaf("fc2", "Linear", Linear{In: auxHidden, Out: 1000, Bias: true}),
	)
}

// AuxAnalysis is GoogLeNet with its two auxiliary classifiers: the main
// network (what remains at inference) and each head on the output of the
// module it is attached to.
type AuxAnalysis struct {
	Main     *Analysis
	Heads    [2]*Analysis // on inception4a and inception4d
	Attached [2]string    // "inception4a", "inception4d"
}

// Params is the parameter count with the auxiliary classifiers (torchvision's
// googlenet(aux_logits=True)).
func (a *AuxAnalysis) Params() int64 { return a.Main.Params + a.Heads[0].Params + a.Heads[1].Params }

// AnalyzeGoogLeNetAux analyses GoogLeNet in a style (torchvision or the
// paper's) on a 3×h×w input together with its auxiliary classifiers.
func AnalyzeGoogLeNetAux(style Style, h, w int) (*AuxAnalysis, error) {
	model := GoogLeNet()
	if style == Paper {
		model = GoogLeNetPaper()
	}
	main, err := Analyze(model, Map(3, h, w))
	if err != nil {
		return nil, err
	}
	out := &AuxAnalysis{Main: main, Attached: [2]string{"inception4a", "inception4d"}}
	for i, at := range out.Attached {
		var in *Shape
		for _, l := range main.Layers {
			if l.Path == at {
				in = &l.Out
				break
			}
		}
		if in == nil {
			return nil, fmt.Errorf("arch: GoogLeNet has no module %s", at)
		}
		a, err := Analyze(InceptionAux(fmt.Sprintf("aux%d", i+1), in.C, style), *in)
		if err != nil {
			return nil, fmt.Errorf("aux%d on %s (%s): %w", i+1, at, in.describe(), err)
		}
		out.Heads[i] = a
	}
	return out, nil
}

// FCHead is a VGG-style classifier on a c×h×w map: flatten, then hidden
// fully-connected layers of the given width (each with ReLU and dropout 0.5),
// then a linear layer to the classes.
func FCHead(c, h, w, hidden, layers, classes int) *Layer {
	m := container("", "FCHead", functional(leaf("flatten", "Flatten", Flatten{})))
	in := c * h * w
	for i := range layers {
		m.Children = append(m.Children,
			leaf(fmt.Sprintf("fc%d", i+1), "Linear", Linear{In: in, Out: hidden, Bias: true}),
			functional(Relu(fmt.Sprintf("relu%d", i+1))),
			leaf(fmt.Sprintf("dropout%d", i+1), "Dropout", Dropout{P: 0.5}))
		in = hidden
	}
	m.Children = append(m.Children, leaf(fmt.Sprintf("fc%d", layers+1), "Linear", Linear{In: in, Out: classes, Bias: true}))
	return m
}

// GAPHead is the global-average-pooling classifier: average each of the c
// maps to one number, then (as GoogLeNet does) one linear layer c → classes.
// Network in Network has no linear layer at all: its last layer already has
// one map per class.
func GAPHead(c, classes int) *Layer {
	return container("", "GAPHead",
		leaf("avgpool", "AdaptiveAvgPool2d", AdaptiveAvgPool2d{H: 1, W: 1}),
		functional(leaf("flatten", "Flatten", Flatten{})),
		leaf("fc", "Linear", Linear{In: c, Out: classes, Bias: true}))
}

// styleOf chooses torchvision's GoogLeNet or the paper's.
func styleOf(v experiment.Values) Style {
	if v.String("model") == "googlenet-paper" {
		return Paper
	}
	return Torchvision
}

func auxExperiment() *experiment.Experiment {
	return &experiment.Experiment{
		Name:    "googlenet_aux",
		Summary: "GoogLeNet's two auxiliary classifiers (on 4a and 4d): their layers and what they add to the parameters.",
		Params: experiment.Schema{
			{Name: "model", Kind: experiment.Enum, Default: "googlenet", Choices: []string{"googlenet", "googlenet-paper"}, Help: "torchvision's GoogLeNet (BN, no conv bias) or the paper's"},
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			a, err := AnalyzeGoogLeNetAux(styleOf(v), 224, 224)
			if err != nil {
				return nil, err
			}
			r := &experiment.Result{}
			t := experiment.Table{
				Key: "layers", Title: fmt.Sprintf("Auxiliary classifier aux1 on inception4a (%s)", a.Heads[0].Input.describe()),
				Columns: []experiment.Column{{Name: "Layer"}, {Name: "Type"}, {Name: "Output Shape"},
					{Name: "Params", Align: experiment.Right}, {Name: "MACs", Align: experiment.Right}},
			}
			for _, l := range a.Heads[0].Layers {
				if !l.Leaf {
					continue
				}
				t.Rows = append(t.Rows, experiment.Row{Cells: []any{l.Path, l.Type, l.Out.String(), l.Params, l.MACs}})
				switch l.Type {
				case "Conv2d":
					r.AddScalar("aux1.conv.params", "aux1 1×1 conv: parameters", float64(l.Params), "params")
				case "Linear":
					r.AddScalar("aux1."+l.Path+".params", "aux1 "+l.Path+": parameters", float64(l.Params), "params")
				}
			}
			t.Footer = []experiment.Row{{Cells: []any{"aux1", "InceptionAux", a.Heads[0].Output.String(), a.Heads[0].Params, a.Heads[0].MACs}}}
			r.Tables = append(r.Tables, t)
			for i, h := range a.Heads {
				key := fmt.Sprintf("aux%d", i+1)
				r.AddScalar(key+".params", fmt.Sprintf("%s on %s: parameters", key, a.Attached[i]), float64(h.Params), "params")
				r.AddScalar(key+".macs", fmt.Sprintf("%s on %s: multiply-accumulates", key, a.Attached[i]), float64(h.MACs), "MACs")
			}
			aux := a.Heads[0].Params + a.Heads[1].Params
			r.AddScalar("aux.params", "Both auxiliary classifiers: parameters", float64(aux), "params")
			r.AddScalar("main.params", "Main network (kept at inference): parameters", float64(a.Main.Params), "params")
			r.AddScalar("with_aux.params", "With the auxiliary classifiers (training): parameters", float64(a.Params()), "params")
			r.AddScalar("aux.share", "Share of the training-time parameters in the auxiliary classifiers", float64(aux)/float64(a.Params()), "")
			r.AddScalar("main.macs", "Main network: multiply-accumulates", float64(a.Main.MACs), "MACs")
			r.AddScalar("dropout", "Dropout ratio in the auxiliary classifiers", AuxDropout, "")
			r.JSON = map[string]any{"main_params": a.Main.Params, "aux1_params": a.Heads[0].Params, "aux2_params": a.Heads[1].Params,
				"with_aux_params": a.Params(), "main_macs": a.Main.MACs, "aux1_macs": a.Heads[0].MACs, "aux2_macs": a.Heads[1].MACs}
			r.Notes = append(r.Notes, "The auxiliary classifiers run only while training (their losses weighted by 0.3) and are discarded at inference.")
			return r, nil
		},
	}
}

func gapExperiment() *experiment.Experiment {
	return &experiment.Experiment{
		Name:    "gap_head",
		Summary: "A classifier on the last feature map: flatten + fully-connected layers (VGG) against global average pooling + one linear layer (GoogLeNet).",
		Params: experiment.Schema{
			doubling(experiment.IntParam("c", 1024, 1, MaxInputChannels, "channels of the last feature map")),
			experiment.IntParam("h", 7, 1, 64, "its height"),
			experiment.IntParam("w", 7, 1, 64, "its width"),
			doubling(experiment.IntParam("hidden", 4096, 1, 16384, "width of the hidden fully-connected layers")),
			experiment.IntParam("layers", 2, 0, 4, "number of hidden fully-connected layers"),
			experiment.IntParam("classes", 1000, 1, 100000, "number of classes"),
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			c, h, w := v.Int("c"), v.Int("h"), v.Int("w")
			in := Map(c, h, w)
			fc, err := Analyze(FCHead(c, h, w, v.Int("hidden"), v.Int("layers"), v.Int("classes")), in)
			if err != nil {
				return nil, err
			}
			gap, err := Analyze(GAPHead(c, v.Int("classes")), in)
			if err != nil {
				return nil, err
			}
			r := &experiment.Result{}
			t := experiment.Table{
				Key: "heads", Title: fmt.Sprintf("Classifier heads on %s", in.describe()),
				Columns: []experiment.Column{{Name: "Head"}, {Name: "Layer"}, {Name: "Output Shape"},
					{Name: "Params", Align: experiment.Right}, {Name: "MACs", Align: experiment.Right}},
			}
			for _, hd := range []struct {
				name string
				a    *Analysis
			}{{"fc", fc}, {"gap", gap}} {
				for _, l := range hd.a.Layers {
					if l.Leaf && (l.Type == "Linear" || l.Type == "AdaptiveAvgPool2d") {
						t.Rows = append(t.Rows, experiment.Row{Cells: []any{hd.name, l.Type, l.Out.String(), l.Params, l.MACs}})
					}
				}
			}
			t.Footer = []experiment.Row{
				{Cells: []any{"fc", "total", fc.Output.String(), fc.Params, fc.MACs}},
				{Cells: []any{"gap", "total", gap.Output.String(), gap.Params, gap.MACs}},
			}
			r.Tables = append(r.Tables, t)
			r.AddScalar("flat_features", "Features after flattening c·h·w", float64(c*h*w), "")
			r.AddScalar("fc.params", "Flatten + fully-connected head: parameters", float64(fc.Params), "params")
			r.AddScalar("fc.macs", "Flatten + fully-connected head: multiply-accumulates", float64(fc.MACs), "MACs")
			r.AddScalar("gap.params", "Global average pooling + linear head: parameters", float64(gap.Params), "params")
			r.AddScalar("gap.macs", "Global average pooling + linear head: multiply-accumulates", float64(gap.MACs), "MACs")
			r.AddScalar("saved", "Parameters saved by global average pooling", float64(fc.Params-gap.Params), "params")
			r.AddScalar("saving", "Parameter saving (fully-connected ÷ average pooling)", float64(fc.Params)/float64(gap.Params), "×")
			r.JSON = map[string]any{"fc_params": fc.Params, "fc_macs": fc.MACs, "gap_params": gap.Params, "gap_macs": gap.MACs}
			r.Notes = append(r.Notes, "Global average pooling itself has no parameters; only the linear layer after it (GoogLeNet's) has. Network in Network has none at all: its last layer makes one map per class.")
			return r, nil
		},
	}
}
