package adaptive

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Adagrad's effective learning rate equals lr/(√Σg² + ε) with the sum taken
// independently over the gradients recorded at every step.
func TestAdagradEffLRFromRecordedGradients(t *testing.T) {
	c := DefaultConfig()
	lr, eps := c.LRFor(Adagrad), c.EpsFor(Adagrad)
	src := &source{task: Linear, values: Gaussian, noise: 0.1, p: Frequencies(c.Features, c.PMax, c.PMin),
		wStar: trueWeights(c.Features, rand.New(rand.NewPCG(1, 2)))}
	tr := newTrainer(Linear, c.Features, []string{Adagrad}, func(string) Hyper { h := c.Hyper; h.LR, h.Eps = lr, eps; return h })
	r := tr.runs[0]
	rng := rand.New(rand.NewPCG(3, 4))
	X, y := make([]float64, c.Batch*c.Features), make([]float64, c.Batch)
	var grads [][]float64
	for step := 1; step <= 500; step++ {
		src.fill(rng, X, y)
		tr.step(step, X, y)
		grads = append(grads, slices.Clone(r.g))
		for j := range c.Features {
			sum := 0.0
			for _, g := range grads {
				sum += g[j] * g[j]
			}
			want := lr / (math.Sqrt(sum) + eps)
			if !scalar.EqualWithinRel(r.eff[j], want, 1e-12) {
				t.Fatalf("step %d f%d: η = %.17g, lr/(√Σg²+ε) = %.17g", step, j+1, r.eff[j], want)
			}
		}
	}
}

// The headline of the lesson at the defaults, for several seeds: Adagrad
// gives the rarest feature a larger effective learning rate than the most
// frequent one, SGD gives both exactly lr; RMSprop and Adam do so on average
// over the run; and with f1 matched, SGD leaves the rare weight further from
// its target than Adagrad does.
func TestHeadlineAtDefaults(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		c := DefaultConfig()
		c.Seed = seed
		o, err := Train(context.Background(), c, nil)
		if err != nil {
			t.Fatal(err)
		}
		runs := map[string]Run{}
		for _, r := range o.Runs {
			if r.DivergedAt != 0 {
				t.Fatalf("seed %d: %s diverged at %d", seed, r.Optimizer, r.DivergedAt)
			}
			runs[r.Optimizer] = r
		}
		d := c.Features
		final := func(name string) []float64 { e := runs[name].EffLR; return e[len(e)-1] }
		if f := final(SGD); f[d-1]/f[0] != 1 || f[0] != DefaultLR[SGD] {
			t.Errorf("seed %d: sgd η = %v, want all %v", seed, f, DefaultLR[SGD])
		}
		if f := final(Adagrad); !(f[d-1]/f[0] > 1) {
			t.Errorf("seed %d: adagrad η_rare/η_f1 = %v, want > 1", seed, f[d-1]/f[0])
		}
		for _, name := range []string{RMSprop, Adam} {
			if m, ok := meanRatio(runs[name], o.Steps, d-1); !ok || !(m > 1) {
				t.Errorf("seed %d: %s mean η_rare/η_f1 = %v, want > 1", seed, name, m)
			}
		}
		if s, a := runs[SGD].FinalError[d-1], runs[Adagrad].FinalError[d-1]; !(s > a) {
			t.Errorf("seed %d: rare error sgd %v, adagrad %v; want sgd > adagrad", seed, s, a)
		}
		if o.Updates[0] <= o.Updates[d-1] {
			t.Errorf("seed %d: updates f1 %d ≤ rare %d", seed, o.Updates[0], o.Updates[d-1])
		}
	}
}

// Adagrad's η never grows; over a run it shrinks for every updated feature.
func TestAdagradEffLRNonIncreasing(t *testing.T) {
	c := DefaultConfig()
	c.Optimizers = []string{Adagrad}
	o, err := Train(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := o.Runs[0].EffLR
	for k := 1; k < len(e); k++ {
		for j := range e[k] {
			if e[k][j] > e[k-1][j] {
				t.Fatalf("f%d: η grew from %v to %v at step %d", j+1, e[k-1][j], e[k][j], o.Steps[k])
			}
		}
	}
}

// A step updates feature j exactly when its minibatch contains j: the
// data-side count equals every optimizer's count of non-zero gradients, and
// the observed frequencies are near p_j.
func TestUpdateCounts(t *testing.T) {
	c := DefaultConfig()
	c.Steps, c.Batch = 2000, 1
	o, err := Train(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range o.Runs {
		if !slices.Equal(r.Updates, o.Updates) {
			t.Errorf("%s: updates %v, batches containing the feature %v", r.Optimizer, r.Updates, o.Updates)
		}
		for j, f := range r.FirstUpdate {
			if (f == 0) != (o.Updates[j] == 0) {
				t.Errorf("%s f%d: first update %d with %d updates", r.Optimizer, j+1, f, o.Updates[j])
			}
		}
	}
	n := float64(c.Steps * c.Batch)
	for j, p := range o.Frequency {
		// batch 1: updates = samples containing the feature.
		if o.Observed[j]*n != float64(o.Updates[j]) {
			t.Errorf("f%d: observed %v·%v ≠ updates %d", j+1, o.Observed[j], n, o.Updates[j])
		}
		if sd := math.Sqrt(p * (1 - p) / n); math.Abs(o.Observed[j]-p) > 5*sd+1e-12 {
			t.Errorf("f%d: observed frequency %v, p = %v ± %v", j+1, o.Observed[j], p, 5*sd)
		}
	}
}

func TestDeterminism(t *testing.T) {
	for _, task := range []string{Linear, Logistic} {
		c := DefaultConfig()
		c.Task = task
		a, err := Train(context.Background(), c, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Train(context.Background(), c, nil)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two runs with seed %d differ", task, c.Seed)
		}
		c.Seed++
		d, _ := Train(context.Background(), c, nil)
		if reflect.DeepEqual(a.Runs[0].Loss, d.Runs[0].Loss) {
			t.Errorf("%s: seeds %d and %d give the same losses", task, c.Seed-1, c.Seed)
		}
	}
}

func TestRecordSteps(t *testing.T) {
	for _, steps := range []int{1, 7, 200, 201, 1000, 9999, MaxSteps} {
		s := RecordSteps(steps)
		if len(s) > MaxRecorded || len(s) != min(steps, MaxRecorded) || s[len(s)-1] != steps || s[0] < 1 {
			t.Fatalf("steps %d: %d recorded, first %d last %d", steps, len(s), s[0], s[len(s)-1])
		}
		for k := 1; k < len(s); k++ {
			if s[k] <= s[k-1] {
				t.Fatalf("steps %d: not ascending at %d: %v", steps, k, s[k-1:k+1])
			}
		}
	}
	if got := RecordSteps(1000)[:3]; !slices.Equal(got, []int{5, 10, 15}) {
		t.Errorf("RecordSteps(1000) starts %v, want [5 10 15]", got)
	}
}

// lr = 0 gives each optimizer its default; lr > 0 is shared.
func TestLRFor(t *testing.T) {
	c := DefaultConfig()
	o, _ := Train(context.Background(), c, nil)
	for _, r := range o.Runs {
		if r.LR != DefaultLR[r.Optimizer] {
			t.Errorf("%s: lr %v, want %v", r.Optimizer, r.LR, DefaultLR[r.Optimizer])
		}
	}
	c.LR = 0.02
	o, _ = Train(context.Background(), c, nil)
	for _, r := range o.Runs {
		if r.LR != 0.02 {
			t.Errorf("%s: lr %v, want 0.02", r.Optimizer, r.LR)
		}
	}
	if last := o.Runs[0].EffLR[len(o.Runs[0].EffLR)-1]; last[0] != 0.02 {
		t.Errorf("sgd η = %v with lr 0.02", last[0])
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Train(ctx, DefaultConfig(), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
	calls, last := 0, 0
	c := DefaultConfig()
	_, err := Train(context.Background(), c, func(done, total int) {
		calls++
		if total != c.Steps || done < last {
			t.Errorf("progress(%d, %d) after %d", done, total, last)
		}
		last = done
	})
	if err != nil || calls < 2 || last != c.Steps {
		t.Errorf("progress called %d times, last %d, err %v", calls, last, err)
	}
}

// SGD with a learning rate far past its stability limit blows up; the run is
// marked diverged, its recorded numbers are all finite, and the other
// optimizers keep going.
func TestDivergence(t *testing.T) {
	c := DefaultConfig()
	c.LR = 10
	c.Optimizers = []string{SGD, Adagrad}
	o, err := Train(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := o.Runs[0]
	if s.DivergedAt == 0 || s.Weights != nil || s.FinalError != nil {
		t.Fatalf("sgd lr=10: diverged at %d, weights %v", s.DivergedAt, s.Weights)
	}
	if len(s.Loss) != len(s.EffLR) || len(s.Loss) >= len(o.Steps) {
		t.Errorf("sgd: %d losses, %d η rows of %d steps", len(s.Loss), len(s.EffLR), len(o.Steps))
	}
	for k, l := range s.Loss {
		if math.IsInf(l, 0) || math.IsNaN(l) || o.Steps[k] >= s.DivergedAt {
			t.Errorf("sgd: loss %v recorded at step %d, diverged at %d", l, o.Steps[k], s.DivergedAt)
		}
	}
	if a := o.Runs[1]; a.DivergedAt != 0 || len(a.Loss) != len(o.Steps) {
		t.Errorf("adagrad lr=10: diverged at %d with %d losses", a.DivergedAt, len(a.Loss))
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Features = 1 }, "features"},
		{func(c *Config) { c.Features = 65 }, "features"},
		{func(c *Config) { c.PMax = 0 }, "p_max"},
		{func(c *Config) { c.PMax = math.NaN() }, "p_max"},
		{func(c *Config) { c.PMin = 1.5 }, "p_min"},
		{func(c *Config) { c.PMin, c.PMax = 0.5, 0.1 }, "p_min must be ≤ p_max"},
		{func(c *Config) { c.Task = "poisson" }, "task"},
		{func(c *Config) { c.Values = "ternary" }, "values"},
		{func(c *Config) { c.Noise = -1 }, "noise"},
		{func(c *Config) { c.Optimizers = nil }, "optimizers"},
		{func(c *Config) { c.Optimizers = []string{"lion"} }, "optimizers"},
		{func(c *Config) { c.Optimizers = []string{SGD, SGD} }, "listed twice"},
		{func(c *Config) { c.Steps = 0 }, "steps"},
		{func(c *Config) { c.Steps = MaxSteps + 1 }, "steps"},
		{func(c *Config) { c.Batch = 0 }, "batch"},
		{func(c *Config) { c.LR = -0.1 }, "lr"},
		{func(c *Config) { c.LR = math.Inf(1) }, "lr"},
		{func(c *Config) { c.Eps = -1e-9 }, "eps"},
		{func(c *Config) { c.Alpha = 1 }, "alpha"},
		{func(c *Config) { c.Beta1 = -0.1 }, "beta1"},
		{func(c *Config) { c.Beta2 = 1 }, "beta2"},
	} {
		c := DefaultConfig()
		tc.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "adaptive: ") {
			t.Errorf("want an error naming %q, got %v", tc.want, err)
		}
		if _, terr := Train(context.Background(), c, nil); terr == nil {
			t.Errorf("Train accepted an invalid config (%s)", tc.want)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
