package adaptive

import (
	"math"
	"math/rand/v2"
)

// Task names.
const (
	Linear   = "linear"   // y = x·w* + noise·N(0,1), loss ½(x·w − y)²
	Logistic = "logistic" // y ~ Bernoulli(σ(x·w*)), loss −y·log σ(z) − (1−y)·log(1−σ(z))
)

// Feature value kinds.
const (
	Gaussian = "gaussian" // a present feature takes a N(0,1) value
	Binary   = "binary"   // a present feature takes the value 1
)

// Frequencies returns the probability p_j that feature j (0-based) is
// non-zero in a sample, spread log-uniformly from pMax down to pMin:
//
//	p_j = pMax·(pMin/pMax)^(j/(d−1)),   j = 0, …, d−1,
//
// so feature 0 is the most frequent and feature d−1 the rarest. d must be ≥ 2.
func Frequencies(d int, pMax, pMin float64) []float64 {
	p := make([]float64, d)
	for j := range p {
		p[j] = pMax * math.Pow(pMin/pMax, float64(j)/float64(d-1))
	}
	p[0], p[d-1] = pMax, pMin // exact ends
	return p
}

// source draws samples of the synthetic task.
type source struct {
	task   string
	values string
	noise  float64
	p      []float64 // per-feature probability of being non-zero
	wStar  []float64 // true weights
}

// trueWeights returns d weights of magnitude 1 with random signs, so every
// feature's error |w_j − w*_j| starts at 1 from w = 0.
func trueWeights(d int, r *rand.Rand) []float64 {
	w := make([]float64, d)
	for j := range w {
		w[j] = 1
		if r.IntN(2) == 0 {
			w[j] = -1
		}
	}
	return w
}

// fill draws len(y) samples into the row-major matrix X (len(y)×d) and y.
func (s *source) fill(r *rand.Rand, X, y []float64) {
	d := len(s.p)
	for i := range y {
		row := X[i*d : (i+1)*d]
		z := 0.0
		for j, pj := range s.p {
			row[j] = 0
			if r.Float64() < pj {
				row[j] = 1
				if s.values == Gaussian {
					row[j] = r.NormFloat64()
				}
			}
			z += row[j] * s.wStar[j]
		}
		switch s.task {
		case Linear:
			y[i] = z + s.noise*r.NormFloat64()
		case Logistic:
			y[i] = 0
			if r.Float64() < sigmoid(z) {
				y[i] = 1
			}
		}
	}
}

// ExpectedLinearLoss is the linear task's expected loss at weights w over
// fresh samples, E[½(x·w − y)²] with y = x·w* + σ·N(0, 1). With e = w − w*
// it is ½σ² + ½·E[(x·e)²], and the features are independent: x_j is
// non-zero with probability p_j, with value N(0, 1) (Gaussian: E[x_j²] = p_j,
// E[x_j·x_k] = 0) or 1 (Binary: E[x_j²] = p_j, E[x_j·x_k] = p_j·p_k), so
//
//	Gaussian: ½σ² + ½·Σ p_j·e_j²
//	Binary:   ½σ² + ½·(Σ p_j·e_j² + (Σ p_j·e_j)² − Σ p_j²·e_j²).
//
// It is never below ½σ², the loss at w*.
func ExpectedLinearLoss(w, wStar, p []float64, values string, sigma float64) float64 {
	quad, lin, diag := 0.0, 0.0, 0.0
	for j := range w {
		e := w[j] - wStar[j]
		quad += p[j] * e * e
		lin += p[j] * e
		diag += p[j] * p[j] * e * e
	}
	if values == Binary {
		quad += lin*lin - diag
	}
	return (sigma*sigma + quad) / 2
}

// sigmoid returns σ(z) = 1/(1 + e^(−z)) without overflow.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// lossGrad returns the mean loss of the n = len(y) samples in X (row-major
// n×d) at weights w and, when grad is non-nil, writes its gradient:
//
//	linear:   L = (1/n)·Σ ½(x_i·w − y_i)²,             ∇L = (1/n)·Σ (x_i·w − y_i)·x_i
//	logistic: L = (1/n)·Σ [softplus(z_i) − y_i·z_i],   ∇L = (1/n)·Σ (σ(z_i) − y_i)·x_i
//
// with z_i = x_i·w and softplus(z) = log(1 + e^z) (the binary cross-entropy
// with logits, as torch.nn.functional.binary_cross_entropy_with_logits).
func lossGrad(task string, X, y, w, grad []float64) float64 {
	d := len(w)
	for j := range grad {
		grad[j] = 0
	}
	loss := 0.0
	for i, yi := range y {
		row := X[i*d : (i+1)*d]
		z := 0.0
		for j, xj := range row {
			z += xj * w[j]
		}
		var r float64 // ∂loss_i/∂z_i
		switch task {
		case Linear:
			r = z - yi
			loss += 0.5 * r * r
		case Logistic:
			loss += softplus(z) - yi*z
			r = sigmoid(z) - yi
		}
		if grad != nil && r != 0 {
			for j, xj := range row {
				grad[j] += r * xj
			}
		}
	}
	n := float64(len(y))
	for j := range grad {
		grad[j] /= n
	}
	return loss / n
}

// softplus returns log(1 + e^z) without overflow.
func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

// evalSet is a fixed held-out set on which the loss is measured after
// training steps. It keeps each sample's non-zero entries only (most features
// are absent from most samples), so a measurement costs O(non-zeros) rather
// than O(n·d).
type evalSet struct {
	task    string
	start   []int   // sample i's entries are entries[start[i]:start[i+1]]
	entries []entry // non-zero x_ij in row-major order
	y       []float64
}

// entry is one non-zero feature value of a sample.
type entry struct {
	j int
	x float64
}

func newEvalSet(task string, X, y []float64, d int) *evalSet {
	e := &evalSet{task: task, y: y, start: make([]int, 1, len(y)+1)}
	for i := range y {
		for j, x := range X[i*d : (i+1)*d] {
			if x != 0 {
				e.entries = append(e.entries, entry{j, x})
			}
		}
		e.start = append(e.start, len(e.entries))
	}
	return e
}

// loss returns the mean loss at w: the value lossGrad gives on the dense set.
func (e *evalSet) loss(w []float64) float64 {
	sum := 0.0
	for i, yi := range e.y {
		z := 0.0
		for _, en := range e.entries[e.start[i]:e.start[i+1]] {
			z += en.x * w[en.j]
		}
		if e.task == Linear {
			r := z - yi
			sum += 0.5 * r * r
		} else {
			sum += softplus(z) - yi*z
		}
	}
	return sum / float64(len(e.y))
}
