package lessons

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/nnlab/nnlab/core/catalog"
)

// Claims the lessons make in words about runs — a range, a ratio, a
// comparison — checked by running core over the range the words cover,
// not at one point.

// run runs experiment name with the overrides and returns scalar key,
// sharing the runs the built-in lessons' check made (sharedRunner): a
// claim about a cell's own values costs nothing more.
func run(t *testing.T, name string, over map[string]string, keys ...string) []float64 {
	t.Helper()
	e, err := catalog.Registry().Get(name)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.Parse(over)
	if err != nil {
		t.Fatal(err)
	}
	r, err := sharedRunner.Run(context.Background(), e, v)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(keys))
	for i, k := range keys {
		s, ok := r.Scalar(k)
		if !ok {
			t.Fatalf("%s: no scalar %s", name, k)
		}
		out[i] = s.Value
	}
	return out
}

// 06-residual, plain-vs-residual: the first exercise's hints and
// explanation say that the plain network (no BN, torch init) reaches a
// training accuracy of 0.9 with one block at most learning rates, with two
// blocks only late in training (from about 160 steps) and only in a narrow
// band around lr 0.18, and from three blocks up at no learning rate from 0.005 to 0.4.
func TestResidualFirstExerciseDepthAndLR(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("hundreds of training runs")
	}
	passes := func(depth, steps int, lr float64) bool {
		a := run(t, "residual", map[string]string{"clip": "0", "depth": fmt.Sprint(depth), "steps": fmt.Sprint(steps), "lr": fmt.Sprint(lr)}, "plain.accuracy")
		return a[0] >= 0.9
	}
	var grid []float64
	for i := 1; i <= 80; i++ {
		grid = append(grid, math.Round(float64(i)*0.005*1000)/1000)
	}
	count := func(depth, steps int) (n int, lrs []float64) {
		for _, lr := range grid {
			if passes(depth, steps, lr) {
				n++
				lrs = append(lrs, lr)
			}
		}
		return n, lrs
	}
	if n, _ := count(1, 200); n < len(grid)/2 {
		t.Errorf("depth 1: passes at %d of %d learning rates; the lesson says most", n, len(grid))
	}
	for _, steps := range []int{160, 180, 200} {
		if !passes(2, steps, 0.18) {
			t.Errorf("depth 2, %d steps: fails at lr 0.18; the hint points there", steps)
		}
		n, lrs := count(2, steps)
		for _, lr := range lrs {
			if lr < 0.14 || lr > 0.25 {
				t.Errorf("depth 2, %d steps: passes at lr %v, outside the narrow band around 0.18 the hint names", steps, lr)
			}
		}
		if n > len(grid)/10 {
			t.Errorf("depth 2, %d steps: passes at %d of %d learning rates — not a narrow band", steps, n, len(grid))
		}
	}
	for _, tc := range []struct{ depth, steps int }{{2, 100}, {2, 150}, {3, 150}, {3, 180}, {3, 200}, {4, 200}} {
		if n, lrs := count(tc.depth, tc.steps); n > 0 {
			t.Errorf("depth %d, %d steps: passes at lr %v; the lesson says it does not", tc.depth, tc.steps, lrs)
		}
	}
}

// 07-resnet, option C: projections on every shortcut roughly double a
// bottleneck block (He et al. §3.3 speak of a block), but add only about
// half again to the whole of ResNet-50 — the summary says so.
func TestResNetOptionCRatios(t *testing.T) {
	b := run(t, "block", map[string]string{"kind": "bottleneck", "in": "256", "width": "64", "shortcut": "b"}, "params", "macs")
	c := run(t, "block", map[string]string{"kind": "bottleneck", "in": "256", "width": "64", "shortcut": "c"}, "params", "macs")
	for i, what := range []string{"parameters", "MACs"} {
		if r := c[i] / b[i]; r < 1.8 || r > 2.05 {
			t.Errorf("a bottleneck block with option C has %.3f× the %s of option B; the lesson says nearly double", r, what)
		}
	}
	mb := run(t, "model", map[string]string{"model": "resnet50", "shortcut": "b"}, "params", "macs")
	mc := run(t, "model", map[string]string{"model": "resnet50", "shortcut": "c"}, "params", "macs")
	for i, what := range []string{"parameters", "MACs"} {
		if r := mc[i] / mb[i]; r < 1.5 || r > 1.7 {
			t.Errorf("ResNet-50 with option C has %.3f× the %s of option B; the lesson says more than half again, well short of double", r, what)
		}
	}
}

// 02-adaptive, rotated: turned by 45°, the valley takes the adaptive
// methods' edge away. At the lesson's lr 0.4 each of AdaGrad, RMSProp and
// Adam ends far higher than in the axis-aligned valley, RMSProp falls
// behind gradient descent, and gradient descent hardly notices the turn;
// around it (lr 0.2 to 0.6) RMSProp and AdaGrad always end higher turned,
// RMSProp by orders of magnitude. (Adam at lr 0.6 does better turned: the
// lesson claims nothing for Adam beyond lr 0.4.)
func TestAdaptiveRotatedValley(t *testing.T) {
	keys := []string{"sgd.final_loss", "adagrad.final_loss", "rmsprop.final_loss", "adam.final_loss"}
	losses := func(lr string, turned bool) []float64 {
		over := map[string]string{"optimizers": "sgd,adagrad,rmsprop,adam", "lr": lr, "steps": "20"}
		if turned {
			over["surface"], over["angle"] = "rotated", "45"
		}
		return run(t, "optimize", over, keys...)
	}
	flat, turned := losses("0.4", false), losses("0.4", true)
	if r := turned[0] / flat[0]; r < 0.8 || r > 1.25 {
		t.Errorf("gradient descent ends at %g turned, %g axis-aligned; the lesson says it hardly notices", turned[0], flat[0])
	}
	if turned[2] <= turned[0] {
		t.Errorf("turned, RMSProp %g is not behind gradient descent %g", turned[2], turned[0])
	}
	for i := 1; i < len(keys); i++ {
		if turned[i] < 2*flat[i] {
			t.Errorf("lr 0.4: %s %g turned against %g axis-aligned; the lesson says the edge is lost", keys[i], turned[i], flat[i])
		}
	}
	for _, lr := range []string{"0.2", "0.3", "0.5", "0.6"} {
		flat, turned := losses(lr, false), losses(lr, true)
		if turned[1] <= flat[1] {
			t.Errorf("lr %s: AdaGrad %g turned, %g axis-aligned", lr, turned[1], flat[1])
		}
		if turned[2] < 100*flat[2] {
			t.Errorf("lr %s: RMSProp %g turned, %g axis-aligned; want orders of magnitude worse", lr, turned[2], flat[2])
		}
	}
}

// 02-adaptive, eps: at ε = 1 most of the lost accuracy comes from the step
// lr/ε collapsing — raise lr to 0.2 and Adam lands near SGD at lr 0.2, far
// below Adam at ε = 1 and its default lr. Over several seeds.
func TestAdaptiveLargeEpsIsMostlyAStepSize(t *testing.T) {
	for _, seed := range []string{"1", "2", "3", "4", "5"} {
		small := run(t, "adaptive", map[string]string{"optimizers": "adam", "eps": "1", "seed": seed}, "adam.final_loss")[0]
		raised := run(t, "adaptive", map[string]string{"optimizers": "adam", "eps": "1", "lr": "0.2", "seed": seed}, "adam.final_loss")[0]
		sgd := run(t, "adaptive", map[string]string{"optimizers": "sgd", "lr": "0.2", "seed": seed}, "sgd.final_loss")[0]
		if !(raised < small/3) {
			t.Errorf("seed %s: ε = 1, lr 0.2 gives %g, lr default %g; want the raised lr far better", seed, raised, small)
		}
		if r := raised / sgd; r < 0.8 || r > 1.25 {
			t.Errorf("seed %s: ε = 1, lr 0.2 gives %g, SGD at lr 0.2 %g; the lesson says about the same", seed, raised, sgd)
		}
	}
}

// 02-adaptive, sgd-tuned: over 20 seeds Adam's expected loss above the
// floor is clearly below that of SGD at lr 0.25, which is about SGD's best
// on a grid of learning rates (about 40 % smaller).
func TestAdaptiveTunedSGDFallsShortOfAdam(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("20 seeds of training per learning rate")
	}
	adam := run(t, "adaptive", map[string]string{"optimizers": "adam", "seeds": "20"}, "adam.mean_excess_loss")[0]
	at := func(lr string) float64 {
		return run(t, "adaptive", map[string]string{"optimizers": "sgd", "lr": lr, "seeds": "20"}, "sgd.mean_excess_loss")[0]
	}
	sgd := at("0.25")
	best := sgd
	for _, lr := range []string{"0.1", "0.15", "0.2", "0.3", "0.35", "0.4"} {
		best = min(best, at(lr))
	}
	if sgd > 1.05*best {
		t.Errorf("SGD at lr 0.25: excess %g, best on the grid %g; the lesson calls 0.25 about its best", sgd, best)
	}
	if r := adam / best; r < 0.5 || r > 0.75 {
		t.Errorf("Adam's excess %g is %.2f of the best SGD's %g; the lesson says clearly smaller (about 40 %% less)", adam, r, best)
	}
	floor := run(t, "adaptive", map[string]string{"optimizers": "adam", "seeds": "20"}, "adam.mean_expected_loss", "noise_floor")
	if math.Abs(floor[0]-floor[1]-adam) > 1e-15 {
		t.Errorf("mean_excess_loss %g ≠ mean_expected_loss %g − noise_floor %g", adam, floor[0], floor[1])
	}
}

// 06-residual, init: with He initialization the 20-block plain network
// trains (accuracy ≥ 0.9 within 200 steps) only at some learning rates:
// between 0.0012 and 0.003 neighbouring values succeed and fail, and from
// 0.005 up none succeeds. The hints name 0.0015 to 0.003.
func TestResidualHeInitLearningRates(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("dozens of training runs")
	}
	passes := func(lr string) bool {
		return run(t, "residual", map[string]string{"clip": "0", "depth": "20", "init": "he", "steps": "200", "lr": lr}, "plain.accuracy")[0] >= 0.9
	}
	var pass, fail []string
	for _, lr := range []string{"0.0012", "0.0015", "0.0018", "0.002", "0.0022", "0.0025", "0.0028", "0.003"} {
		if passes(lr) {
			pass = append(pass, lr)
		} else {
			fail = append(fail, lr)
		}
	}
	if len(pass) < 2 || len(fail) < 2 {
		t.Errorf("between 0.0012 and 0.003: passes at %v, fails at %v; the lesson says neighbouring values succeed and fail", pass, fail)
	}
	for _, lr := range []string{"0.005", "0.006", "0.008", "0.01", "0.015", "0.02", "0.03", "0.05"} {
		if passes(lr) {
			t.Errorf("lr %s passes; the lesson says none does from 0.005 up", lr)
		}
	}
}

// The training lessons' claims in words about their own runs (the
// numbers are values the lessons compute; the words compare them):
//
//   - 05-inception: at about equal cost, the network with 1×1 reductions
//     at width 8 beats the naive one at width 4 on the test images (its
//     MACs within 10 % above or below), and the naive one at width 8 costs
//     several times as much — too much for a cell's 5 s;
//   - 06-residual: with BN, after 300 steps, the plain network's training
//     error grows from 8 to 14 to 20 layers while the residual network's
//     does not, and the plain network does not yet trail at 8 layers (the
//     first-trailing exercise starts there);
//   - 07-resnet: the 20-layer bottleneck network costs no more than the
//     8-layer basic one, and its extra depth buys no more than a point or
//     two of test accuracy.
func TestTrainingLessonClaims(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("trains the lessons' networks (a minute)")
	}
	reduced := run(t, "cnn", map[string]string{"arch": "inception", "width": "8", "steps": "250"}, "test_accuracy", "macs")
	naive := run(t, "cnn", map[string]string{"arch": "inception", "reduce": "false", "width": "4", "steps": "250"}, "test_accuracy", "macs")
	if reduced[0] <= naive[0] {
		t.Errorf("05: with reductions %.3f, naive %.3f on the test images; the lesson says the reductions buy accuracy at equal cost", reduced[0], naive[0])
	}
	if r := naive[1] / reduced[1]; r < 0.9 || r > 1.1 {
		t.Errorf("05: the naive network at width 4 costs %.2f× the reduced one at width 8; the lesson says about the same", r)
	}
	e, _ := catalog.Registry().Get("cnn")
	if _, err := e.Parse(map[string]string{"arch": "inception", "reduce": "false", "width": "8", "steps": "250"}); err == nil {
		t.Error("05: the naive network at width 8 fits a cell's budget; the lesson says the cell refuses it")
	}
	d := run(t, "cnn_depth", map[string]string{"ns": "1,2,3", "steps": "300"},
		"plain8.train_error", "plain14.train_error", "plain20.train_error", "resnet8.train_error", "resnet14.train_error", "resnet20.train_error")
	if !(d[0] < d[1] && d[1] < d[2]) {
		t.Errorf("06: plain training errors at 8, 14, 20 layers %v; the lesson says they grow with depth", d[:3])
	}
	if !(d[5] <= d[3]+0.005 && d[4] <= d[3]+0.005) {
		t.Errorf("06: residual training errors at 8, 14, 20 layers %v; the lesson says they go the other way", d[3:])
	}
	if d[0]-d[3] >= 0.02 {
		t.Errorf("06: the plain network trails already at 8 layers (%.3f against %.3f); the first-trailing exercise starts there", d[0], d[3])
	}
	basic := run(t, "cnn", map[string]string{"n": "1", "width": "8", "steps": "300"}, "test_accuracy", "macs", "layers")
	bott := run(t, "cnn", map[string]string{"block": "bottleneck", "n": "2", "width": "5", "steps": "300"}, "test_accuracy", "macs", "layers")
	if bott[1] > basic[1] || bott[2] != 20 || basic[2] != 8 {
		t.Errorf("07: bottleneck %v MACs and layers, basic %v", bott[1:], basic[1:])
	}
	if bott[0]-basic[0] > 0.02 {
		t.Errorf("07: the bottleneck network's depth buys %.3f of test accuracy; the lesson says little", bott[0]-basic[0])
	}
}
