package residual

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestGradientFiniteDifference checks every parameter's gradient from
// backprop against the central difference (L(θ+h) − L(θ−h)) / 2h of the loss,
// for plain and residual nets under each init, with and without batch
// normalization (γ and β drawn away from 1 and 0 so that every BN
// parameter's gradient is exercised).
func TestGradientFiniteDifference(t *testing.T) {
	const (
		h      = 1e-6
		maxRel = 1e-6
	)
	for _, tc := range []struct {
		depth, width, batch int
		init                Init
		seed                uint64
		bn                  bool
	}{
		{1, 3, 5, Torch, 1, false},
		{2, 4, 7, Torch, 2, false},
		{3, 5, 6, He, 3, false},
		{2, 3, 4, Xavier, 4, false},
		{1, 3, 5, Torch, 5, true},
		{2, 4, 7, Torch, 6, true},
		{3, 5, 6, He, 7, true},
		{2, 3, 2, Xavier, 8, true},
	} {
		for _, res := range []bool{false, true} {
			name := fmt.Sprintf("depth=%d,width=%d,batch=%d,init=%s,residual=%v,bn=%v", tc.depth, tc.width, tc.batch, tc.init, res, tc.bn)
			t.Run(name, func(t *testing.T) {
				x, y, err := Spirals(tc.batch, 0.75, 0.1, tc.seed)
				if err != nil {
					t.Fatal(err)
				}
				newNet := NewNet
				if tc.bn {
					newNet = NewBNNet
				}
				n, err := newNet(tc.depth, tc.width, tc.batch, res)
				if err != nil {
					t.Fatal(err)
				}
				if err := n.Initialize(tc.init, rand.New(rand.NewPCG(tc.seed, 7))); err != nil {
					t.Fatal(err)
				}
				// Non-zero biases so their gradients are exercised for every init.
				rng := rand.New(rand.NewPCG(tc.seed, 8))
				for l := range n.layers {
					for i := range n.layers[l].b {
						n.layers[l].b[i] = 0.1 * rng.NormFloat64()
					}
					for i := range n.layers[l].gamma {
						n.layers[l].gamma[i] = 0.5 + rng.Float64()
						n.layers[l].beta[i] = 0.3 * rng.NormFloat64()
					}
				}
				n.LossGrad(x, y, tc.batch)
				grad := append([]float64(nil), n.Grads()...)
				p := n.Params()
				worst := 0.0
				for i := range p {
					orig := p[i]
					p[i] = orig + h
					n.Sync()
					lp := n.Loss(x, y, tc.batch)
					p[i] = orig - h
					n.Sync()
					lm := n.Loss(x, y, tc.batch)
					p[i] = orig
					n.Sync()
					fd := (lp - lm) / (2 * h)
					// Relative error, with an absolute floor for gradients
					// that are zero (dead ReLUs) or tiny.
					rel := math.Abs(fd-grad[i]) / math.Max(math.Max(math.Abs(fd), math.Abs(grad[i])), 1e-3)
					worst = math.Max(worst, rel)
					if rel > maxRel {
						t.Errorf("param %d: backprop %.12g, central difference %.12g (rel err %.2g)", i, grad[i], fd, rel)
					}
				}
				t.Logf("%d params, worst relative error %.2g", len(p), worst)
			})
		}
	}
}
