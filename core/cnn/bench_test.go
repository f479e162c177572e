package cnn

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/nnlab/nnlab/core/internal/cputime"
)

// benchShape is a convolution the lessons run, timed here and, with the
// same names, by testdata/bench_torch_cnn.py.
type benchShape struct {
	name                    string
	n, cin, h, w, cout, k   int
	stride, pad, dil, group int
}

var benchShapes = []benchShape{
	{"featuremap-1x28-k3", 1, 1, 28, 28, 1, 3, 1, 1, 1, 1},
	{"stem-1to8-k5", 1, 1, 28, 28, 8, 5, 1, 2, 1, 1},
	{"mix-8to16-1x1", 1, 8, 28, 28, 16, 1, 1, 0, 1, 1},
	{"conv-16to32-k3", 1, 16, 28, 28, 32, 3, 1, 1, 1, 1},
	{"conv-16to32-k3-s2", 1, 16, 28, 28, 32, 3, 2, 1, 1, 1},
	{"direct-192to32-k5", 1, 192, 28, 28, 32, 5, 1, 2, 1, 1},
	{"reduce-192to16-1x1", 1, 192, 28, 28, 16, 1, 1, 0, 1, 1},
	{"after-16to32-k5", 1, 16, 28, 28, 32, 5, 1, 2, 1, 1},
	{"resnet20-b64-16to16-k3", 64, 16, 14, 14, 16, 3, 1, 1, 1, 1},
}

// BenchmarkConv times Conv2d's forward pass, and forward plus backward
// (input and weight gradients), at the lesson shapes, reporting GFLOP/s
// (2 flops a multiply-accumulate; backward counts two products of the
// forward's size) of wall time and of process CPU time (user + sys).
// Compare with: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 testdata/bench_torch_cnn.py
func BenchmarkConv(b *testing.B) {
	rng := rand.New(rand.NewPCG(24, 9))
	for _, sh := range benchShapes {
		cv, err := NewConv2d(sh.cin, sh.cout, sh.k, sh.k, sh.stride, sh.pad, sh.dil, sh.group, true)
		if err != nil {
			b.Fatal(err)
		}
		for i := range cv.Weight {
			cv.Weight[i] = rng.NormFloat64()
		}
		x := randTensor(rng, sh.n, sh.cin, sh.h, sh.w)
		y, err := cv.Forward(x)
		if err != nil {
			b.Fatal(err)
		}
		dy := randTensor(rng, y.N, y.C, y.H, y.W)
		dx := &Tensor{N: x.N, C: x.C, H: x.H, W: x.W, Data: make([]float64, x.Len())}
		macs := float64(cv.MACs(sh.n, sh.h, sh.w))
		for _, pass := range []string{"fwd", "fwdbwd"} {
			b.Run(fmt.Sprintf("%s/%s", sh.name, pass), func(b *testing.B) {
				flop := 2 * macs
				if pass == "fwdbwd" {
					flop *= 3
				}
				c0 := cputime.Process()
				for b.Loop() {
					if err := cv.ForwardInto(x, y); err != nil {
						b.Fatal(err)
					}
					if pass == "fwdbwd" {
						if err := cv.BackwardInto(x, dy, dx); err != nil {
							b.Fatal(err)
						}
					}
				}
				total := flop * float64(b.N)
				b.ReportMetric(total/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				if cpu := (cputime.Process() - c0).Seconds(); c0 > 0 && cpu > 0 {
					b.ReportMetric(total/cpu/1e9, "cpu-GFLOP/s")
					b.ReportMetric(cpu/float64(b.N)*1e6, "cpu-µs/op")
				}
			})
		}
	}
}
