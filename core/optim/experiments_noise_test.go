package optim

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestRMSpropDefaultsFollowTorch: an rmsprop run given no rmsprop options
// (the CLI's `run optimize optimizer=rmsprop lr=0.01`, and lr=0 for the
// default lr) is torch.optim.RMSprop() with its defaults — momentum 0,
// alpha 0.99, eps 1e-8 — step for step: it matches the torch fixture's
// RMSprop case with no keyword arguments. The shared momentum (0.5 by
// default, for SGD) does not reach it.
func TestRMSpropDefaultsFollowTorch(t *testing.T) {
	fx := loadTorchFixture(t)
	var want [][2]float64
	for _, tc := range fx.Cases {
		if tc.Optimizer == "rmsprop" && len(tc.Kwargs) == 0 && tc.Surface == "quadratic" {
			want = tc.Trajectory
		}
	}
	if want == nil {
		t.Fatal("the fixture has no rmsprop case without keyword arguments")
	}
	e := experimenttest.Named(t, Experiments(), "optimize")
	for _, o := range []map[string]string{
		{"optimizer": "rmsprop", "lr": "0.01", "steps": "50"},
		{"optimizer": "rmsprop", "lr": "0", "steps": "50"},
		{"optimizers": "sgd,momentum,rmsprop", "lr": "0.01", "momentum": "0.9", "steps": "50"},
	} {
		r := runExp(t, "optimize", o)
		v, err := e.Parse(o)
		if err != nil {
			t.Fatal(err)
		}
		c, err := configFor("rmsprop", v)
		if err != nil {
			t.Fatal(err)
		}
		if c.Momentum != 0 || c.Alpha != 0.99 || c.Eps != 1e-8 || c.LR != 0.01 || c.Centered || c.WeightDecay != 0 {
			t.Errorf("%v: rmsprop config %+v, want torch's defaults", o, c)
		}
		raw, err := json.Marshal(r.JSON)
		if err != nil {
			t.Fatal(err)
		}
		var pay OptimizeJSON
		if err := json.Unmarshal(raw, &pay); err != nil {
			t.Fatal(err)
		}
		for _, run := range pay.Runs {
			if run.Optimizer != "rmsprop" {
				continue
			}
			for k, p := range want {
				for d := range 2 {
					if !scalar.EqualWithinAbsOrRel(run.Trajectory[k][d], p[d], 1e-12, 1e-9) {
						t.Fatalf("%v: step %d coord %d = %.17g, torch.optim.RMSprop() %.17g", o, k, d, run.Trajectory[k][d], p[d])
					}
				}
			}
		}
	}
	// Its own momentum still reaches it.
	v, err := e.Parse(map[string]string{"optimizer": "rmsprop", "rmsprop_momentum": "0.9"})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := configFor("rmsprop", v); c.Momentum != 0.9 {
		t.Errorf("rmsprop_momentum=0.9: momentum %g", c.Momentum)
	}
}

// TestOptimizeNoiseScalars: with noise, expected_loss and its parts are the
// closed forms (dampening folds into α = lr·(1 − d); dampening μ at lr gives
// the same as dampening 0 at lr·(1 − μ)), effective_lr is lr·(1 − d)/(1 − μ),
// and tail_loss is the mean of the later half of the loss curve, averaged
// over the seeds.
func TestOptimizeNoiseScalars(t *testing.T) {
	o := map[string]string{"optimizers": "sgd,momentum,nesterov", "lr": "0.3", "momentum": "0.5", "noise": "1", "steps": "40", "seed": "7", "seeds": "3"}
	r := runExp(t, "optimize", o)
	checkFinite(t, r)
	for key, want := range map[string]float64{
		"sgd.expected_loss":            SGDStationaryLoss(0.3, 0.2, 1) + SGDStationaryLoss(0.3, 4, 1),
		"sgd.expected_loss_steep":      SGDStationaryLoss(0.3, 4, 1),
		"momentum.expected_loss":       HeavyBallStationaryLoss(0.3, 0.5, 0.2, 1) + HeavyBallStationaryLoss(0.3, 0.5, 4, 1),
		"momentum.expected_loss_flat":  HeavyBallStationaryLoss(0.3, 0.5, 0.2, 1),
		"nesterov.expected_loss":       NesterovStationaryLoss(0.3, 0.5, 0.2, 1) + NesterovStationaryLoss(0.3, 0.5, 4, 1),
		"nesterov.expected_loss_steep": NesterovStationaryLoss(0.3, 0.5, 4, 1),
		"momentum.effective_lr":        0.6,
		"nesterov.max_lr":              0.375,
		"momentum.max_lr":              0.75,
	} {
		if got := experimenttest.Scalar(t, r, key); !scalar.EqualWithinRel(got, want, 1e-12) {
			t.Errorf("%s = %.15g, want %.15g", key, got, want)
		}
	}
	// tail_loss: replay the three seeds.
	want := 0.0
	for k := range 3 {
		tr, err := Run(t.Context(), Quadratic(0.1, 2), mustNew(t, "momentum", Config{LR: 0.3, Momentum: 0.5, Exact: true}),
			RunConfig{Start: [2]float64{-5, -2}, Steps: 40, Noise: 1, Seed: uint64(7 + k)})
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, f := range tr.Loss[20:] {
			sum += f
		}
		want += sum / 21 / 3
	}
	if got := experimenttest.Scalar(t, r, "momentum.tail_loss"); !scalar.EqualWithinRel(got, want, 1e-12) {
		t.Errorf("momentum.tail_loss = %.15g, want %.15g", got, want)
	}
	// Dampening μ at lr equals dampening 0 at lr·(1 − μ) in the long run.
	a := runExp(t, "optimize", map[string]string{"optimizers": "momentum", "lr": "0.4", "momentum": "0.5", "dampening": "0.5", "noise": "1"})
	b := runExp(t, "optimize", map[string]string{"optimizers": "momentum", "lr": "0.2", "momentum": "0.5", "noise": "1"})
	if ea, eb := experimenttest.Scalar(t, a, "momentum.expected_loss"), experimenttest.Scalar(t, b, "momentum.expected_loss"); !scalar.EqualWithinRel(ea, eb, 1e-12) {
		t.Errorf("expected loss with d = μ at lr 0.4: %g; with d = 0 at lr 0.2: %g", ea, eb)
	}
	if ea, eb := experimenttest.Scalar(t, a, "momentum.effective_lr"), experimenttest.Scalar(t, b, "momentum.effective_lr"); !scalar.EqualWithinRel(ea, eb, 1e-12) || ea != 0.4 {
		t.Errorf("effective lr %g and %g, want 0.4", ea, eb)
	}
	// Unstable: a note, no expected loss; nothing non-finite.
	u := runExp(t, "optimize", map[string]string{"optimizers": "nesterov", "lr": "0.6", "momentum": "0.5", "noise": "1", "steps": "20"})
	checkFinite(t, u)
	if _, ok := u.Scalar("nesterov.expected_loss"); ok {
		t.Error("unstable nesterov has an expected loss")
	}
	// Without noise there are no expected losses and seeds does nothing.
	n := runExp(t, "optimize", map[string]string{"seeds": "5"})
	if _, ok := n.Scalar("sgd.expected_loss"); ok {
		t.Error("expected loss without noise")
	}
	if got := experimenttest.Scalar(t, n, "sgd.tail_loss"); math.IsNaN(got) || got <= 0 {
		t.Errorf("sgd.tail_loss without noise = %g", got)
	}
}
