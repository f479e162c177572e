package adaptive

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestExpectedLinearLossMonteCarlo compares the closed form with the mean
// loss of 400,000 fresh samples from the task's own sampler, for both value
// kinds, within 5 standard errors; and checks that it is ½σ² at w*.
func TestExpectedLinearLossMonteCarlo(t *testing.T) {
	const n, d, sigma = 400000, 6, 0.3
	p := Frequencies(d, 0.9, 0.05)
	wStar := []float64{1, -1, 1, 1, -1, 1}
	w := []float64{0.7, -1.4, 0.2, 1.1, 0.5, 1.9}
	for _, values := range []string{Gaussian, Binary} {
		src := &source{task: Linear, values: values, noise: sigma, p: p, wStar: wStar}
		X, y := make([]float64, n*d), make([]float64, n)
		src.fill(rand.New(rand.NewPCG(11, 12)), X, y)
		sum, sum2 := 0.0, 0.0
		for i := range n {
			z := 0.0
			for j := range d {
				z += X[i*d+j] * w[j]
			}
			l := (z - y[i]) * (z - y[i]) / 2
			sum += l
			sum2 += l * l
		}
		mean := sum / n
		se := math.Sqrt((sum2/n - mean*mean) / n)
		got := ExpectedLinearLoss(w, wStar, p, values, sigma)
		t.Logf("%s: closed form %.5f, Monte Carlo %.5f ± %.5f", values, got, mean, se)
		if math.Abs(got-mean) > 5*se {
			t.Errorf("%s: closed form %.6f, Monte Carlo %.6f ± %.6f (5 s.e.)", values, got, mean, se)
		}
		if at := ExpectedLinearLoss(wStar, wStar, p, values, sigma); at != sigma*sigma/2 {
			t.Errorf("%s: expected loss at w* = %g, want ½σ² = %g", values, at, sigma*sigma/2)
		}
	}
}

// TestFloorScalars: noise_floor is ½σ²; true_loss is the held-out loss at w*
// (a 512-sample estimate of it, which a trained model can undercut); every
// optimizer's expected loss is at least ½σ² even where its held-out loss is
// below it (Adam at the defaults: 0.004984 held out); mean_frequent_eff_lr
// is the geometric mean of η_f1 over the recorded steps.
func TestFloorScalars(t *testing.T) {
	c := DefaultConfig()
	r, err := Adaptive().Execute(context.Background(), Adaptive().Params.Defaults(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := experimenttest.Scalar(t, r, "noise_floor"); got != c.Noise*c.Noise/2 {
		t.Errorf("noise_floor = %g", got)
	}
	o, err := Train(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	src := &source{task: Linear, values: c.Values, noise: c.Noise, p: o.Frequency, wStar: o.TrueWeights}
	evalX, evalY := make([]float64, EvalSamples*c.Features), make([]float64, EvalSamples)
	src.fill(rand.New(rand.NewPCG(c.Seed, streamEval)), evalX, evalY)
	if want, got := lossGrad(Linear, evalX, evalY, o.TrueWeights, nil), experimenttest.Scalar(t, r, "true_loss"); !scalar.EqualWithinRel(got, want, 1e-12) {
		t.Errorf("true_loss = %g, want %g", got, want)
	}
	for _, run := range o.Runs {
		e := experimenttest.Scalar(t, r, run.Optimizer+".expected_loss")
		if e < c.Noise*c.Noise/2 {
			t.Errorf("%s.expected_loss = %g below ½σ²", run.Optimizer, e)
		}
		sum, n := 0.0, 0
		for k, eff := range run.EffLR {
			if o.Steps[k] >= run.FirstUpdate[0] {
				sum += math.Log(eff[0])
				n++
			}
		}
		if got := experimenttest.Scalar(t, r, run.Optimizer+".mean_frequent_eff_lr"); !scalar.EqualWithinRel(got, math.Exp(sum/float64(n)), 1e-12) {
			t.Errorf("%s.mean_frequent_eff_lr = %g, want %g", run.Optimizer, got, math.Exp(sum/float64(n)))
		}
	}
	if h := experimenttest.Scalar(t, r, "adam.final_loss"); !(h < 0.005) {
		t.Logf("adam's held-out loss %g is no longer below ½σ²; the lesson's sentence about it needs a look", h)
	}
}

// TestEpsDefaultsFollowTorch: with eps left at 0 every rule uses
// torch.optim's own ε (Adagrad 1e-10, RMSprop and Adam 1e-8), seen in the
// effective learning rate of a feature that never got a gradient: lr/ε
// (Adam: lr/((1 − β1ᵗ)·ε), with 1 − β1ᵗ = 1 to rounding after 1000 steps).
func TestEpsDefaultsFollowTorch(t *testing.T) {
	e := Adaptive()
	v, err := e.Parse(map[string]string{"optimizers": "adagrad,rmsprop,adam", "p_min": "0.0001", "steps": "1000"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Execute(context.Background(), v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if experimenttest.Scalar(t, r, "rare_updates") != 0 {
		t.Skip("the rare feature showed up; pick another p_min")
	}
	for name, eps := range map[string]float64{Adagrad: 1e-10, RMSprop: 1e-8, Adam: 1e-8} {
		want := DefaultLR[name] / eps
		if got := experimenttest.Scalar(t, r, name+".rare_eff_lr"); !scalar.EqualWithinRel(got, want, 1e-9) {
			t.Errorf("%s: η of a feature never seen = %g, want lr/ε = %g (ε = %g)", name, got, want, eps)
		}
	}
}
