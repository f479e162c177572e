package residual

import (
	"math"
	"math/rand/v2"
	"testing"
)

// With torch's default init (weights and biases U(±1/√fan_in), no BN), what
// shrinks layer by layer in a deep plain net is the gradient flowing back,
// not the forward signal (06-residual says so): each ReLU layer passes on
// about a sixth of the gradient's variance (fan·1/(3·fan)·½), while the
// biases keep the forward signal at a steady size — its mean square
// settles about where E = E/6 + 1/(6·fan_in), at 1/(5·fan_in).
func TestTorchInitShrinksTheGradientNotTheSignal(t *testing.T) {
	const depth, width, rows = 20, 16, 256
	x, y, err := Spirals(rows, 0.75, 0.05, 1)
	if err != nil {
		t.Fatal(err)
	}
	n, err := NewNet(depth, width, rows, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Initialize(Torch, rand.New(rand.NewPCG(1, 2))); err != nil {
		t.Fatal(err)
	}
	n.Forward(x, rows)
	ms := func(a []float64) float64 {
		s := 0.0
		for _, v := range a {
			s += v * v
		}
		return s / float64(len(a))
	}
	L := len(n.layers)
	steady := 1.0 / (5 * width)
	// At width 16 the mean square wanders around its fixed point from layer
	// to layer, but it keeps no trend: within 4× of it everywhere past the
	// first layers, and the later layers' average within 2× of the
	// earlier ones'.
	early, late := 0.0, 0.0
	for l := 10; l < L; l++ { // the input of layer l, past the first few layers
		m := ms(n.acts[l][:rows*width])
		if m < steady/4 || m > 4*steady {
			t.Errorf("forward signal into layer %d: mean square %.4g, want about %.4g (steady, not shrinking)", l+1, m, steady)
		}
		if l < 10+(L-10)/2 {
			early += m
		} else {
			late += m
		}
	}
	if r := late / early; r < 0.5 || r > 2 {
		t.Errorf("forward signal: later layers' mean square %.3g× the earlier ones'; want no trend", r)
	}
	n.Evaluate(x, y) // forward and backward on the whole set: the gradients at init
	g := n.GradNorms()
	// Four layers (two blocks) back, the gradient has lost about (1/6)² of
	// its variance: its norm a factor of about 1/6 (the activations are
	// steady, so the weight gradient follows the backward gradient).
	for l := 2; l+4 < len(g)-1; l++ {
		if r := g[l] / g[l+4]; r < 1.0/20 || r > 1.0/2 {
			t.Errorf("‖∂L/∂W‖ of layer %d over layer %d = %.3g, want about 1/6", l+1, l+5, r)
		}
	}
	if r := g[1] / g[len(g)-2]; r > math.Pow(0.5, float64(depth)) {
		t.Errorf("first over last hidden-layer gradient %.3g: not shrinking exponentially", r)
	}
}
