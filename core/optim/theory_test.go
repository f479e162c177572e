package optim

import (
	"cmp"
	"context"
	"math"
	"math/cmplx"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// TestHeavyBallEigenvalues compares the closed-form eigenvalues of
// R = [[β, λ], [−αβ, 1 − αλ]] with gonum's general eigen-solver, and the
// direction rate with the largest magnitude; complex pairs have |μ| = √β.
func TestHeavyBallEigenvalues(t *testing.T) {
	for _, alpha := range []float64{0.01, 0.1, 0.4, 0.6, 1.3} {
		for _, beta := range []float64{0, 0.25, 0.5, 0.9, 0.99} {
			for _, lambda := range []float64{0.2, 1, 4} {
				R := mat.NewDense(2, 2, []float64{beta, lambda, -alpha * beta, 1 - alpha*lambda})
				var eig mat.Eigen
				if !eig.Factorize(R, mat.EigenNone) {
					t.Fatal("eigen decomposition failed")
				}
				want := eig.Values(nil)
				z1, z2 := HeavyBallEigenvalues(alpha, beta, lambda)
				got := []complex128{z1, z2}
				byValue := func(a, b complex128) int {
					return cmp.Or(cmp.Compare(real(a), real(b)), cmp.Compare(imag(a), imag(b)))
				}
				slices.SortFunc(got, byValue)
				slices.SortFunc(want, byValue)
				for i := range 2 {
					if cmplx.Abs(got[i]-want[i]) > 1e-7*math.Max(1, cmplx.Abs(want[i])) {
						t.Errorf("α=%g β=%g λ=%g: eigenvalues %v, gonum %v", alpha, beta, lambda, got, want)
					}
				}
				radius := math.Max(cmplx.Abs(want[0]), cmplx.Abs(want[1]))
				if r := HeavyBallDirectionRate(alpha, beta, lambda); !scalar.EqualWithinAbsOrRel(r, radius, 1e-7, 1e-7) {
					t.Errorf("α=%g β=%g λ=%g: rate %g, spectral radius %g", alpha, beta, lambda, r, radius)
				}
				if imag(z1) != 0 && !scalar.EqualWithinRel(cmplx.Abs(z1), math.Sqrt(beta), 1e-12) {
					t.Errorf("α=%g β=%g λ=%g: complex |μ| = %g, want √β = %g", alpha, beta, lambda, cmplx.Abs(z1), math.Sqrt(beta))
				}
			}
		}
	}
}

// TestRatesD2L checks d2l.ai's 2-D demo on 0.1·x² + 2·y² (λ = 0.2, 4):
// GD with η = 0.4 converges (rate 0.92), η = 0.6 diverges (|1 − 2.4| = 1.4),
// momentum (η, β) = (0.6, 0.5) converges.
func TestRatesD2L(t *testing.T) {
	l := []float64{0.2, 4}
	for _, tt := range []struct {
		name string
		got  float64
		want float64
	}{
		{"gd 0.4", GDRate(0.4, l...), 0.92},
		{"gd 0.6", GDRate(0.6, l...), 1.4},
		{"gd 0.5", GDRate(0.5, l...), 1},
		// λ=0.2: μ² − 1.42μ + 0.5 = 0 → (1.42 + √0.0164)/2; λ=4: complex, √0.5.
		{"momentum 0.4/0.5", HeavyBallRate(0.4, 0.5, l...), (1.42 + math.Sqrt(1.42*1.42-2)) / 2},
		// Both directions complex: √0.5.
		{"momentum 0.6/0.5", HeavyBallRate(0.6, 0.5, l...), math.Sqrt(0.5)},
		{"momentum β=0 is gd", HeavyBallRate(0.4, 0, l...), 0.92},
	} {
		if !scalar.EqualWithinAbsOrRel(tt.got, tt.want, 1e-12, 1e-12) {
			t.Errorf("%s: rate %.15g, want %.15g", tt.name, tt.got, tt.want)
		}
	}
}

// TestOptima checks the closed-form optima: the rate at the optimal step
// equals the stated formula and no step (and momentum) on a fine grid does
// better.
func TestOptima(t *testing.T) {
	for _, l := range [][2]float64{{0.2, 4}, {1, 1.5}, {0.01, 10}, {2, 2}} {
		l1, ln := l[0], l[1]
		k := ln / l1
		a, r := OptimalGD(l1, ln)
		if !scalar.EqualWithinRel(a, 2/(l1+ln), 1e-15) || !scalar.EqualWithinAbsOrRel(r, (k-1)/(k+1), 1e-15, 1e-12) {
			t.Errorf("λ=%v: OptimalGD = %g, %g", l, a, r)
		}
		if got := GDRate(a, l1, ln); !scalar.EqualWithinAbsOrRel(got, r, 1e-12, 1e-12) {
			t.Errorf("λ=%v: GDRate(α*) = %g, want %g", l, got, r)
		}
		ha, hb, hr := OptimalHeavyBall(l1, ln)
		sk := math.Sqrt(k)
		if !scalar.EqualWithinAbsOrRel(hr, (sk-1)/(sk+1), 1e-15, 1e-12) || !scalar.EqualWithinAbsOrRel(hb, hr*hr, 1e-15, 1e-12) ||
			!scalar.EqualWithinRel(ha, math.Pow(2/(math.Sqrt(l1)+math.Sqrt(ln)), 2), 1e-12) {
			t.Errorf("λ=%v: OptimalHeavyBall = %g, %g, %g", l, ha, hb, hr)
		}
		// At the optimum both extreme directions sit at critical damping, so
		// the rate is √β* = (√κ−1)/(√κ+1) up to √(rounding).
		if got := HeavyBallRate(ha, hb, l1, ln); !scalar.EqualWithinAbs(got, hr, 1e-6) {
			t.Errorf("λ=%v: HeavyBallRate(α*, β*) = %g, want %g", l, got, hr)
		}
		for i := 1; i <= 400; i++ {
			alpha := 2.5 / ln * float64(i) / 400
			if GDRate(alpha, l1, ln) < r-1e-12 {
				t.Errorf("λ=%v: GD with α=%g beats the optimum", l, alpha)
			}
			for j := 0; j < 100; j++ {
				beta := float64(j) / 100
				if HeavyBallRate(alpha*2, beta, l1, ln) < hr-1e-6 {
					t.Errorf("λ=%v: heavy ball with α=%g β=%g beats the optimum", l, alpha*2, beta)
				}
			}
		}
		if hr > r+1e-12 {
			t.Errorf("λ=%v: momentum's optimal rate %g worse than GD's %g", l, hr, r)
		}
	}
}

// TestCriticalDampingAndLimits: at β = (1 − √(αλ))² the eigenvalues meet
// and the rate is 1 − √(αλ); slightly larger β makes them complex (rate
// √β); GD is stable up to 2/λ, the heavy ball up to (2 + 2β)/λ.
func TestCriticalDampingAndLimits(t *testing.T) {
	for _, tt := range []struct{ alpha, lambda float64 }{{0.4, 0.2}, {0.1, 4}, {0.9, 1}, {0.01, 0.5}} {
		b := CriticalDamping(tt.alpha, tt.lambda)
		want := 1 - math.Sqrt(tt.alpha*tt.lambda)
		if got := HeavyBallDirectionRate(tt.alpha, b, tt.lambda); !scalar.EqualWithinAbs(got, want, 1e-7) {
			t.Errorf("α=%g λ=%g: rate at critical β=%g is %g, want %g", tt.alpha, tt.lambda, b, got, want)
		}
		z1, z2 := HeavyBallEigenvalues(tt.alpha, b*1.01, tt.lambda)
		if imag(z1) == 0 || imag(z2) == 0 {
			t.Errorf("α=%g λ=%g: β just above critical gave real eigenvalues %v %v", tt.alpha, tt.lambda, z1, z2)
		}
	}
	l := []float64{0.2, 4}
	for _, beta := range []float64{0, 0.5, 0.9} {
		lim := HeavyBallMaxLR(beta, 4)
		if HeavyBallRate(lim*0.999, beta, l...) >= 1 || HeavyBallRate(lim*1.001, beta, l...) <= 1 {
			t.Errorf("β=%g: heavy-ball stability limit %g is wrong", beta, lim)
		}
	}
	if lim := GDMaxLR(4); GDRate(lim*0.999, l...) >= 1 || GDRate(lim*1.001, l...) <= 1 {
		t.Errorf("GD stability limit %g is wrong", lim)
	}
}

// TestMomentumIsHeavyBall: PyTorch's momentum SGD (buf = μ·buf + g,
// θ −= lr·buf) equals the heavy ball z ← β·z + ∇f(w), w ← w − α·z with
// α = lr, β = μ, step for step.
func TestMomentumIsHeavyBall(t *testing.T) {
	s := Rotated(0.1, 2, 30)
	const lr, mu = 0.3, 0.7
	tr, err := Run(context.Background(), s, mustNew(t, "momentum", Config{LR: lr, Momentum: mu}), RunConfig{Start: [2]float64{-5, -2}, Steps: 100})
	if err != nil {
		t.Fatal(err)
	}
	w, z := [2]float64{-5, -2}, [2]float64{}
	for k := 1; k <= 100; k++ {
		gx, gy := s.Grad(w[0], w[1])
		z = [2]float64{mu*z[0] + gx, mu*z[1] + gy}
		w = [2]float64{w[0] - lr*z[0], w[1] - lr*z[1]}
		for d := range 2 {
			if !scalar.EqualWithinAbsOrRel(tr.Points[k][d], w[d], 1e-14, 1e-12) {
				t.Fatalf("step %d: torch momentum %v, heavy ball %v", k, tr.Points[k], w)
			}
		}
	}
}

// TestMeasuredRates: the per-step contraction measured on actual runs
// (geometric-mean distance ratio over the later half) matches the predicted
// rate. Where the slowest direction has real eigenvalues the match is tight;
// where all are complex (|μ| = √β) the distance oscillates and the
// measurement is looser.
func TestMeasuredRates(t *testing.T) {
	tests := []struct {
		name                  string
		surface               *Surface
		opt                   string
		lr, mu, damp, wd, tol float64
		steps                 int
	}{
		{"gd 0.4", Quadratic(0.1, 2), "sgd", 0.4, 0, 0, 0, 1e-9, 300},
		{"gd 0.1", Quadratic(0.1, 2), "sgd", 0.1, 0, 0, 0, 1e-9, 300},
		{"gd 0.45 (fast dir dominates)", Quadratic(1, 2), "sgd", 0.45, 0, 0, 0, 1e-9, 300},
		{"gd rotated", Rotated(0.1, 2, 40), "sgd", 0.4, 0, 0, 0, 1e-9, 300},
		{"gd weight decay", Quadratic(0.1, 2), "sgd", 0.4, 0, 0, 0.05, 1e-9, 300},
		{"momentum 0.4/0.5", Quadratic(0.1, 2), "momentum", 0.4, 0.5, 0, 0, 1e-4, 400},
		{"momentum rotated", Rotated(0.1, 2, -60), "momentum", 0.4, 0.5, 0, 0, 1e-4, 400},
		{"momentum dampened", Quadratic(0.1, 2), "momentum", 0.5, 0.5, 0.2, 0, 1e-4, 400},
		{"momentum 0.05/0.2", Quadratic(0.1, 2), "momentum", 0.05, 0.2, 0, 0, 1e-4, 400},
		{"momentum complex 0.6/0.5", Quadratic(0.1, 2), "momentum", 0.6, 0.5, 0, 0, 0.02, 2000},
		{"momentum complex 0.1/0.9", Quadratic(0.1, 2), "momentum", 0.1, 0.9, 0, 0, 0.02, 2000},
	}
	for _, tt := range tests {
		c := Config{LR: tt.lr, Momentum: tt.mu, Dampening: tt.damp, WeightDecay: tt.wd}
		tr, err := Run(context.Background(), tt.surface, mustNew(t, tt.opt, c), RunConfig{Start: [2]float64{-5, -2}, Steps: tt.steps})
		if err != nil {
			t.Fatal(err)
		}
		dist := make([]float64, len(tr.Points))
		for k, p := range tr.Points {
			dist[k] = math.Hypot(p[0], p[1])
		}
		got, ok := MeasuredRate(dist)
		l := []float64{tt.surface.Eigenvalues[0] + tt.wd, tt.surface.Eigenvalues[1] + tt.wd}
		want := GDRate(tt.lr, l...)
		if tt.opt == "momentum" {
			want = HeavyBallRate(tt.lr*(1-tt.damp), tt.mu, l...)
		}
		if !ok || !scalar.EqualWithinRel(got, want, tt.tol) {
			t.Errorf("%s: measured rate %.10g, predicted %.10g (ok=%v)", tt.name, got, want, ok)
		}
	}
	if _, ok := MeasuredRate([]float64{1}); ok {
		t.Error("MeasuredRate of one point: ok")
	}
	if r, ok := MeasuredRate([]float64{8, 4, 2, 1, 0, 0}); !ok || r != 0.5 {
		t.Errorf("MeasuredRate(8,4,2,1,0,0) = %g, %v; want 0.5 (trailing zeros skipped)", r, ok)
	}
}
