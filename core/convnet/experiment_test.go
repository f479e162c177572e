package convnet

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// tiny is a run small enough for every test: a few steps on a few images.
var tiny = map[string]string{"width": "4", "steps": "3", "batch": "8", "train": "64", "test": "20"}

func with(extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range tiny {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// resnetMACs counts a plain or residual net's multiply-accumulates per
// image from its definition: the stem, three stages of n blocks of two
// 3×3 convolutions (the first of stages 2 and 3 at stride 2), the
// classifier.
func resnetMACs(n, w, size int) int64 {
	s := int64(size)
	macs := s * s * int64(w) * 9 // stem, 1 → w
	cin := int64(w)
	for stage := 0; stage < 3; stage++ {
		cout := int64(w) << stage
		if stage > 0 {
			s = (s-1)/2 + 1 // 3×3, stride 2, padding 1
		}
		macs += s * s * cout * cin * 9  // first conv
		macs += s * s * cout * cout * 9 // second conv
		macs += int64(n-1) * 2 * s * s * cout * cout * 9
		cin = cout
	}
	return macs + cin*Classes
}

// TestCNNRun runs every architecture for a few steps and checks the
// result's parts against each other and against counts made here: the
// confusion matrix adds up to the test images and its trace to the test
// accuracy, every mistake is off its diagonal, the loss curve has a point
// per step, progress ends at its total, and the layers, parameters and
// MACs are the nets' own.
func TestCNNRun(t *testing.T) {
	e := experimenttest.Named(t, Experiments(), "cnn")
	for _, tc := range []struct {
		over         map[string]string
		layers       int
		macs, params int64
	}{
		{map[string]string{"arch": "resnet"}, 8, resnetMACs(1, 4, 14), -1},
		{map[string]string{"arch": "plain", "bn": "false", "n": "2"}, 14, resnetMACs(2, 4, 14), -1},
		{map[string]string{"arch": "resnet", "size": "28", "shortcut": "B"}, 8, -1, -1},
		{map[string]string{"arch": "inception"}, 8, -1, -1},
		{map[string]string{"arch": "resnet", "block": "bottleneck", "shortcut": "b"}, 11, -1, -1},
		{map[string]string{"arch": "plain", "block": "bottleneck", "n": "2"}, 20, -1, -1},
		{map[string]string{"arch": "inception", "reduce": "false", "bn": "false"}, 5, -1, -1},
	} {
		var last, total int
		r := experimenttest.Run(t, e, with(tc.over), func(done, tot int, p *experiment.Result) {
			if done < last || p == nil {
				t.Errorf("%v: progress %d after %d, partial %v", tc.over, done, last, p != nil)
			}
			last, total = done, tot
		})
		experimenttest.CheckFinite(t, r)
		if last != total || total < 3 {
			t.Errorf("%v: progress ended at %d of %d", tc.over, last, total)
		}
		p := r.JSON.(Payload)
		var sum, trace int
		for i := range Classes {
			for j := range Classes {
				sum += p.Confusion[i][j]
			}
			trace += p.Confusion[i][i]
		}
		if sum != 20 || float64(trace)/20 != experimenttest.Scalar(t, r, "test_accuracy") {
			t.Errorf("%v: confusion adds up to %d (trace %d), test accuracy %v", tc.over, sum, trace, experimenttest.Scalar(t, r, "test_accuracy"))
		}
		if want := min(MaxMistakes, 20-trace); len(p.Mistakes) != want {
			t.Errorf("%v: %d mistakes kept, want %d", tc.over, len(p.Mistakes), want)
		}
		for _, m := range p.Mistakes {
			if m.Label == m.Predicted || p.Confusion[m.Label][m.Predicted] == 0 {
				t.Errorf("%v: mistake %+v is not off the confusion's diagonal", tc.over, m)
			}
		}
		if c := r.Charts[0]; c.Key != "loss" || len(c.Series[0].Y) != 3 || len(c.Series[1].Y) != 3 {
			t.Errorf("%v: loss chart %+v", tc.over, c)
		}
		if l := experimenttest.Scalar(t, r, "layers"); int(l) != tc.layers {
			t.Errorf("%v: %v layers, want %d", tc.over, l, tc.layers)
		}
		if tc.macs > 0 && int64(experimenttest.Scalar(t, r, "macs")) != tc.macs {
			t.Errorf("%v: %v MACs, the definition counts %d", tc.over, experimenttest.Scalar(t, r, "macs"), tc.macs)
		}
		if b := r.Bars[0]; len(b.Labels) != len(p.GradNormInit) || b.Labels[len(b.Labels)-1] != "fc" {
			t.Errorf("%v: gradient bars %v for %d layers", tc.over, b.Labels, len(p.GradNormInit))
		}
		if img, ok := r.Image("mistakes"); ok && len(img.Channels) != len(p.Mistakes) {
			t.Errorf("%v: %d mistake images for %d mistakes", tc.over, len(img.Channels), len(p.Mistakes))
		}
	}
}

// The parameter count of the default ResNet (n 1, width 8) from its
// definition: convolutions without bias, two BN parameters per channel,
// the classifier.
func TestParamCount(t *testing.T) {
	net, err := NewNet(Spec{Arch: ResNet, N: 1, Width: 8, Size: 14, BN: true, Shortcut: "A", Reduce: true})
	if err != nil {
		t.Fatal(err)
	}
	conv := 9*1*8 + 9*8*8*2 + 9*8*16 + 9*16*16 + 9*16*32 + 9*32*32
	bn := 2 * (8 + 8 + 8 + 16 + 16 + 32 + 32)
	if want := conv + bn + 32*10 + 10; len(net.W) != want {
		t.Errorf("%d parameters, the definition counts %d", len(net.W), want)
	}
	b, _ := NewNet(Spec{Arch: ResNet, N: 1, Width: 8, Size: 14, BN: true, Shortcut: "B", Reduce: true})
	if want := len(net.W) + 8*16 + 2*16 + 16*32 + 2*32; len(b.W) != want {
		t.Errorf("shortcut B: %d parameters, want %d (two 1×1 projections with BN)", len(b.W), want)
	}
	// Bottleneck blocks, n 1, width 4: stages of 1×1 (in → w), 3×3 (w → w),
	// 1×1 (w → 4w), inputs 4, 16, 32; shortcut B projects every first block.
	bt, _ := NewNet(Spec{Arch: ResNet, N: 1, Width: 4, Size: 14, BN: true, Shortcut: "B", Reduce: true, Bottleneck: true})
	want := 9*4 + 2*4 // stem
	cin := 4
	for _, w := range []int{4, 8, 16} {
		want += cin*w + 2*w + 9*w*w + 2*w + w*4*w + 2*4*w // the block
		want += cin*4*w + 2*4*w                           // its projection
		cin = 4 * w
	}
	want += cin*10 + 10
	if len(bt.W) != want {
		t.Errorf("bottleneck: %d parameters, the definition counts %d", len(bt.W), want)
	}
	if bt.Depth() != 11 {
		t.Errorf("bottleneck n 1: depth %d, want 9n+2 = 11", bt.Depth())
	}
}

// TestCNNRefuses: every rule that ties parameters together is checked
// before a run, with its rule id.
func TestCNNRefuses(t *testing.T) {
	e := experimenttest.Named(t, Experiments(), "cnn")
	for _, tc := range []struct {
		over map[string]string
		rule string
	}{
		{map[string]string{"train": "3001"}, "rule.cnn.images_subset"},
		{map[string]string{"test": "1001"}, "rule.cnn.images_subset"},
		{map[string]string{"batch": "128", "train": "100"}, "rule.cnn.batch_train"},
		{map[string]string{"size": "21"}, "rule.cnn.size"},
		{map[string]string{"steps": "20000"}, "rule.cnn.time"},
		{map[string]string{"width": "64", "n": "18", "size": "28", "batch": "256"}, "rule.cnn.memory"},
		{map[string]string{"width": "32", "size": "28", "batch": "64"}, "rule.cnn.step"},
	} {
		_, err := e.Parse(tc.over)
		var inv *experiment.InvalidError
		if !errors.As(err, &inv) || inv.Rule != tc.rule {
			t.Errorf("%v: %v, want %s", tc.over, err, tc.rule)
		}
	}
	// A long run may take up to LongSeconds: steps that a cell refuses
	// are allowed with long=true.
	if _, err := e.Parse(map[string]string{"steps": "2000", "long": "true"}); err != nil {
		t.Errorf("a long run of 2000 steps: %v", err)
	}
	if _, err := e.Parse(map[string]string{"steps": "2000"}); err == nil {
		t.Error("2000 steps accepted without long")
	}
}

// The step schedule divides lr by 10 at half and at three quarters.
func TestLRAt(t *testing.T) {
	c := Config{LR: 0.1, Steps: 8}
	var got []float64
	for k := 1; k <= 8; k++ {
		got = append(got, c.LRAt(k))
	}
	if want := []float64{0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001}; !slices.Equal(got, want) {
		t.Errorf("lr per step %v, want %v", got, want)
	}
	c.Constant = true
	if c.LRAt(8) != 0.1 {
		t.Error("constant schedule changed lr")
	}
}

// Evaluation mode treats each image on its own: logits of ten images at
// once equal those of each image alone.
func TestEvalPerImage(t *testing.T) {
	for _, s := range []Spec{{Arch: ResNet, N: 1, Width: 4, Size: 14, BN: true, Shortcut: "B", Reduce: true}, {Arch: Inception, Width: 4, Size: 14, BN: true, Shortcut: "A", Reduce: true}} {
		net, err := NewNet(s)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(3, 4))
		net.Init(rng)
		for _, b := range net.bns {
			for i := range b.RunMean {
				b.RunMean[i], b.RunVar[i] = rng.NormFloat64(), 0.5+rng.Float64()
			}
		}
		x := make([]float64, 10*14*14)
		for i := range x {
			x[i] = rng.Float64()
		}
		all := slices.Clone(net.Forward(x, 10, false))
		for i := 0; i < 10; i++ {
			one := net.Forward(x[i*196:(i+1)*196], 1, false)
			closeTo(t, s.Arch+" image alone", one, all[i*Classes:(i+1)*Classes], 1e-13)
		}
	}
}

// TestFiniteDifferences checks the gradient of every architecture (BN in
// training mode, and without BN) against central differences of the loss,
// on a sample of parameters of every tensor.
func TestFiniteDifferences(t *testing.T) {
	for _, s := range []Spec{
		{Arch: ResNet, N: 1, Width: 2, Size: 14, BN: true, Shortcut: "A", Reduce: true},
		{Arch: ResNet, N: 1, Width: 2, Size: 14, BN: true, Shortcut: "B", Reduce: true},
		{Arch: ResNet, N: 1, Width: 2, Size: 14, BN: true, Shortcut: "A", Reduce: true, Bottleneck: true},
		{Arch: Plain, N: 1, Width: 2, Size: 14, BN: false, Shortcut: "A", Reduce: true},
		{Arch: Inception, Width: 2, Size: 14, BN: true, Shortcut: "A", Reduce: true},
		{Arch: Inception, Width: 1, Size: 14, BN: false, Shortcut: "A", Reduce: false},
	} {
		net, err := NewNet(s)
		if err != nil {
			t.Fatal(err)
		}
		fillLCG(net, 77)
		x, y := lcgBatch(77, 0, 3, 14)
		net.LossGrad(x, y)
		g := slices.Clone(net.G)
		rng := rand.New(rand.NewPCG(5, 6))
		for _, p := range net.Params {
			for range 3 {
				i := p.Off + rng.IntN(p.Len)
				w := net.W[i]
				h := 1e-5 * max(1, math.Abs(w))
				net.W[i] = w + h
				lp := net.LossGrad(x, y)
				net.W[i] = w - h
				lm := net.LossGrad(x, y)
				net.W[i] = w
				fd := (lp - lm) / (2 * h)
				if math.Abs(fd-g[i]) > 1e-6*max(1, math.Abs(fd)) {
					t.Errorf("%s %s[%d]: gradient %v, central difference %v", s.Arch, p.Name, i-p.Off, g[i], fd)
				}
			}
		}
	}
}

// TestRunBytes: the memory model bounds what a run holds: the heap in use
// after training a net and evaluating it, while the net is still alive.
func TestRunBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two nets")
	}
	for _, c := range []Config{
		{Spec: Spec{Arch: ResNet, N: 2, Width: 16, Size: 28, BN: true, Shortcut: "B", Reduce: true}, Batch: 64, Steps: 2, LR: 0.01, Train: 64, Test: 32},
		{Spec: Spec{Arch: Inception, Width: 16, Size: 28, BN: true, Shortcut: "A", Reduce: false}, Batch: 16, Steps: 2, LR: 0.01, Train: 64, Test: 32},
	} {
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		net, _, err := Train(t.Context(), c, nil)
		if err != nil {
			t.Fatal(err)
		}
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		held := float64(after.HeapAlloc) - float64(before.HeapAlloc)
		model := c.RunBytes(net.Work(), len(net.W))
		t.Logf("%s width %d: %.1f MB held, the model %.1f MB", c.Arch, c.Width, held/1e6, model/1e6)
		if held > model {
			t.Errorf("%s: %.1f MB held, more than the model's %.1f MB", c.Arch, held/1e6, model/1e6)
		}
		runtime.KeepAlive(net)
	}
}

// TestDefaultsLearn: `nnlab run cnn` at its defaults reaches 80 % test
// accuracy on the held-out images, within its cost model's 5 s.
func TestDefaultsLearn(t *testing.T) {
	if testing.Short() || raceOn {
		t.Skip("trains the default net (a few seconds)")
	}
	e := experimenttest.Named(t, Experiments(), "cnn")
	r := experimenttest.Run(t, e, nil, nil)
	acc := experimenttest.Scalar(t, r, "test_accuracy")
	t.Logf("test accuracy %.3f, training accuracy %.3f", acc, experimenttest.Scalar(t, r, "train_accuracy"))
	if acc < 0.8 {
		t.Errorf("test accuracy %.3f at the defaults, want ≥ 0.8", acc)
	}
}

// TestDepthExperiment runs two depths for two steps: four runs, plain and
// residual at each, the same initial weights, and the error chart's
// points those of the runs.
func TestDepthExperiment(t *testing.T) {
	e := experimenttest.Named(t, Experiments(), "cnn_depth")
	r := experimenttest.Run(t, e, map[string]string{"ns": "1,2", "width": "4", "steps": "2", "batch": "8", "train": "64", "test": "20"}, nil)
	for _, k := range []string{"plain8.train_error", "resnet8.train_error", "plain14.train_error", "resnet14.test_error", "plain_trails_at", "gap"} {
		experimenttest.Scalar(t, r, k)
	}
	b := r.Bars[0]
	if b.Key != "error" || !slices.Equal(b.Labels, []string{"8 layers", "14 layers"}) {
		t.Errorf("error bars %+v", b)
	}
	if got, want := b.Groups[0].Values[1], experimenttest.Scalar(t, r, "plain14.train_error"); got != want {
		t.Errorf("bars %v, scalar %v", got, want)
	}
	// Plain and residual nets of a depth start from the same weights.
	for _, n := range []int{1, 3} {
		p, _ := NewNet(Spec{Arch: Plain, N: n, Width: 8, Size: 14, BN: true, Shortcut: "A", Reduce: true})
		q, _ := NewNet(Spec{Arch: ResNet, N: n, Width: 8, Size: 14, BN: true, Shortcut: "A", Reduce: true})
		p.Init(rand.New(rand.NewPCG(1, 0x494e4954)))
		q.Init(rand.New(rand.NewPCG(1, 0x494e4954)))
		if !slices.Equal(p.W, q.W) {
			t.Errorf("n=%d: plain and residual initial weights differ", n)
		}
	}
}

// trailsAt finds the first depth at which the plain net trails by the margin.
func TestTrailsAt(t *testing.T) {
	for _, tc := range []struct {
		plain, res []float64
		want       float64
	}{
		{[]float64{0.2, 0.25, 0.3}, []float64{0.2, 0.2, 0.19}, 20},
		{[]float64{0.2, 0.21, 0.21}, []float64{0.2, 0.2, 0.2}, 0},
		{[]float64{0.25, 0.2, 0.3}, []float64{0.2, 0.2, 0.2}, 8},
	} {
		if got := trailsAt([]float64{8, 20, 32}, tc.plain, tc.res); got != tc.want {
			t.Errorf("%v vs %v: %v, want %v", tc.plain, tc.res, got, tc.want)
		}
	}
}
