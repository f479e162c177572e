package residual

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// TestDegradation checks the lesson's claim at depth ≥ 20 with the default
// (PyTorch nn.Linear) init, over several seeds: the plain net's loss stays
// at ln 2 (chance) with its first layer's gradient more than 10 orders of
// magnitude below its last layer's, while the residual net, equal but for
// the skips and started from the same weights, trains. A shallow plain net
// (depth 1, four layers) learns with the same settings, so the failure
// comes from depth.
func TestDegradation(t *testing.T) {
	seeds := []string{"1", "2", "3", "4", "5"}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		for _, depth := range []string{"20", "32"} {
			t.Run("seed="+seed+",depth="+depth, func(t *testing.T) {
				r := experimenttest.Run(t, Experiment(), map[string]string{"seed": seed, "depth": depth}, nil)
				pl, rl := experimenttest.Scalar(t, r, "plain.final_loss"), experimenttest.Scalar(t, r, "residual.final_loss")
				pa, ra := experimenttest.Scalar(t, r, "plain.accuracy"), experimenttest.Scalar(t, r, "residual.accuracy")
				pr, rr := experimenttest.Scalar(t, r, "plain.grad_ratio"), experimenttest.Scalar(t, r, "residual.grad_ratio")
				t.Logf("plain loss %.4f acc %.3f ratio %.2g | residual loss %.4f acc %.3f ratio %.2g", pl, pa, pr, rl, ra, rr)
				if math.Abs(pl-math.Ln2) > 0.01 || pa > 0.55 {
					t.Errorf("plain net trained (loss %v, accuracy %v); want it stuck at ln 2 and chance", pl, pa)
				}
				if rl > 0.45 || ra < 0.8 {
					t.Errorf("residual net did not train (loss %v, accuracy %v); want loss < 0.45, accuracy ≥ 0.8", rl, ra)
				}
				if pr > 1e-10 {
					t.Errorf("plain.grad_ratio = %v, want < 1e-10 (vanishing toward the input)", pr)
				}
				if rr < 1e-3 {
					t.Errorf("residual.grad_ratio = %v, want ≥ 1e-3", rr)
				}
				// Layer by layer, the plain net's gradient shrinks toward the
				// input: every hidden layer's is smaller than that of the
				// layer two blocks (four layers) later, and the first hidden
				// layer's is 10⁹ below the residual net's.
				p := barGroup(t, r, "grad_norm_init", "plain")
				q := barGroup(t, r, "grad_norm_init", "residual")
				for l := 1; l+4 < len(p)-1; l++ {
					if !(p[l] < p[l+4]) {
						t.Errorf("plain grad_norm_init L%d = %v ≥ L%d = %v", l+1, p[l], l+5, p[l+4])
					}
				}
				if !(p[1] < 1e-9*q[1]) {
					t.Errorf("plain L2 gradient %v is not 10⁹ below the residual's %v", p[1], q[1])
				}
			})
		}
	}
	t.Run("shallow plain learns", func(t *testing.T) {
		r := experimenttest.Run(t, Experiment(), map[string]string{"depth": "1"}, nil)
		if l, a := experimenttest.Scalar(t, r, "plain.final_loss"), experimenttest.Scalar(t, r, "plain.accuracy"); l > 0.65 || a < 0.6 {
			t.Errorf("depth-1 plain net: loss %v, accuracy %v; want loss < 0.65 (below ln 2), accuracy ≥ 0.6", l, a)
		}
	})
}

func barGroup(t *testing.T, r *experiment.Result, key, group string) []float64 {
	t.Helper()
	for _, b := range r.Bars {
		if b.Key != key {
			continue
		}
		for _, g := range b.Groups {
			if g.Name == group {
				return g.Values
			}
		}
	}
	t.Fatalf("no bar chart %q group %q", key, group)
	return nil
}

// TestResultShape checks the result and the JSON payload of the brief's
// example run: keys, lengths, labels, and that every number is finite.
func TestResultShape(t *testing.T) {
	over := map[string]string{"depth": "30", "width": "32", "batch": "128", "steps": "200", "lr": "0.05", "seed": "1"}
	if testing.Short() {
		over["steps"] = "20"
	}
	steps := 200
	if testing.Short() {
		steps = 20
	}
	const layers = 62
	r := experimenttest.Run(t, Experiment(), over, nil)
	if r.Experiment != "residual" {
		t.Errorf("Experiment = %q", r.Experiment)
	}

	// Scalars.
	var keys []string
	for _, s := range r.Scalars {
		keys = append(keys, s.Key)
		if s.Label == "" {
			t.Errorf("scalar %s has no label", s.Key)
		}
	}
	for _, k := range []string{"plain.final_loss", "residual.final_loss", "plain.accuracy", "residual.accuracy",
		"plain.grad_ratio", "residual.grad_ratio", "layers", "params"} {
		if !slices.Contains(keys, k) {
			t.Errorf("missing scalar %s", k)
		}
	}
	if got := experimenttest.Scalar(t, r, "layers"); got != layers {
		t.Errorf("layers = %v, want %d", got, layers)
	}
	// 2·32+32 + 30·2·(32²+32) + 32·2+2 = 96 + 63360 + 66.
	if got := experimenttest.Scalar(t, r, "params"); got != 63522 {
		t.Errorf("params = %v, want 63522", got)
	}

	// Loss chart.
	if len(r.Charts) != 1 || r.Charts[0].Key != "loss" || !r.Charts[0].LogY {
		t.Fatalf("charts = %+v, want one LogY chart \"loss\"", r.Charts)
	}
	if n := len(r.Charts[0].Series); n != 4 {
		t.Fatalf("loss chart has %d series, want 4 (two moving averages, two faint raw curves)", n)
	}
	for i, s := range r.Charts[0].Series {
		if s.Name != []string{"plain, EMA 0.95", "residual, EMA 0.95", "plain, per step", "residual, per step"}[i] || s.Faint != (i >= 2) {
			t.Errorf("series %d is %q (faint %v)", i, s.Name, s.Faint)
		}
		if len(s.Y) != len(s.X) || s.X[0] != 1 {
			t.Errorf("series %s: %d x, %d y, x[0] = %v", s.Name, len(s.X), len(s.Y), s.X[0])
		}
	}

	// Bars.
	if len(r.Bars) != 2 || r.Bars[0].Key != "grad_norm_init" || r.Bars[1].Key != "grad_norm_final" {
		t.Fatalf("bars = %+v", r.Bars)
	}
	for _, b := range r.Bars {
		if !b.LogY || len(b.Labels) != layers || b.Labels[0] != "L1" || b.Labels[layers-1] != "L62" {
			t.Errorf("bar %s: LogY %v, %d labels %v…", b.Key, b.LogY, len(b.Labels), b.Labels[:2])
		}
		if len(b.Groups) != 2 || b.Groups[0].Name != "plain" || b.Groups[1].Name != "residual" {
			t.Errorf("bar %s groups %+v", b.Key, b.Groups)
		}
		for _, g := range b.Groups {
			if len(g.Values) != layers {
				t.Errorf("bar %s group %s has %d values", b.Key, g.Name, len(g.Values))
			}
		}
	}

	// JSON payload: exactly the documented keys.
	data, err := json.Marshal(r.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var payload map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data, &payload); err != nil {
		t.Fatal(err)
	}
	if got := sortedKeys(payload); !slices.Equal(got, []string{"plain", "residual"}) {
		t.Errorf("payload keys %v", got)
	}
	for name, net := range payload {
		want := []string{"accuracy", "grad_norm_final", "grad_norm_init", "loss"}
		if _, ok := net["diverged_at"]; ok {
			want = append([]string{"accuracy", "diverged_at"}, want[1:]...)
		}
		if got := sortedKeys(net); !slices.Equal(got, want) {
			t.Errorf("%s keys %v, want %v", name, got, want)
		}
	}
	var p Payload
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	for _, n := range []NetJSON{p.Plain, p.Residual} {
		if len(n.GradNormInit) != layers || len(n.GradNormFinal) != layers {
			t.Errorf("grad norms: %d, %d values, want %d", len(n.GradNormInit), len(n.GradNormFinal), layers)
		}
		if n.DivergedAt == 0 && len(n.Loss) != steps {
			t.Errorf("loss has %d values, want %d", len(n.Loss), steps)
		}
	}
	experimenttest.CheckFinite(t, r)
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestDivergence checks that a net whose loss overflows is reported as
// "diverged at step k" with its curve cut there, while every number stays
// finite and the other net goes on. The He init makes a 30-block residual
// net without normalization blow up (activations grow ~2× per block) when
// its gradients are not clipped.
func TestDivergence(t *testing.T) {
	r := experimenttest.Run(t, Experiment(), map[string]string{"depth": "30", "init": "he", "lr": "0.05", "steps": "30", "clip": "0"},
		func(done, _ int, p *experiment.Result) {
			// Partial curves: as long as the steps each net has done.
			for _, s := range p.Charts[0].Series {
				if len(s.X) != len(s.Y) || len(s.Y) > done || (strings.HasPrefix(s.Name, "plain") && len(s.Y) != done) {
					t.Errorf("at step %d: %s has %d x and %d y", done, s.Name, len(s.X), len(s.Y))
				}
			}
		})
	d := experimenttest.Scalar(t, r, "residual.diverged_at")
	if d < 1 {
		t.Fatalf("residual.diverged_at = %v, want a step", d)
	}
	if got := experimenttest.Scalar(t, r, "plain.diverged_at"); got != 0 {
		t.Errorf("plain.diverged_at = %v, want 0", got)
	}
	if n := len(r.Charts[0].Series[1].Y); n != int(d)-1 {
		t.Errorf("residual curve has %d points, want %v", n, d-1)
	}
	if n := len(r.Charts[0].Series[0].Y); n != 30 {
		t.Errorf("plain curve has %d points, want 30", n)
	}
	note := fmt.Sprintf("residual net diverged at step %d", int(d))
	if !slices.ContainsFunc(r.Notes, func(s string) bool { return strings.Contains(s, note) }) {
		t.Errorf("notes %q lack %q", r.Notes, note)
	}
	experimenttest.CheckFinite(t, r)
	if p := r.JSON.(Payload); p.Residual.DivergedAt != int(d) || p.Plain.DivergedAt != 0 {
		t.Errorf("payload diverged_at: plain %d, residual %d", p.Plain.DivergedAt, p.Residual.DivergedAt)
	}
}

// TestProgressAndCancel checks the progress reports (about every 5% of the
// steps, with loss curves as long as the steps done) and that cancelling
// stops the run with the context's error.
func TestProgressAndCancel(t *testing.T) {
	var dones []int
	experimenttest.Run(t, Experiment(), map[string]string{"steps": "100"}, func(done, total int, p *experiment.Result) {
		if total != 100 {
			t.Errorf("total = %d", total)
		}
		if p == nil || len(p.Charts) != 1 || p.Charts[0].Key != "loss" {
			t.Fatalf("partial result %+v", p)
		}
		for _, s := range p.Charts[0].Series {
			if len(s.Y) != done || len(s.X) != done {
				t.Errorf("at %d: series %s has %d/%d points", done, s.Name, len(s.X), len(s.Y))
			}
		}
		dones = append(dones, done)
	})
	if len(dones) != 20 || dones[0] != 5 || dones[19] != 100 {
		t.Errorf("progress at %v, want every 5 steps up to 100", dones)
	}

	e := Experiment()
	v := e.Params.Defaults()
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := e.Execute(ctx, v, func(done, total int, _ *experiment.Result) {
		calls++
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: error %v, want context.Canceled", err)
	}
	if calls != 1 {
		t.Errorf("progress called %d times after cancel, want 1", calls)
	}
}

// TestDeterministic checks that a seed reproduces a run exactly.
func TestDeterministic(t *testing.T) {
	over := map[string]string{"steps": "30", "optimizer": "adam", "lr": "0.003"}
	a, _ := json.Marshal(experimenttest.Run(t, Experiment(), over, nil).JSON)
	b, _ := json.Marshal(experimenttest.Run(t, Experiment(), over, nil).JSON)
	if string(a) != string(b) {
		t.Error("two runs with the same seed differ")
	}
	over["seed"] = "2"
	c, _ := json.Marshal(experimenttest.Run(t, Experiment(), over, nil).JSON)
	if string(a) == string(c) {
		t.Error("runs with different seeds are equal")
	}
}

// TestValidation checks one bad input of each kind: the error must name the
// parameter (or parameters) at fault.
func TestValidation(t *testing.T) {
	e := Experiment()
	if _, err := e.Parse(nil); err != nil {
		t.Fatalf("defaults rejected: %v", err)
	}
	if _, err := e.Parse(map[string]string{"depth": "30", "width": "32", "batch": "128", "steps": "200", "lr": "0.05", "seed": "1"}); err != nil {
		t.Fatalf("the lesson's example rejected: %v", err)
	}
	for _, tc := range []struct {
		over map[string]string
		want string
	}{
		{map[string]string{"depth": "0"}, "depth"},
		{map[string]string{"depth": "65"}, "depth"},
		{map[string]string{"width": "1"}, "width"},
		{map[string]string{"width": "129"}, "width"},
		{map[string]string{"batch": "0"}, "batch"},
		{map[string]string{"batch": "1025", "points": "4096"}, "batch"},
		{map[string]string{"steps": "0"}, "steps"},
		{map[string]string{"steps": "5001"}, "steps"},
		{map[string]string{"lr": "0"}, "lr"},
		{map[string]string{"lr": "NaN"}, "lr"},
		{map[string]string{"lr": "11"}, "lr"},
		{map[string]string{"seed": "-1"}, "seed"},
		{map[string]string{"init": "lecun"}, "init"},
		{map[string]string{"optimizer": "rmsprop"}, "optimizer"},
		{map[string]string{"points": "1"}, "points"},
		{map[string]string{"points": "5000"}, "points"},
		{map[string]string{"noise": "-0.1"}, "noise"},
		{map[string]string{"turns": "4"}, "turns"},
		{map[string]string{"depth": "x"}, "depth"},
		{map[string]string{"batch": "300"}, "batch must be ≤ points"},
		{map[string]string{"depth": "64", "width": "128", "batch": "512", "points": "512"}, "the two nets would hold"},
		{map[string]string{"depth": "30", "width": "32", "batch": "128", "steps": "5000"}, "s of computing"},
	} {
		_, err := e.Parse(tc.over)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one containing %q", tc.over, err, tc.want)
		}
	}
	// The time bound's message says what to reduce.
	_, err := e.Parse(map[string]string{"depth": "30", "width": "32", "batch": "128", "steps": "5000"})
	if err == nil || !strings.Contains(err.Error(), "reduce steps") {
		t.Errorf("time bound error %v does not say what to reduce", err)
	}
}

// TestTrainRejectsBadConfig checks Train's own checks for callers that do
// not go through the experiment schema.
func TestTrainRejectsBadConfig(t *testing.T) {
	good := Config{Depth: 2, Width: 4, Batch: 4, Steps: 1, LR: 0.1, Init: Torch, Optimizer: SGD, Points: 8, Turns: 1}
	for _, tc := range []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.Depth = 0 }, "depth"},
		{func(c *Config) { c.Width = 0 }, "width"},
		{func(c *Config) { c.Steps = 0 }, "steps"},
		{func(c *Config) { c.Points = 1 }, "points"},
		{func(c *Config) { c.Batch = 9 }, "batch"},
		{func(c *Config) { c.LR = math.Inf(1) }, "lr"},
		{func(c *Config) { c.Init = "x" }, "init"},
		{func(c *Config) { c.Optimizer = "x" }, "optimizer"},
		{func(c *Config) { c.Noise = -1 }, "noise"},
	} {
		c := good
		tc.mod(&c)
		if _, _, err := Train(context.Background(), c, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one naming %s", c, err, tc.want)
		}
	}
	if _, _, err := Train(context.Background(), good, nil); err != nil {
		t.Errorf("good config: %v", err)
	}
}

// ClipGradNorm follows torch.nn.utils.clip_grad_norm_: the total norm is
// scaled to maxNorm/(‖g‖+1e-6)·‖g‖ when it is larger, untouched otherwise.
func TestClipGradNorm(t *testing.T) {
	g := []float64{3, 4} // norm 5
	if n := ClipGradNorm(g, 10); n != 5 || g[0] != 3 || g[1] != 4 {
		t.Errorf("below the limit: norm %v, g %v", n, g)
	}
	if n := ClipGradNorm(g, 0); n != 5 || g[0] != 3 {
		t.Errorf("clip 0 changed g: %v", g)
	}
	ClipGradNorm(g, 1)
	want := 1 / (5 + 1e-6)
	if math.Abs(g[0]-3*want) > 1e-15 || math.Abs(g[1]-4*want) > 1e-15 {
		t.Errorf("clipped to %v, want %v", g, []float64{3 * want, 4 * want})
	}
}

// The documented example trains the residual net without diverging once
// gradients are clipped (the default), and the plain net still stalls.
func TestExampleRunWithClipping(t *testing.T) {
	if testing.Short() {
		t.Skip("a full training run")
	}
	r := experimenttest.Run(t, Experiment(), map[string]string{"depth": "30", "width": "32", "batch": "128", "steps": "200", "lr": "0.05", "seed": "1"}, nil)
	if d := experimenttest.Scalar(t, r, "residual.diverged_at"); d != 0 {
		t.Errorf("residual diverged at step %v", d)
	}
	if a := experimenttest.Scalar(t, r, "residual.accuracy"); a < 0.95 {
		t.Errorf("residual accuracy %v, want ≥ 0.95", a)
	}
	if a := experimenttest.Scalar(t, r, "plain.accuracy"); a > 0.55 {
		t.Errorf("plain accuracy %v, want ≈ 0.5 (stalled)", a)
	}
}

// The run bounds refuse what used to be permitted and ran too long (58 s at
// depth 64, width 2, batch 1024, 5000 steps) or held too much (352 MB at
// depth 64, width 128, batch 256 with BN and Adam), each with its rule.
func TestRunBounds(t *testing.T) {
	e := Experiment()
	for _, tc := range []struct {
		over map[string]string
		rule string
	}{
		{map[string]string{"depth": "64", "width": "2", "batch": "1024", "points": "4096", "steps": "5000"}, "rule.residual.time"},
		{map[string]string{"depth": "64", "width": "128", "batch": "1", "points": "4096", "steps": "1"}, "rule.residual.time"},
		{map[string]string{"depth": "64", "width": "128", "batch": "256", "points": "4096", "steps": "1", "bn": "true", "optimizer": "adam"}, "rule.residual.memory"},
		{map[string]string{"depth": "64", "width": "128", "batch": "1", "points": "2", "steps": "1", "optimizer": "adam"}, "rule.residual.memory"},
		{map[string]string{"depth": "64", "width": "128", "batch": "1", "points": "2", "steps": "1"}, ""},
		{map[string]string{"depth": "64", "width": "32", "batch": "1024", "points": "1024", "steps": "1", "bn": "true", "optimizer": "adam"}, ""},
		{map[string]string{"steps": "1000", "bn": "true"}, ""},
	} {
		_, err := e.Parse(tc.over)
		var ie *experiment.InvalidError
		switch {
		case tc.rule == "" && err != nil:
			t.Errorf("%v: %v, want it permitted", tc.over, err)
		case tc.rule != "" && (!errors.As(err, &ie) || ie.Rule != tc.rule):
			t.Errorf("%v: %v, want %s", tc.over, err, tc.rule)
		}
	}
}

// The cost model is an upper envelope, within −5%…+60%, of the process CPU time per step
// measured by BenchmarkCost at its corners (without and with BN), and of
// the measured cost of evaluating 4096 points one and 32 at a time.
func TestCostModel(t *testing.T) {
	for _, m := range []struct {
		depth, width, batch int
		bn                  bool
		ns                  float64
	}{
		{1, 2, 1, false, 3232}, {64, 2, 1, false, 70050}, {64, 2, 1024, false, 12265490},
		{16, 128, 1024, false, 592728100}, {64, 128, 1, false, 56186692}, {64, 32, 1024, false, 196561450},
		{32, 64, 256, false, 77969700},
		{1, 2, 2, true, 4674}, {64, 2, 2, true, 119108}, {64, 2, 1024, true, 22384897},
		{16, 128, 1024, true, 918914150}, {64, 128, 2, true, 61721879}, {64, 32, 1024, true, 399408200},
		{32, 64, 256, true, 134421550},
	} {
		if r := StepCost(m.depth, m.width, m.batch, m.bn) / m.ns; r < 0.95 || r > 1.6 {
			t.Errorf("depth %d width %d batch %d bn %v: model/measured = %.2f", m.depth, m.width, m.batch, m.bn, r)
		}
	}
	// 4096 chunks of 1 and 128 of 32 at depth 64, width 128: 1.75 ms and
	// 20 ms a chunk.
	for _, m := range []struct{ batch, chunks, ms float64 }{{1, 4096, 1.75}, {32, 128, 20}} {
		if r := evalCost(64, 128, int(m.batch), false) / (m.ms * 1e6); r < 0.95 || r > 1.6 {
			t.Errorf("evaluation in chunks of %v: model/measured = %.2f", m.batch, r)
		}
	}
}

// BenchmarkSlowestPermittedRun times the most expensive run the bound
// permits (depth 64, width 2, batch 1024, Adam), in CPU seconds: it should
// stay near the model's MaxSeconds. A benchmark, not a test: the machine is
// shared, and CPU time is only a measure here.
func BenchmarkSlowestPermittedRun(b *testing.B) {
	steps := 1
	for RunSeconds(64, 2, 1024, steps+1, 1024, false) <= MaxSeconds {
		steps++
	}
	e := Experiment()
	v, err := e.Parse(map[string]string{"depth": "64", "width": "2", "batch": "1024", "points": "1024", "steps": strconv.Itoa(steps), "optimizer": "adam"})
	if err != nil {
		b.Fatal(err)
	}
	var cpu float64
	for b.Loop() {
		c0 := processCPU()
		if _, err := e.Execute(context.Background(), v, nil); err != nil {
			b.Fatal(err)
		}
		cpu += (processCPU() - c0).Seconds()
	}
	b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
	b.ReportMetric(RunSeconds(64, 2, 1024, steps, 1024, false), "modelled-s")
}

// TestMovingAverage: the bias-corrected EMA against its closed forms: a
// constant stays that constant; after a step from 0 to 1 at t = 1 the
// average is 1 at once; for y = 1 then 0, s_t/(1 − βᵗ) = (1 − β)·βᵗ⁻¹/(1 − βᵗ).
func TestMovingAverage(t *testing.T) {
	const beta = 0.95
	for i, v := range MovingAverage([]float64{3, 3, 3, 3}, beta) {
		if math.Abs(v-3) > 1e-12 {
			t.Errorf("constant 3: average %d is %v", i, v)
		}
	}
	ys := make([]float64, 50)
	ys[0] = 1
	for i, v := range MovingAverage(ys, beta) {
		tt := float64(i + 1)
		want := (1 - beta) * math.Pow(beta, tt-1) / (1 - math.Pow(beta, tt))
		if math.Abs(v-want) > 1e-12 {
			t.Errorf("impulse: average at t=%v is %v, want %v", tt, v, want)
		}
	}
	if got := MovingAverage(nil, beta); len(got) != 0 {
		t.Errorf("MovingAverage(nil) = %v", got)
	}
}

// TestSizesReach: every size's reach at the lesson's bn-long values ends
// where the bounds do — accepted at the end, refused one past it — and
// steps' is what the time bound allows (the cell showed 5,000 and refused
// above about 2,000).
func TestSizesReach(t *testing.T) {
	e := Experiment()
	v, err := e.Parse(map[string]string{"bn": "true", "clip": "0", "depth": "20", "lr": "0.01", "steps": "1000"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range e.Sizes {
		p, _ := e.Params.Lookup(name)
		lo, hi := e.Reach(v, name)
		w := v.Clone()
		w[name] = hi
		if err := e.Check(w); err != nil {
			t.Errorf("%s: its reach ends at %d, which is refused: %v", name, hi, err)
		}
		if hi < int(p.Max) {
			w[name] = hi + 1
			if e.Check(w) == nil {
				t.Errorf("%s: %d is accepted, beyond its reach %d", name, hi+1, hi)
			}
		}
		w[name] = lo
		if err := e.Check(w); err != nil {
			t.Errorf("%s: its reach starts at %d, which is refused: %v", name, lo, err)
		}
	}
	if _, hi := e.Reach(v, "steps"); hi >= 5000 || hi < 1000 {
		t.Errorf("steps reach %d at bn-long's values", hi)
	}
}
