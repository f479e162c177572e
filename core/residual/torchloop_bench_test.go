package residual

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nnlab/nnlab/core/internal/cputime"
)

// torchLoops are the runs timed against PyTorch: the lessons' defaults, the
// README's example and the cost model's corners that are bound by the
// products (testdata/bench_torch_residual.py loop DEPTH WIDTH BATCH STEPS
// times the same loops in torch).
var torchLoops = []struct{ depth, width, batch, steps int }{
	{20, 16, 32, 150},
	{30, 32, 128, 200},
	{32, 64, 256, 50},
	{64, 32, 1024, 20},
	{16, 128, 1024, 20},
}

// BenchmarkTorchLoop trains the plain and the residual net as the torch
// script's loop does (SGD, lr 0.05, momentum 0.9, clipping to norm 5, a
// batch of the whole data set) and reports the process CPU time and the
// wall time of the run (both nets), for the ratio to torch's:
//
//	go test -run XXX -bench TorchLoop -benchtime 3x -cpu 1 ./core/residual
//	OPENBLAS_NUM_THREADS=1 /usr/bin/python3 testdata/bench_torch_residual.py loop 30 32 128 200
//
// -cpu 1 runs it on one thread as torch is run (Train trains the two nets
// in parallel when it may; on two cores their CPU time then also counts
// the cores' contention).
//
// Train also evaluates both nets once at the end and measures the
// gradient norms twice, which the torch loop does not: a small overhead
// that counts against nnlab.
func BenchmarkTorchLoop(b *testing.B) {
	for _, c := range torchLoops {
		b.Run(fmt.Sprintf("d%d-w%d-b%d-s%d", c.depth, c.width, c.batch, c.steps), func(b *testing.B) {
			cfg := Config{Depth: c.depth, Width: c.width, Batch: c.batch, Steps: c.steps, LR: 0.05,
				Seed: 1, Init: Torch, Optimizer: SGD, Points: c.batch, Turns: 0.75, Noise: 0.05, Clip: 5}
			c0, t0 := cputime.Process(), time.Now()
			for b.Loop() {
				if _, _, err := Train(context.Background(), cfg, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cputime.Process()-c0).Seconds()/float64(b.N), "cpu-s/run")
			b.ReportMetric(time.Since(t0).Seconds()/float64(b.N), "wall-s/run")
		})
	}
}
