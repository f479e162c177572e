package arch

import "fmt"

// PaperRow is one row of Table 1 of Szegedy et al. 2014 ("Going deeper with
// convolutions") as published, with the modules of GoogLeNetPaper it covers.
type PaperRow struct {
	Key     string   // stable identifier: "conv1", "3a", "fc", "maxpool1", …
	Type    string   // the table's type column, e.g. "convolution", "inception (3a)"
	Patch   string   // patch size/stride, e.g. "7×7/2"; "" when none
	Output  [3]int   // published output size H, W, C
	Modules []string // top-level modules of GoogLeNetPaper making up the row
	Params  int64    // published params (K → ×1000, M → ×10⁶); 0 when blank
	Ops     int64    // published ops (multiply-accumulates); 0 when blank
}

// GoogLeNetTable1 returns the published rows of Table 1 (softmax omitted).
// The local response norms of Figure 3 are grouped with the rows they follow.
func GoogLeNetTable1() []PaperRow {
	const k, m = 1000, 1000000
	return []PaperRow{
		{"conv1", "convolution", "7×7/2", [3]int{112, 112, 64}, []string{"conv1"}, 2700, 34 * m},
		{"maxpool1", "max pool", "3×3/2", [3]int{56, 56, 64}, []string{"maxpool1", "lrn1"}, 0, 0},
		{"conv2", "convolution", "3×3/1", [3]int{56, 56, 192}, []string{"conv2", "conv3", "lrn2"}, 112 * k, 360 * m},
		{"maxpool2", "max pool", "3×3/2", [3]int{28, 28, 192}, []string{"maxpool2"}, 0, 0},
		{"3a", "inception (3a)", "", [3]int{28, 28, 256}, []string{"inception3a"}, 159 * k, 128 * m},
		{"3b", "inception (3b)", "", [3]int{28, 28, 480}, []string{"inception3b"}, 380 * k, 304 * m},
		{"maxpool3", "max pool", "3×3/2", [3]int{14, 14, 480}, []string{"maxpool3"}, 0, 0},
		{"4a", "inception (4a)", "", [3]int{14, 14, 512}, []string{"inception4a"}, 364 * k, 73 * m},
		{"4b", "inception (4b)", "", [3]int{14, 14, 512}, []string{"inception4b"}, 437 * k, 88 * m},
		{"4c", "inception (4c)", "", [3]int{14, 14, 512}, []string{"inception4c"}, 463 * k, 100 * m},
		{"4d", "inception (4d)", "", [3]int{14, 14, 528}, []string{"inception4d"}, 580 * k, 119 * m},
		{"4e", "inception (4e)", "", [3]int{14, 14, 832}, []string{"inception4e"}, 840 * k, 170 * m},
		{"maxpool4", "max pool", "3×3/2", [3]int{7, 7, 832}, []string{"maxpool4"}, 0, 0},
		{"5a", "inception (5a)", "", [3]int{7, 7, 832}, []string{"inception5a"}, 1072 * k, 54 * m},
		{"5b", "inception (5b)", "", [3]int{7, 7, 1024}, []string{"inception5b"}, 1388 * k, 71 * m},
		{"avgpool", "avg pool", "7×7/1", [3]int{1, 1, 1024}, []string{"avgpool"}, 0, 0},
		{"dropout", "dropout (40%)", "", [3]int{1, 1, 1024}, []string{"flatten", "dropout"}, 0, 0},
		{"fc", "linear", "", [3]int{1, 1, 1000}, []string{"fc"}, 1000 * k, 1 * m},
	}
}

// PaperComparison is a Table 1 row next to what GoogLeNetPaper computes.
type PaperComparison struct {
	PaperRow
	Computed Shape // output of the row's last module
	// ComputedParams counts weights and biases; ComputedWeights weights only.
	ComputedParams, ComputedWeights int64
	ComputedMACs                    int64
}

// ParamsDiff is (computed − published)/published parameters, or 0 without a
// published figure.
func (c PaperComparison) ParamsDiff() float64 { return relDiff(c.ComputedParams, c.Params) }

// OpsDiff is (computed − published)/published ops, or 0 without a published figure.
func (c PaperComparison) OpsDiff() float64 { return relDiff(c.ComputedMACs, c.Ops) }

func relDiff(got, paper int64) float64 {
	if paper == 0 {
		return 0
	}
	return float64(got-paper) / float64(paper)
}

// CompareGoogLeNetTable1 analyses GoogLeNetPaper on a 3×224×224 input and
// lines every published row of Table 1 up with the computed figures.
func CompareGoogLeNetTable1() ([]PaperComparison, *Analysis, error) {
	model := GoogLeNetPaper()
	a, err := Analyze(model, Map(3, 224, 224))
	if err != nil {
		return nil, nil, err
	}
	top := map[string]Info{}
	weights := map[string]int64{}
	for _, l := range a.Layers {
		top[l.Path] = l
	}
	for _, c := range model.Children {
		weights[c.Name] = weightCount(c)
	}
	var out []PaperComparison
	for _, row := range GoogLeNetTable1() {
		c := PaperComparison{PaperRow: row}
		for _, name := range row.Modules {
			l, ok := top[name]
			if !ok {
				return nil, nil, fmt.Errorf("arch: Table 1 row %s: no module %q", row.Key, name)
			}
			c.Computed = l.Out
			c.ComputedParams += l.Params
			c.ComputedMACs += l.MACs
			c.ComputedWeights += weights[name]
		}
		out = append(out, c)
	}
	return out, a, nil
}

// weightCount is the number of convolution and linear weights in l (biases
// and batch-norm parameters left out).
func weightCount(l *Layer) int64 {
	switch op := l.Op.(type) {
	case Conv2d:
		return op.Weights()
	case Linear:
		return int64(op.In) * int64(op.Out)
	}
	var n int64
	for _, c := range l.Children {
		n += weightCount(c)
	}
	return n
}
