package residual

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkExperiment runs the experiment at its lesson defaults (both nets,
// data, evaluation and result building).
func BenchmarkExperiment(b *testing.B) {
	e := Experiment()
	v := e.Params.Defaults()
	c0 := processCPU()
	for b.Loop() {
		if _, err := e.Execute(context.Background(), v, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, c0)
}

// reportCPU adds the process CPU time per op since c0 as the metric
// "cpu-ms/op": steadier than wall time on a shared machine, and comparable
// with the process_time figures of bench_torch_residual.py.
func reportCPU(b *testing.B, c0 time.Duration) {
	if c0 == 0 {
		return
	}
	b.ReportMetric(float64(processCPU()-c0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkStep times one training step (forward, backward, SGD-momentum
// update) of one net at depth=30, width=32, batch=128: the shapes timed in
// PyTorch by testdata/bench_torch_residual.py; the -bn cases add batch
// normalization.
func BenchmarkStep(b *testing.B) {
	for _, tc := range []struct {
		name         string
		residual, bn bool
	}{{"plain", false, false}, {"residual", true, false}, {"plain-bn", false, true}, {"residual-bn", true, true}} {
		b.Run(tc.name, func(b *testing.B) {
			const depth, width, batch = 30, 32, 128
			x, y, err := Spirals(batch, 0.75, 0.05, 1)
			if err != nil {
				b.Fatal(err)
			}
			newNet := NewNet
			if tc.bn {
				newNet = NewBNNet
			}
			n, err := newNet(depth, width, batch, tc.residual)
			if err != nil {
				b.Fatal(err)
			}
			if err := n.Initialize(Torch, rand.New(rand.NewPCG(1, 2))); err != nil {
				b.Fatal(err)
			}
			opt, err := newOptimizer(SGD, 0.01, len(n.Params()))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			c0 := processCPU()
			for b.Loop() {
				n.LossGrad(x, y, batch)
				opt.step(n.Params(), n.Grads())
				n.Sync()
			}
			reportCPU(b, c0)
		})
	}
}
