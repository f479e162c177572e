package optim

import "math"

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

// MeasuredRate estimates a run's per-step contraction as the geometric mean
// of the ratios of successive distances to the minimum over the later half
// of the run: (d_T / d_T0)^(1/(T − T0)), T0 = ⌊T/2⌋, where T is the last
// index with d > 0. ok is false when fewer than two such points remain.
func MeasuredRate(dist []float64) (rate float64, ok bool) {
	T := len(dist) - 1
	for T >= 0 && !(dist[T] > 0) {
		T--
	}
	T0 := T / 2
	if T-T0 < 1 || !(dist[T0] > 0) {
		return 0, false
	}
	return math.Exp((math.Log(dist[T]) - math.Log(dist[T0])) / float64(T-T0)), true
}
