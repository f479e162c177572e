package conv

import (
	"context"
	"fmt"

	"github.com/nnlab/nnlab/core/experiment"
)

// Tap is one layer of a stack as the receptive field sees it.
type Tap struct{ K, Stride, Dilation int }

// ReceptiveField is how many input positions (along one axis) reach one
// output position of the stack, and the jump: the input distance between
// neighbouring outputs,
//
//	r = 1 + Σᵢ (kᵢ − 1)·dᵢ·Πⱼ₍ⱼ<ᵢ₎ sⱼ,   jump = Πᵢ sᵢ.
//
// Padding shifts the field but does not change its size.
func ReceptiveField(stack []Tap) (r, jump int) {
	r, jump = 1, 1
	for _, t := range stack {
		r += (t.K - 1) * t.Dilation * jump
		jump *= t.Stride
	}
	return r, jump
}

const maxTaps = 6

func receptiveFieldExperiment() *experiment.Experiment {
	params := experiment.Schema{experiment.IntParam("n", 3, 1, maxTaps, "number of layers in the stack")}
	for i := 1; i <= maxTaps; i++ {
		params = append(params,
			experiment.IntParam(fmt.Sprintf("k%d", i), 3, 1, maxK, fmt.Sprintf("kernel size of layer %d", i)),
			experiment.IntParam(fmt.Sprintf("s%d", i), 1, 1, maxStride, fmt.Sprintf("stride of layer %d", i)),
			experiment.IntParam(fmt.Sprintf("d%d", i), 1, 1, maxDilation, fmt.Sprintf("dilation of layer %d", i)))
	}
	return &experiment.Experiment{
		Name:    "receptive_field",
		Summary: "The receptive field of a stack of convolutions or poolings: how many input pixels one output sees.",
		Params:  params,
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			stack := tapsFrom(v)
			rf, jump := ReceptiveField(stack)
			r := &experiment.Result{JSON: map[string]int{"rf": rf, "jump": jump}}
			r.AddScalar("rf", "Receptive field of one output (pixels per side)", float64(rf), "px")
			r.AddScalar("jump", "Input distance between neighbouring outputs (product of strides)", float64(jump), "px")
			t := experiment.Table{Key: "layers", Title: "Receptive field after each layer",
				Columns: []experiment.Column{{Name: "Layer"}, {Name: "k", Align: experiment.Right}, {Name: "stride", Align: experiment.Right},
					{Name: "dilation", Align: experiment.Right}, {Name: "Receptive field", Align: experiment.Right}}}
			for i := range stack {
				ri, _ := ReceptiveField(stack[:i+1])
				t.Rows = append(t.Rows, experiment.Row{Cells: []any{fmt.Sprint(i + 1), int64(stack[i].K), int64(stack[i].Stride), int64(stack[i].Dilation), int64(ri)}})
			}
			r.Tables = append(r.Tables, t)
			return r, nil
		},
	}
}

// tapsFrom reads the first n layers of a checked receptive_field spec.
func tapsFrom(v experiment.Values) []Tap {
	stack := make([]Tap, v.Int("n"))
	for i := range stack {
		stack[i] = Tap{K: v.Int(fmt.Sprintf("k%d", i+1)), Stride: v.Int(fmt.Sprintf("s%d", i+1)), Dilation: v.Int(fmt.Sprintf("d%d", i+1))}
	}
	return stack
}

func compareExperiment() *experiment.Experiment {
	var params experiment.Schema
	for _, l := range []string{"1", "2"} {
		params = append(params,
			experiment.IntParam("k"+l, 3, 1, maxK, "kernel size of layer "+l),
			experiment.IntParam("cin"+l, 64, 1, maxChans, "input channels of layer "+l),
			experiment.IntParam("cout"+l, 64, 1, maxChans, "output channels of layer "+l),
			experiment.IntParam("groups"+l, 1, 1, maxChans, "groups of layer "+l),
			experiment.IntParam("stride"+l, 1, 1, maxStride, "stride of layer "+l))
	}
	params = append(params,
		experiment.IntParam("h", 56, 1, maxSide, "input height and width of both layers"),
		experiment.Param{Name: "measure", Kind: experiment.Enum, Default: "params", Choices: []string{"params", "macs"}, Help: "what to compare"})
	specs := func(v experiment.Values) [2]Spec {
		var out [2]Spec
		for i, l := range []string{"1", "2"} {
			k := v.Int("k" + l)
			out[i] = Spec{InChannels: v.Int("cin" + l), OutChannels: v.Int("cout" + l), KH: k, KW: k,
				Stride: v.Int("stride" + l), Pad: k / 2, Dilation: 1, Groups: v.Int("groups" + l)}
		}
		return out
	}
	return &experiment.Experiment{
		Name:    "compare",
		Summary: "Which of two convolutions (no bias, 'same'-style padding ⌊k/2⌋) has more parameters or multiply-accumulates.",
		Params:  params,
		Validate: func(v experiment.Values) error {
			for _, s := range specs(v) {
				if _, err := s.Cost(v.Int("h"), v.Int("h")); err != nil {
					return err
				}
			}
			return nil
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			var val [2]int64
			for i, s := range specs(v) {
				c, err := s.Cost(v.Int("h"), v.Int("h"))
				if err != nil {
					return nil, err
				}
				val[i] = c.Params
				if v.String("measure") == "macs" {
					val[i] = c.MACs
				}
			}
			larger := 0
			switch {
			case val[0] > val[1]:
				larger = 1
			case val[1] > val[0]:
				larger = 2
			}
			r := &experiment.Result{JSON: map[string]int64{"layer1": val[0], "layer2": val[1], "larger": int64(larger)}}
			unit := map[string]string{"params": "params", "macs": "MACs"}[v.String("measure")]
			r.AddScalar("layer1", "Layer 1", float64(val[0]), unit)
			r.AddScalar("layer2", "Layer 2", float64(val[1]), unit)
			r.AddScalar("larger", "The larger layer (0: equal)", float64(larger), "")
			return r, nil
		},
	}
}
