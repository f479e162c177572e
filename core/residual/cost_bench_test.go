package residual

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nnlab/nnlab/core/internal/cputime"
)

// costCorners are the corners of the parameter space at which the cost
// model's coefficients are measured (BenchmarkCost): one step-bound corner
// (depth 1, width 2, batch 1), one layer-bound (depth 64), one bound by
// width·batch (width 2, batch 1024), one by width²·batch and one by width²
// alone (the optimizer's pass over the weights at batch 1).
var costCorners = []struct{ depth, width, batch int }{
	{1, 2, 1},
	{64, 2, 1},
	{64, 2, 1024},
	{16, 128, 1024},
	{64, 128, 1},
	{64, 32, 1024},
	{32, 64, 256},
}

// BenchmarkCost times whole training runs (both nets, as Train runs them)
// at the corners of costCorners, with and without batch normalization,
// and reports the wall and process CPU time per step; with
// -benchtime=1x each corner runs the steps the model prices at about half
// a second (20 to 5000): go test -run XXX -bench Cost -benchtime 1x.
func BenchmarkCost(b *testing.B) {
	for _, bn := range []bool{false, true} {
		for _, c := range costCorners {
			if bn && c.batch < 2 {
				c.batch = 2
			}
			b.Run(fmt.Sprintf("d%d-w%d-b%d-bn%v", c.depth, c.width, c.batch, bn), func(b *testing.B) {
				steps := int(0.5e9 / StepCost(c.depth, c.width, c.batch, bn))
				steps = max(20, min(steps, 5000))
				cfg := Config{Depth: c.depth, Width: c.width, Batch: c.batch, Steps: steps, LR: 1e-3,
					Seed: 1, Init: Torch, Optimizer: Adam, Points: max(c.batch, 2), Turns: 0.75, Noise: 0.05, Clip: 5, BN: bn}
				c0, t0 := cputime.Process(), time.Now()
				for b.Loop() {
					if _, _, err := Train(context.Background(), cfg, nil); err != nil {
						b.Fatal(err)
					}
				}
				n := float64(b.N * steps)
				b.ReportMetric(float64(time.Since(t0).Nanoseconds())/n, "wall-ns/step")
				b.ReportMetric(float64((cputime.Process()-c0).Nanoseconds())/n, "cpu-ns/step")
				b.ReportMetric(StepCost(c.depth, c.width, c.batch, bn), "model-ns/step")
			})
		}
	}
}
