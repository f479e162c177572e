package optim

import (
	"math"
	"math/cmplx"
)

// Convergence theory on a convex quadratic f(w) = ½·wᵀAw − bᵀw with Hessian
// eigenvalues λ1 ≤ … ≤ λn (Goh, "Why Momentum Really Works", Distill 2017).
// A rate r means the error shrinks by a factor r per step (asymptotically
// ‖w_k − w*‖ ~ C·r^k); r < 1 converges. For f = a·x² + b·y² the Hessian is
// diag(2a, 2b), so λ = 2a and 2b.

// GDRate is gradient descent's rate with step α: max_i |1 − α·λi|.
func GDRate(alpha float64, lambdas ...float64) float64 {
	r := 0.0
	for _, l := range lambdas {
		r = math.Max(r, math.Abs(1-alpha*l))
	}
	return r
}

// HeavyBallEigenvalues returns the two eigenvalues of the heavy-ball
// iteration matrix for one eigen-direction λ, R = [[β, λ], [−α·β, 1 − α·λ]]
// (from z ← β·z + λ·w, w ← w − α·z). They solve μ² − (1 + β − αλ)·μ + β = 0:
// tr R = 1 + β − αλ and det R = β, so complex ones have magnitude √β.
func HeavyBallEigenvalues(alpha, beta, lambda float64) (complex128, complex128) {
	tr := 1 + beta - alpha*lambda
	disc := tr*tr - 4*beta
	if disc >= 0 {
		s := math.Sqrt(disc)
		// Avoid cancellation: the larger-magnitude root first, then det/root.
		r1 := (tr + math.Copysign(s, tr)) / 2
		r2 := 0.0
		if r1 != 0 {
			r2 = beta / r1
		}
		return complex(r1, 0), complex(r2, 0)
	}
	s := math.Sqrt(-disc)
	return complex(tr/2, s/2), complex(tr/2, -s/2)
}

// HeavyBallDirectionRate is the spectral radius of R for one eigenvalue λ:
// (|tr| + √(tr² − 4β))/2 when the eigenvalues are real, √β when complex,
// with tr = 1 + β − α·λ.
func HeavyBallDirectionRate(alpha, beta, lambda float64) float64 {
	tr := 1 + beta - alpha*lambda
	disc := tr*tr - 4*beta
	if disc >= 0 {
		return (math.Abs(tr) + math.Sqrt(disc)) / 2
	}
	return math.Sqrt(beta)
}

// HeavyBallRate is the heavy-ball rate with step α and momentum β: the
// largest HeavyBallDirectionRate over the eigenvalues. PyTorch's SGD with
// momentum μ and learning rate lr is the heavy ball with α = lr, β = μ.
func HeavyBallRate(alpha, beta float64, lambdas ...float64) float64 {
	r := 0.0
	for _, l := range lambdas {
		r = math.Max(r, HeavyBallDirectionRate(alpha, beta, l))
	}
	return r
}

// Kappa is the condition number λn/λ1.
func Kappa(lmin, lmax float64) float64 { return lmax / lmin }

// OptimalGD returns gradient descent's best step α = 2/(λ1 + λn) and its
// rate (κ − 1)/(κ + 1).
func OptimalGD(lmin, lmax float64) (alpha, rate float64) {
	k := Kappa(lmin, lmax)
	return 2 / (lmin + lmax), (k - 1) / (k + 1)
}

// OptimalHeavyBall returns the best heavy-ball step α = (2/(√λ1 + √λn))²,
// momentum β = ((√κ − 1)/(√κ + 1))² and rate (√κ − 1)/(√κ + 1).
func OptimalHeavyBall(lmin, lmax float64) (alpha, beta, rate float64) {
	s := 2 / (math.Sqrt(lmin) + math.Sqrt(lmax))
	sk := math.Sqrt(Kappa(lmin, lmax))
	rate = (sk - 1) / (sk + 1)
	return s * s, rate * rate, rate
}

// CriticalDamping is the momentum β = (1 − √(α·λ))² at which the direction
// λ's eigenvalues meet (the fastest non-oscillating setting); the rate there
// is 1 − √(α·λ). Valid for 0 < α·λ ≤ 1.
func CriticalDamping(alpha, lambda float64) float64 {
	s := 1 - math.Sqrt(alpha*lambda)
	return s * s
}

// GDMaxLR is the largest stable gradient-descent step, 2/λn.
func GDMaxLR(lmax float64) float64 { return 2 / lmax }

// HeavyBallMaxLR is the largest stable heavy-ball step for momentum
// 0 ≤ β < 1, (2 + 2β)/λn.
func HeavyBallMaxLR(beta, lmax float64) float64 { return (2 + 2*beta) / lmax }

// Representable is the smallest distance to the minimum that MeasuredRate
// reads. Below it a run's numbers approach the end of float64's normal
// range, where a step's products (lr·λ·θ, the momentum buffer) lose
// precision and then stall at the smallest subnormal: a run that keeps
// converging would read as a rate of 1.
const Representable = 1e-250

// MeasuredRate estimates a run's per-step contraction as the geometric mean
// of the ratios of successive distances to the minimum over the later half
// of the part of the run where the distance is representable (see
// MeasuredRateOver). ok is false when fewer than two such points remain.
func MeasuredRate(dist []float64) (rate float64, ok bool) {
	rate, _, _, ok = MeasuredRateOver(dist)
	return rate, ok
}

// MeasuredRateOver is (d_T / d_T0)^(1/(T − T0)), T0 = ⌊T/2⌋, where T is the
// last index before the distance first falls below Representable (or is
// 0, or not a number), and the indices T0 and T it measured between. ok is
// false, with nothing measured, when that leaves fewer than two points.
func MeasuredRateOver(dist []float64) (rate float64, t0, t1 int, ok bool) {
	T := len(dist) - 1
	for k, d := range dist {
		if !(d >= Representable) || math.IsInf(d, 0) {
			T = k - 1
			break
		}
	}
	T0 := T / 2
	if T < 1 || T-T0 < 1 {
		return 0, 0, 0, false
	}
	return math.Exp((math.Log(dist[T]) - math.Log(dist[T0])) / float64(T-T0)), T0, T, true
}

// NesterovEigenvalues returns the two eigenvalues of PyTorch's Nesterov
// iteration for one eigen-direction λ (buf ← β·buf + g; θ ← θ − α·(g + β·buf)).
// With h = α·λ they solve z² − (1 + β)(1 − h)·z + β(1 − h) = 0. Sutskever et
// al.'s form (v ← β·v − α·∇f(θ + β·v); θ ← θ + v) has the same polynomial:
// PyTorch's θ is Sutskever's look-ahead point θ + β·v.
func NesterovEigenvalues(alpha, beta, lambda float64) (complex128, complex128) {
	h := alpha * lambda
	return quadRoots((1+beta)*(1-h), beta*(1-h))
}

// NesterovRate is the rate of PyTorch's Nesterov momentum: the largest
// eigenvalue magnitude over the directions λ.
func NesterovRate(alpha, beta float64, lambdas ...float64) float64 {
	r := 0.0
	for _, l := range lambdas {
		z1, z2 := NesterovEigenvalues(alpha, beta, l)
		r = math.Max(r, math.Max(cmplx.Abs(z1), cmplx.Abs(z2)))
	}
	return r
}

// NesterovMaxLR is the largest stable step of PyTorch's Nesterov momentum
// for 0 ≤ β < 1: α·λn < (2 + 2β)/(1 + 2β). (The polynomial above at z = −1 is
// 2 + 2β − h(1 + 2β), which must stay positive; at z = 1 it is h > 0.) The
// heavy ball's limit, (2 + 2β)/λn, is 1 + 2β times larger.
func NesterovMaxLR(beta, lmax float64) float64 { return (2 + 2*beta) / ((1 + 2*beta) * lmax) }

// quadRoots returns the roots of z² − tr·z + det = 0, the larger magnitude
// first when they are real.
func quadRoots(tr, det float64) (complex128, complex128) {
	disc := tr*tr - 4*det
	if disc >= 0 {
		s := math.Sqrt(disc)
		r1 := (tr + math.Copysign(s, tr)) / 2
		r2 := 0.0
		if r1 != 0 {
			r2 = det / r1
		}
		return complex(r1, 0), complex(r2, 0)
	}
	s := math.Sqrt(-disc)
	return complex(tr/2, s/2), complex(tr/2, -s/2)
}

// HeavyBallFloor is the range of steps [lo, hi] over which the heavy ball
// with momentum β has its best possible rate √β on eigenvalues lmin ≤ lmax:
// there the eigenvalues of every direction are complex, i.e.
// (1 − √β)² ≤ α·λ ≤ (1 + √β)² for λ = lmin and λ = lmax, so
// lo = (1 − √β)²/lmin and hi = (1 + √β)²/lmax. ok is false when lo > hi (β
// below the optimal β*): then no step reaches √β.
func HeavyBallFloor(beta, lmin, lmax float64) (lo, hi float64, ok bool) {
	s := math.Sqrt(beta)
	lo, hi = (1-s)*(1-s)/lmin, (1+s)*(1+s)/lmax
	return lo, hi, lo <= hi
}

// HeavyBallBestLR returns the smallest step with the heavy ball's best rate
// at momentum β, and that rate: the floor's lower end and √β when the floor
// exists (HeavyBallFloor), else the step where the flat and the steep
// directions' rates meet, found by golden-section search over
// (0, (2 + 2β)/lmax) (the rate is quasi-convex in α: the maximum of two
// quasi-convex direction rates). β = 0 gives gradient descent's 2/(λ1 + λn).
func HeavyBallBestLR(beta, lmin, lmax float64) (alpha, rate float64) {
	if lo, _, ok := HeavyBallFloor(beta, lmin, lmax); ok && beta > 0 {
		return lo, math.Sqrt(beta)
	}
	f := func(a float64) float64 { return HeavyBallRate(a, beta, lmin, lmax) }
	a, b := 0.0, HeavyBallMaxLR(beta, lmax)
	g := (math.Sqrt(5) - 1) / 2
	x1, x2 := b-g*(b-a), a+g*(b-a)
	f1, f2 := f(x1), f(x2)
	for range 200 {
		if f1 <= f2 {
			b, x2, f2 = x2, x1, f1
			x1 = b - g*(b-a)
			f1 = f(x1)
		} else {
			a, x1, f1 = x1, x2, f2
			x2 = a + g*(b-a)
			f2 = f(x2)
		}
	}
	alpha = (a + b) / 2
	return alpha, f(alpha)
}

// Long-run (stationary) expected loss under gradient noise. Each gradient is
// the true one plus independent N(0, σ²) noise in every coordinate. On a
// quadratic whose Hessian has eigenvalues λi the noise stays independent
// N(0, σ²) along every eigen-direction, the directions evolve separately, and
// the loss is Σ ½·λi·wi², so the expected loss in the long run is
// Σ ½·λi·Var(wi) with Var(wi) the stationary variance of a linear recurrence
// driven by noise. It is +Inf where the recurrence is not stable.

// SGDStationaryLoss is ½·λ·Var(w) for w ← (1 − αλ)·w − α·ξ, ξ ~ N(0, σ²):
// Var(w) = α²σ²/(1 − (1 − αλ)²), so ½·λ·Var(w) = α·σ²/(2·(2 − αλ)) for
// 0 < αλ < 2.
func SGDStationaryLoss(alpha, lambda, sigma float64) float64 {
	h := alpha * lambda
	if !(h > 0 && h < 2) {
		return math.Inf(1)
	}
	return alpha * sigma * sigma / (2 * (2 - h))
}

// HeavyBallStationaryLoss is ½·λ·Var(w) for the heavy ball with step α and
// momentum β driven by N(0, σ²) gradient noise. Eliminating z, w is the AR(2)
// process w' = (1 + β − αλ)·w − β·w₋ − α·ξ, whose variance gives
//
//	½·λ·Var(w) = α·σ²·(1 + β) / (2·(1 − β)·(2(1 + β) − αλ))
//
// for 0 < αλ < 2 + 2β, 0 ≤ β < 1. PyTorch's SGD with momentum μ, dampening d
// and learning rate lr is this with α = lr·(1 − d), β = μ (after its first
// step). β = 0 gives SGDStationaryLoss.
func HeavyBallStationaryLoss(alpha, beta, lambda, sigma float64) float64 {
	h := alpha * lambda
	if !(h > 0 && h < 2+2*beta && beta >= 0 && beta < 1) {
		return math.Inf(1)
	}
	return alpha * sigma * sigma * (1 + beta) / (2 * (1 - beta) * (2*(1+beta) - h))
}

// NesterovStationaryLoss is ½·λ·Var(w) for PyTorch's Nesterov momentum with
// learning rate α and momentum β driven by N(0, σ²) gradient noise, from the
// stationary covariance of its state (w, buf) (StationaryCovariance), with
//
//	buf' = β·buf + λ·w + ξ
//	w'   = (1 − αλ(1 + β))·w − αβ²·buf − α(1 + β)·ξ.
func NesterovStationaryLoss(alpha, beta, lambda, sigma float64) float64 {
	A := [2][2]float64{{1 - alpha*lambda*(1+beta), -alpha * beta * beta}, {lambda, beta}}
	B := [2]float64{-alpha * (1 + beta), 1}
	P, ok := StationaryCovariance(A, B, sigma*sigma)
	if !ok {
		return math.Inf(1)
	}
	return lambda * P[0][0] / 2
}

// StationaryCovariance solves the discrete Lyapunov equation P = A·P·Aᵀ + q·B·Bᵀ
// for the stationary covariance of x' = A·x + B·ξ with Var(ξ) = q. Written
// for the three distinct entries (p11, p12, p22) of the symmetric P it is a
// 3×3 linear system, solved by Cramer's rule. ok is false when A's spectral
// radius is not below 1 (no stationary distribution).
func StationaryCovariance(A [2][2]float64, B [2]float64, q float64) (P [2][2]float64, ok bool) {
	z1, z2 := quadRoots(A[0][0]+A[1][1], A[0][0]*A[1][1]-A[0][1]*A[1][0])
	if !(math.Max(cmplx.Abs(z1), cmplx.Abs(z2)) < 1) {
		return P, false
	}
	a, b, c, d := A[0][0], A[0][1], A[1][0], A[1][1]
	// (A P Aᵀ)11 = a²p11 + 2ab·p12 + b²p22
	// (A P Aᵀ)12 = ac·p11 + (ad + bc)·p12 + bd·p22
	// (A P Aᵀ)22 = c²p11 + 2cd·p12 + d²p22
	M := [3][3]float64{
		{1 - a*a, -2 * a * b, -b * b},
		{-a * c, 1 - (a*d + b*c), -b * d},
		{-c * c, -2 * c * d, 1 - d*d},
	}
	r := [3]float64{q * B[0] * B[0], q * B[0] * B[1], q * B[1] * B[1]}
	det3 := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
			m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
			m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	D := det3(M)
	var x [3]float64
	for k := range 3 {
		Mk := M
		for i := range 3 {
			Mk[i][k] = r[i]
		}
		x[k] = det3(Mk) / D
	}
	return [2][2]float64{{x[0], x[1]}, {x[1], x[2]}}, true
}
