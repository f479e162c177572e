package convnet

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"github.com/nnlab/nnlab/core/fashion"
)

// Config is one training run.
type Config struct {
	Spec
	Batch       int     // images per step, ≥ 2 with BN
	Steps       int     // SGD steps, ≥ 1
	LR          float64 // learning rate
	Momentum    float64 // SGD momentum (He et al.: 0.9)
	WeightDecay float64 // L2 penalty added to every gradient (He et al.: 1e-4)
	Train, Test int     // images: the first Train training and Test test images
	Seed        uint64  // seeds the weights and the batch order
	// Constant keeps LR for every step; otherwise it is divided by 10 at
	// half and at three quarters of the steps, as He et al. do (at 32k and
	// 48k of 64k iterations).
	Constant bool
}

// LRAt is the learning rate of step k (from 1) of a run of steps.
func (c Config) LRAt(k int) float64 {
	if c.Constant {
		return c.LR
	}
	switch {
	case 4*(k-1) >= 3*c.Steps:
		return c.LR / 100
	case 2*(k-1) >= c.Steps:
		return c.LR / 10
	}
	return c.LR
}

// Data is a split's first images as the nets read them: pixel/255,
// averaged over 2×2 blocks for Size 14, image after image.
type Data struct {
	X      []float64
	Y      []int
	N      int
	Side   int
	Images *fashion.Set // the images they came from (for drawing)
}

// Load reads the first count images of a split (fashion.TrainSplit or
// fashion.TestSplit) of the current Fashion-MNIST source at side 28 or 14
// (fashion.Head: no further into the files than those images).
func Load(split string, count, side int) (*Data, error) {
	set, _, err := fashion.Head(split, count)
	if err != nil {
		return nil, err
	}
	if count < 1 || count > set.N {
		return nil, fmt.Errorf("convnet: %d %s images asked for, the source has %d", count, split, set.N)
	}
	if set.Rows != 28 || set.Cols != 28 {
		return nil, fmt.Errorf("convnet: images must be 28×28, got %d×%d", set.Rows, set.Cols)
	}
	d := &Data{N: count, Side: side, Images: set, Y: make([]int, count), X: make([]float64, 0, count*side*side)}
	img := make([]float64, 28*28)
	for i := 0; i < count; i++ {
		for j, p := range set.Image(i) {
			img[j] = float64(p) / 255
		}
		if side == 14 {
			d.X = append(d.X, Downsample(img, 28)...)
		} else {
			d.X = append(d.X, img...)
		}
		d.Y[i] = int(set.Labels[i])
	}
	return d, nil
}

// Mistake is a misclassified test image.
type Mistake struct {
	Index     int `json:"index"`
	Label     int `json:"label"`
	Predicted int `json:"predicted"`
}

// Outcome is what a run did.
type Outcome struct {
	// Loss[t] is the mean cross-entropy of step t+1's batch before its
	// update (nats).
	Loss []float64
	// Accuracies and mean losses on the training and test images, with BN
	// in evaluation mode (its running statistics), after the last step.
	TrainAccuracy, TestAccuracy float64
	TrainLoss, TestLoss         float64
	// GradInit[l] is ‖∂L/∂W‖ of weighted layer l (Net.Layers) on the first
	// batch at the initial weights; GradFinal the same after training.
	GradInit, GradFinal []float64
	// Confusion[i][j] counts test images of class i predicted as j.
	Confusion [Classes][Classes]int
	Mistakes  []Mistake // the first misclassified test images, at most MaxMistakes
	// StepSeconds is the measured wall time per step (training alone).
	StepSeconds float64
	// DivergedAt is the step whose loss was not finite (0: none); training
	// stopped there, and the net keeps the weights of the step before.
	DivergedAt int
}

// MaxMistakes is how many misclassified test images a run keeps.
const MaxMistakes = 8

// Report is called during training with the steps done and the batch
// losses so far (aliased: they only grow).
type Report func(done, total int, loss []float64)

// reportEvery is the longest time between two reports.
const reportEvery = 150 * time.Millisecond

// evalChunk is how many images an evaluation pass takes at a time (at
// least the batch).
const evalChunk = 32

// Train builds cfg's net, initializes it from cfg.Seed, trains it with SGD
// on the first cfg.Train training images in shuffled batches (reshuffled
// each pass, the last incomplete batch of a pass dropped) and evaluates it
// on them and on the first cfg.Test test images. report, if not nil, is
// called at least every 150 ms of training and after the last step.
func Train(ctx context.Context, cfg Config, report Report) (*Net, *Outcome, error) {
	if Quick() {
		cfg.Steps, cfg.Batch = min(cfg.Steps, 2), min(cfg.Batch, 8)
		cfg.Train, cfg.Test = min(cfg.Train, 16), min(cfg.Test, 8)
	}
	if cfg.Batch < 1 || cfg.Steps < 1 || cfg.Train < cfg.Batch || cfg.Test < 1 {
		return nil, nil, fmt.Errorf("convnet: need batch ≥ 1, steps ≥ 1, train ≥ batch and test ≥ 1, got %d, %d, %d, %d", cfg.Batch, cfg.Steps, cfg.Train, cfg.Test)
	}
	net, err := NewNet(cfg.Spec)
	if err != nil {
		return nil, nil, err
	}
	net.Init(rand.New(rand.NewPCG(cfg.Seed, 0x494e4954))) // "INIT"
	train, err := Load(fashion.TrainSplit, cfg.Train, cfg.Size)
	if err != nil {
		return nil, nil, err
	}
	test, err := Load(fashion.TestSplit, cfg.Test, cfg.Size)
	if err != nil {
		return nil, nil, err
	}
	px := cfg.Size * cfg.Size
	chunks := func(n int) int { return (n + max(cfg.Batch, evalChunk) - 1) / max(cfg.Batch, evalChunk) }
	total := cfg.Steps + chunks(cfg.Train) + chunks(cfg.Test)
	order := rand.New(rand.NewPCG(cfg.Seed, 0x4241544348)) // "BATCH"
	perm := order.Perm(train.N)
	pos := 0
	bx := make([]float64, cfg.Batch*px)
	by := make([]int, cfg.Batch)
	first := make([]float64, cfg.Batch*px)
	firstY := make([]int, cfg.Batch)
	opt := &SGD{LR: cfg.LR, Momentum: cfg.Momentum, WeightDecay: cfg.WeightDecay}
	prev := make([]float64, len(net.W))
	out := &Outcome{Loss: make([]float64, 0, cfg.Steps)}
	last := time.Now()
	t0 := time.Now()
	for k := 1; k <= cfg.Steps; k++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if pos+cfg.Batch > train.N {
			pos = 0
			order.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		}
		for i := range by {
			p := perm[pos+i]
			copy(bx[i*px:(i+1)*px], train.X[p*px:(p+1)*px])
			by[i] = train.Y[p]
		}
		pos += cfg.Batch
		if k == 1 {
			copy(first, bx)
			copy(firstY, by)
		}
		loss := net.LossGrad(bx, by)
		if k == 1 {
			out.GradInit = net.GradNorms()
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			out.DivergedAt = k
			if k > 1 {
				copy(net.W, prev)
			}
			break
		}
		out.Loss = append(out.Loss, loss)
		copy(prev, net.W)
		opt.LR = cfg.LRAt(k)
		opt.Step(net.W, net.G)
		if report != nil && (time.Since(last) >= reportEvery || k == cfg.Steps) {
			report(k, total, out.Loss)
			last = time.Now()
		}
	}
	// The evaluation reports its chunks as work after the steps.
	done := cfg.Steps
	chunk := func() {
		done++
		if report != nil && time.Since(last) >= reportEvery {
			report(done, total, out.Loss)
			last = time.Now()
		}
	}
	if n := len(out.Loss); n > 0 {
		out.StepSeconds = time.Since(t0).Seconds() / float64(n)
	}
	net.LossGrad(first, firstY)
	out.GradFinal = net.GradNorms()
	var conf [Classes][Classes]int
	if out.TrainLoss, out.TrainAccuracy, err = net.Evaluate(ctx, train, cfg.Batch, nil, nil, chunk); err != nil {
		return nil, nil, err
	}
	if out.TestLoss, out.TestAccuracy, err = net.Evaluate(ctx, test, cfg.Batch, &conf, &out.Mistakes, chunk); err != nil {
		return nil, nil, err
	}
	out.Confusion = conf
	if report != nil {
		report(total, total, out.Loss)
	}
	return net, out, nil
}

// Evaluate returns the mean cross-entropy and the accuracy of the net on
// d, with BN in evaluation mode, in chunks of at least batch images;
// conf, when not nil, counts (label, prediction) pairs and mistakes
// collects the first misclassified images; onChunk, when not nil, is called
// after each chunk.
func (n *Net) Evaluate(ctx context.Context, d *Data, batch int, conf *[Classes][Classes]int, mistakes *[]Mistake, onChunk func()) (loss, acc float64, err error) {
	chunk := max(batch, evalChunk)
	px := d.Side * d.Side
	correct := 0
	var sum float64
	for lo := 0; lo < d.N; lo += chunk {
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
		m := min(chunk, d.N-lo)
		logits := n.Forward(d.X[lo*px:(lo+m)*px], m, false)
		sum += crossEntropy(logits, d.Y[lo:lo+m], Classes, nil) * float64(m)
		for i := 0; i < m; i++ {
			z := logits[i*Classes : (i+1)*Classes]
			pred := 0
			for j, v := range z {
				if v > z[pred] {
					pred = j
				}
			}
			y := d.Y[lo+i]
			if pred == y {
				correct++
			} else if mistakes != nil && len(*mistakes) < MaxMistakes {
				*mistakes = append(*mistakes, Mistake{Index: lo + i, Label: y, Predicted: pred})
			}
			if conf != nil {
				conf[y][pred]++
			}
		}
		if onChunk != nil {
			onChunk()
		}
	}
	return sum / float64(d.N), float64(correct) / float64(d.N), nil
}

// GradNorms returns ‖∂L/∂W‖ (Frobenius) of each weighted layer's weight
// from the last backward pass, input side first.
func (n *Net) GradNorms() []float64 {
	out := make([]float64, len(n.Layers))
	for i, l := range n.Layers {
		p := n.Params[l.Param]
		out[i] = frobenius(n.G[p.Off : p.Off+p.Len])
	}
	return out
}

// frobenius returns √(Σ x²), scaled against overflow; NaN or ±Inf entries
// give math.MaxFloat64.
func frobenius(xs []float64) float64 {
	var scale float64
	for _, v := range xs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return math.MaxFloat64
		}
		scale = math.Max(scale, math.Abs(v))
	}
	if scale == 0 {
		return 0
	}
	var s float64
	for _, v := range xs {
		v /= scale
		s += v * v
	}
	return scale * math.Sqrt(s)
}

// QuickEnv names the environment variable that, set to 1, makes every
// training run take at most 2 steps of at most 8 images, from 16
// training images, evaluated on 8 test images: for tests that run every
// experiment, or every cell of the lessons, to check what a run shows
// rather than what it learns. The results say so in a note.
const QuickEnv = "NNLAB_TEST_QUICK"

// Quick reports whether QuickEnv is set to 1.
func Quick() bool { return os.Getenv(QuickEnv) == "1" }
