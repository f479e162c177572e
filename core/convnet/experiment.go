package convnet

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/fashion"
)

// Bounds on a run, checked from the parameters before anything runs.
const (
	// MaxSeconds bounds a run's modelled CPU time (RunSeconds), and
	// LongSeconds a run with long=true (a cell a lesson marks long).
	MaxSeconds  = 5.0
	LongSeconds = 60.0
	// MaxStepSeconds bounds one step's modelled time, so that progress is
	// reported at least every 250 ms.
	MaxStepSeconds = 0.2
	// MaxBytes bounds RunBytes: with the rest of the program a run stays
	// under 512 MB resident.
	MaxBytes = 384 << 20
)

// Experiments returns the experiments of this package: cnn and cnn_depth.
func Experiments() []*experiment.Experiment {
	return []*experiment.Experiment{Experiment(), DepthExperiment()}
}

// netParams are the parameters that describe the network and its
// training, shared by cnn and cnn_depth.
func netParams() experiment.Schema {
	ip := func(name string, def, min, max int, step float64, log bool, help string) experiment.Param {
		return experiment.Param{Name: name, Kind: experiment.Int, Default: def, Min: float64(min), Max: float64(max), Step: step, Log: log, Help: help}
	}
	fp := func(name string, def, min, max, step float64, log bool, help string) experiment.Param {
		return experiment.Param{Name: name, Kind: experiment.Float, Default: def, Min: min, Max: max, Step: step, Log: log, Help: help}
	}
	return experiment.Schema{
		ip("width", 8, 2, 64, 2, true, "channels of the first stage (stages: width, 2·width, 4·width); inception: GoogLeNet's channel counts × width/64"),
		ip("size", 14, 14, 28, 14, false, "input side: 28, or 14 (each 2×2 block of the image averaged)"),
		{Name: "bn", Kind: experiment.Bool, Default: true, Help: "batch normalization after every convolution (which then has no bias); accuracies use its running statistics (evaluation mode)"},
		ip("batch", 32, 2, 256, 2, true, "images per SGD step"),
		ip("steps", 500, 1, 20000, 2, true, "SGD steps"),
		fp("lr", 0.1, 1e-4, 2, 2, true, "learning rate"),
		{Name: "schedule", Kind: experiment.Enum, Default: "step", Choices: []string{"step", "constant"},
			Help: "step: lr divided by 10 at half and at three quarters of the steps (He et al.); constant: lr throughout"},
		fp("momentum", 0.9, 0, 0.99, 0.05, false, "SGD momentum (torch.optim.SGD)"),
		fp("weight_decay", 1e-4, 0, 0.01, 1e-4, false, "L2 penalty weight_decay·θ added to every gradient (torch.optim.SGD)"),
		ip("train", 3000, 64, fashion.FullTrain, 2, true, "training images: the first ones of Fashion-MNIST's training set"),
		ip("test", 1000, 10, fashion.FullTest, 2, true, "test images (held out): the first ones of the test set"),
		ip("seed", 1, 0, 1<<31-1, 1, false, "seeds the initial weights and the order of the batches"),
		{Name: "long", Kind: experiment.Bool, Default: false, Help: "allow up to 60 s of computing instead of 5 (a cell a lesson marks long)"},
	}
}

// Experiment returns the "cnn" experiment: one network trained on
// Fashion-MNIST.
//
// JSON payload (Payload): {"spec": {…the parameters…}, "loss": […per
// step], "layer_names": […], "grad_norm_init": […per layer],
// "grad_norm_final": […], "confusion": [[…10]…10], "mistakes": [{"index",
// "label", "predicted"}…]}; `nnlab run --json` adds every scalar under
// "outputs" (train_accuracy, test_accuracy, …).
func Experiment() *experiment.Experiment {
	params := experiment.Schema{
		{Name: "arch", Kind: experiment.Enum, Default: ResNet, Choices: []string{Plain, ResNet, Inception},
			Help: "plain or resnet: He et al.'s CIFAR network (3×3 stem, three stages of n basic blocks, global average pooling, linear); inception: a small GoogLeNet"},
		{Name: "n", Kind: experiment.Int, Default: 1, Min: 1, Max: 18, Step: 1, Help: "blocks per stage: 6n+2 weighted layers with basic blocks, 9n+2 with bottleneck blocks (plain, resnet)"},
		{Name: "block", Kind: experiment.Enum, Default: "basic", Choices: []string{"basic", "bottleneck"},
			Help: "plain, resnet: basic blocks (two 3×3 convolutions: 6n+2 layers) or bottleneck blocks (1×1 to the stage's width, 3×3, 1×1 to 4× it: 9n+2 layers)"},
		{Name: "shortcut", Kind: experiment.Enum, Default: "a", Choices: []string{"a", "b"},
			Help: "resnet, where the shape changes: A, the identity subsampled with zero channels appended; B, a 1×1 convolution (with BN)"},
		{Name: "reduce", Kind: experiment.Bool, Default: true, Help: "inception: 1×1 reductions before the 3×3 and 5×5 convolutions and after the pooling (false: the paper's naive module)"},
	}
	params = append(params, netParams()...)
	return &experiment.Experiment{
		Name:     "cnn",
		Summary:  "Train a plain net, a ResNet or a small GoogLeNet on Fashion-MNIST: loss, accuracy, per-layer gradient norms, a confusion matrix and misclassified images",
		Params:   params,
		Validate: func(v experiment.Values) error { return validate(configOf(v), v.Bool("long")) },
		Heavy:    func(experiment.Values) bool { return true },
		Run:      run,
	}
}

// configOf turns checked values into a Config.
func configOf(v experiment.Values) Config {
	c := Config{
		Spec:  Spec{Arch: ResNet, N: 1, Width: v.Int("width"), Size: v.Int("size"), BN: v.Bool("bn"), Shortcut: "A", Reduce: true},
		Batch: v.Int("batch"), Steps: v.Int("steps"), LR: v.Float("lr"), Momentum: v.Float("momentum"),
		WeightDecay: v.Float("weight_decay"), Train: v.Int("train"), Test: v.Int("test"),
		Seed: uint64(v.Int("seed")), Constant: v.String("schedule") == "constant",
	}
	if _, ok := v["arch"]; ok {
		c.Arch, c.N, c.Shortcut, c.Reduce = v.String("arch"), v.Int("n"), strings.ToUpper(v.String("shortcut")), v.Bool("reduce")
		c.Bottleneck = v.String("block") == "bottleneck"
	}
	return c
}

// validate checks the rules that tie parameters together: the images the
// source has, the memory and the time a run would take.
func validate(c Config, long bool) error {
	if c.Size != 14 && c.Size != 28 {
		return experiment.Invalid([]string{"size"}, "rule.cnn.size", "size must be 14 or 28, got {1}", c.Size)
	}
	if err := imagesAvailable(c); err != nil {
		return err
	}
	if c.Batch > c.Train {
		return experiment.Invalid([]string{"batch", "train"}, "rule.cnn.batch_train", "batch must be ≤ train ({1}), got {2}", c.Train, c.Batch)
	}
	net, err := NewNet(c.Spec)
	if err != nil {
		return err
	}
	w := net.Work()
	if b := c.RunBytes(w, len(net.W)); b > MaxBytes {
		return experiment.Invalid([]string{"width", "batch", "n", "size"}, "rule.cnn.memory",
			"this run would hold about {1} MB (activations of {2} images, their gradients, the weights); the limit is {3} MB; reduce width, n, size or batch",
			math.Ceil(b/(1<<20)), max(c.Batch, evalChunk), float64(MaxBytes>>20))
	}
	if s := w.StepSeconds(c.Batch); s > MaxStepSeconds {
		return experiment.Invalid([]string{"width", "batch", "n", "size"}, "rule.cnn.step",
			"one step would take about {1} s (progress is shown between steps, at most {2} s apart); reduce batch, width, n or size",
			math.Ceil(s*100)/100, MaxStepSeconds)
	}
	limit := MaxSeconds
	if long {
		limit = LongSeconds
	}
	if s := c.RunSeconds(w); s > limit {
		return experiment.Invalid([]string{"steps", "width", "batch", "n", "size", "train", "test"}, "rule.cnn.time",
			"this run would take about {1} s of computing ({2} steps of about {3} ms, then {4} images evaluated); the limit is {5} s; reduce steps, batch, width, n, size or the images",
			math.Ceil(s*10)/10, c.Steps, math.Round(w.StepSeconds(c.Batch)*1e4)/10, c.Train+c.Test, limit)
	}
	return nil
}

// imagesAvailable checks train and test against the current source.
func imagesAvailable(c Config) error {
	for _, sp := range []struct {
		name, split string
		n, full     int
	}{{"train", fashion.TrainSplit, c.Train, fashion.FullTrain}, {"test", fashion.TestSplit, c.Test, fashion.FullTest}} {
		have, err := fashion.Count(sp.split)
		if err != nil {
			return err
		}
		if sp.n > have {
			if have < sp.full {
				return experiment.Invalid([]string{sp.name}, "rule.cnn.images_subset",
					"{1} must be ≤ {2} with the embedded subset, got {3}; the full set needs --data DIR with Fashion-MNIST's files (Debian: dataset-fashion-mnist)", sp.name, have, sp.n)
			}
			return experiment.Invalid([]string{sp.name}, "rule.cnn.images", "{1} must be ≤ {2}, got {3}", sp.name, have, sp.n)
		}
	}
	return nil
}

// Payload is the cnn experiment's JSON payload: the parameters, and what
// a run produced besides its scalars (which `nnlab run --json` adds under
// "outputs", train_accuracy and test_accuracy among them).
type Payload struct {
	Spec          map[string]any        `json:"spec"`
	Loss          []float64             `json:"loss"`
	LayerNames    []string              `json:"layer_names"`
	GradNormInit  []float64             `json:"grad_norm_init"`
	GradNormFinal []float64             `json:"grad_norm_final"`
	Confusion     [Classes][Classes]int `json:"confusion"`
	Mistakes      []Mistake             `json:"mistakes"`
}

func run(ctx context.Context, v experiment.Values, progress experiment.Progress) (*experiment.Result, error) {
	c := configOf(v)
	if err := validate(c, v.Bool("long")); err != nil {
		return nil, err
	}
	steps := stepAxis(c.Steps)
	net, out, err := Train(ctx, c, func(done, total int, loss []float64) {
		if progress != nil {
			progress(done, total, &experiment.Result{Charts: []experiment.Chart{lossChart(steps, loss)}})
		}
	})
	if err != nil {
		return nil, err
	}
	return result(c, v, net, out, steps), nil
}

// stepAxis returns 1, 2, …, n.
func stepAxis(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i + 1)
	}
	return x
}

// Smooth returns the trailing mean of loss over windows of
// max(1, len/25) steps: the curve's trend under the batches' noise.
func Smooth(loss []float64, steps int) []float64 {
	w := max(1, steps/25)
	out := make([]float64, len(loss))
	var s float64
	for i, v := range loss {
		s += v
		if i >= w {
			s -= loss[i-w]
		}
		out[i] = s / float64(min(i+1, w))
	}
	return out
}

// lossChart draws the smoothed loss over the batch losses, drawn faint,
// against x = 1, 2, ….
func lossChart(x, loss []float64) experiment.Chart {
	return experiment.Chart{
		Key: "loss", Title: "Training loss per step (batch cross-entropy)",
		XLabel: "step", YLabel: "loss (nats)", LogY: true,
		Series: []experiment.Series{
			{Name: "smoothed", X: x[:len(loss)], Y: Smooth(loss, len(x))},
			{Name: "batch", X: x[:len(loss)], Y: loss, Faint: true},
		},
	}
}

// Depth is the number of weighted layers on the net's longest path: 6n+2
// for plain and residual nets.
func (n *Net) Depth() int {
	d := map[*slot]int{n.input: 0}
	for _, nd := range n.nodes {
		switch v := nd.(type) {
		case *unit:
			d[v.out] = d[v.in] + 1
		case *join:
			d[v.out] = max(d[v.a], d[v.s])
		case *maxPool:
			d[v.out] = d[v.in]
		case *concat:
			for _, s := range v.ins {
				d[v.out] = max(d[v.out], d[s])
			}
		}
	}
	return d[n.head.in] + 1
}

// Describe says in one sentence what network s is.
func (s Spec) Describe() string {
	norm := "BN after every convolution"
	if !s.BN {
		norm = "no BN (convolutions with biases)"
	}
	switch s.Arch {
	case Inception:
		mod := "modules with 1×1 reductions"
		if !s.Reduce {
			mod = "naive modules (no 1×1 reductions; the pooling branch passes its input's channels)"
		}
		return fmt.Sprintf("A small GoogLeNet: 3×3 stem to %d channels, 3×3/2 max pool, inception 3a and 3b, 3×3/2 max pool, 4a (GoogLeNet's channel counts × %d/64), %s, global average pooling, linear; %s.",
			scaled(192, s.Width), s.Width, mod, norm)
	case Plain:
		if s.Bottleneck {
			return fmt.Sprintf("A plain net of %d weighted layers: 3×3 stem to %d channels, three stages of %d bottleneck blocks (1×1, 3×3, 1×1 convolutions at widths %d, %d, %d, each block's output 4× that; stride 2 at the start of stages 2 and 3), global average pooling, linear; %s.",
				9*s.N+2, s.Width, s.N, s.Width, 2*s.Width, 4*s.Width, norm)
		}
		return fmt.Sprintf("A plain net of %d weighted layers: 3×3 stem to %d channels, three stages of %d blocks of two 3×3 convolutions (%d, %d, %d channels; stride 2 at the start of stages 2 and 3), global average pooling, linear; %s.",
			6*s.N+2, s.Width, s.N, s.Width, 2*s.Width, 4*s.Width, norm)
	}
	sc := "shortcut A (the identity subsampled, zero channels appended where the width grows)"
	if s.Shortcut == "B" {
		sc = "shortcut B (a 1×1 convolution where the shape changes)"
	}
	if s.Bottleneck {
		return fmt.Sprintf("A ResNet of %d weighted layers: 3×3 stem to %d channels, three stages of %d bottleneck blocks (1×1, 3×3, 1×1 convolutions at widths %d, %d, %d, each block's output 4× that; stride 2 at the start of stages 2 and 3), %s, global average pooling, linear; %s.",
			9*s.N+2, s.Width, s.N, s.Width, 2*s.Width, 4*s.Width, sc, norm)
	}
	return fmt.Sprintf("A ResNet of %d weighted layers: 3×3 stem to %d channels, three stages of %d basic blocks (%d, %d, %d channels; stride 2 at the start of stages 2 and 3), %s, global average pooling, linear; %s.",
		6*s.N+2, s.Width, s.N, s.Width, 2*s.Width, 4*s.Width, sc, norm)
}

// classShort are short class names for the confusion matrix's columns.
var classShort = [Classes]string{"T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"}

// result builds the Result of a finished run.
func result(c Config, v experiment.Values, net *Net, o *Outcome, steps []float64) *experiment.Result {
	r := &experiment.Result{}
	r.AddScalar("test_accuracy", "Test accuracy (held-out images, BN in evaluation mode)", o.TestAccuracy, "")
	r.AddScalar("train_accuracy", "Training accuracy (the training images, BN in evaluation mode)", o.TrainAccuracy, "")
	r.AddScalar("test_loss", "Test loss", finite(o.TestLoss), "nats")
	r.AddScalar("train_loss", "Training loss", finite(o.TrainLoss), "nats")
	r.AddScalar("final_loss", "Mean batch loss over the last tenth of the steps", tailMean(o.Loss), "nats")
	r.AddScalar("layers", "Weighted layers on the deepest path", float64(net.Depth()), "layers")
	r.AddScalar("params", "Parameters", float64(len(net.W)), "params")
	r.AddScalar("macs", "Multiply-accumulates per image (forward)", float64(net.MACs()), "MACs")
	r.AddScalar("step_ms", "Measured time per training step", o.StepSeconds*1e3, "ms")
	r.AddScalar("cost_s", "Modelled CPU time of the run (the cost model's bound)", c.RunSeconds(net.Work()), "s")
	r.AddScalar("epochs", "Passes over the training images", float64(c.Steps*c.Batch)/float64(c.Train), "")
	gi := o.GradInit
	r.AddScalar("grad_first", "‖∂L/∂W‖ of the first convolution at init", gi[0], "")
	r.AddScalar("grad_last", "‖∂L/∂W‖ of the last layer (linear) at init", gi[len(gi)-1], "")
	r.AddScalar("grad_ratio", "Gradient-norm ratio, first layer over last, at init", ratio(gi[0], gi[len(gi)-1]), "")
	r.AddScalar("diverged_at", "Step at which the loss stopped being finite (0: never)", float64(o.DivergedAt), "step")
	r.Charts = []experiment.Chart{lossChart(steps, o.Loss)}
	labels := make([]string, len(net.Layers))
	for i := range labels {
		labels[i] = fmt.Sprintf("L%d", i+1)
	}
	labels[len(labels)-1] = "fc"
	r.Bars = []experiment.BarChart{{Key: "grad_norm", Title: "‖∂L/∂W‖ per layer on the first batch, input side first", LogY: true, Labels: labels,
		Groups: []experiment.BarGroup{{Name: "at init", Values: o.GradInit}, {Name: "after training", Values: o.GradFinal}}}}
	cols := []experiment.Column{{Name: "true \\ predicted"}}
	for _, name := range classShort {
		cols = append(cols, experiment.Column{Name: name, Align: experiment.Right})
	}
	t := experiment.Table{Key: "confusion", Title: fmt.Sprintf("Confusion matrix on the %d test images (rows: true class)", c.Test), Columns: cols}
	for i := 0; i < Classes; i++ {
		row := []any{fashion.Classes[i]}
		for j := 0; j < Classes; j++ {
			row = append(row, int64(o.Confusion[i][j]))
		}
		t.Rows = append(t.Rows, experiment.Row{Cells: row})
	}
	r.Tables = []experiment.Table{t}
	if len(o.Mistakes) > 0 {
		set, _, err := fashion.Head(fashion.TestSplit, c.Test)
		if err == nil {
			img := experiment.Image{Key: "mistakes", Title: "Misclassified test images (true → predicted)", W: 28, H: 28, Min: 0, Max: 1}
			for _, m := range o.Mistakes {
				for _, p := range set.Image(m.Index) {
					img.Data = append(img.Data, float64(p)/255)
				}
				img.Channels = append(img.Channels, fashion.Classes[m.Label]+" → "+fashion.Classes[m.Predicted])
			}
			r.Images = []experiment.Image{img}
		}
	}
	sched := "lr divided by 10 at half and at three quarters of the steps (He et al.)"
	if c.Constant {
		sched = "constant lr"
	}
	r.Notes = []string{
		c.Spec.Describe(),
		fmt.Sprintf("SGD: lr %s, %s, momentum %s, weight decay %s, batches of %d from the first %d training images (%s); accuracies on those and on the first %d test images.",
			experiment.FormatNumber(c.LR), sched, experiment.FormatNumber(c.Momentum), experiment.FormatNumber(c.WeightDecay), c.Batch, c.Train, fashion.Current().Name, c.Test),
		fmt.Sprintf("A step took %s ms of wall-clock time on this machine (other programs running lengthen it); the cost model budgets the whole run at %s s of CPU time.",
			experiment.FormatNumber(math.Round(o.StepSeconds*1e4)/10), experiment.FormatNumber(math.Round(c.RunSeconds(net.Work())*10)/10)),
	}
	if c.Size == 14 {
		r.Notes = append(r.Notes, "Size 14: each image is averaged over 2×2 blocks of pixels before it enters the net.")
	}
	if Quick() {
		r.Notes = append(r.Notes, QuickEnv+"=1: a few steps on a few images only, for tests.")
	}
	if o.DivergedAt > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("The loss stopped being finite at step %d: training stopped there, and the numbers are for the weights of step %d. Lower lr.", o.DivergedAt, o.DivergedAt-1))
	}
	spec := map[string]any{}
	for k, val := range v {
		spec[k] = val
	}
	names := make([]string, len(net.Layers))
	for i, l := range net.Layers {
		names[i] = l.Name
	}
	r.JSON = Payload{Spec: spec, Loss: o.Loss, LayerNames: names, GradNormInit: o.GradInit, GradNormFinal: o.GradFinal,
		Confusion: o.Confusion, Mistakes: o.Mistakes}
	return r
}

// ratio returns a/b for gradient norms, 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return math.Min(a/b, math.MaxFloat64)
}

// finite returns x, or math.MaxFloat64 for NaN or ±Inf (an overflow).
func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return math.MaxFloat64
	}
	return x
}

// DepthExperiment returns the "cnn_depth" experiment: a plain and a
// residual net (shortcut A; the same initial weights, which their
// parameters share, and the same batches) trained at several depths, as
// He et al.'s Fig. 6 compares them.
//
// JSON payload: {"spec": {…}, "runs": [{"arch", "n", "layers",
// "train_accuracy", "test_accuracy", "train_loss", "final_loss", "loss":
// […]}…]}.
func DepthExperiment() *experiment.Experiment {
	params := experiment.Schema{
		{Name: "ns", Kind: experiment.List, Default: []string{"1", "3"}, Choices: []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"},
			Help: "the depths to train, as blocks per stage n (6n+2 weighted layers)"},
	}
	params = append(params, netParams()...)
	// Training several nets is long by nature: by default a run may take
	// LongSeconds, and ns=1,3 with 300 steps each fits.
	for i := range params {
		switch params[i].Name {
		case "long":
			params[i].Default = true
		case "steps":
			params[i].Default = 300
		}
	}
	return &experiment.Experiment{
		Name:    "cnn_depth",
		Summary: "Plain against residual nets on Fashion-MNIST at several depths (He et al.'s Fig. 6 in miniature): training and test error per depth, loss curves",
		Params:  params,
		Validate: func(v experiment.Values) error {
			cs := depthConfigs(v)
			total := 0.0
			for _, c := range cs {
				if err := validate(c, true); err != nil {
					return err
				}
				net, _ := NewNet(c.Spec)
				total += c.RunSeconds(net.Work())
			}
			limit := MaxSeconds
			if v.Bool("long") {
				limit = LongSeconds
			}
			if total > limit {
				return experiment.Invalid([]string{"ns", "steps", "width", "batch", "size"}, "rule.cnn_depth.time",
					"these {1} runs would take about {2} s of computing together; the limit is {3} s; train fewer depths or fewer steps",
					len(cs), math.Ceil(total*10)/10, limit)
			}
			return nil
		},
		Heavy: func(experiment.Values) bool { return true },
		Run:   runDepth,
	}
}

// depthConfigs are the runs of a cnn_depth spec: for each n, plain then
// resnet.
func depthConfigs(v experiment.Values) []Config {
	var out []Config
	for _, s := range v.List("ns") {
		n := int(s[0] - '0')
		for _, arch := range []string{Plain, ResNet} {
			c := configOf(v)
			c.Arch, c.N = arch, n
			out = append(out, c)
		}
	}
	return out
}

// DepthRun is one run of cnn_depth in its payload.
type DepthRun struct {
	Arch          string    `json:"arch"`
	N             int       `json:"n"`
	Layers        int       `json:"layers"`
	TrainAccuracy float64   `json:"train_accuracy"`
	TestAccuracy  float64   `json:"test_accuracy"`
	TrainLoss     float64   `json:"train_loss"`
	FinalLoss     float64   `json:"final_loss"`
	Loss          []float64 `json:"loss"`
	DivergedAt    int       `json:"diverged_at,omitempty"`
}

func runDepth(ctx context.Context, v experiment.Values, progress experiment.Progress) (*experiment.Result, error) {
	cs := depthConfigs(v)
	steps := stepAxis(cs[0].Steps)
	var runs []DepthRun
	var charts []experiment.Series
	for i, c := range cs {
		net, out, err := Train(ctx, c, func(done, total int, loss []float64) {
			if progress == nil {
				return
			}
			series := append([]experiment.Series(nil), charts...)
			series = append(series, experiment.Series{Name: fmt.Sprintf("%s-%d", c.Arch, 6*c.N+2), X: steps[:len(loss)], Y: Smooth(loss, len(steps))})
			progress(i*total+done, len(cs)*total, &experiment.Result{Charts: []experiment.Chart{depthLossChart(series)}})
		})
		if err != nil {
			return nil, err
		}
		runs = append(runs, DepthRun{Arch: c.Arch, N: c.N, Layers: net.Depth(), TrainAccuracy: out.TrainAccuracy, TestAccuracy: out.TestAccuracy,
			TrainLoss: finite(out.TrainLoss), FinalLoss: tailMean(out.Loss), Loss: out.Loss, DivergedAt: out.DivergedAt})
		charts = append(charts, experiment.Series{Name: fmt.Sprintf("%s-%d", c.Arch, 6*c.N+2), X: steps[:len(out.Loss)], Y: Smooth(out.Loss, len(steps))})
	}
	r := &experiment.Result{}
	var layers []float64
	var plainErr, resErr, plainTest, resTest []float64
	for i := 0; i < len(runs); i += 2 {
		p, q := runs[i], runs[i+1]
		l := float64(p.Layers)
		layers = append(layers, l)
		plainErr, resErr = append(plainErr, 1-p.TrainAccuracy), append(resErr, 1-q.TrainAccuracy)
		plainTest, resTest = append(plainTest, 1-p.TestAccuracy), append(resTest, 1-q.TestAccuracy)
		for _, run := range []DepthRun{p, q} {
			key := fmt.Sprintf("%s%d", run.Arch, run.Layers)
			r.AddScalar(key+".train_error", fmt.Sprintf("Training error of %s-%d", run.Arch, run.Layers), 1-run.TrainAccuracy, "")
			r.AddScalar(key+".test_error", fmt.Sprintf("Test error of %s-%d", run.Arch, run.Layers), 1-run.TestAccuracy, "")
			r.AddScalar(key+".final_loss", fmt.Sprintf("Mean batch loss of %s-%d over the last tenth of the steps", run.Arch, run.Layers), run.FinalLoss, "nats")
		}
	}
	first := trailsAt(layers, plainErr, resErr)
	last := len(layers) - 1
	r.AddScalar("plain_trails_at", fmt.Sprintf("Fewest layers at which the plain net's training error exceeds the residual net's by %s or more (0: at none)", experiment.FormatNumber(TrailMargin)), first, "layers")
	r.AddScalar("gap", "Plain minus residual training error at the deepest depth", plainErr[last]-resErr[last], "")
	r.AddScalar("plain_degrades", "Plain net's training error, deepest minus shallowest", plainErr[last]-plainErr[0], "")
	r.AddScalar("resnet_degrades", "Residual net's training error, deepest minus shallowest", resErr[last]-resErr[0], "")
	labels := make([]string, len(layers))
	for i, l := range layers {
		labels[i] = fmt.Sprintf("%g layers", l)
	}
	r.Bars = []experiment.BarChart{{Key: "error", Title: "Error after training at each depth (He et al., Fig. 6)", Labels: labels,
		Groups: []experiment.BarGroup{{Name: "plain, training", Values: plainErr}, {Name: "resnet, training", Values: resErr},
			{Name: "plain, test", Values: plainTest}, {Name: "resnet, test", Values: resTest}}}}
	r.Charts = []experiment.Chart{depthLossChart(charts)}
	c := cs[0]
	r.Notes = []string{
		fmt.Sprintf("Each depth: a plain and a residual net (shortcut A) with the same initial weights and batches; width %d, size %d, %s, %d steps of batch %d, lr %s (%s).",
			c.Width, c.Size, map[bool]string{true: "BN", false: "no BN"}[c.BN], c.Steps, c.Batch, experiment.FormatNumber(c.LR), map[bool]string{true: "constant", false: "÷10 at half and three quarters"}[c.Constant]),
		"Errors are 1 − accuracy with BN in evaluation mode: training error on the training images, test error on the held-out ones.",
	}
	r.JSON = map[string]any{"spec": map[string]any(v), "runs": runs}
	return r, nil
}

// trailsAt returns the fewest layers at which the plain net's training
// error exceeds the residual net's by TrailMargin or more, 0 if at none.
func trailsAt(layers, plainErr, resErr []float64) float64 {
	for i, l := range layers {
		if plainErr[i]-resErr[i] >= TrailMargin {
			return l
		}
	}
	return 0
}

// TrailMargin is how much higher the plain net's training error must be
// than the residual net's for cnn_depth to count it as trailing.
const TrailMargin = 0.02

func depthLossChart(series []experiment.Series) experiment.Chart {
	return experiment.Chart{Key: "loss", Title: "Training loss per step, smoothed (batch cross-entropy)", XLabel: "step", YLabel: "loss (nats)", LogY: true, Series: series}
}

// tailMean is the mean of the last tenth of loss (at least one value).
func tailMean(loss []float64) float64 {
	if len(loss) == 0 {
		return math.MaxFloat64
	}
	tail := loss[len(loss)-max(1, len(loss)/10):]
	var m float64
	for _, x := range tail {
		m += x / float64(len(tail))
	}
	return finite(m)
}
