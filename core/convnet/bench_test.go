package convnet

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/nnlab/nnlab/core/internal/cputime"
)

// benchNets are the networks timed against PyTorch, with the names of
// testdata/bench_torch_convnet.py.
var benchNets = func() []struct {
	name string
	spec Spec
	b    int
} {
	var out []struct {
		name string
		spec Spec
		b    int
	}
	add := func(name string, s Spec, b int) {
		out = append(out, struct {
			name string
			spec Spec
			b    int
		}{name, s, b})
	}
	for _, size := range []int{14, 28} {
		for _, w := range []int{8, 16, 32} {
			add(fmt.Sprintf("resnet-n3-w%d-s%d-b64", w, size), Spec{Arch: ResNet, N: 3, Width: w, Size: size, BN: true, Shortcut: "A"}, 64)
		}
	}
	add("plain-n3-w8-s14-b64", Spec{Arch: Plain, N: 3, Width: 8, Size: 14, BN: true, Shortcut: "A"}, 64)
	add("resnet-n1-w8-s14-b64", Spec{Arch: ResNet, N: 1, Width: 8, Size: 14, BN: true, Shortcut: "A"}, 64)
	add("inception-w8-s14-b64", Spec{Arch: Inception, Width: 8, Size: 14, BN: true, Shortcut: "A", Reduce: true}, 64)
	add("inception-w8-s28-b64", Spec{Arch: Inception, Width: 8, Size: 28, BN: true, Shortcut: "A", Reduce: true}, 64)
	return out
}()

// BenchmarkStep times one training step — forward, cross-entropy,
// backward, SGD with momentum 0.9 and weight decay 1e-4 — and reports the
// process CPU time (user + sys) and the wall time per step. Compare, in
// the same sitting:
//
//	go test -run XXX -bench Step -cpu 1 ./core/convnet
//	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 testdata/bench_torch_convnet.py
func BenchmarkStep(b *testing.B) {
	for _, c := range benchNets {
		b.Run(c.name, func(b *testing.B) {
			net, err := NewNet(c.spec)
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			net.Init(rng)
			s := c.spec.Size
			x := make([]float64, c.b*s*s)
			for i := range x {
				x[i] = rng.Float64()
			}
			y := make([]int, c.b)
			for i := range y {
				y[i] = rng.IntN(Classes)
			}
			opt := &SGD{LR: 0.05, Momentum: 0.9, WeightDecay: 1e-4}
			for range 3 {
				net.LossGrad(x, y)
				opt.Step(net.W, net.G)
			}
			c0, t0 := cputime.Process(), time.Now()
			for b.Loop() {
				net.LossGrad(x, y)
				opt.Step(net.W, net.G)
			}
			b.ReportMetric((cputime.Process()-c0).Seconds()/float64(b.N)*1e3, "cpu-ms/step")
			b.ReportMetric(time.Since(t0).Seconds()/float64(b.N)*1e3, "wall-ms/step")
		})
	}
}
