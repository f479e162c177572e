package optim

import (
	"context"
	"fmt"
	"testing"

	"github.com/nnlab/nnlab/core/internal/cputime"
)

// BenchmarkCost times whole runs of optimize, one optimizer at a time, on
// three surfaces with and without noise (ten seeds), and reports the
// process CPU time per step beside StepCost's model:
// go test ./core/optim -run XXX -bench Cost -benchtime 3x.
func BenchmarkCost(b *testing.B) {
	e := optimizeExperiment()
	for _, surface := range []string{"quadratic", "rosenbrock", "beale"} {
		for _, name := range Names() {
			for _, noise := range []string{"0", "1"} {
				b.Run(fmt.Sprintf("%s-%s-noise%s", surface, name, noise), func(b *testing.B) {
					const steps, seeds = 10000, 10
					v, err := e.Parse(map[string]string{"optimizers": name, "surface": surface, "steps": fmt.Sprint(steps), "noise": noise, "seeds": fmt.Sprint(seeds), "lr": "0.0001", "momentum": "0.5"})
					if err != nil {
						b.Fatal(err)
					}
					runs := 1
					if noise != "0" {
						runs = seeds
					}
					c0 := cputime.Process()
					for b.Loop() {
						if _, err := e.Execute(context.Background(), v, nil); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64((cputime.Process()-c0).Nanoseconds())/float64(b.N*steps*runs), "cpu-ns/step")
					b.ReportMetric(StepCost(name), "model-ns/step")
				})
			}
		}
	}
}
