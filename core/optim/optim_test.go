package optim

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// torchFixture is testdata/torch_optim.json, written by gen_torch_optim.py.
type torchFixture struct {
	Torch string  `json:"torch"`
	A     float64 `json:"a"`
	B     float64 `json:"b"`
	Angle float64 `json:"angle"`
	Cases []struct {
		Optimizer  string         `json:"optimizer"`
		Kwargs     map[string]any `json:"kwargs"`
		Surface    string         `json:"surface"`
		Start      [2]float64     `json:"start"`
		Steps      int            `json:"steps"`
		Trajectory [][2]float64   `json:"trajectory"`
	} `json:"cases"`
}

func loadTorchFixture(t *testing.T) torchFixture {
	t.Helper()
	var fx torchFixture
	experimenttest.LoadJSON(t, "testdata/torch_optim.json", &fx)
	if len(fx.Cases) < 20 {
		t.Fatalf("fixture has %d cases, want ≥ 20", len(fx.Cases))
	}
	return fx
}

// applyKwargs sets c's fields from torch keyword arguments. It reports
// whether any float argument is zero (which a non-Exact Config would read
// as "default").
func applyKwargs(t *testing.T, c *Config, kw map[string]any) (hasZero bool) {
	t.Helper()
	f := func(v any) float64 {
		x, ok := v.(float64)
		if !ok {
			t.Fatalf("kwarg %v is not a number", v)
		}
		hasZero = hasZero || x == 0
		return x
	}
	for k, v := range kw {
		switch k {
		case "lr":
			c.LR = f(v)
		case "momentum":
			c.Momentum = f(v)
		case "dampening":
			c.Dampening = f(v)
		case "weight_decay":
			c.WeightDecay = f(v)
		case "nesterov":
			c.Nesterov = v.(bool)
		case "lr_decay":
			c.LRDecay = f(v)
		case "initial_accumulator_value":
			c.InitialAccumulatorValue = f(v)
		case "eps":
			c.Eps = f(v)
		case "alpha":
			c.Alpha = f(v)
		case "centered":
			c.Centered = v.(bool)
		case "rho":
			c.Rho = f(v)
		case "betas":
			b := v.([]any)
			c.Beta1, c.Beta2 = f(b[0]), f(b[1])
		case "amsgrad":
			c.AMSGrad = v.(bool)
		default:
			t.Fatalf("unknown kwarg %q", k)
		}
	}
	return hasZero
}

// TestTorchTrajectories replays every fixture case and compares each point
// with torch.optim's (float64) to 1e-9 relative (1e-12 absolute near 0).
// Each case runs twice: from Defaults(name) with the kwargs applied (Exact),
// and, where no kwarg is zero, from a Config holding only the kwargs, which
// checks that zero fields mean torch's defaults.
func TestTorchTrajectories(t *testing.T) {
	fx := loadTorchFixture(t)
	seen := map[string]bool{}
	for i, tc := range fx.Cases {
		seen[tc.Optimizer] = true
		s, err := NewSurface(tc.Surface, fx.A, fx.B, fx.Angle)
		if err != nil {
			t.Fatal(err)
		}
		exact, err := Defaults(tc.Optimizer)
		if err != nil {
			t.Fatal(err)
		}
		hasZero := applyKwargs(t, &exact, tc.Kwargs)
		configs := map[string]Config{"exact": exact}
		if !hasZero {
			var sparse Config
			applyKwargs(t, &sparse, tc.Kwargs)
			configs["zero-means-default"] = sparse
		}
		for mode, c := range configs {
			name := fmt.Sprintf("%02d_%s_%s_%s", i, tc.Optimizer, tc.Surface, mode)
			t.Run(name, func(t *testing.T) {
				opt, err := New(tc.Optimizer, c)
				if err != nil {
					t.Fatal(err)
				}
				tr, err := Run(context.Background(), s, opt, RunConfig{Start: tc.Start, Steps: tc.Steps})
				if err != nil {
					t.Fatal(err)
				}
				if tr.Diverged || len(tr.Points) != len(tc.Trajectory) {
					t.Fatalf("got %d points (diverged=%v), torch has %d", len(tr.Points), tr.Diverged, len(tc.Trajectory))
				}
				for k, want := range tc.Trajectory {
					for d := range 2 {
						if got := tr.Points[k][d]; !scalar.EqualWithinAbsOrRel(got, want[d], 1e-12, 1e-9) {
							t.Fatalf("step %d coord %d: got %.17g, torch %.17g", k, d, got, want[d])
						}
					}
				}
			})
		}
	}
	for _, n := range Names() {
		if !seen[n] {
			t.Errorf("fixture has no case for %s", n)
		}
	}
}

// TestDefaults checks Defaults against torch.optim's documented defaults
// (reference.md's table).
func TestDefaults(t *testing.T) {
	tests := []struct {
		name string
		want Config
	}{
		{"sgd", Config{LR: 1e-3}},
		{"momentum", Config{LR: 1e-3, Momentum: 0.9}},
		{"nesterov", Config{LR: 1e-3, Momentum: 0.9, Nesterov: true}},
		{"adagrad", Config{LR: 1e-2, Eps: 1e-10}},
		{"rmsprop", Config{LR: 1e-2, Alpha: 0.99, Eps: 1e-8}},
		{"adadelta", Config{LR: 1, Rho: 0.9, Eps: 1e-6}},
		{"adam", Config{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}},
		{"adamw", Config{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01}},
	}
	for _, tt := range tests {
		got, err := Defaults(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		tt.want.Exact = true
		if got != tt.want {
			t.Errorf("Defaults(%s) = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// TestNewErrors checks that each invalid configuration is refused with a
// message naming the offending field.
func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		c    Config
		want string
	}{
		{"lbfgs", Config{}, "unknown optimizer"},
		{"sgd", Config{LR: -1}, "lr"},
		{"sgd", Config{LR: 0.1, Momentum: -0.5}, "momentum"},
		{"sgd", Config{LR: 0.1, WeightDecay: -1}, "weight_decay"},
		{"sgd", Config{LR: 0.1, Nesterov: true}, "nesterov needs momentum > 0"},
		{"nesterov", Config{LR: 0.1, Momentum: 0.9, Dampening: 0.1}, "dampening"},
		{"momentum", Config{LR: 0.1, Exact: true}, "momentum needs momentum > 0"},
		{"adagrad", Config{LRDecay: -1}, "lr_decay"},
		{"adagrad", Config{InitialAccumulatorValue: -1}, "initial_accumulator_value"},
		{"rmsprop", Config{Alpha: -0.1}, "alpha"},
		{"rmsprop", Config{Eps: -1}, "eps"},
		{"adadelta", Config{Rho: 1.5}, "rho"},
		{"adam", Config{Beta1: 1}, "beta1"},
		{"adamw", Config{Beta2: 1.2}, "beta2"},
		{"adam", Config{LR: math.NaN()}, "lr"},
	}
	for _, tt := range tests {
		_, err := New(tt.name, tt.c)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%s, %+v) error %v, want one containing %q", tt.name, tt.c, err, tt.want)
		}
	}
}

// TestStateResize checks that an optimizer used on a vector of another
// length starts afresh (as a new torch parameter would), and that Reset
// forgets state.
func TestStateResize(t *testing.T) {
	for _, name := range Names() {
		c, _ := Defaults(name)
		c.LR = 0.1
		a, _ := New(name, c)
		b, _ := New(name, c)
		// Warm a up on a 3-vector, then run both on the same 2-vector.
		th3 := []float64{1, 2, 3}
		for range 5 {
			a.Step(th3, []float64{0.5, -1, 2})
		}
		x, y := []float64{1, -1}, []float64{1, -1}
		for range 3 {
			a.Step(x, []float64{0.3, 0.7})
			b.Step(y, []float64{0.3, 0.7})
		}
		if x[0] != y[0] || x[1] != y[1] {
			t.Errorf("%s: resized state not fresh: %v vs %v", name, x, y)
		}
		a.Reset()
		b.Reset()
		a.Step(x, []float64{1, 1})
		b.Step(y, []float64{1, 1})
		if x[0] != y[0] || x[1] != y[1] || a.Name() != name {
			t.Errorf("%s: Reset did not forget state: %v vs %v", name, x, y)
		}
	}
}
