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

func sortedEig(t *testing.T, data []float64) []complex128 {
	t.Helper()
	var eig mat.Eigen
	if !eig.Factorize(mat.NewDense(2, 2, data), mat.EigenNone) {
		t.Fatal("eigen decomposition failed")
	}
	v := eig.Values(nil)
	slices.SortFunc(v, byValue)
	return v
}

func byValue(a, b complex128) int {
	return cmp.Or(cmp.Compare(real(a), real(b)), cmp.Compare(imag(a), imag(b)))
}

// TestNesterovEigenvalues compares the roots of z² − (1+β)(1−h)z + β(1−h)
// with gonum's eigenvalues of PyTorch's Nesterov iteration matrix on
// (w, buf) and of Sutskever et al.'s on (θ, v): the two forms are one
// method in different coordinates.
func TestNesterovEigenvalues(t *testing.T) {
	for _, alpha := range []float64{0.01, 0.1, 0.3, 0.6, 1.3} {
		for _, beta := range []float64{0.25, 0.5, 0.9} {
			for _, lambda := range []float64{0.2, 1, 4} {
				h := alpha * lambda
				torch := sortedEig(t, []float64{1 - h*(1+beta), -alpha * beta * beta, lambda, beta})
				sutskever := sortedEig(t, []float64{1 - h, beta * (1 - h), -h, beta * (1 - h)})
				z1, z2 := NesterovEigenvalues(alpha, beta, lambda)
				got := []complex128{z1, z2}
				slices.SortFunc(got, byValue)
				for i := range 2 {
					for _, want := range [][]complex128{torch, sutskever} {
						if cmplx.Abs(got[i]-want[i]) > 1e-7*math.Max(1, cmplx.Abs(want[i])) {
							t.Errorf("α=%g β=%g λ=%g: eigenvalues %v, gonum %v", alpha, beta, lambda, got, want)
						}
					}
				}
			}
		}
	}
}

// distanceAfter runs opt on 0.1·x² + 2·y² from (−5, −2) and returns the
// final distance to the minimum (+Inf when the run diverged).
func distanceAfter(t *testing.T, name string, c Config, steps int) float64 {
	t.Helper()
	tr, err := Run(context.Background(), Quadratic(0.1, 2), mustNew(t, name, c), RunConfig{Start: [2]float64{-5, -2}, Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Diverged {
		return math.Inf(1)
	}
	p, _ := tr.Final()
	return math.Hypot(p[0], p[1])
}

// TestStabilityLimits checks Nesterov's limit α·λ < (2 + 2β)/(1 + 2β) and the
// heavy ball's α·λ < 2 + 2β: just under them the spectral radius is below 1
// and a 3000-step run on 0.1·x² + 2·y² ends closer than it started; just over
// they are above 1 and the run ends farther away (or overflows). The lesson's
// case β = 0.5, λmax = 4: Nesterov needs lr < 0.375, so lr = 0.6 diverges.
func TestStabilityLimits(t *testing.T) {
	if got := NesterovMaxLR(0.5, 4); !scalar.EqualWithinRel(got, 0.375, 1e-15) {
		t.Errorf("NesterovMaxLR(0.5, 4) = %g, want 0.375", got)
	}
	if r := NesterovRate(0.6, 0.5, 0.2, 4); !(r > 1) {
		t.Errorf("Nesterov rate at lr 0.6, μ 0.5 = %g, want > 1", r)
	}
	start := math.Hypot(5, 2)
	for _, beta := range []float64{0.1, 0.5, 0.9} {
		for _, tc := range []struct {
			name  string
			limit float64
			rate  func(alpha float64) float64
		}{
			{"nesterov", NesterovMaxLR(beta, 4), func(a float64) float64 { return NesterovRate(a, beta, 0.2, 4) }},
			{"momentum", HeavyBallMaxLR(beta, 4), func(a float64) float64 { return HeavyBallRate(a, beta, 0.2, 4) }},
		} {
			for _, f := range []float64{0.99, 1.01} {
				lr := tc.limit * f
				r := tc.rate(lr)
				d := distanceAfter(t, tc.name, Config{LR: lr, Momentum: beta, Exact: true}, 3000)
				if f < 1 && !(r < 1 && d < start) {
					t.Errorf("%s β=%g lr=%.4g (0.99×limit): rate %g, final distance %g; want < 1 and < %g", tc.name, beta, lr, r, d, start)
				}
				if f > 1 && !(r > 1 && d > start) {
					t.Errorf("%s β=%g lr=%.4g (1.01×limit): rate %g, final distance %g; want > 1 and > %g", tc.name, beta, lr, r, d, start)
				}
			}
		}
	}
}

// TestHeavyBallBestLR checks the flat floor against its closed form and a
// fine lr grid: at β = 0.5 on λ = 0.2, 4 it starts at (1 − √0.5)²/0.2 =
// 0.42893… with rate √0.5; below it the rate is higher, and no grid point
// beats the returned rate. β = 0 is gradient descent's 2/(λ1 + λn).
func TestHeavyBallBestLR(t *testing.T) {
	lo, hi, ok := HeavyBallFloor(0.5, 0.2, 4)
	if !ok || !scalar.EqualWithinRel(lo, 0.42893218813452476, 1e-12) || !scalar.EqualWithinRel(hi, 0.7285533905932737, 1e-12) {
		t.Errorf("floor = [%v, %v] ok=%v, want [0.428932, 0.728553] true", lo, hi, ok)
	}
	a, r := HeavyBallBestLR(0.5, 0.2, 4)
	if a != lo || !scalar.EqualWithinRel(r, math.Sqrt(0.5), 1e-15) {
		t.Errorf("best lr, rate = %v, %v; want %v, √0.5", a, r, lo)
	}
	if HeavyBallRate(lo*(1-1e-6), 0.5, 0.2, 4) <= math.Sqrt(0.5) {
		t.Error("rate just below the floor's start is not above √β")
	}
	if a, r := HeavyBallBestLR(0, 0.2, 4); !scalar.EqualWithinRel(a, 2/4.2, 1e-9) || !scalar.EqualWithinRel(r, 3.8/4.2, 1e-9) {
		t.Errorf("β = 0: best lr, rate = %v, %v; want 2/4.2, 3.8/4.2", a, r)
	}
	for _, beta := range []float64{0, 0.05, 0.2, 0.5, 0.9} {
		a, r := HeavyBallBestLR(beta, 0.2, 4)
		// At the floor's start the discriminant is 0 up to rounding, and its
		// square root turns an error of 1e-16 into one of 1e-8.
		if got := HeavyBallRate(a, beta, 0.2, 4); !scalar.EqualWithinAbsOrRel(got, r, 1e-7, 1e-7) {
			t.Errorf("β=%g: returned rate %g, rate at returned lr %g", beta, r, got)
		}
		max := HeavyBallMaxLR(beta, 4)
		for i := 1; i < 20000; i++ {
			x := max * float64(i) / 20000
			if HeavyBallRate(x, beta, 0.2, 4) < r-1e-9 {
				t.Errorf("β=%g: rate %g at lr %g beats the best %g at %g", beta, HeavyBallRate(x, beta, 0.2, 4), x, r, a)
				break
			}
		}
	}
}

// fixedPointCovariance sums P = Σ_k A^k·q·B·Bᵀ·(A^k)ᵀ until the terms vanish:
// an independent solution of the Lyapunov equation.
func fixedPointCovariance(A [2][2]float64, B [2]float64, q float64) [2][2]float64 {
	Am := mat.NewDense(2, 2, []float64{A[0][0], A[0][1], A[1][0], A[1][1]})
	term := mat.NewDense(2, 2, []float64{q * B[0] * B[0], q * B[0] * B[1], q * B[1] * B[0], q * B[1] * B[1]})
	sum := mat.NewDense(2, 2, nil)
	var tmp mat.Dense
	for range 1000000 {
		sum.Add(sum, term)
		tmp.Mul(Am, term)
		term.Mul(&tmp, Am.T())
		if mat.Norm(term, 1) < 1e-18*mat.Norm(sum, 1) {
			break
		}
	}
	return [2][2]float64{{sum.At(0, 0), sum.At(0, 1)}, {sum.At(1, 0), sum.At(1, 1)}}
}

// TestStationaryLossSolutions checks the closed forms for SGD and the heavy
// ball (PyTorch's state (w, buf), with dampening) against the Lyapunov
// solution, and the Lyapunov solution against a direct summation of the
// series Σ A^k Q (A^k)ᵀ, to 1e-9 relative.
func TestStationaryLossSolutions(t *testing.T) {
	const sigma = 0.7
	for _, lr := range []float64{0.05, 0.2, 0.4, 0.7} {
		for _, mu := range []float64{0, 0.3, 0.5, 0.9} {
			for _, d := range []float64{0, 0.5} {
				for _, lambda := range []float64{0.2, 4} {
					c := 1 - d
					A := [2][2]float64{{1 - lr*c*lambda, -lr * mu}, {c * lambda, mu}}
					B := [2]float64{-lr * c, c}
					P, ok := StationaryCovariance(A, B, sigma*sigma)
					closed := HeavyBallStationaryLoss(lr*c, mu, lambda, sigma)
					if !ok {
						if !math.IsInf(closed, 1) {
							t.Errorf("lr=%g μ=%g d=%g λ=%g: unstable, closed form %g", lr, mu, d, lambda, closed)
						}
						continue
					}
					lyap := lambda * P[0][0] / 2
					if !scalar.EqualWithinRel(closed, lyap, 1e-9) {
						t.Errorf("lr=%g μ=%g d=%g λ=%g: closed form %g, Lyapunov %g", lr, mu, d, lambda, closed, lyap)
					}
					if mu == 0 && d == 0 && !scalar.EqualWithinRel(SGDStationaryLoss(lr, lambda, sigma), closed, 1e-12) {
						t.Errorf("lr=%g λ=%g: SGD %g, heavy ball with β=0 %g", lr, lambda, SGDStationaryLoss(lr, lambda, sigma), closed)
					}
					series := fixedPointCovariance(A, B, sigma*sigma)
					for i := range 2 {
						for j := range 2 {
							if !scalar.EqualWithinAbsOrRel(P[i][j], series[i][j], 1e-12, 1e-8) {
								t.Errorf("lr=%g μ=%g d=%g λ=%g: P[%d][%d] Lyapunov %g, series %g", lr, mu, d, lambda, i, j, P[i][j], series[i][j])
							}
						}
					}
				}
			}
		}
	}
}

// TestStationaryLossMonteCarlo runs the real optimizers on 0.1·x² + 2·y² with
// gradient noise σ = 1 (400 seeds × 3000 steps, the first 1000 dropped) and
// compares the mean loss with the closed forms. The tolerance is 5 standard
// errors of the mean over seeds (each seed's tail mean is one sample); the
// standard error comes out at 0.3–0.6% of the value.
func TestStationaryLossMonteCarlo(t *testing.T) {
	if testing.Short() {
		t.Skip("long Monte Carlo run")
	}
	s := Quadratic(0.1, 2)
	for _, tc := range []struct {
		name string
		c    Config
		want float64
	}{
		{"sgd", Config{LR: 0.4, Exact: true}, SGDStationaryLoss(0.4, 0.2, 1) + SGDStationaryLoss(0.4, 4, 1)},
		{"momentum", Config{LR: 0.4, Momentum: 0.9, Exact: true}, HeavyBallStationaryLoss(0.4, 0.9, 0.2, 1) + HeavyBallStationaryLoss(0.4, 0.9, 4, 1)},
		{"momentum", Config{LR: 0.4, Momentum: 0.5, Dampening: 0.5, Exact: true}, HeavyBallStationaryLoss(0.2, 0.5, 0.2, 1) + HeavyBallStationaryLoss(0.2, 0.5, 4, 1)},
		{"nesterov", Config{LR: 0.2, Momentum: 0.5, Exact: true}, NesterovStationaryLoss(0.2, 0.5, 0.2, 1) + NesterovStationaryLoss(0.2, 0.5, 4, 1)},
	} {
		const seeds, steps, burn = 400, 3000, 1000
		means := make([]float64, seeds)
		for k := range seeds {
			tr, err := Run(context.Background(), s, mustNew(t, tc.name, tc.c), RunConfig{Start: [2]float64{-5, -2}, Steps: steps, Noise: 1, Seed: uint64(k + 1)})
			if err != nil {
				t.Fatal(err)
			}
			sum := 0.0
			for _, f := range tr.Loss[burn:] {
				sum += f
			}
			means[k] = sum / float64(len(tr.Loss[burn:]))
		}
		m, v := 0.0, 0.0
		for _, x := range means {
			m += x
		}
		m /= seeds
		for _, x := range means {
			v += (x - m) * (x - m)
		}
		se := math.Sqrt(v / (seeds - 1) / seeds)
		t.Logf("%s lr=%g μ=%g d=%g: Monte Carlo %.5f ± %.5f, closed form %.5f", tc.name, tc.c.LR, tc.c.Momentum, tc.c.Dampening, m, se, tc.want)
		if math.Abs(m-tc.want) > 5*se {
			t.Errorf("%s lr=%g μ=%g d=%g: Monte Carlo %.5f ± %.5f (5 s.e.), closed form %.5f", tc.name, tc.c.LR, tc.c.Momentum, tc.c.Dampening, m, se, tc.want)
		}
	}
}
