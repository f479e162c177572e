package residual

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/nnlab/nnlab/core/internal/cputime"
)

// BenchmarkExperiment runs the experiment at its lesson defaults (both nets,
// data, evaluation and result building).
func BenchmarkExperiment(b *testing.B) {
	e := Experiment()
	v := e.Params.Defaults()
	c0 := cputime.Process()
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
	b.ReportMetric(float64(cputime.Process()-c0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkStep times one training step of one net as Train runs it
// (forward, backward, clipping to norm 5, SGD-momentum update into the
// other parameter vector) at depth 30: width 32, batch 128 (the shapes
// timed in PyTorch by testdata/bench_torch_residual.py), then widths 16,
// 64 and 128 and batches 32 and 256; the -bn cases add batch
// normalization.
func BenchmarkStep(b *testing.B) {
	type shape struct{ width, batch int }
	for _, tc := range []struct {
		name         string
		residual, bn bool
		shapes       []shape
	}{
		{"plain", false, false, []shape{{32, 128}}},
		{"residual", true, false, []shape{{32, 128}, {16, 128}, {64, 128}, {128, 128}, {32, 32}, {32, 256}}},
		{"plain-bn", false, true, []shape{{32, 128}}},
		{"residual-bn", true, true, []shape{{32, 128}}},
	} {
		for _, sh := range tc.shapes {
			b.Run(fmt.Sprintf("%s-w%d-b%d", tc.name, sh.width, sh.batch), func(b *testing.B) {
				const depth = 30
				batch := sh.batch
				x, y, err := Spirals(batch, 0.75, 0.05, 1)
				if err != nil {
					b.Fatal(err)
				}
				newNet := NewNet
				if tc.bn {
					newNet = NewBNNet
				}
				n, err := newNet(depth, sh.width, batch, tc.residual)
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
				tr := &trainer{net: n, opt: opt, prev: make([]float64, len(n.Params())), clip: 5}
				tr.out.Loss = make([]float64, 0, 1)
				b.ReportAllocs()
				c0 := cputime.Process()
				k := 0
				for b.Loop() {
					k++
					tr.out.Loss = tr.out.Loss[:0]
					tr.step(x, y, batch, k)
				}
				if tr.out.DivergedAt > 0 {
					b.Fatalf("diverged at step %d", tr.out.DivergedAt)
				}
				reportCPU(b, c0)
			})
		}
	}
}
