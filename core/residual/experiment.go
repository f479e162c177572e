package residual

import (
	"context"
	"fmt"
	"math"

	"github.com/nnlab/nnlab/core/experiment"
)

// Bounds on a run: every permitted run finishes in about MaxSeconds of CPU
// and holds at most MaxBytes in its two nets. Both are checked by validate
// from the parameters alone, before anything runs.
const (
	// MaxSeconds bounds RunSeconds, the modelled CPU time of a run: with
	// the two nets on one core it is also the wall time, so a run ends in
	// well under 10 s on the 2-core machines nnlab is served from even when
	// another process takes a core.
	MaxSeconds = 5.0
	// MaxBytes bounds RunBytes: with the Go runtime, the rest of the
	// program and what a run allocates besides (measured: 30 to 40 MB over
	// RunBytes) a run's resident memory stays well under 256 MB: the
	// largest measured at the corners is 206 MB (depth 16, width 128,
	// batch 1024, BN, SGD; 205 MB at depth 64, width 128, batch 32, BN).
	MaxBytes = 180 << 20
)

// costCoef holds the coefficients of the cost model, in nanoseconds of
// CPU per optimizer step of both nets (see StepCost).
type costCoef struct {
	step  float64 // per step: batch assembly, the hand-off to the second net, bookkeeping
	layer float64 // per block and step: the fixed cost of a block's calls (gonum Dgemm set-up, loops)
	wb    float64 // per block, step and unit of width·batch: elementwise passes (bias, ReLU, shortcut, BN)
	wwb   float64 // per block, step and unit of width²·batch: the matrix products, forward and backward
	ww    float64 // per block, step and unit of width²: clipping, the optimizer and the weight copy
}

// The coefficients come from BenchmarkCost: process CPU time per step of
// Train with Adam (the dearer optimizer) on the 2-core machines nnlab is
// developed and served on, at seven corners (depth·width·batch =
// 1·2·1, 64·2·1, 64·2·1024, 16·128·1024, 64·128·1, 64·32·1024,
// 32·64·256; without BN 3.2 µs, 70 µs, 12.3 ms, 593 ms, 56 ms, 197 ms and
// 78 ms per step). A least-squares fit of the relative error is within
// −21%…+20% of every corner; the width·batch and width²·batch terms are
// then raised until no corner is under-estimated, so the model is an upper
// envelope: 0.99 to 1.48 times the measured time (without BN), 0.99 to 1.22
// (with BN).
//
// They were measured before the assembly kernel and the fused passes (issue
// 13) and are kept. Measured after that work, old and new code interleaved
// in one sitting on a loaded machine, every corner got cheaper: 0.2–0.5 of
// the old time at the corners bound by width²·batch (the model now
// overestimates them 2–5×), 0.45–0.9 at those bound by width², per-block
// and per-step costs. That sitting's load also put the old code 1.3–1.6×
// over the model at the last corners (new code 1.0–1.55×: d64-w128-b1, a
// pass over 2M parameters per net per step, is bound by memory bandwidth);
// a refit on a quiet machine would settle those.
var (
	costPlain = costCoef{step: 2170, layer: 701, wb: 92, wwb: 1.42, ww: 52}
	costBN    = costCoef{step: 2860, layer: 991, wb: 166, wwb: 2.03, ww: 53}
)

// StepCost is the modelled CPU time, in nanoseconds, of one optimizer step
// of both nets (forward, backward, clipping, update):
//
//	step + depth·(layer + wb·width·batch + wwb·width²·batch + ww·width²)
//
// Unlike a count of multiply-adds alone, it charges the per-step and
// per-block overheads that dominate at small widths and batches.
func StepCost(depth, width, batch int, bn bool) float64 {
	c := costPlain
	if bn {
		c = costBN
	}
	d, w, b := float64(depth), float64(width), float64(batch)
	return c.step + d*(c.layer+c.wb*w*b+c.wwb*w*w*b+c.ww*w*w)
}

// evalCost is the modelled CPU time, in nanoseconds, of a forward pass of
// both nets over one chunk of batch points: a third of a step's work per
// element (forward only) and a read of every weight per chunk:
//
//	step + depth·(layer + (wb·width·batch + wwb·width²·batch)/3 + evalWW·width²)
//
// with evalWW fitted to two measured evaluations at depth 64, width 128 (of
// 4096 points: 1.75 ms per chunk of 1 and 20 ms per chunk of 32).
func evalCost(depth, width, batch int, bn bool) float64 {
	const evalWW = 1.1
	c := costPlain
	if bn {
		c = costBN
	}
	d, w, b := float64(depth), float64(width), float64(batch)
	return c.step + d*(c.layer+(c.wb*w*b+c.wwb*w*w*b)/3+evalWW*w*w)
}

// RunSeconds is the modelled CPU time of a run, in seconds: steps optimizer
// steps, then the final gradient norms (one more step) and the evaluation of
// both nets on all points in chunks of batch.
func RunSeconds(depth, width, batch, steps, points int, bn bool) float64 {
	chunks := (points + batch - 1) / batch
	ns := float64(steps+1)*StepCost(depth, width, batch, bn) + float64(chunks)*evalCost(depth, width, batch, bn)
	return ns / 1e9
}

// RunBytes is the memory the two nets of a run allocate, in bytes: per net
// the parameters, their gradients, the second parameter vector (holding the
// last good step), the
// layers' weight copies and the optimizer's state (one vector for SGD, two
// for Adam), plus the stored activations of every layer for batch rows
// (twice with BN, which keeps the normalized values too), and the data.
func RunBytes(depth, width, batch, steps, points int, bn bool, optimizer string) float64 {
	vectors := 5.0 // params, grads, the second parameter vector, weight copies, SGD's momentum
	if optimizer == Adam {
		vectors = 6
	}
	w, b := float64(width), float64(batch)
	acts := float64(NumLayers(depth)-1)*w*b + Inputs*b + Classes*b + 3*w*b
	if bn {
		acts += float64(NumLayers(depth)-1) * w * b
	}
	perNet := vectors*float64(ParamCount(depth, width, bn)) + acts + float64(steps)
	return 8 * (2*perNet + 3*float64(points))
}

// Experiments returns the experiments of this package.
func Experiments() []*experiment.Experiment {
	return []*experiment.Experiment{Experiment()}
}

// Experiment returns the "residual" experiment: a plain and a residual deep
// MLP, equal but for the skip connections and started from the same
// weights, trained side by side on two-class spirals.
//
// JSON payload ({"plain": …, "residual": …}, each a NetJSON):
//
//	{"plain":{"loss":[…per step],"accuracy":…,"grad_norm_init":[…per layer],"grad_norm_final":[…]},
//	 "residual":{…same…}}
func Experiment() *experiment.Experiment {
	return &experiment.Experiment{
		Name:    "residual",
		Summary: "Plain vs residual deep MLP (batch norm optional) on spirals: loss, accuracy and per-layer gradient norms",
		Params: experiment.Schema{
			{Name: "depth", Kind: experiment.Int, Default: 20, Min: 1, Max: 64, Step: 1,
				Help: "blocks of two width×width layers (the net has 2·depth+2 linear layers)"},
			{Name: "width", Kind: experiment.Int, Default: 16, Min: 2, Max: 128, Step: 2, Log: true,
				Help: "hidden units per layer"},
			{Name: "batch", Kind: experiment.Int, Default: 32, Min: 1, Max: 1024, Step: 2, Log: true,
				Help: "points per optimizer step (at most points)"},
			{Name: "steps", Kind: experiment.Int, Default: 150, Min: 1, Max: 5000, Step: 2, Log: true,
				Help: "optimizer steps"},
			{Name: "lr", Kind: experiment.Float, Default: 0.01, Min: 1e-6, Max: 10, Step: 2, Log: true,
				Help: "learning rate"},
			{Name: "optimizer", Kind: experiment.Enum, Default: SGD, Choices: []string{SGD, Adam},
				Help: "sgd: SGD with momentum 0.9; adam: Adam with β=(0.9, 0.999), ε=1e-8 (torch.optim semantics)"},
			{Name: "init", Kind: experiment.Enum, Default: string(Torch), Choices: initChoices(),
				Help: "torch: nn.Linear's default U(±1/√fan_in) for weights and biases; he: N(0, 2/fan_in); " +
					"xavier: N(0, 2/(fan_in+fan_out)); small: N(0, 0.01²); biases 0 except torch"},
			{Name: "points", Kind: experiment.Int, Default: 256, Min: 2, Max: 4096, Step: 2, Log: true,
				Help: "spiral data set size (half per class)"},
			{Name: "turns", Kind: experiment.Float, Default: 0.75, Min: 0, Max: 3, Step: 0.25,
				Help: "how far each spiral arm winds around the origin (more turns: a harder task)"},
			{Name: "noise", Kind: experiment.Float, Default: 0.05, Min: 0, Max: 1, Step: 0.05,
				Help: "std of the Gaussian noise added to each coordinate"},
			{Name: "seed", Kind: experiment.Int, Default: 1, Min: 0, Max: 1<<31 - 1, Step: 1,
				Help: "seeds the data, the (shared) initial weights and the batch order"},
			{Name: "clip", Kind: experiment.Float, Default: 5.0, Min: 0, Max: 100, Step: 1,
				Help: "largest total gradient norm per step, as torch.nn.utils.clip_grad_norm_ (0: no clipping)"},
			{Name: "bn", Kind: experiment.Bool, Default: false,
				Help: "batch normalization (BatchNorm1d, training-mode batch statistics) after each hidden linear layer, before its ReLU; those layers lose their bias"},
		},
		Validate: validate,
		Heavy:    func(experiment.Values) bool { return true },           // training: up to seconds and MaxActivations of memory
		Sizes:    []string{"depth", "width", "batch", "steps", "points"}, // the time and memory bounds grow with each
		Run:      run,
	}
}

func initChoices() []string {
	out := make([]string, len(Inits))
	for i, in := range Inits {
		out[i] = string(in)
	}
	return out
}

// validate checks the rules that tie parameters together.
func validate(v experiment.Values) error {
	depth, width, batch := v.Int("depth"), v.Int("width"), v.Int("batch")
	steps, points := v.Int("steps"), v.Int("points")
	bn := v.Bool("bn")
	if batch > points {
		return experiment.Invalid([]string{"batch", "points"}, "rule.residual.batch_points", "batch must be ≤ points ({1}), got {2}", points, batch)
	}
	if bn && batch < 2 {
		return experiment.Invalid([]string{"bn", "batch"}, "rule.residual.bn_batch", "batch normalization needs a batch of ≥ 2 (one point has no variance), got {1}", batch)
	}
	if m := RunBytes(depth, width, batch, steps, points, bn, v.String("optimizer")); m > MaxBytes {
		return experiment.Invalid([]string{"depth", "width", "batch", "optimizer", "bn"}, "rule.residual.memory",
			"the two nets would hold {1} MB (weights, gradients, optimizer state, stored activations) at depth={2} width={3} batch={4}; the limit is {5} MB; reduce width, depth or batch",
			math.Ceil(m/(1<<20)), depth, width, batch, float64(MaxBytes>>20))
	}
	if sec := RunSeconds(depth, width, batch, steps, points, bn); sec > MaxSeconds {
		return experiment.Invalid([]string{"depth", "width", "batch", "steps", "points", "bn"}, "rule.residual.time",
			"this run would take about {1} s of computing (depth={2} width={3} batch={4} steps={5} points={6} bn={7}); the limit is {8} s; reduce steps, width, depth or points",
			math.Ceil(sec*10)/10, depth, width, batch, steps, points, bn, MaxSeconds)
	}
	return nil
}

// config turns checked values into a Config.
func config(v experiment.Values) Config {
	return Config{
		Depth:     v.Int("depth"),
		Width:     v.Int("width"),
		Batch:     v.Int("batch"),
		Steps:     v.Int("steps"),
		LR:        v.Float("lr"),
		Seed:      uint64(v.Int("seed")),
		Init:      Init(v.String("init")),
		Optimizer: v.String("optimizer"),
		Points:    v.Int("points"),
		Turns:     v.Float("turns"),
		Noise:     v.Float("noise"),
		Clip:      v.Float("clip"),
		BN:        v.Bool("bn"),
	}
}

// NetJSON is one net's part of the JSON payload.
type NetJSON struct {
	Loss          []float64 `json:"loss"`
	Accuracy      float64   `json:"accuracy"`
	GradNormInit  []float64 `json:"grad_norm_init"`
	GradNormFinal []float64 `json:"grad_norm_final"`
	// DivergedAt is present only when the net diverged (see
	// Outcome.DivergedAt).
	DivergedAt int `json:"diverged_at,omitempty"`
}

// Payload is the experiment's JSON payload.
type Payload struct {
	Plain    NetJSON `json:"plain"`
	Residual NetJSON `json:"residual"`
}

func run(ctx context.Context, v experiment.Values, progress experiment.Progress) (*experiment.Result, error) {
	c := config(v)
	steps := stepAxis(c.Steps)
	report := func(done, total int, p, r []float64) {
		if progress != nil {
			// The loss slices only grow past their current length, so the
			// partial result may alias them.
			progress(done, total, &experiment.Result{Charts: []experiment.Chart{lossChart(steps, p, r)}})
		}
	}
	p, r, err := Train(ctx, c, report)
	if err != nil {
		return nil, err
	}
	return result(c, steps, p, r), nil
}

// stepAxis returns 1, 2, …, n.
func stepAxis(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i + 1)
	}
	return x
}

// LossEMA is the smoothing constant β of the loss curves' exponential
// moving average (see MovingAverage): about the last 1/(1 − β) = 20 steps.
const LossEMA = 0.95

// MovingAverage is the bias-corrected exponential moving average of ys:
// s_t = β·s_{t−1} + (1 − β)·y_t from s_0 = 0, shown as s_t/(1 − βᵗ) (t
// from 1), so the first value is y_1 and a constant stays that constant.
func MovingAverage(ys []float64, beta float64) []float64 {
	out := make([]float64, len(ys))
	s, bt := 0.0, 1.0
	for i, y := range ys {
		s = beta*s + (1-beta)*y
		bt *= beta
		out[i] = s / (1 - bt)
	}
	return out
}

// lossChart draws both loss curves against x = 1, 2, …: each net's
// moving average (LossEMA) over its loss per step, drawn faint; a curve
// stops early when its net diverged.
func lossChart(x, plain, res []float64) experiment.Chart {
	return experiment.Chart{
		Key: "loss", Title: "Training loss per step (batch cross-entropy)",
		XLabel: "step", YLabel: "loss (nats)", LogY: true,
		Series: []experiment.Series{
			{Name: "plain, EMA 0.95", X: x[:len(plain)], Y: MovingAverage(plain, LossEMA)},
			{Name: "residual, EMA 0.95", X: x[:len(res)], Y: MovingAverage(res, LossEMA)},
			{Name: "plain, per step", X: x[:len(plain)], Y: plain, Faint: true},
			{Name: "residual, per step", X: x[:len(res)], Y: res, Faint: true},
		},
	}
}

// result builds the Result of a finished run.
func result(c Config, steps []float64, p, r *Outcome) *experiment.Result {
	res := &experiment.Result{}
	res.AddScalar("layers", "linear layers per net (2·depth + 2)", float64(NumLayers(c.Depth)), "layers")
	res.AddScalar("params", "parameters per net", float64(ParamCount(c.Depth, c.Width, c.BN)), "params")
	for _, n := range []struct {
		name string
		o    *Outcome
	}{{"plain", p}, {"residual", r}} {
		o := n.o
		gi, gf := o.GradNormInit, o.GradNormFinal
		// Labels name their measure first ("training accuracy of the plain
		// net"), so that a goal reads as a sentence.
		res.AddScalar(n.name+".final_loss", "loss of the "+n.name+" net on the whole data set after training", o.FinalLoss, "nats")
		res.AddScalar(n.name+".accuracy", "training accuracy of the "+n.name+" net after training", o.Accuracy, "")
		res.AddScalar(n.name+".grad_first", "‖∂L/∂W‖ of the "+n.name+" net's first layer at init", gi[0], "")
		res.AddScalar(n.name+".grad_last", "‖∂L/∂W‖ of the "+n.name+" net's last layer at init", gi[len(gi)-1], "")
		res.AddScalar(n.name+".grad_ratio", "gradient-norm ratio of the "+n.name+" net, first layer over last, at init", ratio(gi[0], gi[len(gi)-1]), "")
		res.AddScalar(n.name+".grad_ratio_final", "gradient-norm ratio of the "+n.name+" net, first layer over last, after training", ratio(gf[0], gf[len(gf)-1]), "")
		res.AddScalar(n.name+".diverged_at", "step at which the "+n.name+" net's loss stopped being finite (0: never)", float64(o.DivergedAt), "step")
	}
	res.Charts = []experiment.Chart{lossChart(steps, p.Loss, r.Loss)}
	labels := make([]string, NumLayers(c.Depth))
	for i := range labels {
		labels[i] = fmt.Sprintf("L%d", i+1)
	}
	res.Bars = []experiment.BarChart{
		{Key: "grad_norm_init", Title: "‖∂L/∂W‖ per layer at init (first batch), input side first", LogY: true,
			Labels: labels, Groups: []experiment.BarGroup{{Name: "plain", Values: p.GradNormInit}, {Name: "residual", Values: r.GradNormInit}}},
		{Key: "grad_norm_final", Title: "‖∂L/∂W‖ per layer after training (same batch), input side first", LogY: true,
			Labels: labels, Groups: []experiment.BarGroup{{Name: "plain", Values: p.GradNormFinal}, {Name: "residual", Values: r.GradNormFinal}}},
	}
	var diverged []string
	for _, n := range []struct {
		name string
		o    *Outcome
	}{{"plain", p}, {"residual", r}} {
		if n.o.DivergedAt > 0 {
			diverged = append(diverged, fmt.Sprintf("The %s net diverged at step %d (its loss was no longer finite): its curve stops there and its final numbers are for the weights of step %d. Lower lr.",
				n.name, n.o.DivergedAt, n.o.DivergedAt-1))
		}
	}
	if c.BN {
		res.Notes = []string{
			fmt.Sprintf("Both nets: %d linear layers, init %s, %s lr %s, batch normalization after every hidden linear layer (no bias there), before its ReLU; the residual block is relu(h + BN(W₂·relu(BN(W₁·h)))), the plain block the same without \"h +\".",
				NumLayers(c.Depth), c.Init, c.Optimizer, experiment.FormatNumber(c.LR)),
			"BN uses the statistics of each batch (training mode, biased variance, ε = 1e-5), in training and in the final loss and accuracy alike; no running averages are kept.",
		}
	} else {
		res.Notes = []string{
			fmt.Sprintf("Both nets: %d linear layers, init %s, %s lr %s, no batch normalization; the residual block is relu(h + W₂·relu(W₁·h + b₁) + b₂), the plain block the same without \"h +\".",
				NumLayers(c.Depth), c.Init, c.Optimizer, experiment.FormatNumber(c.LR)),
			"He et al. (2015, §4.1) train their plain nets with batch normalization and report healthy gradient norms; without it, as here, a deep plain net's gradients can vanish (bn=true adds it).",
		}
	}
	if c.Clip > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("Gradients are clipped to a total norm of %s per step (torch.nn.utils.clip_grad_norm_); clip=0 turns this off.", experiment.FormatNumber(c.Clip)))
	}
	res.Notes = append(res.Notes, diverged...)
	res.JSON = Payload{Plain: netJSON(p), Residual: netJSON(r)}
	return res
}

// ratio returns a/b for gradient norms a, b ≥ 0, kept finite: 0 when b is
// 0 (a dead last layer) and at most math.MaxFloat64.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return math.Min(a/b, math.MaxFloat64)
}

func netJSON(o *Outcome) NetJSON {
	return NetJSON{Loss: o.Loss, Accuracy: o.Accuracy, GradNormInit: o.GradNormInit, GradNormFinal: o.GradNormFinal, DivergedAt: o.DivergedAt}
}
