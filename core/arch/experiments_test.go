package arch

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

func registry() *experiment.Registry { return experiment.NewRegistry(Experiments()...) }

// run runs the experiment called name with the overrides.
func run(t testing.TB, name string, overrides map[string]string) *experiment.Result {
	t.Helper()
	return experimenttest.Run(t, experimenttest.Named(t, Experiments(), name), overrides, nil)
}

func tableOf(t testing.TB, r *experiment.Result, key string) experiment.Table {
	t.Helper()
	for _, tb := range r.Tables {
		if tb.Key == key {
			return tb
		}
	}
	t.Fatalf("%s: no table %q", r.Experiment, key)
	return experiment.Table{}
}

func TestModelExperiment(t *testing.T) {
	for _, tc := range []struct {
		model          string
		params, macs   float64
		weighted, rows int
	}{
		{"resnet18", 11689512, 1814073344, 18, 10},
		{"resnet50", 25557032, 4089184256, 50, 10},
		{"googlenet", 6624904, 1498376192, 22, 19},
	} {
		r := run(t, "model", map[string]string{"model": tc.model, "depth": "1"})
		if p, m := experimenttest.StrictScalar(t, r, "params"), experimenttest.StrictScalar(t, r, "macs"); p != tc.params || m != tc.macs {
			t.Errorf("%s: params %v macs %v", tc.model, p, m)
		}
		// Many tools count a multiply-accumulate as two FLOPs (a multiply and
		// an add); torchvision's "GFLOPS" column (4.09 for resnet50) is the MACs.
		if f := experimenttest.StrictScalar(t, r, "flops"); f != 2*tc.macs {
			t.Errorf("%s: flops %v, want 2·%v", tc.model, f, tc.macs)
		}
		if w := experimenttest.StrictScalar(t, r, "weighted_layers"); int(w) != tc.weighted {
			t.Errorf("%s: weighted layers %v", tc.model, w)
		}
		if n := len(tableOf(t, r, "stages").Rows); n != tc.rows {
			t.Errorf("%s: %d stage rows", tc.model, n)
		}
		if n := len(tableOf(t, r, "summary").Rows); n != tc.rows+1 {
			t.Errorf("%s: %d summary rows", tc.model, n)
		}
		if s := experimenttest.StrictScalar(t, r, "non_trainable_params"); s != 0 {
			t.Errorf("non-trainable %v", s)
		}
	}
	r := run(t, "model", nil)
	if got := experimenttest.StrictScalar(t, r, "layer4.params"); got != 8393728 {
		t.Errorf("resnet18 layer4 params %v", got)
	}
	if got := experimenttest.StrictScalar(t, r, "gmacs"); !scalar.EqualWithinAbs(got, 1.81, 0.005) {
		t.Errorf("gmacs %v", got)
	}
	s, ok := r.JSON.(*ModelSummary)
	if !ok || s.TotalParams != 11689512 || len(s.Layers) == 0 {
		t.Errorf("JSON payload %T", r.JSON)
	}
	// Another input size: MACs scale, parameters do not.
	r = run(t, "model", map[string]string{"model": "resnet18", "h": "112", "w": "112"})
	if p := experimenttest.StrictScalar(t, r, "params"); p != 11689512 {
		t.Errorf("params at 112: %v", p)
	}
}

func TestInceptionExperiment(t *testing.T) {
	r := run(t, "inception", nil)
	s := InceptionSpec{In: 192, C1: 64, C3Reduce: 96, C3: 128, C5Reduce: 16, C5: 32, PoolProj: 32}
	naive := float64(192*64+9*192*128+25*192*32) + 64 + 128 + 32
	for key, want := range map[string]float64{
		"params": float64(inceptionParams(s, 5)), "macs": 128049152, "out_channels": 256, "out_h": 28,
		"reduced.params": float64(inceptionParams(s, 5)), "naive.params": naive, "naive.out_channels": 416,
		"naive.macs": 28 * 28 * (naive - 224), "1x1.params": 192*64 + 64, "pool.macs": 28 * 28 * 192 * 32,
	} {
		if got := experimenttest.StrictScalar(t, r, key); got != want {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
	if tb := tableOf(t, r, "branches"); len(tb.Rows) != 4 || tb.Rows[2].Cells[1] != "1×1 (16) → 5×5 (32)" {
		t.Errorf("branches %v", tb.Rows)
	}
	// Naive, torchvision's 3×3 "5×5" branch.
	r = run(t, "inception", map[string]string{"reduce": "false", "k5": "3"})
	if got, want := experimenttest.StrictScalar(t, r, "params"), float64(192*64+9*192*128+9*192*32+224); got != want {
		t.Errorf("naive k5=3 params %v, want %v", got, want)
	}
	if got := experimenttest.StrictScalar(t, r, "out_channels"); got != 416 {
		t.Errorf("naive out channels %v", got)
	}
}

func TestBlockExperiment(t *testing.T) {
	r := run(t, "block", nil)
	for key, want := range map[string]float64{
		"params": 256*64 + 9*64*64 + 64*256 + 2*(64+64+256), "out_channels": 256, "out_h": 56, "downsample": 0,
		"basic.params": 2*9*256*256 + 4*256, "bottleneck.params": 70400,
		"macs": 56 * 56 * (256*64 + 9*64*64 + 64*256),
	} {
		if got := experimenttest.StrictScalar(t, r, key); got != want {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
	r = run(t, "block", map[string]string{"kind": "basic", "in": "64", "width": "128", "stride": "2"})
	for key, want := range map[string]float64{
		"params": 230144, "out_channels": 128, "out_h": 28, "out_w": 28, "downsample": 1, // resnet18's layer2.0
		"bottleneck.params": 64*32 + 9*32*32 + 32*128 + 2*(32+32+128) + 64*128 + 2*128,
	} {
		if got := experimenttest.StrictScalar(t, r, key); got != want {
			t.Errorf("basic %s = %v, want %v", key, got, want)
		}
	}
	if n := len(tableOf(t, r, "layers").Rows); n != 9 { // 7 modules + downsample's conv and BN
		t.Errorf("layers table has %d rows", n)
	}
	if n := len(tableOf(t, r, "compare").Rows); n != 2 {
		t.Errorf("compare table has %d rows", n)
	}
}

func TestGoogLeNetTableExperiment(t *testing.T) {
	r := run(t, "googlenet_table", nil)
	for key, want := range map[string]float64{
		"3a.params": 163696, "3a.paper_params": 159000, "3a.paper_ops": 128e6, "4c.paper_params": 463000,
		"fc.params": 1025000, "params": 6998552, "paper_params": 6797700, "paper_ops": 1502e6,
	} {
		if got := experimenttest.StrictScalar(t, r, key); got != want {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
	if tb := tableOf(t, r, "rows"); len(tb.Rows) != 18 || len(tb.Footer) != 1 {
		t.Errorf("rows table: %d rows", len(tb.Rows))
	}
	if len(r.Bars) != 2 || len(r.Bars[0].Labels) != 12 {
		t.Errorf("bars %+v", r.Bars)
	}
	if len(r.Notes) != 2 || !strings.Contains(r.Notes[1], "4c (+10.2%)") {
		t.Errorf("notes %q", r.Notes)
	}
}

func TestExperimentBadInput(t *testing.T) {
	for _, tc := range []struct {
		exp  string
		args map[string]string
		want []string
	}{
		{"model", map[string]string{"model": "vgg16"}, []string{"model must be one of", "googlenet"}},
		{"model", map[string]string{"model": "googlenet", "h": "8", "w": "8"}, []string{"googlenet on 3x8x8", "maxpool3", "output would be empty"}},
		{"model", map[string]string{"model": "googlenet-paper", "h": "320", "w": "320"}, []string{"fc", "expects 1024 input features"}},
		{"model", map[string]string{"depth": "9"}, []string{"depth"}},
		{"model", map[string]string{"h": "0"}, []string{"h must be"}},
		{"inception", map[string]string{"k5": "4"}, []string{"k5=4", `branch "5x5" gives 29×29 but branch "1x1" gives 28×28`}},
		{"inception", map[string]string{"c1": "0"}, []string{"c1 must be"}},
		{"inception", map[string]string{"in": "5000"}, []string{"in must be"}},
		{"block", map[string]string{"kind": "basic", "width": "66"}, []string{"width must be divisible by expansion", "width=66", "expansion=4"}},
		{"block", map[string]string{"kind": "plain"}, []string{"kind must be one of basic, bottleneck"}},
		{"block", map[string]string{"stride": "4", "h": "1"}, nil},
		{"block", map[string]string{"expansion": "0"}, []string{"expansion must be"}},
		{"googlenet_table", map[string]string{"depth": "2"}, []string{`unknown parameter "depth"`}},
	} {
		e, _ := registry().Get(tc.exp)
		_, err := e.Parse(tc.args)
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s %v: %v", tc.exp, tc.args, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s %v: no error", tc.exp, tc.args)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s %v: error %q lacks %q", tc.exp, tc.args, err, w)
			}
		}
	}
}

// TestExtremes runs every experiment at the corners of its schema: each run
// either succeeds with finite, exact (< 2⁵³) numbers or fails Validate with a
// message; nothing panics.
func TestExtremes(t *testing.T) {
	for _, e := range Experiments() {
		for _, corner := range []string{"min", "max"} {
			v := experimenttest.Corner(e, corner == "max")
			if err := e.Check(v); err != nil {
				if !strings.Contains(err.Error(), "empty") && !strings.Contains(err.Error(), "divisible") {
					t.Errorf("%s at %s: unexpected error %v", e.Name, corner, err)
				}
				continue
			}
			r, err := e.Execute(context.Background(), v, nil)
			if err != nil {
				t.Errorf("%s at %s: %v", e.Name, corner, err)
				continue
			}
			for _, s := range r.Scalars {
				if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) || math.Abs(s.Value) > 1<<53 {
					t.Errorf("%s at %s: %s = %v", e.Name, corner, s.Key, s.Value)
				}
			}
			if _, err := json.Marshal(r.JSON); err != nil {
				t.Errorf("%s at %s: %v", e.Name, corner, err)
			}
		}
	}
	// Every model at the largest experiment input.
	for _, m := range Models() {
		if m == "googlenet-paper" {
			continue
		}
		run(t, "model", map[string]string{"model": m, "h": "1024", "w": "1024", "depth": "8"})
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, e := range Experiments() {
		if _, err := e.Execute(ctx, e.Params.Defaults(), nil); err == nil {
			t.Errorf("%s ran with a cancelled context", e.Name)
		}
	}
}

func benchmarkExperiment(b *testing.B, name string, overrides map[string]string) {
	e, _ := registry().Get(name)
	v, err := e.Parse(overrides)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Execute(ctx, v, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkModelResNet18(b *testing.B) { benchmarkExperiment(b, "model", nil) }
func BenchmarkModelResNet152Depth3(b *testing.B) {
	benchmarkExperiment(b, "model", map[string]string{"model": "resnet152", "depth": "3"})
}
func BenchmarkInception(b *testing.B)      { benchmarkExperiment(b, "inception", nil) }
func BenchmarkBlock(b *testing.B)          { benchmarkExperiment(b, "block", nil) }
func BenchmarkGoogLeNetTable(b *testing.B) { benchmarkExperiment(b, "googlenet_table", nil) }
