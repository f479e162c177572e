package arch

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
)

// MaxSummaryDepth is the deepest tree level a summary can show.
const MaxSummaryDepth = 8

// ModelSummary is a torchinfo-style summary of a model: its JSON form is what
// `nnlab summary MODEL --json` prints.
type ModelSummary struct {
	Model              string         `json:"model"`
	Type               string         `json:"type"`
	Input              [3]int         `json:"input"` // C, H, W
	Depth              int            `json:"depth"`
	OutputShape        []int          `json:"output_shape"`
	TotalParams        int64          `json:"total_params"`
	TrainableParams    int64          `json:"trainable_params"`
	NonTrainableParams int64          `json:"non_trainable_params"`
	Buffers            int64          `json:"buffers"` // e.g. BN running statistics: state, not parameters
	MACs               int64          `json:"macs"`    // conv and linear multiply-accumulates
	Layers             []SummaryLayer `json:"layers"`
}

// SummaryLayer is one row of a summary: a module call at depth ≤ the
// summary's depth. Params and MACs include the module's children.
type SummaryLayer struct {
	Name        string `json:"name"` // dotted module path, e.g. "layer1.0.conv1"
	Type        string `json:"type"`
	Depth       int    `json:"depth"`
	Index       int    `json:"index"` // torchinfo's depth-idx second part
	OutputShape []int  `json:"output_shape"`
	Params      int64  `json:"params"`
	MACs        int64  `json:"macs"`
	// Leaf is true when the row has no rows below it (no children, or
	// children deeper than the summary's depth).
	Leaf bool `json:"leaf"`
}

// ParseInput reads an input size written as CxHxW (e.g. "3x224x224"; "×"
// is accepted too).
func ParseInput(s string) ([3]int, error) {
	parts := strings.Split(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "×", "x"), "x")
	var in [3]int
	if len(parts) != 3 {
		return in, fmt.Errorf("arch: input must be CxHxW such as 3x224x224, got %q", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return in, fmt.Errorf("arch: input must be CxHxW with whole numbers ≥ 1, got %q", s)
		}
		in[i] = n
	}
	return in, nil
}

// Summary builds the named model (see Models), infers its shapes for one
// input of size input = {C, H, W} and lists its modules down to depth, as
// torchinfo.summary(model, (1, C, H, W), depth=depth) does. MACs count
// convolutions and linear layers only (torchvision's GFLOPS convention).
func Summary(model string, input [3]int, depth int) (*ModelSummary, error) {
	if depth < 1 || depth > MaxSummaryDepth {
		return nil, fmt.Errorf("arch: summary depth must be from 1 to %d, got %d", MaxSummaryDepth, depth)
	}
	m, err := Build(model)
	if err != nil {
		return nil, err
	}
	return summaryOf(m, model, input, depth)
}

// summaryOf is Summary for the built model m named model.
func summaryOf(m *Layer, model string, input [3]int, depth int) (*ModelSummary, error) {
	in := Map(input[0], input[1], input[2])
	if err := checkInput(in); err != nil {
		return nil, err
	}
	a, err := analyze(m, in)
	if err != nil {
		return nil, fmt.Errorf("arch: %s on %dx%dx%d: %w", model, input[0], input[1], input[2], err)
	}
	s := &ModelSummary{
		Model: model, Type: a.Type, Input: input, Depth: depth, OutputShape: a.Output.Dims(),
		TotalParams: a.Params, TrainableParams: a.Params, Buffers: a.Buffers, MACs: a.MACs,
	}
	for i, l := range a.Layers {
		if l.Depth > depth {
			continue
		}
		leaf := l.Leaf || l.Depth == depth || (i+1 < len(a.Layers) && a.Layers[i+1].Depth <= l.Depth)
		s.Layers = append(s.Layers, SummaryLayer{
			Name: l.Path, Type: l.Type, Depth: l.Depth, Index: l.Index, OutputShape: l.Out.Dims(),
			Params: l.Params, MACs: l.MACs, Leaf: leaf,
		})
	}
	return s, nil
}

// dimsString prints dims as torchinfo does: "[1, 64, 112, 112]".
func dimsString(d []int) string {
	s := make([]string, len(d))
	for i, x := range d {
		s[i] = strconv.Itoa(x)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// Table lays the summary out as torchinfo prints it: a row for the model,
// then `Type: depth-idx` rows indented by depth, with "--" (nil) for
// modules whose parameters are shown on the rows below them or that have none.
func (s *ModelSummary) Table() experiment.Table {
	t := experiment.Table{
		Key:   "summary",
		Title: fmt.Sprintf("%s on %dx%dx%d", s.Model, s.Input[0], s.Input[1], s.Input[2]),
		Columns: []experiment.Column{
			{Name: "Layer (type:depth-idx)"}, {Name: "Output Shape"}, {Name: "Param #", Align: experiment.Right},
		},
	}
	t.Rows = append(t.Rows, experiment.Row{Cells: []any{s.Type, dimsString(s.OutputShape), nil}})
	for _, l := range s.Layers {
		var p any
		if l.Leaf && l.Params > 0 {
			p = l.Params
		}
		t.Rows = append(t.Rows, experiment.Row{Depth: l.Depth, Cells: []any{
			fmt.Sprintf("%s: %d-%d", l.Type, l.Depth, l.Index), dimsString(l.OutputShape), p,
		}})
	}
	t.Footer = []experiment.Row{
		{Cells: []any{"Total params", "", s.TotalParams}},
		{Cells: []any{"Trainable params", "", s.TrainableParams}},
		{Cells: []any{"Non-trainable params", "", s.NonTrainableParams}},
		{Cells: []any{"Total mult-adds (G)", "", math.Round(float64(s.MACs)/1e7) / 100}},
	}
	return t
}

// Stages is a table of the model's top-level modules with their share of
// the parameters and multiply-accumulates.
func (s *ModelSummary) Stages() experiment.Table {
	t := experiment.Table{
		Key: "stages", Title: "Top-level modules",
		Columns: []experiment.Column{
			{Name: "Module"}, {Name: "Type"}, {Name: "Output Shape"},
			{Name: "Params", Align: experiment.Right}, {Name: "MACs", Align: experiment.Right},
			{Name: "% MACs", Align: experiment.Right},
		},
	}
	for _, l := range s.Layers {
		if l.Depth != 1 {
			continue
		}
		var p, m any
		if l.Params > 0 {
			p = l.Params
		}
		share := 0.0
		if l.MACs > 0 {
			m = l.MACs
			share = math.Round(1000*float64(l.MACs)/float64(s.MACs)) / 10
		}
		t.Rows = append(t.Rows, experiment.Row{Cells: []any{l.Name, l.Type, dimsString(l.OutputShape), p, m, share}})
	}
	return t
}
