package cnn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// fdCheck compares each analytic derivative grad[i] of loss with respect
// to the value p[i] with the central difference (loss(p+h) − loss(p−h))/2h,
// h = 1e-6, at every index (or at 40 drawn ones when there are more): the
// loss is a sum of products, so the difference is exact up to rounding
// (~1e-10 absolute) and curvature (~h²).
func fdCheck(t *testing.T, name string, p, grad []float64, loss func() float64, rng *rand.Rand) {
	t.Helper()
	const h = 1e-6
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	if len(idx) > 40 {
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		idx = idx[:40]
	}
	for _, i := range idx {
		v := p[i]
		p[i] = v + h
		lp := loss()
		p[i] = v - h
		lm := loss()
		p[i] = v
		fd := (lp - lm) / (2 * h)
		if math.Abs(fd-grad[i]) > 1e-6*(1+math.Abs(grad[i])) {
			t.Errorf("%s[%d]: analytic %.10g, finite difference %.10g", name, i, grad[i], fd)
		}
	}
}

// dot is Σ a·b, the loss whose gradient with respect to the layer's
// output is b.
func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func randTensor(rng *rand.Rand, n, c, h, w int) *Tensor {
	x, _ := NewTensor(n, c, h, w)
	for i := range x.Data {
		x.Data[i] = rng.NormFloat64()
	}
	return x
}

// TestConvFiniteDifference checks Conv2d's gradients (input, weight, bias)
// by central differences over drawn shapes with groups, dilation, padding
// and strides larger than the kernel.
func TestConvFiniteDifference(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 1))
	for trial := 0; trial < 24; trial++ {
		g := []int{1, 1, 2, 3}[rng.IntN(4)]
		cin, cout := g*(1+rng.IntN(3)), g*(1+rng.IntN(3))
		k := 1 + rng.IntN(4)
		s, pad, d := 1+rng.IntN(4), rng.IntN(3), 1+rng.IntN(3)
		n, h, w := 1+rng.IntN(2), 1+rng.IntN(10), 1+rng.IntN(10)
		cv, err := NewConv2d(cin, cout, k, k, s, pad, d, g, rng.IntN(2) == 0)
		if err != nil {
			t.Fatal(err)
		}
		oh, ow, err := cv.OutSize(h, w)
		if err != nil {
			continue
		}
		t.Run(fmt.Sprintf("%d:c%d→%d-g%d-k%d-s%d-p%d-d%d-%dx%d", trial, cin, cout, g, k, s, pad, d, h, w), func(t *testing.T) {
			for i := range cv.Weight {
				cv.Weight[i] = rng.NormFloat64()
			}
			for i := range cv.Bias {
				cv.Bias[i] = rng.NormFloat64()
			}
			x, dy := randTensor(rng, n, cin, h, w), randTensor(rng, n, cout, oh, ow)
			loss := func() float64 {
				y, err := cv.Forward(x)
				if err != nil {
					t.Fatal(err)
				}
				return dot(y.Data, dy.Data)
			}
			dx, err := cv.Backward(x, dy)
			if err != nil {
				t.Fatal(err)
			}
			dw, db := append([]float64(nil), cv.DWeight...), append([]float64(nil), cv.DBias...)
			fdCheck(t, "dx", x.Data, dx.Data, loss, rng)
			fdCheck(t, "dw", cv.Weight, dw, loss, rng)
			fdCheck(t, "db", cv.Bias, db, loss, rng)
		})
	}
}

// TestPoolFiniteDifference checks max and average pooling's input gradient.
func TestPoolFiniteDifference(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 2))
	for trial := 0; trial < 16; trial++ {
		k := 1 + rng.IntN(4)
		pl := MaxPool2d(k, 1+rng.IntN(3), rng.IntN(k/2+1), rng.IntN(2) == 0)
		if trial%2 == 1 {
			pl = AvgPool2d(k, 1+rng.IntN(3), rng.IntN(k/2+1), rng.IntN(2) == 0, rng.IntN(2) == 0)
		}
		x := randTensor(rng, 2, 2, 1+rng.IntN(9), 1+rng.IntN(9))
		y, err := pl.Forward(x)
		if err != nil {
			continue
		}
		dy := randTensor(rng, y.N, y.C, y.H, y.W)
		dx, err := pl.Backward(dy)
		if err != nil {
			t.Fatal(err)
		}
		fdCheck(t, fmt.Sprintf("%d:%+v dx", trial, *pl), x.Data, dx.Data, func() float64 {
			y, err := pl.Forward(x)
			if err != nil {
				t.Fatal(err)
			}
			return dot(y.Data, dy.Data)
		}, rng)
	}
}

// TestBatchNormFiniteDifference checks BatchNorm2d's gradients (input, γ,
// β) in training and in evaluation. In training the loss is recomputed
// from a fresh copy each time (the running statistics do not enter it).
func TestBatchNormFiniteDifference(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 3))
	for _, training := range []bool{true, false} {
		bn := NewBatchNorm2d(3)
		bn.Training = training
		for i := range bn.Weight {
			bn.Weight[i], bn.Bias[i] = rng.NormFloat64(), rng.NormFloat64()
			bn.RunningMean[i], bn.RunningVar[i] = rng.NormFloat64(), 0.5+rng.Float64()
		}
		x, dy := randTensor(rng, 2, 3, 3, 4), randTensor(rng, 2, 3, 3, 4)
		if _, err := bn.Forward(x); err != nil {
			t.Fatal(err)
		}
		dx, err := bn.Backward(dy)
		if err != nil {
			t.Fatal(err)
		}
		dw, db := append([]float64(nil), bn.DWeight...), append([]float64(nil), bn.DBias...)
		loss := func() float64 {
			y, err := bn.Forward(x)
			if err != nil {
				t.Fatal(err)
			}
			return dot(y.Data, dy.Data)
		}
		name := fmt.Sprintf("train=%v ", training)
		fdCheck(t, name+"dx", x.Data, dx.Data, loss, rng)
		fdCheck(t, name+"dweight", bn.Weight, dw, loss, rng)
		fdCheck(t, name+"dbias", bn.Bias, db, loss, rng)
	}
}

// TestLinearCrossEntropyFiniteDifference checks the linear layer's and the
// cross-entropy's gradients together, and ReLU's and the global average
// pool's on the way in.
func TestLinearCrossEntropyFiniteDifference(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 4))
	fc, err := NewLinear(5, 7, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range fc.Weight {
		fc.Weight[i] = rng.NormFloat64()
	}
	for i := range fc.Bias {
		fc.Bias[i] = rng.NormFloat64()
	}
	x := randTensor(rng, 9, 5, 2, 3)
	labels := []int{0, 6, 3, 3, 1, 2, 5, 4, 6}
	forward := func() (*Tensor, *Tensor, *Tensor, float64, *Tensor) {
		r := ReLU(x)
		p := GlobalAvgPool(r)
		z, err := fc.Forward(p)
		if err != nil {
			t.Fatal(err)
		}
		l, g, err := CrossEntropy(z, labels)
		if err != nil {
			t.Fatal(err)
		}
		return r, p, z, l, g
	}
	r, p, _, _, g := forward()
	dp, err := fc.Backward(p, g)
	if err != nil {
		t.Fatal(err)
	}
	dw, db := append([]float64(nil), fc.DWeight...), append([]float64(nil), fc.DBias...)
	dr, err := GlobalAvgPoolBackward(r, dp)
	if err != nil {
		t.Fatal(err)
	}
	dx, err := ReLUBackward(r, dr)
	if err != nil {
		t.Fatal(err)
	}
	loss := func() float64 { _, _, _, l, _ := forward(); return l }
	fdCheck(t, "dx", x.Data, dx.Data, loss, rng)
	fdCheck(t, "dw", fc.Weight, dw, loss, rng)
	fdCheck(t, "db", fc.Bias, db, loss, rng)
}
