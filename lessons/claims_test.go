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

// run runs experiment name with the overrides and returns scalar key.
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
	r, err := e.Execute(context.Background(), v, nil)
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
