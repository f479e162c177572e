package residual

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// Config describes one plain-versus-residual training run.
type Config struct {
	Depth     int     // blocks of two width×width layers, ≥ 1
	Width     int     // hidden width, ≥ 1
	Batch     int     // mini-batch size, 1 … Points
	Steps     int     // optimizer steps, ≥ 1
	LR        float64 // learning rate, > 0
	Seed      uint64  // seeds the data, the weights and the batch order
	Init      Init    // weight initialization
	Optimizer string  // SGD (momentum 0.9) or Adam
	Points    int     // data set size, ≥ 2
	Turns     float64 // turns of each spiral arm, ≥ 0
	Noise     float64 // data noise (std), ≥ 0
	Clip      float64 // largest total gradient norm per step; 0 = no clipping
	BN        bool    // batch normalization after each hidden linear layer (batch ≥ 2)
}

// check reports the first invalid field of c.
func (c Config) check() error {
	switch {
	case c.Depth < 1:
		return fmt.Errorf("residual: depth must be ≥ 1, got %d", c.Depth)
	case c.Width < 1:
		return fmt.Errorf("residual: width must be ≥ 1, got %d", c.Width)
	case c.Steps < 1:
		return fmt.Errorf("residual: steps must be ≥ 1, got %d", c.Steps)
	case c.Points < 2:
		return fmt.Errorf("residual: points must be ≥ 2, got %d", c.Points)
	case c.Batch < 1 || c.Batch > c.Points:
		return fmt.Errorf("residual: batch must be from 1 to points (%d), got %d", c.Points, c.Batch)
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return fmt.Errorf("residual: lr must be a finite number > 0, got %v", c.LR)
	case !(c.Clip >= 0) || math.IsInf(c.Clip, 0):
		return fmt.Errorf("residual: clip must be a finite number ≥ 0, got %v", c.Clip)
	case c.BN && c.Batch < 2:
		return fmt.Errorf("residual: batch normalization needs a batch of ≥ 2, got %d", c.Batch)
	}
	if _, err := c.Init.Std(1, 1); err != nil {
		return err
	}
	if c.Optimizer != SGD && c.Optimizer != Adam {
		return fmt.Errorf("residual: optimizer must be sgd or adam, got %q", c.Optimizer)
	}
	return nil
}

// Outcome is what one net did in a run.
type Outcome struct {
	// Loss[t] is the mean cross-entropy of the batch of step t+1, computed
	// before that step's update (nats).
	Loss []float64
	// FinalLoss is the mean cross-entropy over the whole data set after the
	// last step (nats).
	FinalLoss float64
	// Accuracy is the fraction of the data set classified correctly after
	// the last step.
	Accuracy float64
	// GradNormInit[l] is the Frobenius norm ‖∂L/∂W_l‖ of linear layer l
	// (input side first) on the first batch at the initial weights;
	// GradNormFinal is the same, on the same batch, at the final weights.
	GradNormInit, GradNormFinal []float64
	// DivergedAt is the step whose loss was not finite (0: none). Training
	// of this net stopped there: Loss has DivergedAt−1 entries, and the
	// final numbers are for the last weights that gave a finite loss.
	// Numbers that overflowed are reported as math.MaxFloat64.
	DivergedAt int
}

// GradRatio returns ‖∂L/∂W‖ of the first layer over that of the last layer
// at initialization: far below 1 when gradients vanish toward the input
// (0 if the last layer's gradient is 0).
func (o *Outcome) GradRatio() float64 {
	g := o.GradNormInit
	return ratio(g[0], g[len(g)-1])
}

// Report is called after step done of total with both loss curves so far
// (aliased: they only grow; a diverged net's curve stops short).
type Report func(done, total int, plainLoss, residualLoss []float64)

// trainer trains one net.
type trainer struct {
	net  *Net
	opt  *optimizer
	out  Outcome
	prev []float64 // the parameters before the last update: those of the last step with a finite loss
	clip float64
}

// step runs optimizer step k on rows points and records the loss. When the
// loss is not finite it restores the last good parameters and stops.
//
// The update writes the new parameters into prev, the other of two vectors,
// and the net swaps to it; so the parameters of the step before stay in
// the vector it left, and restoring them is a swap back, not a copy per step.
func (t *trainer) step(x []float64, y []int, rows, k int) {
	if t.out.DivergedAt > 0 {
		return
	}
	loss := t.net.LossGrad(x, y, rows)
	if k == 1 {
		t.out.GradNormInit = finite(t.net.GradNorms())
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		t.out.DivergedAt = k
		if k > 1 {
			t.net.setParams(t.prev)
		}
		return
	}
	t.out.Loss = append(t.out.Loss, loss)
	_, f := clipScale(t.net.grads, t.clip)
	cur := t.net.params
	t.net.update(t.opt, t.prev, f)
	t.prev = cur
}

// ClipGradNorm scales g in place so that its Euclidean norm is at most
// maxNorm, as torch.nn.utils.clip_grad_norm_ does over all parameters:
// g ← g·maxNorm/(‖g‖ + 1e-6) when ‖g‖ > maxNorm. maxNorm ≤ 0 leaves g alone.
// It returns ‖g‖ before clipping.
func ClipGradNorm(g []float64, maxNorm float64) float64 {
	n, f := clipScale(g, maxNorm)
	if f != 1 {
		for i := range g {
			g[i] *= f
		}
	}
	return n
}

// clipScale returns ‖g‖ and the factor f that ClipGradNorm scales g by:
// maxNorm/(‖g‖ + 1e-6) when maxNorm > 0 and ‖g‖ > maxNorm, else 1. The
// sum of squares runs in order, one term at a time.
func clipScale(g []float64, maxNorm float64) (norm, f float64) {
	ss := 0.0
	for _, v := range g {
		ss += v * v
	}
	n := math.Sqrt(ss)
	if maxNorm > 0 && n > maxNorm {
		return n, maxNorm / (n + 1e-6)
	}
	return n, 1
}

// finite replaces each NaN or ±Inf in xs by math.MaxFloat64 (an overflow)
// and returns xs.
func finite(xs []float64) []float64 {
	for i, v := range xs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			xs[i] = math.MaxFloat64
		}
	}
	return xs
}

// Train trains a plain and a residual net with equal initial weights on the
// same batches of the same spiral data, in lockstep (the residual net on a
// second goroutine), and calls report (if non-nil) about every 5% of the
// steps. It stops with ctx's error when ctx is done. A net whose loss stops
// being finite stops training (see Outcome.DivergedAt); the other goes on.
func Train(ctx context.Context, c Config, report Report) (plain, res *Outcome, err error) {
	if err := c.check(); err != nil {
		return nil, nil, err
	}
	x, y, err := Spirals(c.Points, c.Turns, c.Noise, c.Seed)
	if err != nil {
		return nil, nil, err
	}
	var tr [2]*trainer
	for i, resid := range []bool{false, true} {
		newNet := NewNet
		if c.BN {
			newNet = NewBNNet
		}
		net, err := newNet(c.Depth, c.Width, c.Batch, resid)
		if err != nil {
			return nil, nil, err
		}
		opt, err := newOptimizer(c.Optimizer, c.LR, len(net.params))
		if err != nil {
			return nil, nil, err
		}
		tr[i] = &trainer{net: net, opt: opt, prev: make([]float64, len(net.params)), clip: c.Clip}
		tr[i].out.Loss = make([]float64, 0, c.Steps)
	}
	if err := tr[0].net.Initialize(c.Init, rand.New(rand.NewPCG(c.Seed, 0x494e4954))); err != nil { // "INIT"
		return nil, nil, err
	}
	tr[1].net.CopyFrom(tr[0].net)

	// Batches: a seeded shuffle of the data, taken in order, reshuffled
	// after each pass. The first batch is kept for the final gradient norms.
	order := rand.New(rand.NewPCG(c.Seed, 0x4241544348)) // "BATCH"
	perm := order.Perm(c.Points)
	bx := make([]float64, c.Batch*Inputs)
	by := make([]int, c.Batch)
	first := make([]float64, c.Batch*Inputs)
	firstY := make([]int, c.Batch)
	pos := 0

	// The residual net runs on a worker goroutine, one step per message.
	// A panic there is handed back and raised again here, on the caller's
	// goroutine, where a caller can recover it.
	type job struct{ k int }
	jobs := make(chan job)
	done := make(chan any)
	defer close(jobs)
	go func() {
		for j := range jobs {
			done <- func() (p any) {
				defer func() { p = recover() }()
				tr[1].step(bx, by, c.Batch, j.k)
				return nil
			}()
		}
	}()

	every := max(1, c.Steps/20)
	for k := 1; k <= c.Steps; k++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		for i := range by {
			if pos == c.Points {
				pos = 0
				order.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
			}
			p := perm[pos]
			pos++
			bx[2*i], bx[2*i+1], by[i] = x[2*p], x[2*p+1], y[p]
		}
		if k == 1 {
			copy(first, bx)
			copy(firstY, by)
		}
		jobs <- job{k}
		tr[0].step(bx, by, c.Batch, k)
		if p := <-done; p != nil {
			panic(p)
		}
		if report != nil && (k%every == 0 || k == c.Steps) {
			report(k, c.Steps, tr[0].out.Loss, tr[1].out.Loss)
		}
	}
	for _, t := range tr {
		t.net.LossGrad(first, firstY, c.Batch)
		t.out.GradNormFinal = finite(t.net.GradNorms())
		loss, acc := t.net.Evaluate(x, y)
		t.out.FinalLoss, t.out.Accuracy = finite([]float64{loss})[0], acc
	}
	return &tr[0].out, &tr[1].out, nil
}

// GradNorms returns the Frobenius norm of each linear layer's weight
// gradient, ‖∂L/∂W_l‖ = √(Σ_ij (∂L/∂W_l,ij)²), input side first, from the
// last LossGrad.
func (n *Net) GradNorms() []float64 {
	out := make([]float64, len(n.layers))
	for l := range n.layers {
		out[l] = frobenius(n.layers[l].dwt)
	}
	return out
}

// frobenius returns √(Σ x²), scaled to avoid overflow and underflow.
func frobenius(xs []float64) float64 {
	var scale float64
	for _, v := range xs {
		scale = math.Max(scale, math.Abs(v))
	}
	if scale == 0 || math.IsInf(scale, 0) || math.IsNaN(scale) {
		return scale
	}
	var s float64
	for _, v := range xs {
		v /= scale
		s += v * v
	}
	return scale * math.Sqrt(s)
}

// Evaluate returns the mean cross-entropy (nats) and the accuracy (fraction
// of argmax logits equal to the label) of the net on all points x (n×2) with
// labels y, in chunks of MaxBatch.
//
// A net with BN is evaluated as it trains, in training mode: each chunk is
// normalized with its own statistics. So that every chunk is a full batch,
// the last one is the final MaxBatch points (when there are that many),
// of which only the points not yet counted are scored.
func (n *Net) Evaluate(x []float64, y []int) (loss, acc float64) {
	var sum float64
	correct := 0
	for lo := 0; lo < len(y); lo += n.MaxBatch {
		rows := min(n.MaxBatch, len(y)-lo)
		start := lo
		if n.BN && rows < n.MaxBatch && len(y) >= n.MaxBatch {
			start, rows = len(y)-n.MaxBatch, n.MaxBatch
		}
		z := n.Forward(x[start*Inputs:], rows)
		for i := lo - start; i < rows; i++ {
			zi := z[i*Classes : i*Classes+Classes]
			sum += xent(zi, y[start+i])
			pred := 0
			if zi[1] > zi[0] {
				pred = 1
			}
			if pred == y[start+i] {
				correct++
			}
		}
	}
	return sum / float64(len(y)), float64(correct) / float64(len(y))
}
