package optim

import (
	"math"
	"testing"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestAdamBias checks "adam_bias" against the closed forms on a constant
// gradient g: with bias correction every step is lr·g/(|g| + ε) (computed by
// the torch-checked Adam optimizer); without it step t is
// lr·(1 − β1ᵗ)·g/(√(1 − β2ᵗ)·|g| + ε), so the first is (1 − β1)/√(1 − β2) =
// 3.1623× larger at the defaults. The ratio (1 − 0.9ᵗ)/√(1 − 0.999ᵗ) peaks
// at t = 12 and comes within 1% of 1 at t = 3925 (checked here by a direct
// scan of the formula).
func TestAdamBias(t *testing.T) {
	for _, o := range []map[string]string{nil, {"g": "-2.5", "lr": "0.1", "beta1": "0.5", "beta2": "0.9", "eps": "1e-3", "steps": "300"}} {
		r := runExp(t, "adam_bias", o)
		checkFinite(t, r)
		e := experimenttest.Named(t, Experiments(), "adam_bias")
		v, err := e.Parse(o)
		if err != nil {
			t.Fatal(err)
		}
		g, lr, b1, b2, eps := v.Float("g"), v.Float("lr"), v.Float("beta1"), v.Float("beta2"), v.Float("eps")
		pay := r.JSON.(AdamBiasJSON)
		for k, c := range pay.Corrected {
			if want := lr * g / (math.Abs(g) + eps); !scalar.EqualWithinRel(c, want, 1e-9) {
				t.Fatalf("%v: corrected step %d = %.17g, want lr·g/(|g|+ε) = %.17g", o, k+1, c, want)
			}
			tt := float64(k + 1)
			want := lr * (1 - math.Pow(b1, tt)) * g / (math.Sqrt(1-math.Pow(b2, tt))*math.Abs(g) + eps)
			if !scalar.EqualWithinRel(pay.Uncorrected[k], want, 1e-12) {
				t.Fatalf("%v: uncorrected step %d = %.17g, want %.17g", o, k+1, pay.Uncorrected[k], want)
			}
		}
		for key, want := range map[string]float64{
			"m1": (1 - b1) * g, "v1": (1 - b2) * g * g,
			"step1_corrected":   lr * g / (math.Abs(g) + eps),
			"step1_uncorrected": lr * (1 - b1) * g / (math.Sqrt(1-b2)*math.Abs(g) + eps),
		} {
			if got := experimenttest.Scalar(t, r, key); !scalar.EqualWithinRel(got, want, 1e-9) {
				t.Errorf("%v: %s = %.17g, want %.17g", o, key, got, want)
			}
		}
	}
	r := runExp(t, "adam_bias", nil)
	if got := experimenttest.Scalar(t, r, "step1_ratio"); !scalar.EqualWithinRel(got, 0.1/math.Sqrt(0.001), 1e-6) {
		t.Errorf("step1_ratio = %g, want 0.1/√0.001 = 3.1623", got)
	}
	peak, at, agree := 0.0, 0, -1
	for k := 1; k <= 5000; k++ {
		x := (1 - math.Pow(0.9, float64(k))) / math.Sqrt(1-math.Pow(0.999, float64(k)))
		if x > peak {
			peak, at = x, k
		}
		if agree < 0 && math.Abs(x-1) <= 0.01 {
			agree = k
		}
	}
	if at != 12 || agree != 3925 {
		t.Errorf("formula scan: peak at %d, agree at %d; the test's doc says 12 and 3925", at, agree)
	}
	if experimenttest.Scalar(t, r, "max_ratio_step") != float64(at) || experimenttest.Scalar(t, r, "agree_step") != float64(agree) ||
		!scalar.EqualWithinRel(experimenttest.Scalar(t, r, "max_ratio"), peak, 1e-6) {
		t.Errorf("max_ratio %g at %g, agree_step %g; want %g at %d, %d", experimenttest.Scalar(t, r, "max_ratio"),
			experimenttest.Scalar(t, r, "max_ratio_step"), experimenttest.Scalar(t, r, "agree_step"), peak, at, agree)
	}
	if _, err := experimenttest.Named(t, Experiments(), "adam_bias").Parse(map[string]string{"g": "0"}); err == nil {
		t.Error("g = 0 accepted")
	}
}
