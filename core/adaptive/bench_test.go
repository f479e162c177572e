package adaptive

import (
	"context"
	"testing"
)

// BenchmarkAdaptive runs the experiment at the lesson's defaults (8 features,
// 1000 steps of batch 4, four optimizers).
func BenchmarkAdaptive(b *testing.B) {
	benchmarkAdaptive(b, nil)
}

// BenchmarkAdaptiveLogistic is the same with the logistic task.
func BenchmarkAdaptiveLogistic(b *testing.B) {
	benchmarkAdaptive(b, map[string]string{"task": "logistic"})
}

func benchmarkAdaptive(b *testing.B, overrides map[string]string) {
	e := Adaptive()
	v, err := e.Parse(overrides)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := e.Execute(context.Background(), v, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAdaptiveMax is the largest work the schema allows (64 features,
// 10000 steps of batch 128, four optimizers): the bound on a run's time.
func BenchmarkAdaptiveMax(b *testing.B) {
	benchmarkAdaptive(b, map[string]string{"features": "64", "steps": "10000", "batch": "128", "p_max": "1", "p_min": "1"})
}
