package conv

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

func TestConvExperimentJSON(t *testing.T) {
	r := run(t, "conv", map[string]string{"h": "224", "w": "224", "cin": "3", "cout": "64", "k": "7",
		"stride": "2", "pad": "3", "dilation": "1", "groups": "1", "bias": "false"})
	b, err := json.Marshal(r.JSON)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"out_h":112,"out_w":112,"params":9408,"macs":118013952}`; string(b) != want {
		t.Errorf("payload %s, want %s", b, want)
	}
	for key, want := range map[string]float64{"out_h": 112, "out_w": 112, "params": 9408, "macs": 118013952} {
		if got := experimenttest.StrictScalar(t, r, key); got != want {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "= 112") {
		t.Errorf("notes %q", r.Notes)
	}
	// Defaults: torch's bias=true adds c_out parameters.
	if got := experimenttest.StrictScalar(t, run(t, "conv", nil), "params"); got != 9408+64 {
		t.Errorf("default params = %v, want 9472", got)
	}
	// A grouped, dilated, non-square case against the closed form.
	r = run(t, "conv", map[string]string{"h": "30", "w": "17", "cin": "8", "cout": "12", "k": "3",
		"stride": "2", "pad": "1", "dilation": "2", "groups": "4", "bias": "true"})
	oh, ow := (30+2-2*2-1)/2+1, (17+2-2*2-1)/2+1
	for key, want := range map[string]float64{"out_h": float64(oh), "out_w": float64(ow),
		"params": 3*3*2*12 + 12, "macs": float64(oh * ow * 12 * 9 * 2)} {
		if got := experimenttest.StrictScalar(t, r, key); got != want {
			t.Errorf("grouped %s = %v, want %v", key, got, want)
		}
	}
}

func TestConv1x1Experiment(t *testing.T) {
	r := run(t, "conv1x1", nil)
	for _, tc := range []struct {
		key  string
		want float64
		rel  float64
	}{
		{"direct.macs", 120.4e6, 1e-3},
		{"reduced.macs", 12.4e6, 5e-3},
		{"direct.params", 5 * 5 * 192 * 32, 0},
		{"reduced.params", 192*16 + 5*5*16*32, 0},
		{"saving", 120422400.0 / 12443648.0, 1e-12},
		{"reduced.reduce_macs", 28 * 28 * 16 * 192, 0},
		{"reduced.conv_macs", 28 * 28 * 32 * 5 * 5 * 16, 0},
	} {
		if got := experimenttest.StrictScalar(t, r, tc.key); !scalar.EqualWithinAbsOrRel(got, tc.want, 0, tc.rel) {
			t.Errorf("%s = %v, want %v (rel %g)", tc.key, got, tc.want, tc.rel)
		}
	}
	if len(r.Tables) != 1 || r.Tables[0].Key != "comparison" || len(r.Tables[0].Rows) != 4 {
		t.Fatalf("tables %+v", r.Tables)
	}
	if _, err := json.Marshal(r.JSON); err != nil {
		t.Fatal(err)
	}
	r = run(t, "conv1x1", map[string]string{"reduce": "0"})
	if got := experimenttest.StrictScalar(t, r, "saving"); got != 1 {
		t.Errorf("reduce=0: saving %v, want 1", got)
	}
}

func TestChannelMixExperiment(t *testing.T) {
	r := run(t, "channel_mix", map[string]string{"cin": "5", "cout": "3", "row": "2", "col": "1"})
	if d := experimenttest.StrictScalar(t, r, "max_abs_diff"); d > 1e-12 {
		t.Errorf("max_abs_diff = %g", d)
	}
	if len(r.Tables) != 1 || len(r.Tables[0].Rows) != 5 {
		t.Fatalf("pixel table %+v", r.Tables)
	}
	// The table's outputs are W·x for that pixel.
	m, _ := MixChannels(5, 3, 4, 4, 1)
	for o := 0; o < 3; o++ {
		want := 0.0
		for i := 0; i < 5; i++ {
			want += m.Weight.At(o, i) * m.Input.At(i, 2, 1)
		}
		if got := r.Tables[0].Rows[o].Cells[2].(float64); !scalar.EqualWithinAbsOrRel(got, want, 1e-12, 1e-12) {
			t.Errorf("y[%d] = %g, want %g", o, got, want)
		}
	}
	if r.Tables[0].Rows[4].Cells[2] != nil {
		t.Errorf("channel 4 has no output but shows %v", r.Tables[0].Rows[4].Cells[2])
	}
	if _, err := json.Marshal(r.JSON); err != nil {
		t.Fatal(err)
	}
}

func TestExperimentBadInput(t *testing.T) {
	for _, tc := range []struct {
		exp  string
		args map[string]string
		want []string
	}{
		{"conv", map[string]string{"h": "3", "w": "3", "k": "7", "pad": "0", "stride": "1"}, []string{"output would be empty", "h=3", "k=7"}},
		{"conv", map[string]string{"groups": "2"}, []string{"in channels", "divisible by groups", "c_in=3"}},
		{"conv", map[string]string{"cin": "4", "cout": "6", "groups": "4"}, []string{"out channels", "divisible by groups"}},
		{"conv", map[string]string{"stride": "0"}, []string{"stride"}},
		{"conv", map[string]string{"pad": "-1"}, []string{"pad"}},
		{"conv", map[string]string{"dilation": "0"}, []string{"dilation"}},
		{"conv", map[string]string{"k": "0"}, []string{"k must be"}},
		{"conv", map[string]string{"cin": "0"}, []string{"cin"}},
		{"conv", map[string]string{"h": "100000"}, []string{"h must be"}},
		{"conv1x1", map[string]string{"k": "4"}, []string{"k must be odd", "got 4"}},
		{"conv1x1", map[string]string{"reduce": "-1"}, []string{"reduce"}},
		{"channel_mix", map[string]string{"row": "4"}, []string{"row must be < h=4"}},
		{"channel_mix", map[string]string{"col": "9", "w": "8"}, []string{"col must be < w=8"}},
		{"channel_mix", map[string]string{"cin": "65"}, []string{"cin"}},
	} {
		e, _ := registry().Get(tc.exp)
		_, err := e.Parse(tc.args)
		if err == nil {
			t.Errorf("%s %v: no error", tc.exp, tc.args)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s %v: error %q does not mention %q", tc.exp, tc.args, err, w)
			}
		}
	}
}

// TestExtremes runs each experiment at the corners of its schema: nothing may
// panic, overflow or produce a non-finite number.
func TestExtremes(t *testing.T) {
	for _, e := range Experiments() {
		for _, corner := range []string{"min", "max"} {
			v := experimenttest.Corner(e, corner == "max")
			if corner == "max" {
				v["groups"] = 1
			}
			if e.Name == "channel_mix" && corner == "max" {
				v["row"], v["col"] = 63, 63
			}
			if _, ok := v["k"]; ok && e.Name == "conv1x1" {
				v["k"] = v["k"].(int) | 1
			}
			for k := range v {
				if _, ok := e.Params.Lookup(k); !ok {
					delete(v, k)
				}
			}
			r, err := e.Execute(context.Background(), v, nil)
			if err != nil {
				// Only the documented cross-parameter errors are acceptable here.
				if !strings.Contains(err.Error(), "output would be empty") {
					t.Errorf("%s at %s: %v", e.Name, corner, err)
				}
				continue
			}
			for _, s := range r.Scalars {
				if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) || s.Value > 1<<53 {
					t.Errorf("%s at %s: %s = %v", e.Name, corner, s.Key, s.Value)
				}
			}
			if _, err := json.Marshal(r); err != nil {
				t.Errorf("%s at %s: %v", e.Name, corner, err)
			}
		}
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

func benchmarkExperiment(b *testing.B, name string) {
	e, _ := registry().Get(name)
	v := e.Params.Defaults()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Execute(ctx, v, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConv(b *testing.B)       { benchmarkExperiment(b, "conv") }
func BenchmarkConv1x1(b *testing.B)    { benchmarkExperiment(b, "conv1x1") }
func BenchmarkChannelMix(b *testing.B) { benchmarkExperiment(b, "channel_mix") }

func BenchmarkPointwise64(b *testing.B) {
	m, _ := MixChannels(64, 64, 28, 28, 1)
	for b.Loop() {
		Pointwise(m.Weight, nil, m.Input)
	}
}

func BenchmarkPointwiseMatMul64(b *testing.B) {
	m, _ := MixChannels(64, 64, 28, 28, 1)
	for b.Loop() {
		PointwiseMatMul(m.Weight, nil, m.Input)
	}
}
