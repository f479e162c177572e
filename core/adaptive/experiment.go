package adaptive

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
)

// Experiments returns the package's experiments.
func Experiments() []*experiment.Experiment {
	return []*experiment.Experiment{Adaptive(), AdagradSteps()}
}

// Adaptive returns the experiment "adaptive": features of log-spread
// frequencies trained with SGD, Adagrad, RMSprop and Adam side by side on the
// same minibatches.
//
// Result keys (f1 is the most frequent feature, fd the rarest):
//   - scalars initial_loss, true_loss (held-out loss at w*), noise_floor
//     (½σ², linear task), frequent_frequency, rare_frequency,
//     frequent_updates, rare_updates, and per optimizer <opt>.lr,
//     <opt>.diverged_step (0: never) and, unless it diverged,
//     <opt>.final_loss, <opt>.frequent_eff_lr, <opt>.rare_eff_lr,
//     <opt>.eff_lr_ratio (η_fd/η_f1 at the end), <opt>.expected_loss (linear
//     task: the exact expected loss on fresh samples), <opt>.mean_frequent_eff_lr
//     (geometric mean of η_f1 over the run), <opt>.mean_eff_lr_ratio
//     (geometric mean of η_fd/η_f1 over the run), <opt>.frequent_error and
//     <opt>.rare_error (|w − w*| at the end), <opt>.mean_expected_loss and
//     <opt>.mean_excess_loss (the same less the floor ½σ²) (linear
//     task: the mean of <opt>.expected_loss over seeds seed … seed+seeds−1;
//     absent if any of those runs diverged);
//   - charts loss (held-out loss, log y) and eff_lr (η of f1 and fd per
//     optimizer, log y); bars eff_lr_final and feature_error (labels f1…fd,
//     one group per optimizer); table features.
//
// The JSON payload is a Payload.
func Adaptive() *experiment.Experiment {
	def := DefaultConfig()
	return &experiment.Experiment{
		Name: "adaptive",
		Summary: "Per-feature effective learning rates of SGD, Adagrad, RMSprop and Adam " +
			"on features that occur with very different frequencies",
		Params:   schema(def),
		Validate: validate,
		Ignored:  ignored,
		Sizes:    []string{"features", "steps", "batch", "seeds"}, // the time bound grows with each
		Run:      run,
	}
}

func schema(def Config) experiment.Schema {
	return experiment.Schema{
		{Name: "features", Kind: experiment.Int, Default: def.Features, Min: 2, Max: MaxFeatures, Step: 1,
			Help: "number of features; f1 is the most frequent, the last (f8 by default) the rarest"},
		{Name: "p_max", Kind: experiment.Float, Default: def.PMax, Min: 1e-4, Max: 1, Step: 0.05,
			Help: "probability that the most frequent feature f1 is non-zero in a sample"},
		{Name: "p_min", Kind: experiment.Float, Default: def.PMin, Min: 1e-4, Max: 1, Step: 2, Log: true,
			Help: "probability that the rarest feature (the last, f8 by default) is non-zero; the others are spread log-uniformly between p_max and p_min (p_min ≤ p_max)"},
		{Name: "task", Kind: experiment.Enum, Default: def.Task, Choices: []string{Linear, Logistic},
			Help: "linear: y = x·w* + noise, loss ½(x·w − y)²; logistic: y ~ Bernoulli(σ(x·w*)), binary cross-entropy. Every true weight w*_j is ±1"},
		{Name: "values", Kind: experiment.Enum, Default: def.Values, Choices: []string{Gaussian, Binary},
			Help: "value of a present feature: gaussian draws N(0,1), binary is 1 (absent features are 0)"},
		{Name: "noise", Kind: experiment.Float, Default: def.Noise, Min: 0, Max: MaxNoise, Step: 0.05,
			Help: "standard deviation of the label noise of the linear task"},
		{Name: "optimizers", Kind: experiment.List, Default: slices.Clone(def.Optimizers), Choices: OptimizerNames,
			Aliases: []string{"optimizer", "opt"},
			Help:    "optimizers to compare, all trained on the same minibatches (PyTorch semantics, ε outside the square root)"},
		{Name: "steps", Kind: experiment.Int, Default: def.Steps, Min: 1, Max: MaxSteps, Step: 2, Log: true,
			Help: "minibatch steps; up to 200 of them are recorded"},
		{Name: "batch", Kind: experiment.Int, Default: def.Batch, Min: 1, Max: MaxBatch, Step: 2, Log: true,
			Help: "samples per step (fresh samples every step)"},
		{Name: "lr", Kind: experiment.Float, Default: def.LR, Min: 0, Max: MaxLR, Step: 2, Log: true,
			Help: fmt.Sprintf("learning rate used by every optimizer; 0 gives each its own default "+
				"(sgd %v, adagrad %v, rmsprop %v, adam %v), chosen so that at the other defaults the most frequent "+
				"feature f1 gets about the same effective learning rate (≈ 0.05, geometric mean over the run) under all four. "+
				"One shared value means different things: SGD's step is lr·g, Adam's is about lr per coordinate",
				DefaultLR[SGD], DefaultLR[Adagrad], DefaultLR[RMSprop], DefaultLR[Adam])},
		{Name: "eps", Kind: experiment.Float, Default: def.Eps, Min: 0, Max: 1, Step: 10, Log: true,
			Help: "ε added to the square root in Adagrad, RMSprop and Adam; 0 means each optimizer's PyTorch default (Adagrad 1e-10, RMSprop and Adam 1e-8)"},
		{Name: "alpha", Kind: experiment.Float, Default: def.Alpha, Min: 0, Max: 0.9999, Step: 0.01,
			Help: "RMSprop's decay of the average of g² (PyTorch default 0.99)"},
		{Name: "beta1", Kind: experiment.Float, Default: def.Beta1, Min: 0, Max: 0.9999, Step: 0.05,
			Help: "Adam's decay of the average of g (default 0.9)"},
		{Name: "beta2", Kind: experiment.Float, Default: def.Beta2, Min: 0, Max: 0.99999, Step: 0.001,
			Help: "Adam's decay of the average of g² (default 0.999)"},
		{Name: "seed", Kind: experiment.Int, Default: int(def.Seed), Min: 0, Max: math.MaxInt32, Step: 1,
			Help: "seed of the true weights, the training stream and the held-out set"},
		{Name: "seeds", Kind: experiment.Int, Default: 1, Min: 1, Max: MaxSeeds, Step: 2, Log: true,
			Help: "linear task: how many runs (seeds seed, seed+1, …) <opt>.mean_expected_loss averages over; everything else shows the first"},
	}
}

func configFrom(v experiment.Values) Config {
	return Config{
		Features: v.Int("features"), PMax: v.Float("p_max"), PMin: v.Float("p_min"),
		Task: v.String("task"), Values: v.String("values"), Noise: v.Float("noise"),
		Optimizers: v.List("optimizers"), Steps: v.Int("steps"), Batch: v.Int("batch"),
		Hyper: Hyper{LR: v.Float("lr"), Eps: v.Float("eps"), Alpha: v.Float("alpha"),
			Beta1: v.Float("beta1"), Beta2: v.Float("beta2")},
		Seed: uint64(v.Int("seed")),
	}
}

// MaxSeeds is the most seeds <opt>.mean_expected_loss averages over.
const MaxSeeds = 100

// MaxSeconds bounds RunSeconds: every permitted run ends in about that
// much CPU time (the runs are sequential, so also wall time).
const MaxSeconds = 5.0

// RunSeconds is the modelled CPU time of a run in seconds: runs training
// runs (the seeds of the linear task; one for the logistic task) of
//
//	steps·(25·batch·features + 70·features + 1000) ns
//
// The first term is drawing the samples and the gradients (measured: 17 ns
// per sample·feature for the linear task and 22 for the logistic one, at
// features 64, batch 128, p_max = p_min = 1, 10,000 steps, four
// optimizers), the others each step's updates and the held-out evaluations
// (measured 5.8 µs a step at features 64, batch 1). It is an upper envelope
// of those measurements on nnlab's 2-core machines.
func RunSeconds(features, steps, batch, runs int) float64 {
	f, b := float64(features), float64(batch)
	return float64(runs) * float64(steps) * (25*b*f + 70*f + 1000) / 1e9
}

// validate checks the configuration, then the time bound.
func validate(v experiment.Values) error {
	c := configFrom(v)
	if err := c.validate(); err != nil {
		return err
	}
	seeds := 1
	if c.Task == Linear {
		seeds = v.Int("seeds")
	}
	if sec := RunSeconds(c.Features, c.Steps, c.Batch, seeds); sec > MaxSeconds {
		return experiment.Invalid([]string{"features", "steps", "batch", "seeds"}, "rule.adaptive.time",
			"this run would take about {1} s of computing (features={2} steps={3} batch={4} seeds={5}); the limit is {6} s; reduce seeds, steps, batch or features",
			math.Ceil(sec*10)/10, c.Features, c.Steps, c.Batch, seeds, MaxSeconds)
	}
	return nil
}

func run(ctx context.Context, v experiment.Values, progress experiment.Progress) (*experiment.Result, error) {
	c := configFrom(v)
	seeds := 1
	if c.Task == Linear {
		seeds = v.Int("seeds")
	}
	var first *Outcome
	means := make([]float64, len(c.Optimizers)) // NaN once a run diverged
	for k := range seeds {
		ck := c
		ck.Seed = c.Seed + uint64(k)
		o, err := Train(ctx, ck, func(done, total int) {
			if progress != nil {
				progress(k*total+done, seeds*total, nil)
			}
		})
		if err != nil {
			return nil, err
		}
		if k == 0 {
			first = o
		}
		if c.Task == Linear {
			for i, run := range o.Runs {
				if run.DivergedAt > 0 {
					means[i] = math.NaN()
					continue
				}
				means[i] += ExpectedLinearLoss(run.Weights, o.TrueWeights, o.Frequency, c.Values, c.Noise) / float64(seeds)
			}
		}
	}
	r := result(c, first)
	if c.Task == Linear {
		for i, run := range first.Runs {
			if !math.IsNaN(means[i]) {
				r.AddScalar(run.Optimizer+".mean_expected_loss", fmt.Sprintf("%s expected loss on fresh samples at the final weights (exact), mean over seeds %d to %d",
					run.Optimizer, c.Seed, c.Seed+uint64(seeds)-1), means[i], "")
				r.AddScalar(run.Optimizer+".mean_excess_loss", fmt.Sprintf("%s expected loss above the floor ½σ², mean over seeds %d to %d",
					run.Optimizer, c.Seed, c.Seed+uint64(seeds)-1), means[i]-c.Noise*c.Noise/2, "")
			}
		}
		if seeds > 1 {
			r.Notes = append(r.Notes, fmt.Sprintf("Curves, bars and the other numbers show seed %d; mean_expected_loss averages seeds %d to %d.", c.Seed, c.Seed, c.Seed+uint64(seeds)-1))
		}
	}
	return r, nil
}

// Payload is the stable JSON shape of the experiment's result.
type Payload struct {
	Task        string           `json:"task"`
	Steps       []int            `json:"steps"` // recorded steps; loss and eff_lr are given at these
	InitialLoss float64          `json:"initial_loss"`
	Features    []FeaturePayload `json:"features"` // f1 (most frequent) … fd (rarest)
	Runs        []RunPayload     `json:"runs"`
}

// FeaturePayload describes one feature.
type FeaturePayload struct {
	Name       string  `json:"name"`
	Frequency  float64 `json:"frequency"` // probability p_j of being non-zero in a sample
	Observed   float64 `json:"observed"`  // fraction of training samples in which it was non-zero
	Updates    int     `json:"updates"`   // steps whose minibatch contained it
	TrueWeight float64 `json:"true_weight"`
}

// RunPayload is one optimizer's history. A diverged run has diverged_step > 0,
// loss and eff_lr cut at the last finite recording, and no weights or errors.
type RunPayload struct {
	Optimizer    string      `json:"optimizer"`
	LR           float64     `json:"lr"`
	Loss         []float64   `json:"loss"`   // held-out loss at each recorded step
	EffLR        [][]float64 `json:"eff_lr"` // [recorded step][feature] effective learning rate
	Weights      []float64   `json:"weights,omitempty"`
	FinalError   []float64   `json:"final_error,omitempty"` // |w_j − w*_j| at the end
	DivergedStep int         `json:"diverged_step"`
}

// featureName is the label of feature j (0-based): f1 … fd.
func featureName(j int) string { return fmt.Sprintf("f%d", j+1) }

func result(c Config, o *Outcome) *experiment.Result {
	d := c.Features
	rare := d - 1
	r := &experiment.Result{}
	add := func(key, label string, v float64, unit string) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) { // every shown number is finite
			r.AddScalar(key, label, v, unit)
		}
	}
	add("initial_loss", "held-out loss at w = 0", o.InitialLoss, "")
	add("true_loss", fmt.Sprintf("held-out loss at the true weights w* (%d samples)", EvalSamples), o.TrueLoss, "")
	if c.Task == Linear {
		add("noise_floor", "expected loss at w*, ½σ²: no weights have a lower expected loss on fresh samples", c.Noise*c.Noise/2, "")
	}
	add("frequent_frequency", "probability that f1 (most frequent) is present", o.Frequency[0], "")
	add("rare_frequency", fmt.Sprintf("probability that %s (rarest) is present", featureName(rare)), o.Frequency[rare], "")
	add("frequent_updates", "steps with a non-zero gradient for f1", float64(o.Updates[0]), "steps")
	add("rare_updates", fmt.Sprintf("steps with a non-zero gradient for %s", featureName(rare)), float64(o.Updates[rare]), "steps")

	pay := Payload{Task: c.Task, Steps: o.Steps, InitialLoss: o.InitialLoss}
	for j := range d {
		pay.Features = append(pay.Features, FeaturePayload{
			Name: featureName(j), Frequency: o.Frequency[j], Observed: o.Observed[j],
			Updates: o.Updates[j], TrueWeight: o.TrueWeights[j],
		})
	}

	lossChart := experiment.Chart{Key: "loss", Title: "Held-out loss", XLabel: "step", YLabel: "loss", LogY: true}
	effChart := experiment.Chart{Key: "eff_lr", Title: fmt.Sprintf("Effective learning rate of f1 (p=%.3g) and %s (p=%.3g)",
		o.Frequency[0], featureName(rare), o.Frequency[rare]), XLabel: "step", YLabel: "effective lr", LogY: true}
	labels := make([]string, d)
	for j := range labels {
		labels[j] = featureName(j)
	}
	effBars := experiment.BarChart{Key: "eff_lr_final", Title: "Effective learning rate per feature at the end", LogY: true, Labels: labels}
	errBars := experiment.BarChart{Key: "feature_error", Title: "Final error |w_j − w*_j| per feature (1 at the start)", Labels: labels}

	for _, run := range o.Runs {
		name := run.Optimizer
		pay.Runs = append(pay.Runs, RunPayload{
			Optimizer: name, LR: run.LR, Loss: nonNil(run.Loss), EffLR: nonNilRows(run.EffLR),
			Weights: run.Weights, FinalError: run.FinalError, DivergedStep: run.DivergedAt,
		})
		add(name+".lr", name+" learning rate", run.LR, "")
		add(name+".diverged_step", name+" step at which training diverged (0: never)", float64(run.DivergedAt), "step")

		n := len(run.Loss)
		xs := make([]float64, n+1)
		for k, s := range o.Steps[:n] {
			xs[k+1] = float64(s)
		}
		lossChart.Series = append(lossChart.Series, experiment.Series{
			Name: name, X: xs, Y: append([]float64{o.InitialLoss}, run.Loss...)})
		for _, j := range []int{0, rare} {
			if s, ok := effSeries(run, o.Steps, j, o.Frequency[j]); ok {
				effChart.Series = append(effChart.Series, s)
			}
		}

		if run.DivergedAt > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("%s diverged at step %d (weights or loss became Inf/NaN); "+
				"its curves stop at the last finite recording — try a smaller lr.", name, run.DivergedAt))
			continue
		}
		final := run.EffLR[len(run.EffLR)-1]
		add(name+".final_loss", name+" held-out loss at the end", run.Loss[n-1], "")
		add(name+".frequent_eff_lr", name+" effective learning rate of f1 at the end", final[0], "")
		add(name+".rare_eff_lr", fmt.Sprintf("%s effective learning rate of %s at the end", name, featureName(rare)), final[rare], "")
		add(name+".eff_lr_ratio", fmt.Sprintf("%s effective lr of %s ÷ f1 at the end", name, featureName(rare)), final[rare]/final[0], "×")
		if m, ok := meanEffLR(run, o.Steps, 0); ok {
			add(name+".mean_frequent_eff_lr", name+" effective learning rate of f1, geometric mean over the recorded steps", m, "")
		}
		if m, ok := meanRatio(run, o.Steps, rare); ok {
			add(name+".mean_eff_lr_ratio", fmt.Sprintf("%s effective lr of %s ÷ f1, geometric mean over the run", name, featureName(rare)), m, "×")
		}
		if c.Task == Linear {
			add(name+".expected_loss", name+" expected loss on fresh samples at the final weights (exact)",
				ExpectedLinearLoss(run.Weights, o.TrueWeights, o.Frequency, c.Values, c.Noise), "")
		}
		add(name+".frequent_error", name+" final |w − w*| of f1", run.FinalError[0], "")
		add(name+".rare_error", fmt.Sprintf("%s final |w − w*| of %s", name, featureName(rare)), run.FinalError[rare], "")
		effBars.Groups = append(effBars.Groups, experiment.BarGroup{Name: name, Values: slices.Clone(final)})
		errBars.Groups = append(errBars.Groups, experiment.BarGroup{Name: name, Values: slices.Clone(run.FinalError)})
	}

	r.Charts = []experiment.Chart{lossChart, effChart}
	r.Bars = []experiment.BarChart{effBars, errBars}
	r.Tables = []experiment.Table{featureTable(o)}
	r.Notes = append(r.Notes, notes(c, o)...)
	r.JSON = pay
	return r
}

// effSeries is optimizer run's effective learning rate of feature j over the
// recorded steps from the feature's first non-zero gradient on (before it an
// adaptive rule's η is lr/ε, a multiplier of zero gradients only).
func effSeries(run Run, steps []int, j int, p float64) (experiment.Series, bool) {
	s := experiment.Series{Name: fmt.Sprintf("%s %s (p=%.3g)", run.Optimizer, featureName(j), p)}
	if run.FirstUpdate[j] == 0 {
		return s, false
	}
	for k, e := range run.EffLR {
		if steps[k] >= run.FirstUpdate[j] {
			s.X = append(s.X, float64(steps[k]))
			s.Y = append(s.Y, e[j])
		}
	}
	return s, len(s.Y) > 0
}

// meanEffLR is the geometric mean of feature j's effective learning rate
// over the recorded steps from its first non-zero gradient on (before it an
// adaptive rule's η is lr/ε, a multiplier of zero gradients only).
func meanEffLR(run Run, steps []int, j int) (float64, bool) {
	if run.FirstUpdate[j] == 0 {
		return 0, false
	}
	sum, n := 0.0, 0
	for k, e := range run.EffLR {
		if steps[k] >= run.FirstUpdate[j] {
			sum += math.Log(e[j])
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return math.Exp(sum / float64(n)), true
}

// meanRatio is the geometric mean of η_rare/η_f1 over the recorded steps at
// which both features have had a non-zero gradient.
func meanRatio(run Run, steps []int, rare int) (float64, bool) {
	from := max(run.FirstUpdate[0], run.FirstUpdate[rare])
	if run.FirstUpdate[0] == 0 || run.FirstUpdate[rare] == 0 {
		return 0, false
	}
	sum, n := 0.0, 0
	for k, e := range run.EffLR {
		if steps[k] >= from {
			sum += math.Log(e[rare] / e[0])
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return math.Exp(sum / float64(n)), true
}

func featureTable(o *Outcome) experiment.Table {
	t := experiment.Table{Key: "features", Title: "Features, most frequent first",
		Columns: []experiment.Column{{Name: "feature"}, {Name: "frequency", Align: experiment.Right}, {Name: "updates", Align: experiment.Right}}}
	for _, run := range o.Runs {
		t.Columns = append(t.Columns, experiment.Column{Name: "eff lr " + run.Optimizer, Align: experiment.Right})
	}
	for _, run := range o.Runs {
		t.Columns = append(t.Columns, experiment.Column{Name: "error " + run.Optimizer, Align: experiment.Right})
	}
	for j := range o.Frequency {
		cells := []any{featureName(j), o.Frequency[j], int64(o.Updates[j])}
		for _, run := range o.Runs {
			if run.DivergedAt > 0 {
				cells = append(cells, nil)
			} else {
				cells = append(cells, run.EffLR[len(run.EffLR)-1][j])
			}
		}
		for _, run := range o.Runs {
			if run.DivergedAt > 0 {
				cells = append(cells, nil)
			} else {
				cells = append(cells, run.FinalError[j])
			}
		}
		t.Rows = append(t.Rows, experiment.Row{Cells: cells})
	}
	return t
}

func notes(c Config, o *Outcome) []string {
	d := c.Features
	rare := d - 1
	var lrs []string
	for _, run := range o.Runs {
		lrs = append(lrs, fmt.Sprintf("%s %v", run.Optimizer, run.LR))
	}
	lrNote := "Learning rates: " + strings.Join(lrs, ", ") + "."
	if c.LR == 0 {
		lrNote += " (lr=0: each optimizer's default, chosen so that at the other defaults f1's effective learning rate, geometrically averaged over the run, is about 0.05 under all four.)"
	}
	out := []string{
		lrNote,
		"Effective learning rate η_j: the factor in θ_j −= η_j·g_j — sgd: lr; adagrad: lr/(√Σg_j² + ε); " +
			"rmsprop: lr/(√v_j + ε); adam: lr/(1−β1ᵗ)/(√v̂_j + ε), multiplying m_j instead of g_j.",
	}
	for _, run := range o.Runs {
		if run.Optimizer != Adagrad || run.DivergedAt > 0 {
			continue
		}
		out = append(out, "Adagrad's η only shrinks, for every feature; a rare feature's shrinks more slowly, so it ends "+
			"larger relative to the frequent ones. It is the accumulated size of the gradients (Σg²), not the count of updates, that sets it.")
		if o.Updates[0] > 0 && o.Updates[rare] > 0 {
			final := run.EffLR[len(run.EffLR)-1]
			out = append(out, fmt.Sprintf("If every non-zero gradient had the same size, Adagrad's η_%s/η_f1 would be √(updates f1 / updates %s) = √(%d/%d) ≈ %.3g; measured %.3g.",
				featureName(rare), featureName(rare), o.Updates[0], o.Updates[rare],
				math.Sqrt(float64(o.Updates[0])/float64(o.Updates[rare])), final[rare]/final[0]))
		}
	}
	var never []string
	for j, u := range o.Updates {
		if u == 0 {
			never = append(never, featureName(j))
		}
	}
	if len(never) > 0 {
		out = append(out, fmt.Sprintf("Never present in a minibatch: %s — an adaptive rule's η there is lr/ε, "+
			"which multiplies only zero gradients (such features are left out of the eff_lr chart).", strings.Join(never, ", ")))
	}
	return out
}

func nonNil(x []float64) []float64 {
	if x == nil {
		return []float64{}
	}
	return x
}

func nonNilRows(x [][]float64) [][]float64 {
	if x == nil {
		return [][]float64{}
	}
	return x
}

// ownParams are the parameters only some optimizers read (the step rules'
// constants in Hyper, besides lr): whose each is, which read it, and what
// plays its part in those that do not.
var ownParams = []experiment.Owned{
	{Param: "eps", Whose: "the ε of Adagrad, RMSprop and Adam", ReadBy: []string{Adagrad, RMSprop, Adam}, Instead: map[string]string{
		SGD: "SGD divides by nothing, so it has no ε"}},
	{Param: "alpha", Whose: "RMSprop's decay of the average of g²", ReadBy: []string{RMSprop}, Instead: map[string]string{
		Adam: "Adam's average of g² decays by beta2"}},
	{Param: "beta1", Whose: "Adam's decay of the average of g", ReadBy: []string{Adam}, Instead: map[string]string{
		SGD: "this SGD has no momentum"}},
	{Param: "beta2", Whose: "Adam's decay of the average of g²", ReadBy: []string{Adam}, Instead: map[string]string{
		RMSprop: "RMSprop's average of g² decays by alpha"}},
}

// ignored says which given parameters none of the chosen optimizers reads
// (see experiment.Unread).
func ignored(v experiment.Values, given []string) []string {
	return experiment.Unread(v.List("optimizers"), ownParams, given)
}
