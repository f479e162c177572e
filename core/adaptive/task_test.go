package adaptive

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Frequencies are log-uniform: the ends are p_max and p_min and consecutive
// ratios are all (p_min/p_max)^(1/(d−1)).
func TestFrequencies(t *testing.T) {
	for _, tc := range []struct {
		d          int
		pMax, pMin float64
	}{{8, 0.9, 0.01}, {2, 0.5, 0.5}, {64, 1, 1e-4}, {3, 0.8, 0.2}} {
		p := Frequencies(tc.d, tc.pMax, tc.pMin)
		if len(p) != tc.d || p[0] != tc.pMax || p[tc.d-1] != tc.pMin {
			t.Fatalf("%+v: got %v", tc, p)
		}
		q := math.Pow(tc.pMin/tc.pMax, 1/float64(tc.d-1))
		for j := 1; j < tc.d; j++ {
			if !scalar.EqualWithinRel(p[j]/p[j-1], q, 1e-12) {
				t.Errorf("%+v: p[%d]/p[%d] = %v, want %v", tc, j, j-1, p[j]/p[j-1], q)
			}
		}
	}
	// The middle of three is the geometric mean of the ends.
	if p := Frequencies(3, 0.8, 0.2); !scalar.EqualWithinRel(p[1], 0.4, 1e-15) {
		t.Errorf("middle frequency %v, want 0.4", p[1])
	}
}

// Sampled features occur with their probabilities (within 5 binomial standard
// deviations), take the requested values, and linear labels follow x·w*.
func TestSourceSampling(t *testing.T) {
	const n, d = 20000, 5
	for _, values := range []string{Gaussian, Binary} {
		src := &source{task: Linear, values: values, noise: 0, p: Frequencies(d, 0.9, 0.02), wStar: []float64{1, -1, 1, -1, 1}}
		X, y := make([]float64, n*d), make([]float64, n)
		src.fill(rand.New(rand.NewPCG(3, 4)), X, y)
		for j, pj := range src.p {
			count := 0
			for i := range n {
				x := X[i*d+j]
				if x != 0 {
					count++
					if values == Binary && x != 1 {
						t.Fatalf("binary feature value %v", x)
					}
				}
			}
			if sd := math.Sqrt(n * pj * (1 - pj)); math.Abs(float64(count)-n*pj) > 5*sd {
				t.Errorf("%s f%d: %d of %d present, want %.0f ± %.0f", values, j+1, count, n, n*pj, 5*sd)
			}
		}
		for i := range n {
			z := 0.0
			for j := range d {
				z += X[i*d+j] * src.wStar[j]
			}
			if y[i] != z {
				t.Fatalf("noise 0: y = %v, x·w* = %v", y[i], z)
			}
		}
	}
	// Logistic labels are 0 or 1 with mean σ(x·w*).
	src := &source{task: Logistic, values: Gaussian, p: []float64{1, 1}, wStar: []float64{1, -1}}
	X, y := make([]float64, n*2), make([]float64, n)
	src.fill(rand.New(rand.NewPCG(5, 6)), X, y)
	sumY, sumP := 0.0, 0.0
	for i := range n {
		if y[i] != 0 && y[i] != 1 {
			t.Fatalf("logistic label %v", y[i])
		}
		sumY += y[i]
		sumP += sigmoid(X[2*i] - X[2*i+1])
	}
	if sd := math.Sqrt(n * 0.25); math.Abs(sumY-sumP) > 5*sd {
		t.Errorf("logistic: %v positive labels, expected %v ± %v", sumY, sumP, 5*sd)
	}
}

// True weights are ±1 with both signs occurring.
func TestTrueWeights(t *testing.T) {
	w := trueWeights(64, rand.New(rand.NewPCG(1, streamWeights)))
	pos := 0
	for _, x := range w {
		if x != 1 && x != -1 {
			t.Fatalf("weight %v", x)
		}
		if x > 0 {
			pos++
		}
	}
	if pos < 16 || pos > 48 {
		t.Errorf("%d of 64 weights positive", pos)
	}
}

// The gradient of lossGrad matches central finite differences of its loss.
func TestLossGradFiniteDifferences(t *testing.T) {
	const n, d, h = 7, 5, 1e-6
	for _, task := range []string{Linear, Logistic} {
		for _, values := range []string{Gaussian, Binary} {
			rng := rand.New(rand.NewPCG(11, 12))
			src := &source{task: task, values: values, noise: 0.3, p: Frequencies(d, 0.9, 0.2), wStar: []float64{1, -1, 1, 1, -1}}
			X, y := make([]float64, n*d), make([]float64, n)
			src.fill(rng, X, y)
			w := make([]float64, d)
			for j := range w {
				w[j] = 2 * rng.NormFloat64()
			}
			grad := make([]float64, d)
			lossGrad(task, X, y, w, grad)
			for j := range d {
				wp, wm := append([]float64(nil), w...), append([]float64(nil), w...)
				wp[j] += h
				wm[j] -= h
				fd := (lossGrad(task, X, y, wp, nil) - lossGrad(task, X, y, wm, nil)) / (2 * h)
				if !scalar.EqualWithinAbsOrRel(grad[j], fd, 1e-8, 1e-6) {
					t.Errorf("%s/%s: ∂L/∂w_%d = %.12g, finite difference %.12g", task, values, j, grad[j], fd)
				}
			}
		}
	}
}

// Closed forms of the two losses on a single sample.
func TestLossClosedForm(t *testing.T) {
	X := []float64{2, 0, -1}
	w := []float64{0.5, 7, 1}
	grad := make([]float64, 3)
	// z = 2·0.5 − 1 = 0; linear with y = 3: ½·9, ∇ = (0 − 3)·x.
	if l := lossGrad(Linear, X, []float64{3}, w, grad); l != 4.5 || grad[0] != -6 || grad[1] != 0 || grad[2] != 3 {
		t.Errorf("linear: loss %v grad %v", l, grad)
	}
	// logistic at z = 0: log 2 for either label, ∇ = (½ − y)·x.
	if l := lossGrad(Logistic, X, []float64{1}, w, grad); !scalar.EqualWithinRel(l, math.Ln2, 1e-15) || grad[0] != -1 || grad[2] != 0.5 {
		t.Errorf("logistic: loss %v grad %v", l, grad)
	}
	// Large logits do not overflow: softplus(800) = 800, σ(−800) ≈ 0.
	if l := lossGrad(Logistic, []float64{1}, []float64{0}, []float64{800}, nil); l != 800 {
		t.Errorf("logistic at z = 800: loss %v, want 800", l)
	}
	if l := lossGrad(Logistic, []float64{1}, []float64{1}, []float64{-800}, nil); l != 800 {
		t.Errorf("logistic at z = −800, y = 1: loss %v, want 800", l)
	}
}

// The sparse held-out set gives the same loss as the dense lossGrad.
func TestEvalSetMatchesDense(t *testing.T) {
	const n, d = 300, 6
	for _, task := range []string{Linear, Logistic} {
		src := &source{task: task, values: Gaussian, noise: 0.1, p: Frequencies(d, 0.9, 0.01), wStar: []float64{1, -1, 1, 1, -1, 1}}
		X, y := make([]float64, n*d), make([]float64, n)
		rng := rand.New(rand.NewPCG(7, 8))
		src.fill(rng, X, y)
		e := newEvalSet(task, X, y, d)
		for range 5 {
			w := make([]float64, d)
			for j := range w {
				w[j] = rng.NormFloat64()
			}
			if a, b := e.loss(w), lossGrad(task, X, y, w, nil); !scalar.EqualWithinAbsOrRel(a, b, 1e-15, 1e-13) {
				t.Errorf("%s: sparse %v, dense %v", task, a, b)
			}
		}
	}
}
