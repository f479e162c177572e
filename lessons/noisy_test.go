package lessons

import (
	"testing"
)

// TestNoisyVerdictIndependentOfSeed: the momentum lesson's `noisy` exercise
// judges a tail loss averaged over seeds, so the same settings get the same
// verdict whatever the noise seed. Checked over 100 seeds, in both
// languages, at the lesson's starting values (the goal must fail) and at
// the intended solutions μ = d = 0.5 and μ = d = 0.7 (it must pass).
func TestNoisyVerdictIndependentOfSeed(t *testing.T) {
	if raceOn {
		t.Skip("100 seeds of training: covered by the run without -race")
	}
	if testing.Short() {
		t.Skip("runs the cell 300 times per language")
	}
	files, err := BuiltinFiles()
	if err != nil {
		t.Fatal(err)
	}
	reg := fullRegistry()
	for _, lang := range Languages {
		path := BuiltinPrefix + lang + "/01-momentum.md"
		l, err := Parse(path, files[path], reg)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := l.Cell("noisy")
		if !ok || c.Exercise == nil {
			t.Fatalf("%s: no noisy exercise", path)
		}
		for _, tc := range []struct {
			momentum, dampening float64
			want                bool
		}{
			{c.Params.Float("momentum"), c.Params.Float("dampening"), false},
			{0.5, 0.5, true},
			{0.7, 0.7, true},
		} {
			for seed := 1; seed <= 100; seed++ {
				v := c.Params.Clone()
				v["momentum"], v["dampening"], v["seed"] = tc.momentum, tc.dampening, seed
				r, err := c.Experiment.Execute(t.Context(), v, nil)
				if err != nil {
					t.Fatal(err)
				}
				got, err := c.Exercise.Goal.Eval(r, v)
				if err != nil {
					t.Fatal(err)
				}
				if got != tc.want {
					tail, _ := r.Scalar("momentum.tail_loss")
					t.Errorf("%s μ=%g d=%g seed %d: goal %v (momentum.tail_loss %g), want %v", lang, tc.momentum, tc.dampening, seed, got, tail.Value, tc.want)
				}
			}
		}
	}
}
