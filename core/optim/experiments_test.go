package optim

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiment/experimenttest"
	"gonum.org/v1/gonum/floats/scalar"
)

// runExp runs the experiment called name with the overrides.
func runExp(t testing.TB, name string, overrides map[string]string) *experiment.Result {
	t.Helper()
	return experimenttest.Run(t, experimenttest.Named(t, Experiments(), name), overrides, nil)
}

// checkFinite is experimenttest.CheckFinite, and every scalar has a label.
func checkFinite(t *testing.T, r *experiment.Result) {
	t.Helper()
	experimenttest.CheckFinite(t, r)
	for _, s := range r.Scalars {
		if s.Label == "" {
			t.Errorf("scalar %s has no label", s.Key)
		}
	}
}

// TestOptimizeDefaults: the default run (sgd and momentum, lr 0.4, μ 0.5 on
// 0.1·x² + 2·y² from (−5, −2), 50 steps) against closed forms.
func TestOptimizeDefaults(t *testing.T) {
	r := runExp(t, "optimize", nil)
	checkFinite(t, r)
	if r.Experiment != "optimize" {
		t.Errorf("experiment %q", r.Experiment)
	}
	sk := math.Sqrt(20)
	hb := (1.42 + math.Sqrt(1.42*1.42-2)) / 2 // λ=0.2 direction, real roots
	for _, tt := range []struct {
		key       string
		want, tol float64
	}{
		{"sgd.final_x", -5 * math.Pow(0.92, 50), 1e-12},
		{"sgd.final_y", -2 * math.Pow(-0.6, 50), 1e-12},
		{"sgd.final_loss", 0.1*25*math.Pow(0.92, 100) + 2*4*math.Pow(0.6, 100), 1e-12},
		{"sgd.dist", math.Hypot(5*math.Pow(0.92, 50), 2*math.Pow(0.6, 50)), 1e-12},
		{"sgd.diverged_at", 0, 0},
		{"momentum.diverged_at", 0, 0},
		{"lambda_min", 0.2, 1e-15},
		{"lambda_max", 4, 1e-15},
		{"kappa", 20, 1e-14},
		{"gd.rate", 0.92, 1e-15},
		{"gd.optimal_lr", 2 / 4.2, 1e-15},
		{"gd.optimal_rate", 19.0 / 21, 1e-15},
		{"momentum.rate", hb, 1e-12},
		{"momentum.optimal_lr", math.Pow(2/(math.Sqrt(0.2)+2), 2), 1e-12},
		{"momentum.optimal_beta", math.Pow((sk-1)/(sk+1), 2), 1e-12},
		{"momentum.optimal_rate", (sk - 1) / (sk + 1), 1e-12},
		{"sgd.measured_rate", 0.92, 1e-9},
		{"momentum.measured_rate", hb, 0.01},
	} {
		if got := experimenttest.Scalar(t, r, tt.key); !scalar.EqualWithinAbsOrRel(got, tt.want, tt.tol, tt.tol) {
			t.Errorf("%s = %.15g, want %.15g", tt.key, got, tt.want)
		}
	}
	// 0.1·25·0.92^(2k) ≤ 1e-6 first at k = ⌈ln(4e-7)/(2 ln 0.92)⌉ = 89 > 50.
	if got := experimenttest.Scalar(t, r, "sgd.steps_to_tol"); got != -1 {
		t.Errorf("sgd.steps_to_tol = %g, want -1 (not reached in 50 steps)", got)
	}
	if got := experimenttest.Scalar(t, r, "momentum.steps_to_tol"); got < 1 || got > 50 {
		t.Errorf("momentum.steps_to_tol = %g, want within the run", got)
	}
	if len(r.Surfaces) != 1 || len(r.Charts) != 1 {
		t.Fatalf("%d surfaces, %d charts", len(r.Surfaces), len(r.Charts))
	}
	s := r.Surfaces[0]
	// d2l's window, except y: both runs first jump to y = −2·(1 − 1.6) = 1.2,
	// so the top grows to 1.2 plus 5% of the 4.2 span.
	if s.Key != "surface" || s.NX != gridNX || s.NY != gridNY || len(s.Z) != gridNX*gridNY || len(s.Paths) != 2 ||
		s.XMin != -5.5 || s.XMax != 1 || s.YMin != -3 || !scalar.EqualWithinRel(s.YMax, 1.2+0.05*4.2, 1e-12) || len(s.Minima) != 1 {
		t.Errorf("surface window [%g, %g]×[%g, %g], %d×%d, %d paths, minima %v", s.XMin, s.XMax, s.YMin, s.YMax, s.NX, s.NY, len(s.Paths), s.Minima)
	}
	q := Quadratic(0.1, 2)
	for _, ij := range [][2]int{{0, 0}, {gridNX - 1, gridNY - 1}, {17, 11}} {
		x := s.XMin + float64(ij[0])*(s.XMax-s.XMin)/(gridNX-1)
		y := s.YMin + float64(ij[1])*(s.YMax-s.YMin)/(gridNY-1)
		if got := s.At(ij[0], ij[1]); !scalar.EqualWithinRel(got, q.F(x, y), 1e-12) {
			t.Errorf("surface z at %v = %g, want f(%g, %g) = %g", ij, got, x, y, q.F(x, y))
		}
	}
	c := r.Charts[0]
	if c.Key != "loss" || !c.LogY || len(c.Series) != 2 || len(c.Series[0].Y) != 51 {
		t.Errorf("loss chart %+v", c)
	}
}

// TestOptimizeJSON checks the --json payload's exact shape for
// `optimizer=adam lr=0.1 steps=60 surface=quadratic a=0.1 b=2 x0=-5 y0=-2`,
// and that its first 50 steps are torch's (fixture case "adam lr=0.1").
func TestOptimizeJSON(t *testing.T) {
	r := runExp(t, "optimize", map[string]string{"optimizer": "adam", "lr": "0.1", "steps": "60", "surface": "quadratic", "a": "0.1", "b": "2", "x0": "-5", "y0": "-2"})
	raw, err := json.Marshal(r.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		t.Fatal(err)
	}
	if keys := sortedKeys(top); !slices.Equal(keys, []string{"runs", "surface"}) {
		t.Fatalf("top-level keys %v", keys)
	}
	var runs []map[string]json.RawMessage
	if err := json.Unmarshal(top["runs"], &runs); err != nil || len(runs) != 1 || string(top["surface"]) != `"quadratic"` {
		t.Fatalf("runs %s, surface %s (%v)", top["runs"][:40], top["surface"], err)
	}
	if keys := sortedKeys(runs[0]); !slices.Equal(keys, []string{"diverged", "loss", "optimizer", "trajectory"}) {
		t.Fatalf("run keys %v", keys)
	}
	var run RunJSON
	if err := json.Unmarshal(raw[strings.Index(string(raw), "[{")+1:len(raw)-2], &run); err != nil {
		t.Fatal(err)
	}
	if run.Optimizer != "adam" || len(run.Trajectory) != 61 || len(run.Loss) != 61 || run.Trajectory[0] != [2]float64{-5, -2} || run.Diverged {
		t.Fatalf("run %s: %d points, %d losses, start %v", run.Optimizer, len(run.Trajectory), len(run.Loss), run.Trajectory[0])
	}
	fx := loadTorchFixture(t)
	for _, c := range fx.Cases {
		if c.Optimizer == "adam" && c.Surface == "quadratic" {
			for k, p := range c.Trajectory {
				for d := range 2 {
					if !scalar.EqualWithinAbsOrRel(run.Trajectory[k][d], p[d], 1e-12, 1e-9) {
						t.Fatalf("step %d: %v, torch %v", k, run.Trajectory[k], p)
					}
				}
			}
			return
		}
	}
	t.Fatal("fixture has no adam quadratic case")
}

func sortedKeys[V any](m map[string]V) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	slices.Sort(k)
	return k
}

// TestOptimizeDivergence: sgd with lr 1 on 0.1·x² + 2·y² diverges (|1−4| = 3);
// the result reports the step, keeps only finite numbers and the JSON run
// carries diverged_at.
func TestOptimizeDivergence(t *testing.T) {
	r := runExp(t, "optimize", map[string]string{"optimizers": "sgd,adam", "lr": "1", "steps": "1000"})
	checkFinite(t, r)
	s := Quadratic(0.1, 2)
	tr, err := Run(context.Background(), s, mustNew(t, "sgd", Config{LR: 1}), RunConfig{Start: [2]float64{-5, -2}, Steps: 1000})
	if err != nil || !tr.Diverged {
		t.Fatal("reference run did not diverge", err)
	}
	if got := experimenttest.Scalar(t, r, "sgd.diverged_at"); got != float64(tr.DivergedAt) {
		t.Errorf("sgd.diverged_at = %g, want %d", got, tr.DivergedAt)
	}
	if got := experimenttest.Scalar(t, r, "adam.diverged_at"); got != 0 {
		t.Errorf("adam.diverged_at = %g, want 0", got)
	}
	if got := experimenttest.Scalar(t, r, "gd.rate"); got != 3 {
		t.Errorf("gd.rate = %g, want 3", got)
	}
	// The kept part of the run still contracts (expands) at the predicted rate.
	if got := experimenttest.Scalar(t, r, "sgd.measured_rate"); !scalar.EqualWithinRel(got, 3, 1e-9) {
		t.Errorf("sgd.measured_rate = %g, want 3", got)
	}
	if len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "sgd diverged at step") {
		t.Errorf("notes %q", r.Notes)
	}
	p := r.JSON.(OptimizeJSON)
	if !p.Runs[0].Diverged || p.Runs[0].DivergedAt != tr.DivergedAt || len(p.Runs[0].Trajectory) != tr.DivergedAt {
		t.Errorf("json run: diverged %v at %d with %d points", p.Runs[0].Diverged, p.Runs[0].DivergedAt, len(p.Runs[0].Trajectory))
	}
	raw, _ := json.Marshal(p)
	if !strings.Contains(string(raw), `"diverged_at":`) {
		t.Error("diverged_at missing from the JSON")
	}
	// The plot window must not be stretched to 1e100.
	if sf := r.Surfaces[0]; sf.YMax-sf.YMin > 20 {
		t.Errorf("window [%g, %g] stretched by a diverging run", sf.YMin, sf.YMax)
	}
}

// TestOptimizeEverySurface runs every optimizer on every surface, with and
// without noise and at extreme settings, and checks that every number is
// finite and the per-surface keys are right.
func TestOptimizeEverySurface(t *testing.T) {
	all := strings.Join(Names(), ",")
	for _, surf := range SurfaceNames() {
		for _, extra := range []map[string]string{
			{},
			{"noise": "0.5", "seed": "3", "centered": "true", "amsgrad": "true", "weight_decay": "0.1", "eps": "1e-4"},
			{"lr": "100", "momentum": "1", "steps": "300", "x0": "100", "y0": "-100"},
			{"lr": "0", "beta1": "0", "alpha": "0", "rho": "0", "lr_decay": "1", "initial_accumulator_value": "5"},
		} {
			o := map[string]string{"optimizers": all, "surface": surf}
			for k, v := range extra {
				o[k] = v
			}
			r := runExp(t, "optimize", o)
			checkFinite(t, r)
			_, hasDist := r.Scalar("adam.dist")
			_, hasTheory := r.Scalar("kappa")
			if hasDist != (surf != "saddle") || hasTheory != (surf == "quadratic" || surf == "rotated") {
				t.Errorf("%s %v: dist %v, theory %v", surf, extra, hasDist, hasTheory)
			}
			sf := r.Surfaces[0]
			x0, y0 := experimenttest.Named(t, Experiments(), "optimize").Params.Defaults().Float("x0"), -2.0
			if v, ok := extra["x0"]; ok && v == "100" {
				x0, y0 = 100, -100
			}
			if x0 < sf.XMin || x0 > sf.XMax || y0 < sf.YMin || y0 > sf.YMax {
				t.Errorf("%s: start (%g, %g) outside the window %+v", surf, x0, y0, sf)
			}
			if surf == "saddle" && (r.Charts[0].LogY || !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "no minimum") })) {
				t.Errorf("saddle: LogY %v, notes %q", r.Charts[0].LogY, r.Notes)
			}
		}
	}
}

// TestOptimizeNoiseSeed: the same seed reproduces a noisy run exactly.
func TestOptimizeNoiseSeed(t *testing.T) {
	o := map[string]string{"optimizers": "adam,rmsprop", "noise": "1", "seed": "42"}
	a, b := runExp(t, "optimize", o), runExp(t, "optimize", o)
	o["seed"] = "43"
	c := runExp(t, "optimize", o)
	if experimenttest.Scalar(t, a, "adam.final_x") != experimenttest.Scalar(t, b, "adam.final_x") || experimenttest.Scalar(t, a, "rmsprop.final_y") != experimenttest.Scalar(t, b, "rmsprop.final_y") {
		t.Error("same seed, different results")
	}
	if experimenttest.Scalar(t, a, "adam.final_x") == experimenttest.Scalar(t, c, "adam.final_x") {
		t.Error("different seeds, same result")
	}
}

// TestOptimizeBadInput: one case per class of invalid input; each message
// must name the parameter.
func TestOptimizeBadInput(t *testing.T) {
	e := experimenttest.Named(t, Experiments(), "optimize")
	for _, tt := range []struct {
		o    map[string]string
		want string
	}{
		{map[string]string{"optimizers": "sgd,lbfgs"}, "optimizers"},
		{map[string]string{"optimizers": "adam,adam"}, "optimizers"},
		{map[string]string{"optimizer": ""}, "optimizers"},
		{map[string]string{"surface": "himmelblau"}, "surface"},
		{map[string]string{"steps": "0"}, "steps"},
		{map[string]string{"steps": "10001"}, "steps"},
		{map[string]string{"steps": "1.5"}, "steps"},
		{map[string]string{"lr": "-0.1"}, "lr"},
		{map[string]string{"lr": "NaN"}, "lr"},
		{map[string]string{"lr": "1e400"}, "lr"},
		{map[string]string{"a": "0"}, "a"},
		{map[string]string{"b": "1000"}, "b"},
		{map[string]string{"x0": "1e6"}, "x0"},
		{map[string]string{"momentum": "1.5"}, "momentum"},
		{map[string]string{"beta1": "1"}, "beta1"},
		{map[string]string{"beta2": "-0.1"}, "beta2"},
		{map[string]string{"eps": "-1"}, "eps"},
		{map[string]string{"centered": "maybe"}, "centered"},
		{map[string]string{"noise": "inf"}, "noise"},
		{map[string]string{"seed": "-1"}, "seed"},
		{map[string]string{"learning_rate": "0.1"}, "learning_rate"},
		{map[string]string{"optimizers": "momentum", "momentum": "0"}, "momentum must be > 0"},
		{map[string]string{"optimizers": "nesterov", "momentum": "0"}, "momentum must be > 0"},
		{map[string]string{"optimizers": "sgd,nesterov", "dampening": "0.1"}, "dampening must be 0"},
	} {
		_, err := e.Parse(tt.o)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one naming %q", tt.o, err, tt.want)
		}
	}
	// Rules hold for values that skip Parse too.
	v := e.Params.Defaults()
	v["optimizers"] = []string{"nesterov"}
	v["dampening"] = 0.5
	if _, err := e.Execute(context.Background(), v, nil); err == nil || !strings.Contains(err.Error(), "dampening") {
		t.Errorf("Execute with nesterov and dampening: %v", err)
	}
	// Without momentum/nesterov, momentum = 0 is fine (rmsprop's default).
	if _, err := e.Parse(map[string]string{"optimizers": "sgd,rmsprop", "momentum": "0"}); err != nil {
		t.Errorf("sgd,rmsprop with momentum 0: %v", err)
	}
}

func TestOptimizeCancel(t *testing.T) {
	e := experimenttest.Named(t, Experiments(), "optimize")
	v, err := e.Parse(map[string]string{"steps": "10000", "optimizers": strings.Join(Names(), ",")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Execute(ctx, v, nil); err == nil {
		t.Error("cancelled context: no error")
	}
	calls := 0
	if _, err := e.Execute(context.Background(), v, func(done, total int, _ *experiment.Result) {
		calls++
		if done != calls || total != 8 {
			t.Errorf("progress(%d, %d)", done, total)
		}
	}); err != nil || calls != 8 {
		t.Errorf("progress called %d times, err %v", calls, err)
	}
}

// TestOptimizeSharedDefaults: lr = 0 and eps = 0 mean each optimizer's
// PyTorch default; weight_decay = 0 means adamw's 0.01. Checked by
// replaying the runs with explicit Configs.
func TestOptimizeSharedDefaults(t *testing.T) {
	r := runExp(t, "optimize", map[string]string{"optimizers": "adadelta,adamw,rmsprop", "lr": "0", "momentum": "0", "steps": "30"})
	s := Quadratic(0.1, 2)
	for _, tt := range []struct {
		name string
		c    Config
	}{
		{"adadelta", Config{LR: 1, Rho: 0.9, Eps: 1e-6, Exact: true}},
		{"adamw", Config{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01, Exact: true}},
		{"rmsprop", Config{LR: 1e-2, Alpha: 0.99, Eps: 1e-8, Exact: true}},
	} {
		tr, err := Run(context.Background(), s, mustNew(t, tt.name, tt.c), RunConfig{Start: [2]float64{-5, -2}, Steps: 30})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := tr.Final()
		if got := experimenttest.Scalar(t, r, tt.name+".final_x"); got != p[0] {
			t.Errorf("%s.final_x = %.17g, want %.17g", tt.name, got, p[0])
		}
	}
}

// TestMomentumRates checks the rate chart against the theory functions and
// the optimal scalars against closed forms; with β = 0.5 on λ = {0.2, 4}
// there is an lr range where both directions are complex, so the best rate
// at this β is √β.
func TestMomentumRates(t *testing.T) {
	r := runExp(t, "momentum_rates", nil)
	checkFinite(t, r)
	sk := math.Sqrt(20)
	for _, tt := range []struct {
		key  string
		want float64
	}{
		{"kappa", 20}, {"lambda_min", 0.2}, {"lambda_max", 4},
		{"gd.max_lr", 0.5}, {"gd.optimal_lr", 2 / 4.2}, {"gd.optimal_rate", 19.0 / 21},
		{"momentum.max_lr", 0.75}, {"momentum.best_rate", math.Sqrt(0.5)},
		{"momentum.optimal_lr", math.Pow(2/(math.Sqrt(0.2)+2), 2)},
		{"momentum.optimal_beta", math.Pow((sk-1)/(sk+1), 2)},
		{"momentum.optimal_rate", (sk - 1) / (sk + 1)},
	} {
		if got := experimenttest.Scalar(t, r, tt.key); !scalar.EqualWithinAbsOrRel(got, tt.want, 1e-12, 1e-12) {
			t.Errorf("%s = %.15g, want %.15g", tt.key, got, tt.want)
		}
	}
	// The complex band for both directions is [(1−√β)²/λmin, (1+√β)²/λmax];
	// the best rate √β starts at its lower end (exactly 0.42893…, not a grid
	// point). Nesterov's limit is (2 + 2β)/((1 + 2β)·λmax) = 0.375.
	sb := math.Sqrt(0.5)
	for key, want := range map[string]float64{"momentum.best_lr": (1 - sb) * (1 - sb) / 0.2, "momentum.floor_lr_min": (1 - sb) * (1 - sb) / 0.2,
		"momentum.floor_lr_max": (1 + sb) * (1 + sb) / 4, "nesterov.max_lr": 0.375} {
		if got := experimenttest.Scalar(t, r, key); !scalar.EqualWithinRel(got, want, 1e-12) {
			t.Errorf("%s = %.15g, want %.15g", key, got, want)
		}
	}
	if len(r.Charts) != 1 || r.Charts[0].Key != "rates" || len(r.Charts[0].Series) != 3 {
		t.Fatalf("%d charts, first with %d series", len(r.Charts), len(r.Charts[0].Series))
	}
	c := r.Charts[0]
	xs := c.Series[0].X
	if len(xs) != ratePoints || xs[0] != 0 || !scalar.EqualWithinRel(xs[len(xs)-1], 1.25*0.75, 1e-15) {
		t.Errorf("lr axis from %g to %g with %d points", xs[0], xs[len(xs)-1], len(xs))
	}
	for i, x := range xs {
		if c.Series[0].Y[i] != GDRate(x, 0.2, 4) || c.Series[1].Y[i] != HeavyBallRate(x, 0.5, 0.2, 4) || r.JSON.(MomentumRatesJSON).Nesterov[i] != NesterovRate(x, 0.5, 0.2, 4) {
			t.Fatalf("rate at lr %g: %g, %g", x, c.Series[0].Y[i], c.Series[1].Y[i])
		}
	}
	if _, err := experimenttest.Named(t, Experiments(), "momentum_rates").Parse(map[string]string{"momentum": "1"}); err == nil || !strings.Contains(err.Error(), "momentum") {
		t.Errorf("momentum=1: %v", err)
	}
	if _, err := experimenttest.Named(t, Experiments(), "momentum_rates").Parse(map[string]string{"a": "-1"}); err == nil || !strings.Contains(err.Error(), "a must") {
		t.Errorf("a=-1: %v", err)
	}
	r = runExp(t, "momentum_rates", map[string]string{"lr_max": "2", "a": "3", "b": "0.5"})
	if xs := r.Charts[0].Series[0].X; xs[len(xs)-1] != 2 || experimenttest.Scalar(t, r, "lambda_min") != 1 || experimenttest.Scalar(t, r, "lambda_max") != 6 {
		t.Errorf("lr_max=2, a=3, b=0.5: axis ends at %g", xs[len(xs)-1])
	}
}

// BenchmarkOptimize4x1000: four optimizers × 1000 steps with the surface
// grid (budget ≤ 2 ms).
func BenchmarkOptimize4x1000(b *testing.B) {
	e := experimenttest.Named(b, Experiments(), "optimize")
	v, err := e.Parse(map[string]string{"optimizers": "sgd,momentum,rmsprop,adam", "steps": "1000", "lr": "0.05"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Execute(context.Background(), v, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOptimizeDefaults(b *testing.B) {
	e := experimenttest.Named(b, Experiments(), "optimize")
	v := e.Params.Defaults()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Execute(context.Background(), v, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMomentumRates(b *testing.B) {
	e := experimenttest.Named(b, Experiments(), "momentum_rates")
	v := e.Params.Defaults()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Execute(context.Background(), v, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMeasuredRateOnLongRuns: the measured rate approaches the prediction
// as the run grows, however long it is — at lr 0.6, μ 0.5 it read 0.8125 at
// 2,560 steps and 1 at 10,000 (prediction 0.7071), once the distance had
// underflowed; it is now measured where the distance is representable, and
// a note says over which steps.
func TestMeasuredRateOnLongRuns(t *testing.T) {
	e := optimizeExperiment()
	for _, tc := range []struct {
		steps int
		tol   float64 // relative, against the prediction √β
		cut   bool    // the distance falls below Representable within the run
	}{
		{100, 0.005, false},
		{200, 0.005, false},
		{500, 0.005, false},
		{1000, 0.005, false},
		{1280, 0.005, false},
		{2000, 0.005, true},
		{2560, 0.005, true},
		{5000, 0.005, true},
		{10000, 0.005, true},
	} {
		r := experimenttest.Run(t, e, map[string]string{"optimizers": "momentum", "lr": "0.6", "momentum": "0.5", "steps": strconv.Itoa(tc.steps)}, nil)
		want := experimenttest.Scalar(t, r, "momentum.rate")
		got := experimenttest.Scalar(t, r, "momentum.measured_rate")
		if !scalar.EqualWithinRel(want, math.Sqrt(0.5), 1e-12) || !scalar.EqualWithinRel(got, want, tc.tol) {
			t.Errorf("%d steps: measured rate %.4f, predicted %.4f", tc.steps, got, want)
		}
		cut := slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "fell below 1e-250 at step") })
		if cut != tc.cut {
			t.Errorf("%d steps: note on the representable part %v, want %v: %q", tc.steps, cut, tc.cut, r.Notes)
		}
		// The loss chart keeps its log axis after f underflows to 0.
		if c, _ := r.Chart("loss"); !c.LogY {
			t.Errorf("%d steps: the loss chart lost its log axis", tc.steps)
		}
	}
	// A run that lands on the minimum at step 1 has no rate to measure: a
	// note says so and no number is given.
	r := experimenttest.Run(t, e, map[string]string{"optimizers": "sgd", "a": "1", "b": "1", "lr": "0.5", "steps": "20"}, nil)
	if _, ok := r.Scalar("sgd.measured_rate"); ok || !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "sgd's rate cannot be measured") }) {
		t.Errorf("a run at the minimum after one step: measured_rate given or no note: %q", r.Notes)
	}
}

// TestIgnoredParams: a parameter none of the chosen optimizers reads is
// named with whose it is and what was meant; optimizerParams agrees with
// configFor, which hands the parameters out (a parameter changes an
// optimizer's Config exactly when the table says it reads it).
func TestIgnoredParams(t *testing.T) {
	e := optimizeExperiment()
	for _, tc := range []struct {
		over map[string]string
		want []string
	}{
		{map[string]string{"optimizers": "rmsprop", "momentum": "0.5"}, []string{"momentum is SGD's momentum μ (optimizers momentum and nesterov), which rmsprop does not use: RMSprop's momentum is rmsprop_momentum"}},
		{map[string]string{"optimizers": "adam", "rho": "0.5"}, []string{"rho is Adadelta's ρ, which adam does not use: Adam has no ρ (its average of g² decays by beta2)"}},
		{map[string]string{"optimizers": "sgd,adam", "alpha": "0.9", "eps": "0.001"}, []string{"alpha is RMSprop's smoothing constant α, which sgd and adam do not use: Adam's average of g² decays by beta2"}},
		{map[string]string{"optimizers": "momentum,rmsprop", "momentum": "0.5", "alpha": "0.9"}, nil},
		{map[string]string{"optimizers": "adagrad", "lr_decay": "0.1", "eps": "0.001"}, nil},
	} {
		v, err := e.Parse(tc.over)
		if err != nil {
			t.Fatal(err)
		}
		var given []string
		for k := range tc.over {
			given = append(given, k)
		}
		if got := e.Ignored(v, given); !slices.Equal(got, tc.want) {
			t.Errorf("%v: %q, want %q", tc.over, got, tc.want)
		}
	}
	// What an optimizer reads, by what changes its path.
	changed := map[string]string{"momentum": "0.3", "dampening": "0.2", "rmsprop_momentum": "0.3", "alpha": "0.5", "centered": "true",
		"rho": "0.5", "beta1": "0.5", "beta2": "0.5", "amsgrad": "true", "lr_decay": "0.5", "initial_accumulator_value": "0.5", "eps": "0.5"}
	path := func(over map[string]string) [][2]float64 {
		over["steps"] = "300"
		return experimenttest.Run(t, e, over, nil).JSON.(OptimizeJSON).Runs[0].Trajectory
	}
	p, _ := e.Params.Lookup("optimizers")
	for _, opt := range p.Choices {
		base := path(map[string]string{"optimizers": opt})
		for _, own := range optimizerParams {
			over := map[string]string{"optimizers": opt, own.Param: changed[own.Param]}
			if opt == "nesterov" && own.Param == "dampening" {
				continue // nesterov refuses dampening; it reads it to say so
			}
			if reads := !slices.EqualFunc(path(over), base, func(a, b [2]float64) bool { return a == b }); reads != slices.Contains(own.ReadBy, opt) {
				t.Errorf("%s reads %s: its path says %v, optimizerParams %v", opt, own.Param, reads, !reads)
			}
		}
	}
}
