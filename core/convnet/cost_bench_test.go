package convnet

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/nnlab/nnlab/core/internal/cputime"
)

// costCorners are the nets BenchmarkCost times to fit the cost model:
// every architecture at small and large widths, both sizes, small and
// large batches.
var costCorners = func() []Config {
	var out []Config
	add := func(arch string, n, w, size, b int, bn, reduce bool) {
		out = append(out, Config{Spec: Spec{Arch: arch, N: n, Width: w, Size: size, BN: bn, Shortcut: "A", Reduce: reduce}, Batch: b})
	}
	for _, size := range []int{14, 28} {
		for _, w := range []int{4, 8, 16, 32} {
			for _, b := range []int{2, 16, 128} {
				add(ResNet, 1, w, size, b, true, true)
			}
		}
		add(ResNet, 5, 8, size, 32, true, true)
		add(ResNet, 9, 16, size, 32, true, true)
		add(Plain, 3, 16, size, 64, false, true)
		add(ResNet, 3, 64, size, 8, true, true)
		for _, w := range []int{4, 8, 16, 32} {
			add(Inception, 0, w, size, 32, true, true)
		}
		add(Inception, 0, 8, size, 32, true, false)
		add(Inception, 0, 16, size, 64, false, false)
	}
	return out
}()

// BenchmarkCost times a training step and a forward pass (evaluation
// mode) at the cost model's corners and prints, per corner, the work
// terms with the measured process CPU time per step and per evaluated
// image (for testdata/fit_cost.py):
//
//	COST_OUT=corners.tsv go test -run XXX -bench Cost -cpu 1 ./core/convnet
func BenchmarkCost(b *testing.B) {
	out := os.Getenv("COST_OUT")
	var f *os.File
	if out != "" {
		var err error
		if f, err = os.Create(out); err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		fmt.Fprintln(f, "name\tbatch\tmacs\tunfolded\toutputs\tpooled\trows\tconvs\tstep_ns\teval_ns_per_image")
	}
	for _, c := range costCorners {
		name := fmt.Sprintf("%s-n%d-w%d-s%d-b%d-bn%v-r%v", c.Arch, c.N, c.Width, c.Size, c.Batch, c.BN, c.Reduce)
		b.Run(name, func(b *testing.B) {
			net, err := NewNet(c.Spec)
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			net.Init(rng)
			s := c.Size
			x := make([]float64, max(c.Batch, evalChunk)*s*s)
			for i := range x {
				x[i] = rng.Float64()
			}
			y := make([]int, c.Batch)
			for i := range y {
				y[i] = rng.IntN(Classes)
			}
			opt := &SGD{LR: 0.01, Momentum: 0.9, WeightDecay: 1e-4}
			step := func() {
				net.LossGrad(x[:c.Batch*s*s], y)
				opt.Step(net.W, net.G)
			}
			step()
			var stepNs, evalNs float64
			for b.Loop() {
				c0 := cputime.Process()
				t0 := time.Now()
				for time.Since(t0) < 200*time.Millisecond {
					step()
					stepNs++
				}
				stepNs = float64(cputime.Process()-c0) / stepNs
				chunk := max(c.Batch, evalChunk)
				c0, t0 = cputime.Process(), time.Now()
				k := 0
				for time.Since(t0) < 100*time.Millisecond {
					net.Forward(x[:chunk*s*s], chunk, false)
					k++
				}
				evalNs = float64(cputime.Process()-c0) / float64(k*chunk)
			}
			b.ReportMetric(stepNs/1e6, "cpu-ms/step")
			w := net.Work()
			if f != nil {
				fmt.Fprintf(f, "%s\t%d\t%g\t%g\t%g\t%g\t%g\t%d\t%g\t%g\n", name, c.Batch, w.MACs, w.Unfolded, w.Outputs, w.Pooled, w.Rows, w.Convs, stepNs, evalNs)
			}
		})
	}
}
