package arch

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// torchvisionFixture is testdata/torchvision.json, written by
// testdata/gen_torchvision.py from torchvision 0.14's own models.
type torchvisionFixture struct {
	Torchvision string `json:"torchvision"`
	Models      map[string]struct {
		Params  int64   `json:"params"`
		Buffers int64   `json:"buffers"`
		MACs    int64   `json:"macs"`
		Output  []int   `json:"output"`
		Calls   [][]any `json:"calls"` // [name, type, shape, params, macs]
	} `json:"models"`
	Others []struct {
		Model  string  `json:"model"`
		Input  [3]int  `json:"input"`
		Output []int   `json:"output"`
		MACs   int64   `json:"macs"`
		Top    [][]any `json:"top"` // [name, shape]
	} `json:"others"`
	Probes []struct {
		Model string `json:"model"`
		Input [3]int `json:"input"`
		OK    bool   `json:"ok"`
	} `json:"probes"`
}

func loadTorchvision(t testing.TB) torchvisionFixture {
	var f torchvisionFixture
	experimenttest.LoadJSON(t, "testdata/torchvision.json", &f)
	if len(f.Models) != 6 {
		t.Fatalf("fixture has %d models", len(f.Models))
	}
	return f
}

func ints(v any) []int {
	var out []int
	for _, x := range v.([]any) {
		out = append(out, int(x.(float64)))
	}
	return out
}

func analyzeModel(t testing.TB, name string, in [3]int) *Analysis {
	t.Helper()
	m, err := Build(name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(m, Map(in[0], in[1], in[2]))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestTorchvisionModels checks every model against torchvision: total
// parameters and buffers, the MACs counted from torch's hooked shapes, and
// each module call in forward order: name, class, output shape, parameters
// (children included), MACs of conv and linear calls, and torchinfo's
// depth-idx (a counter per depth over the calls, as torchinfo's pre-hooks number them).
func TestTorchvisionModels(t *testing.T) {
	f := loadTorchvision(t)
	for name, want := range f.Models {
		t.Run(name, func(t *testing.T) {
			a := analyzeModel(t, name, [3]int{3, 224, 224})
			if a.Params != want.Params || a.Buffers != want.Buffers || a.MACs != want.MACs {
				t.Errorf("params %d, buffers %d, MACs %d; torchvision %d, %d, %d", a.Params, a.Buffers, a.MACs, want.Params, want.Buffers, want.MACs)
			}
			if !slices.Equal(a.Output.Dims(), want.Output) {
				t.Errorf("output %v, torchvision %v", a.Output.Dims(), want.Output)
			}
			if len(a.Layers) != len(want.Calls) {
				t.Fatalf("%d module calls, torchvision %d", len(a.Layers), len(want.Calls))
			}
			counts := map[int]int{}
			for i, c := range want.Calls {
				l := a.Layers[i]
				path, typ := c[0].(string), c[1].(string)
				depth := strings.Count(path, ".") + 1
				counts[depth]++
				got := fmt.Sprint(l.Path, l.Type, l.Out.Dims(), l.Params, l.Depth, l.Index)
				exp := fmt.Sprint(path, typ, ints(c[2]), int64(c[3].(float64)), depth, counts[depth])
				if got != exp {
					t.Fatalf("call %d: got %s, torchvision %s", i, got, exp)
				}
				if macs := int64(c[4].(float64)); (typ == "Conv2d" || typ == "Linear") && l.MACs != macs {
					t.Errorf("%s: MACs %d, torch shapes give %d", path, l.MACs, macs)
				}
			}
		})
	}
}

func TestTorchvisionOtherInputs(t *testing.T) {
	f := loadTorchvision(t)
	for _, o := range f.Others {
		a := analyzeModel(t, o.Model, o.Input)
		if a.MACs != o.MACs || !slices.Equal(a.Output.Dims(), o.Output) {
			t.Errorf("%s on %v: MACs %d output %v; torchvision %d %v", o.Model, o.Input, a.MACs, a.Output.Dims(), o.MACs, o.Output)
		}
		var top [][]any
		for _, l := range a.Layers {
			if l.Depth == 1 {
				top = append(top, []any{l.Path, l.Out.Dims()})
			}
		}
		var want [][]any
		for _, x := range o.Top {
			want = append(want, []any{x[0], ints(x[1])})
		}
		if fmt.Sprint(top) != fmt.Sprint(want) {
			t.Errorf("%s on %v:\n got %v\nwant %v", o.Model, o.Input, top, want)
		}
	}
}

func TestTorchvisionProbes(t *testing.T) {
	f := loadTorchvision(t)
	if len(f.Probes) < 5 {
		t.Fatalf("%d probes", len(f.Probes))
	}
	for _, p := range f.Probes {
		_, err := Summary(p.Model, p.Input, 1)
		if (err == nil) != p.OK {
			t.Errorf("%s on %v: error %v, torch ok=%v", p.Model, p.Input, err, p.OK)
		}
	}
}

// TestPoolGrid compares MaxPool2d and AvgPool2d output sizes (and which
// configurations are rejected) with torch over testdata/torch_pool.json.
func TestPoolGrid(t *testing.T) {
	var f struct{ Cases [][]int }
	experimenttest.LoadJSON(t, "testdata/torch_pool.json", &f)
	if len(f.Cases) < 1000 {
		t.Fatalf("%d cases", len(f.Cases))
	}
	for _, c := range f.Cases {
		p := Pool{K: c[3], Stride: c[4], Pad: c[5], Ceil: c[6] == 1}
		var op Op = MaxPool2d{p}
		if c[0] == 1 {
			op = AvgPool2d{p}
		}
		out, err := op.Output(Map(2, c[1], c[2]))
		switch {
		case c[9] == 0 && err == nil:
			t.Errorf("%T%+v on %d×%d: torch raised, we gave %v", op, p, c[1], c[2], out)
		case c[9] == 1 && err != nil:
			t.Errorf("%T%+v on %d×%d: torch gave %d×%d, we said %v", op, p, c[1], c[2], c[7], c[8], err)
		case c[9] == 1 && (out.H != c[7] || out.W != c[8] || out.C != 2):
			t.Errorf("%T%+v on %d×%d: %v, torch %d×%d", op, p, c[1], c[2], out, c[7], c[8])
		}
	}
}

// TestPaperFLOPs checks He et al. 2015's FLOPs (multiply-adds) with the
// paper's own architecture (v1: stride in the bottleneck's first 1×1), and
// torchvision's published GFLOPS for its v1.5 models.
func TestPaperFLOPs(t *testing.T) {
	for _, tc := range []struct {
		depth int
		v     ResNetVariant
		want  float64
		rel   float64
	}{
		{18, V1, 1.8e9, 0.02}, {34, V1, 3.6e9, 0.02}, {50, V1, 3.8e9, 0.02}, {101, V1, 7.6e9, 0.02}, {152, V1, 11.3e9, 0.02},
		{18, V15, 1.81e9, 0.005}, {34, V15, 3.66e9, 0.005}, {50, V15, 4.09e9, 0.005}, {101, V15, 7.80e9, 0.005}, {152, V15, 11.51e9, 0.005},
	} {
		m, err := ResNet(tc.depth, tc.v)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Analyze(m, Map(3, 224, 224))
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinRel(float64(a.MACs), tc.want, tc.rel) {
			t.Errorf("ResNet-%d (variant %d): %.4g MACs, want %.4g within %g", tc.depth, tc.v, float64(a.MACs), tc.want, tc.rel)
		}
	}
	// The v1.5 stride placement is why torchvision's ResNet-50 is 4.09 GMACs, not the paper's 3.8.
	m, _ := ResNet(50, V15)
	a, _ := Analyze(m, Map(3, 224, 224))
	if scalar.EqualWithinRel(float64(a.MACs), 3.8e9, 0.05) {
		t.Errorf("v1.5 ResNet-50 should be more than 5%% above the paper's 3.8G, got %d", a.MACs)
	}
	if _, err := ResNet(20, V15); err == nil || !strings.Contains(err.Error(), "got 20") {
		t.Errorf("ResNet(20): %v", err)
	}
}

func TestLongestPath(t *testing.T) {
	for name, want := range map[string][2]int{
		"googlenet": {22, 27}, "googlenet-paper": {22, 27}, // "22 layers deep … (or 27 layers if we also count pooling)"
		"resnet18": {18, 20}, "resnet34": {34, 36}, "resnet50": {50, 52}, "resnet101": {101, 103}, "resnet152": {152, 154},
	} {
		m, _ := Build(name)
		if got := [2]int{LongestPath(m, false), LongestPath(m, true)}; got != want {
			t.Errorf("%s: longest path %v, want %v", name, got, want)
		}
	}
}

// inceptionParams is the closed form of an inception module's parameters
// with reductions, k5×k5 convolutions and biases.
func inceptionParams(s InceptionSpec, k5 int) int64 {
	w := s.In*s.C1 + s.In*s.C3Reduce + 9*s.C3Reduce*s.C3 + s.In*s.C5Reduce + k5*k5*s.C5Reduce*s.C5 + s.In*s.PoolProj
	return int64(w + s.C1 + s.C3Reduce + s.C3 + s.C5Reduce + s.C5 + s.PoolProj)
}

// TestGoogLeNetTable1 lines GoogLeNetPaper up with the paper's Table 1:
// every output size as published; each inception module's parameters equal
// the closed form of its channel columns; the published ops agree within 3%
// except conv1 and 5a, the published params within 5% except conv1 and 4c.
func TestGoogLeNetTable1(t *testing.T) {
	rows, a, err := CompareGoogLeNetTable1()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 18 {
		t.Fatalf("%d rows", len(rows))
	}
	spec := map[string]InceptionSpec{}
	for _, r := range googLeNetTable {
		spec[r.Key] = r.InceptionSpec
	}
	var opsOff, paramsOff []string
	var sumParams int64
	for _, r := range rows {
		got := outputHWC(r.Computed)
		if !slices.Equal(got, r.Output[:]) {
			t.Errorf("%s: output %v, paper %v", r.Key, got, r.Output)
		}
		if s, ok := spec[r.Key]; ok {
			if want := inceptionParams(s, 5); r.ComputedParams != want {
				t.Errorf("%s: params %d, closed form %d", r.Key, r.ComputedParams, want)
			}
			if s.C1+s.C3+s.C5+s.PoolProj != r.Output[2] {
				t.Errorf("%s: the paper's channel columns do not add up to its output depth", r.Key)
			}
		}
		sumParams += r.ComputedParams
		if r.Ops > 0 && !scalar.EqualWithinRel(float64(r.ComputedMACs), float64(r.Ops), 0.03) {
			opsOff = append(opsOff, r.Key)
		}
		if r.Params > 0 && !scalar.EqualWithinRel(float64(r.ComputedParams), float64(r.Params), 0.05) {
			paramsOff = append(paramsOff, r.Key)
		}
	}
	if fmt.Sprint(opsOff) != "[conv1 5a]" || fmt.Sprint(paramsOff) != "[conv1 4c]" {
		t.Errorf("rows off the paper: ops %v (want [conv1 5a]), params %v (want [conv1 4c])", opsOff, paramsOff)
	}
	if sumParams != a.Params {
		t.Errorf("rows sum to %d params, model has %d", sumParams, a.Params)
	}
	// conv2 row: 1×1 (64) then 3×3 (192) on 56×56: ≈ 360M ops as published.
	if r := rows[2]; r.ComputedMACs != 56*56*(64*64+9*64*192) {
		t.Errorf("conv2 MACs %d", r.ComputedMACs)
	}
}

// TestTorchinfoResNet18 compares summary rows with torchinfo 1.8's printed
// summary of torchvision's resnet18 (depth 3) for a selection of rows.
func TestTorchinfoResNet18(t *testing.T) {
	s, err := Summary("resnet18", [3]int{3, 224, 224}, 3)
	if err != nil {
		t.Fatal(err)
	}
	tb := s.Table()
	rows := map[string]string{}
	for _, r := range tb.Rows {
		rows[r.Cells[0].(string)] = fmt.Sprintf("%d %s %v", r.Depth, r.Cells[1], r.Cells[2])
	}
	for label, want := range map[string]string{
		"ResNet":                 "0 [1, 1000] <nil>",
		"Conv2d: 1-1":            "1 [1, 64, 112, 112] 9408",
		"MaxPool2d: 1-4":         "1 [1, 64, 56, 56] <nil>",
		"Sequential: 1-6":        "1 [1, 128, 28, 28] <nil>",
		"BasicBlock: 2-3":        "2 [1, 128, 28, 28] <nil>",
		"Conv2d: 3-13":           "3 [1, 128, 28, 28] 73728",
		"Sequential: 3-18":       "3 [1, 128, 28, 28] 8448",
		"ReLU: 3-19":             "3 [1, 128, 28, 28] <nil>",
		"Sequential: 3-31":       "3 [1, 256, 14, 14] 33280",
		"Sequential: 3-44":       "3 [1, 512, 7, 7] 132096",
		"BatchNorm2d: 3-50":      "3 [1, 512, 7, 7] 1024",
		"ReLU: 3-51":             "3 [1, 512, 7, 7] <nil>",
		"AdaptiveAvgPool2d: 1-9": "1 [1, 512, 1, 1] <nil>",
		"Linear: 1-10":           "1 [1, 1000] 513000",
	} {
		if got, ok := rows[label]; !ok || got != want {
			t.Errorf("row %q: got %q, torchinfo %q", label, got, want)
		}
	}
	if len(tb.Rows) != 1+69 {
		t.Errorf("%d rows, torchinfo prints 70", len(tb.Rows))
	}
	foot := fmt.Sprint(tb.Footer)
	for _, w := range []string{"Total params  11689512", "Trainable params  11689512", "Non-trainable params  0", "Total mult-adds (G)  1.81"} {
		if !strings.Contains(foot, w) {
			t.Errorf("footer %s lacks %q", foot, w)
		}
	}
}

func TestSummaryDepthAndJSON(t *testing.T) {
	s, err := Summary("resnet50", [3]int{3, 224, 224}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Layers) != 10 {
		t.Errorf("depth 1: %d layers", len(s.Layers))
	}
	var sum int64
	for _, l := range s.Layers {
		sum += l.Params
		if !l.Leaf {
			t.Errorf("%s: at the summary's depth every row is a leaf", l.Name)
		}
	}
	if sum != 25557032 || s.TotalParams != 25557032 {
		t.Errorf("depth-1 params sum %d, total %d", sum, s.TotalParams)
	}
	// Collapsed containers show their total; expanded ones show "--".
	tb := s.Table()
	if tb.Rows[5].Cells[0] != "Sequential: 1-5" || tb.Rows[5].Cells[2] != int64(215808) {
		t.Errorf("collapsed layer1 row %v", tb.Rows[5].Cells)
	}
	s3, _ := Summary("resnet50", [3]int{3, 224, 224}, 3)
	if r := s3.Table().Rows[5]; r.Cells[2] != nil {
		t.Errorf("expanded layer1 row shows %v", r.Cells[2])
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"total_params", "macs", "layers", "trainable_params", "non_trainable_params", "output_shape"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	l0 := m["layers"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "type", "depth", "output_shape", "params", "macs"} {
		if _, ok := l0[k]; !ok {
			t.Errorf("JSON layer lacks %q: %v", k, l0)
		}
	}
	if m["macs"].(float64) != 4089184256 {
		t.Errorf("macs %v", m["macs"])
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		model string
		in    [3]int
		depth int
		want  []string
	}{
		{"unknown model", "resnet19", [3]int{3, 224, 224}, 1, []string{`unknown model "resnet19"`, "googlenet, googlenet-paper, resnet18"}},
		{"too small", "googlenet", [3]int{3, 8, 8}, 1, []string{"googlenet on 3x8x8", "maxpool3", "output would be empty"}},
		{"too narrow", "googlenet", [3]int{3, 224, 8}, 1, []string{"maxpool3", "output would be empty"}},
		{"channels", "resnet18", [3]int{1, 224, 224}, 1, []string{"conv1", "expects 3 input channels, got 1"}},
		{"googlenet channels", "googlenet", [3]int{4, 224, 224}, 1, []string{"conv1.conv", "expects 3 input channels, got 4"}},
		{"paper fixed size", "googlenet-paper", [3]int{3, 320, 320}, 1, []string{"fc", "expects 1024 input features, got 16384"}},
		{"paper too small", "googlenet-paper", [3]int{3, 160, 160}, 1, []string{"avgpool", "output would be empty"}},
		{"depth", "resnet18", [3]int{3, 224, 224}, 0, []string{"depth must be from 1 to 8, got 0"}},
		{"input bound", "resnet18", [3]int{3, 5000, 224}, 1, []string{"input must be", "H, W from 1 to 4096"}},
		{"input zero", "resnet18", [3]int{3, 0, 224}, 1, []string{"input must be"}},
	} {
		_, err := Summary(tc.model, tc.in, tc.depth)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", tc.name, err, w)
			}
		}
	}
}

func TestParseInput(t *testing.T) {
	for s, want := range map[string][3]int{"3x224x224": {3, 224, 224}, " 1X28×28 ": {1, 28, 28}} {
		if got, err := ParseInput(s); err != nil || got != want {
			t.Errorf("ParseInput(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"224x224", "3x224x", "3xax224", "0x224x224", "3x-1x4", ""} {
		if _, err := ParseInput(s); err == nil || !strings.Contains(err.Error(), "CxHxW") {
			t.Errorf("ParseInput(%q): %v", s, err)
		}
	}
}

func TestConcatMismatch(t *testing.T) {
	m := &Layer{Name: "inception 3a", Type: "Inception", Join: Concat, Children: []*Layer{
		Conv("1x1", 192, 64, 1, 1, 0, true),
		MaxPool("pool", 3, 1, 0, false),
	}}
	_, err := Analyze(container("", "Net", m), Map(192, 28, 28))
	want := `arch: inception 3a: branch "pool" gives 26×26 but branch "1x1" gives 28×28; concat needs equal spatial sizes`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	// Channel counts may differ: 64 + 192.
	m.Children[1] = MaxPool("pool", 3, 1, 1, false)
	a, err := Analyze(container("", "Net", m), Map(192, 28, 28))
	if err != nil || a.Output != Map(256, 28, 28) {
		t.Errorf("%v %v", a, err)
	}
}

func TestStructureErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		l    *Layer
		in   Shape
		want string
	}{
		{"residual shapes", &Layer{Name: "b", Type: "Block", Join: Residual, Main: 1, Children: []*Layer{Conv("conv", 8, 16, 3, 1, 1, false)}},
			Map(8, 5, 5), "b: the residual sum needs equal shapes, but the main path gives 16×5×5 and the identity shortcut gives 8×5×5"},
		{"residual children", &Layer{Name: "b", Type: "Block", Join: Residual, Main: 2, Children: []*Layer{Relu("r")}}, Map(8, 5, 5), "residual needs 2 children"},
		{"linear on map", leaf("fc", "Linear", Linear{In: 8, Out: 2}), Map(8, 1, 1), "Linear needs a flat vector, got 8×1×1"},
		{"linear features", leaf("fc", "Linear", Linear{In: 8, Out: 2}), Map(2, 2, 1), "Linear needs a flat vector"},
		{"linear size", leaf("fc", "Linear", Linear{In: 8, Out: 0}), Map(8, 1, 1), "flat"},
		{"bn channels", BN("bn", 4), Map(8, 5, 5), "BatchNorm2d expects 4 channels, got 8"},
		{"pool pad", MaxPool("p", 3, 1, 2, false), Map(8, 5, 5), "pad must be from 0 to half the kernel size (1), got 2"},
		{"pool kernel", MaxPool("p", 0, 1, 0, false), Map(8, 5, 5), "kernel size must be ≥ 1"},
		{"pool stride", MaxPool("p", 2, 0, 0, false), Map(8, 5, 5), "stride must be ≥ 1"},
		{"empty concat", &Layer{Name: "c", Type: "Cat", Join: Concat}, Map(8, 5, 5), "at least one branch"},
		{"op and children", &Layer{Name: "x", Type: "X", Op: ReLU{}, Children: []*Layer{Relu("r")}}, Map(8, 5, 5), "either an op or children"},
		{"conv groups", leaf("c", "Conv2d", Conv2d{convSpec(8, 6, 3, 1, 1, false)}), Map(8, 5, 5), ""},
		{"adaptive", leaf("a", "AdaptiveAvgPool2d", AdaptiveAvgPool2d{}), Map(8, 5, 5), "output size must be ≥ 1"},
	} {
		_, err := Analyze(container("", "Net", tc.l), tc.in)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	g := Conv2d{convSpec(8, 6, 3, 1, 1, false)}
	g.Groups = 4
	if _, err := g.Output(Map(8, 5, 5)); err == nil || !strings.Contains(err.Error(), "divisible by groups") {
		t.Errorf("groups: %v", err)
	}
	if _, err := Analyze(nil, Map(3, 4, 4)); err == nil {
		t.Error("nil model accepted")
	}
	// A chain deeper than the nesting limit is an error, not a stack overflow.
	deep := Relu("r")
	for range maxDepth + 1 {
		deep = container("s", "Sequential", deep)
	}
	if _, err := Analyze(deep, Map(1, 1, 1)); err == nil || !strings.Contains(err.Error(), "nesting") {
		t.Errorf("deep nesting: %v", err)
	}
}

// TestBlocksClosedForm checks the building blocks' parameters and MACs
// against closed forms for several widths and strides.
func TestBlocksClosedForm(t *testing.T) {
	for _, tc := range []struct{ in, width, stride, h int }{{64, 64, 1, 56}, {64, 128, 2, 56}, {256, 64, 1, 56}, {512, 256, 2, 28}, {3, 5, 3, 17}} {
		in, w, s, h := int64(tc.in), int64(tc.width), tc.stride, tc.h
		oh := int64((h+2-3)/s + 1)
		// Basic: two 3×3 convs and two BNs, plus a 1×1 conv + BN projection when needed.
		p := 9*in*w + 9*w*w + 4*w
		macs := oh * oh * (9*in*w + 9*w*w)
		if s != 1 || in != w {
			p += in*w + 2*w
			macs += oh * oh * in * w
		}
		a, err := Analyze(BasicBlock("b", tc.in, tc.width, tc.stride), Map(tc.in, h, h))
		if err != nil {
			t.Fatal(err)
		}
		if a.Params != p || a.MACs != macs || a.Output != Map(tc.width, int(oh), int(oh)) {
			t.Errorf("basic %+v: %d params %d MACs %v; want %d %d", tc, a.Params, a.MACs, a.Output, p, macs)
		}
		// Bottleneck (v1.5): 1×1 at full size, 3×3 and last 1×1 at the strided size.
		out := 4 * w
		p = in*w + 9*w*w + w*out + 2*(w+w+out)
		macs = int64(h*h)*in*w + oh*oh*(9*w*w+w*out)
		if s != 1 || in != out {
			p += in*out + 2*out
			macs += oh * oh * in * out
		}
		a, err = Analyze(BottleneckBlock("b", tc.in, tc.width, tc.stride, 4, false), Map(tc.in, h, h))
		if err != nil {
			t.Fatal(err)
		}
		if a.Params != p || a.MACs != macs || a.Output != Map(int(out), int(oh), int(oh)) {
			t.Errorf("bottleneck %+v: %d params %d MACs %v; want %d %d", tc, a.Params, a.MACs, a.Output, p, macs)
		}
	}
	// Naive inception (paper style): three convs with bias and a pool keeping the input channels.
	s := InceptionSpec{In: 192, C1: 64, C3: 128, C5: 32, K5: 5}
	a, err := Analyze(Inception("i", s, Paper), Map(192, 28, 28))
	if err != nil {
		t.Fatal(err)
	}
	w := int64(192*64 + 9*192*128 + 25*192*32)
	if a.Params != w+64+128+32 || a.MACs != 28*28*w || a.Output.C != 64+128+32+192 || s.OutChannels() != a.Output.C {
		t.Errorf("naive inception: %d params %d MACs %v", a.Params, a.MACs, a.Output)
	}
	if _, err := Block("wide", 1, 1, 1, 1); err == nil || !strings.Contains(err.Error(), `got "wide"`) {
		t.Errorf("Block kind: %v", err)
	}
}

func TestShapeStrings(t *testing.T) {
	if s := Map(64, 112, 112).String(); s != "[1, 64, 112, 112]" {
		t.Error(s)
	}
	if s := (Shape{C: 1000, Flat: true}).String(); s != "[1, 1000]" {
		t.Error(s)
	}
	for in, want := range map[[5]int]int{{1, 3, 2, 0, 1}: 0, {1, 2, 2, 0, 1}: 1, {14, 3, 2, 0, 1}: 7, {112, 3, 2, 0, 0}: 55, {112, 3, 2, 0, 1}: 56, {5, 2, 2, 1, 1}: 3} {
		if got := PoolOutSize(in[0], in[1], in[2], in[3], in[4] == 1); got != want {
			t.Errorf("PoolOutSize%v = %d, want %d", in, got, want)
		}
	}
}

func BenchmarkSummaryResNet152(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Summary("resnet152", [3]int{3, 224, 224}, 3); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSummaryGoogLeNet(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Summary("googlenet", [3]int{3, 224, 224}, 3); err != nil {
			b.Fatal(err)
		}
	}
}
