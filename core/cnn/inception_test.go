package cnn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nnlab/nnlab/core/arch"
	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// TestInceptionModule checks the module on real maps against its
// definition: each branch recomputed with naiveConv (and the pool), the
// concatenation in branch order, and the parameters and MACs that
// core/arch counts for the same module.
func TestInceptionModule(t *testing.T) {
	x, _, err := RealMaps(3)
	if err != nil {
		t.Fatal(err)
	}
	spec := arch.InceptionSpec{In: 4, C1: 3, C3Reduce: 2, C3: 5, C5Reduce: 2, C5: 3, PoolProj: 2, Reduce: true, K5: 5}
	m, err := NewInceptionModule(spec, rand.New(rand.NewPCG(5, 24)))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []convReLU{m.b1, m.b2r, m.b2, m.b3r, m.b3, m.b4} {
		for i := range u.c.Bias {
			u.c.Bias[i] = 0.1 * float64(i+1) // biases too
		}
	}
	y, err := m.Forward(x)
	if err != nil {
		t.Fatal(err)
	}
	if y.C != spec.OutChannels() || y.H != 28 || y.W != 28 {
		t.Fatalf("output %v, want %d×28×28", y.Shape(), spec.OutChannels())
	}
	relu := func(t *Tensor) *Tensor { return ReLU(t) }
	naive := func(u convReLU, x *Tensor) *Tensor { y, _, _, _ := naiveConv(u.c, x, nil); return relu(y) }
	p, err := MaxPool2d(3, 1, 1, true).Forward(x)
	if err != nil {
		t.Fatal(err)
	}
	want := []*Tensor{naive(m.b1, x), naive(m.b2, naive(m.b2r, x)), naive(m.b3, naive(m.b3r, x)), naive(m.b4, p)}
	var all []float64
	for i, w := range want {
		if err := closeTo(m.Branches()[i].Data, w.Data, 1e-12); err != nil {
			t.Errorf("branch %d%v", i+1, err)
		}
		all = append(all, m.Branches()[i].Data...)
	}
	if err := closeTo(y.Data, all, 0); err != nil {
		t.Errorf("concatenation%v", err)
	}
	an, err := arch.Analyze(arch.Inception("inception", spec, arch.Paper), arch.Map(4, 28, 28))
	if err != nil {
		t.Fatal(err)
	}
	if m.Params() != an.Params || m.MACs(28, 28) != an.MACs {
		t.Errorf("params %d, MACs %d; core/arch counts %d and %d", m.Params(), m.MACs(28, 28), an.Params, an.MACs)
	}
}

// TestRealMaps checks the four input maps: the image itself, its Sobel x
// and y maps divided by 4 (within [−1, 1]) and its blur.
func TestRealMaps(t *testing.T) {
	x, label, err := RealMaps(0)
	if err != nil {
		t.Fatal(err)
	}
	if label != 9 || x.C != 4 {
		t.Fatalf("label %d, %d channels", label, x.C)
	}
	for c, name := range RealMapKernels {
		fm, _, _, err := RunFeatureMap(0, name, 1, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		scale := 1.0
		if name == "edge_x" || name == "edge_y" {
			scale = 0.25
		}
		for i := 0; i < 28; i++ {
			for j := 0; j < 28; j++ {
				if got, want := x.At(0, c, i, j), scale*fm.Output[i][j]; got != want || math.Abs(got) > 1 {
					t.Fatalf("%s[%d][%d] = %v, want %v within [−1, 1]", name, i, j, got, want)
				}
			}
		}
	}
}

// TestInceptionMapExperiment runs the experiment: its images (input, four
// branches, concatenation), its counts, its output's size and a measured
// time.
func TestInceptionMapExperiment(t *testing.T) {
	e := experimenttest.Named(t, Experiments(), "inception_map")
	r := experimenttest.Run(t, e, map[string]string{"c1": "3", "c3": "5"}, nil)
	experimenttest.CheckFinite(t, r)
	if n := experimenttest.Scalar(t, r, "out_channels"); n != 3+5+4+4 {
		t.Errorf("out_channels = %v", n)
	}
	if us := experimenttest.Scalar(t, r, "forward_us"); !(us > 0) {
		t.Errorf("forward_us = %v", us)
	}
	for _, key := range []string{"input", "branch1", "branch2", "branch3", "branch4", "concat"} {
		if _, ok := r.Image(key); !ok {
			t.Errorf("no image %q", key)
		}
	}
	c, _ := r.Image("concat")
	if len(c.Channels) != 16 || c.Min < 0 {
		t.Errorf("concat: %d channels, min %v (after ReLUs, want ≥ 0)", len(c.Channels), c.Min)
	}
	if h, w := experimenttest.Scalar(t, r, "out_h"), experimenttest.Scalar(t, r, "out_w"); h != float64(c.H) || w != float64(c.W) {
		t.Errorf("out_h×out_w = %v×%v, the concatenation is %d×%d", h, w, c.H, c.W)
	}
}
