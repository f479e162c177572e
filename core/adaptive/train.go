package adaptive

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/nnlab/nnlab/core/experiment"
)

// Limits on the work a Config may ask for.
const (
	MaxFeatures = 64
	MaxSteps    = 10000
	MaxBatch    = 128
	MaxLR       = 10
	MaxNoise    = 10
	// MaxRecorded is the most steps at which losses and effective learning
	// rates are recorded; longer runs are subsampled evenly.
	MaxRecorded = 200
	// EvalSamples is the size of the fixed held-out set the loss is measured on.
	EvalSamples = 512
)

// PCG stream constants: one independent stream per use of the seed.
const (
	streamWeights = 0x7765696768747321 // true weights
	streamTrain   = 0x747261696e696e67 // training minibatches
	streamEval    = 0x6576616c75617465 // held-out set
)

// Config describes one training comparison.
type Config struct {
	Features   int      // number of features d, 2…64
	PMax, PMin float64  // probabilities of the most and least frequent feature, 0 < PMin ≤ PMax ≤ 1
	Task       string   // Linear or Logistic
	Values     string   // Gaussian or Binary
	Noise      float64  // standard deviation of the linear task's label noise, ≥ 0
	Optimizers []string // subset of OptimizerNames, no repeats
	Steps      int      // minibatch steps, 1…MaxSteps
	Batch      int      // samples per step, 1…MaxBatch
	// Hyper holds the rules' constants. LR = 0 gives each optimizer its
	// DefaultLR and Eps = 0 its DefaultEps; a value > 0 is used by every
	// optimizer.
	Hyper
	Seed uint64
}

// DefaultLR is each optimizer's learning rate when Config.LR is 0. SGD's is
// 0.05; each adaptive rule's was chosen so that, at the other defaults, the
// most frequent feature's effective learning rate averages (geometrically
// over the run, seeds 1–20) about the same 0.05. With the frequent feature
// matched, what happens to the rare ones comes from the adaptation alone.
var DefaultLR = map[string]float64{SGD: 0.05, Adagrad: 0.17, RMSprop: 0.007, Adam: 0.017}

// DefaultEps is each rule's ε when Config.Eps is 0: PyTorch's defaults
// (torch.optim.Adagrad 1e-10, RMSprop and Adam 1e-8; SGD has none).
var DefaultEps = map[string]float64{SGD: 0, Adagrad: 1e-10, RMSprop: 1e-8, Adam: 1e-8}

// EpsFor returns the ε optimizer name uses under c.
func (c Config) EpsFor(name string) float64 {
	if c.Eps > 0 {
		return c.Eps
	}
	return DefaultEps[name]
}

// LRFor returns the learning rate optimizer name uses under c.
func (c Config) LRFor(name string) float64 {
	if c.LR > 0 {
		return c.LR
	}
	return DefaultLR[name]
}

// DefaultConfig returns the lesson's defaults.
func DefaultConfig() Config {
	return Config{
		Features: 8, PMax: 0.9, PMin: 0.01, Task: Linear, Values: Gaussian, Noise: 0.1,
		Optimizers: slices.Clone(OptimizerNames), Steps: 1000, Batch: 4,
		Hyper: Hyper{LR: 0, Eps: 0, Alpha: 0.99, Beta1: 0.9, Beta2: 0.999},
		Seed:  1,
	}
}

// Validate checks every field; the error names the field, the rule and the value.
func (c Config) Validate() error {
	if err := c.validate(); err != nil {
		return fmt.Errorf("adaptive: %w", err)
	}
	return nil
}

func (c Config) validate() error {
	switch {
	case c.Features < 2 || c.Features > MaxFeatures:
		return fmt.Errorf("features must be from 2 to %d, got %d", MaxFeatures, c.Features)
	case !(c.PMax > 0 && c.PMax <= 1):
		return fmt.Errorf("p_max must be in (0, 1], got %v", c.PMax)
	case !(c.PMin > 0 && c.PMin <= 1):
		return fmt.Errorf("p_min must be in (0, 1], got %v", c.PMin)
	case c.PMin > c.PMax:
		return experiment.Invalid([]string{"p_min", "p_max"}, "rule.adaptive.pmin_pmax", "p_min must be ≤ p_max, got p_min={1} > p_max={2}", c.PMin, c.PMax)
	case c.Task != Linear && c.Task != Logistic:
		return fmt.Errorf("task must be %s or %s, got %q", Linear, Logistic, c.Task)
	case c.Values != Gaussian && c.Values != Binary:
		return fmt.Errorf("values must be %s or %s, got %q", Gaussian, Binary, c.Values)
	case !(c.Noise >= 0 && c.Noise <= MaxNoise):
		return fmt.Errorf("noise must be from 0 to %v, got %v", MaxNoise, c.Noise)
	case len(c.Optimizers) == 0:
		return errors.New("optimizers must list at least one of " + fmt.Sprint(OptimizerNames))
	case c.Steps < 1 || c.Steps > MaxSteps:
		return fmt.Errorf("steps must be from 1 to %d, got %d", MaxSteps, c.Steps)
	case c.Batch < 1 || c.Batch > MaxBatch:
		return fmt.Errorf("batch must be from 1 to %d, got %d", MaxBatch, c.Batch)
	case !(c.LR >= 0 && c.LR <= MaxLR):
		return fmt.Errorf("lr must be from 0 (each optimizer's default) to %v, got %v", MaxLR, c.LR)
	case !(c.Eps >= 0 && c.Eps <= 1):
		return fmt.Errorf("eps must be from 0 (each optimizer's PyTorch default) to 1, got %v", c.Eps)
	case !(c.Alpha >= 0 && c.Alpha < 1):
		return fmt.Errorf("alpha must be in [0, 1), got %v", c.Alpha)
	case !(c.Beta1 >= 0 && c.Beta1 < 1):
		return fmt.Errorf("beta1 must be in [0, 1), got %v", c.Beta1)
	case !(c.Beta2 >= 0 && c.Beta2 < 1):
		return fmt.Errorf("beta2 must be in [0, 1), got %v", c.Beta2)
	}
	seen := map[string]bool{}
	for _, o := range c.Optimizers {
		if !slices.Contains(OptimizerNames, o) {
			return fmt.Errorf("optimizers: %q is not one of %v", o, OptimizerNames)
		}
		if seen[o] {
			return fmt.Errorf("optimizers: %q is listed twice", o)
		}
		seen[o] = true
	}
	return nil
}

// Outcome is what Train measured. Features are indexed from the most
// frequent (0) to the rarest (d−1).
type Outcome struct {
	Frequency   []float64 // p_j, the probability that feature j is non-zero in a sample
	Observed    []float64 // fraction of training samples in which feature j was non-zero
	Updates     []int     // steps whose minibatch contained feature j (its gradient can be non-zero only then)
	TrueWeights []float64 // w*
	Steps       []int     // the recorded steps (≥ 1, ascending, the last is Config.Steps)
	InitialLoss float64   // held-out loss at w = 0
	// TrueLoss is the held-out loss at the true weights w*: on the linear
	// task, the finite held-out set's own estimate of the noise floor ½σ².
	TrueLoss float64
	Runs     []Run // one per optimizer, in Config order
}

// Run is one optimizer's training history.
type Run struct {
	Optimizer string
	LR        float64 // the learning rate used
	// Loss is the mean loss on the fixed held-out set at each recorded step.
	Loss []float64
	// EffLR[k][j] is feature j's effective learning rate η_j after recorded
	// step k (see the rules' doc comments): the factor with θ_j −= η_j·g_j
	// (Adam: η_j·m_j). Before a feature's first non-zero gradient an adaptive
	// rule's η_j is lr/ε (Adam: lr/((1−β1ᵗ)·ε)), a multiplier of a zero gradient.
	EffLR [][]float64
	// Updates[j] counts the steps at which g_j ≠ 0.
	Updates []int
	// FirstUpdate[j] is the first step with g_j ≠ 0 (0 if none).
	FirstUpdate []int
	Weights     []float64 // final w
	FinalError  []float64 // |w_j − w*_j| at the end
	// DivergedAt is the step at which the weights, gradient, optimizer state,
	// effective learning rates or the held-out loss stopped being finite (0 if they never did). A diverged run's
	// Loss and EffLR stop at the last finite recording; Weights and FinalError are nil.
	DivergedAt int
}

// RecordSteps returns the steps at which Train records: every step when
// steps ≤ MaxRecorded, else MaxRecorded steps spread evenly, ending at steps.
func RecordSteps(steps int) []int {
	if steps <= MaxRecorded {
		out := make([]int, steps)
		for i := range out {
			out[i] = i + 1
		}
		return out
	}
	out := make([]int, MaxRecorded)
	for k := range out {
		out[k] = int(math.Round(float64(k+1) * float64(steps) / MaxRecorded))
	}
	return out
}

// runState is one optimizer's weights and scratch space during training.
type runState struct {
	opt         *optimizer
	w, g, eff   []float64
	updates     []int
	firstUpdate []int
	divergedAt  int
}

// trainer advances every run on the same minibatches.
type trainer struct {
	task string
	runs []*runState
}

func newTrainer(task string, d int, names []string, hp func(name string) Hyper) *trainer {
	tr := &trainer{task: task}
	for _, n := range names {
		tr.runs = append(tr.runs, &runState{
			opt: newOptimizer(n, d, hp(n)),
			w:   make([]float64, d), g: make([]float64, d), eff: make([]float64, d),
			updates: make([]int, d), firstUpdate: make([]int, d),
		})
	}
	return tr
}

// step takes training step t (from 1) on the minibatch X, y with every run
// that has not diverged.
func (tr *trainer) step(t int, X, y []float64) {
	for _, r := range tr.runs {
		if r.divergedAt > 0 {
			continue
		}
		lossGrad(tr.task, X, y, r.w, r.g)
		for j, gj := range r.g {
			if gj != 0 {
				r.updates[j]++
				if r.firstUpdate[j] == 0 {
					r.firstUpdate[j] = t
				}
			}
		}
		r.opt.step(r.w, r.g, r.eff)
		if !bounded(r.w, MaxWeight) || !allFinite(r.g) || !allFinite(r.eff) || !allFinite(r.opt.s) || !allFinite(r.opt.m) {
			r.divergedAt = t
		}
	}
}

// MaxWeight and MaxLoss bound a run that has not diverged: past them a
// weight or the loss is only on its way to overflow (core/optim uses the same
// limits), and the run is reported as diverged at that step.
const (
	MaxWeight = 1e100
	MaxLoss   = 1e200
)

// bounded reports whether every |x_i| ≤ limit (so NaN and ±Inf are not).
func bounded(x []float64, limit float64) bool {
	for _, v := range x {
		if !(math.Abs(v) <= limit) {
			return false
		}
	}
	return true
}

func allFinite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// Train runs every optimizer of c on the same seeded stream of minibatches
// and records losses, effective learning rates and per-feature errors.
// progress, if non-nil, is called now and then with the steps done.
func Train(ctx context.Context, c Config, progress func(done, total int)) (*Outcome, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	d := c.Features
	src := &source{
		task: c.Task, values: c.Values, noise: c.Noise,
		p:     Frequencies(d, c.PMax, c.PMin),
		wStar: trueWeights(d, rand.New(rand.NewPCG(c.Seed, streamWeights))),
	}
	evalX, evalY := make([]float64, EvalSamples*d), make([]float64, EvalSamples)
	src.fill(rand.New(rand.NewPCG(c.Seed, streamEval)), evalX, evalY)
	eval := newEvalSet(c.Task, evalX, evalY, d)

	out := &Outcome{
		Frequency: src.p, Observed: make([]float64, d), Updates: make([]int, d),
		TrueWeights: src.wStar, Steps: RecordSteps(c.Steps),
		InitialLoss: eval.loss(make([]float64, d)),
		TrueLoss:    eval.loss(src.wStar),
	}
	tr := newTrainer(c.Task, d, c.Optimizers, func(name string) Hyper {
		h := c.Hyper
		h.LR, h.Eps = c.LRFor(name), c.EpsFor(name)
		return h
	})
	out.Runs = make([]Run, len(tr.runs))
	for i, r := range tr.runs {
		out.Runs[i].Optimizer, out.Runs[i].LR = r.opt.name, r.opt.hp.LR
	}

	rng := rand.New(rand.NewPCG(c.Seed, streamTrain))
	X, y := make([]float64, c.Batch*d), make([]float64, c.Batch)
	seen := make([]int, d)
	next := 0 // index into out.Steps
	for t := 1; t <= c.Steps; t++ {
		if t%32 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if progress != nil {
				progress(t, c.Steps)
			}
		}
		src.fill(rng, X, y)
		countPresent(X, d, seen, out.Updates)
		tr.step(t, X, y)
		if t != out.Steps[next] {
			continue
		}
		next++
		for i, r := range tr.runs {
			if r.divergedAt > 0 && r.divergedAt <= t {
				continue
			}
			loss := eval.loss(r.w)
			if !(math.Abs(loss) <= MaxLoss) {
				r.divergedAt = t
				continue
			}
			o := &out.Runs[i]
			o.Loss = append(o.Loss, loss)
			o.EffLR = append(o.EffLR, slices.Clone(r.eff))
		}
	}
	for j := range seen {
		out.Observed[j] = float64(seen[j]) / float64(c.Steps*c.Batch)
	}
	for i, r := range tr.runs {
		o := &out.Runs[i]
		o.Updates, o.FirstUpdate, o.DivergedAt = r.updates, r.firstUpdate, r.divergedAt
		if r.divergedAt > 0 {
			continue
		}
		o.Weights = r.w
		o.FinalError = make([]float64, d)
		for j := range r.w {
			o.FinalError[j] = math.Abs(r.w[j] - src.wStar[j])
		}
	}
	if progress != nil {
		progress(c.Steps, c.Steps)
	}
	return out, nil
}

// countPresent adds, for each feature j, the number of rows of X (row-major,
// d columns) in which x_j ≠ 0 to seen[j], and 1 to updates[j] if there is any.
func countPresent(X []float64, d int, seen, updates []int) {
	for j := 0; j < d; j++ {
		n := 0
		for i := j; i < len(X); i += d {
			if X[i] != 0 {
				n++
			}
		}
		seen[j] += n
		if n > 0 {
			updates[j]++
		}
	}
}
