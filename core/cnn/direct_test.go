package cnn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// naiveConv computes Conv2d's output and gradients by their definitions
// (loops over every index), the reference for shapes larger than the torch
// fixture's: those that take the cache-blocked paths (many output rows,
// unfolded inputs of more than blockK rows, the 'same'-padding shift).
func naiveConv(c *Conv2d, x, dy *Tensor) (y, dx *Tensor, dw, db []float64) {
	oh, ow, _ := c.OutSize(x.H, x.W)
	cg, og := c.InC/c.Groups, c.OutC/c.Groups
	y, _ = NewTensor(x.N, c.OutC, oh, ow)
	dx, _ = NewTensor(x.N, x.C, x.H, x.W)
	dw = make([]float64, len(c.Weight))
	db = make([]float64, c.OutC)
	for n := 0; n < x.N; n++ {
		for o := 0; o < c.OutC; o++ {
			g := o / og
			for i := 0; i < oh; i++ {
				for j := 0; j < ow; j++ {
					var s float64
					if c.Bias != nil {
						s = c.Bias[o]
					}
					gy := 0.0
					if dy != nil {
						gy = dy.At(n, o, i, j)
						db[o] += gy
					}
					for ci := 0; ci < cg; ci++ {
						for p := 0; p < c.KH; p++ {
							for q := 0; q < c.KW; q++ {
								yy, xx := i*c.Stride-c.Pad+p*c.Dilation, j*c.Stride-c.Pad+q*c.Dilation
								if yy < 0 || yy >= x.H || xx < 0 || xx >= x.W {
									continue
								}
								wi := ((o*cg+ci)*c.KH+p)*c.KW + q
								s += c.Weight[wi] * x.At(n, g*cg+ci, yy, xx)
								if dy != nil {
									dw[wi] += gy * x.At(n, g*cg+ci, yy, xx)
									dx.Data[((n*x.C+g*cg+ci)*x.H+yy)*x.W+xx] += gy * c.Weight[wi]
								}
							}
						}
					}
					y.Set(n, o, i, j, s)
				}
			}
		}
	}
	return y, dx, dw, db
}

// TestConvBlockedPaths checks the forward and backward passes against
// naiveConv on shapes that take every path: the plain and the transposed
// forward product, several row and inner blocks, 1×1 in place, strides,
// dilation and groups, widths that are not multiples of the kernel's 8 or
// 16 columns.
func TestConvBlockedPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 7))
	for _, s := range []struct{ n, cin, cout, k, stride, pad, dil, groups, h, w int }{
		{2, 40, 16, 3, 1, 1, 1, 1, 20, 19}, // kdim 360: two inner blocks; 'same' shift; rows in blocks
		{1, 32, 24, 3, 1, 1, 1, 1, 28, 28}, // kdim 288, og 24 (16 + 8 columns)
		{2, 16, 16, 3, 1, 1, 1, 1, 14, 14}, // the ResNet-20 shape: p < 512, kdim 144
		{1, 12, 18, 5, 2, 2, 1, 1, 17, 23}, // strided, transposed (kdim 300)
		{1, 24, 16, 3, 1, 2, 2, 2, 15, 16}, // dilated, grouped (og 8, kdim 108)
		{2, 64, 32, 1, 1, 0, 1, 1, 9, 11},  // 1×1 in place, kdim 64
		{1, 8, 8, 3, 1, 1, 1, 1, 40, 3},    // narrow and tall
		{1, 300, 9, 1, 1, 0, 1, 1, 5, 5},   // 1×1 with a long inner dimension
	} {
		t.Run(fmt.Sprintf("%+v", s), func(t *testing.T) {
			c, err := NewConv2d(s.cin, s.cout, s.k, s.k, s.stride, s.pad, s.dil, s.groups, true)
			if err != nil {
				t.Fatal(err)
			}
			for i := range c.Weight {
				c.Weight[i] = rng.NormFloat64()
			}
			for i := range c.Bias {
				c.Bias[i] = rng.NormFloat64()
			}
			x := randTensor(rng, s.n, s.cin, s.h, s.w)
			y, err := c.Forward(x)
			if err != nil {
				t.Fatal(err)
			}
			dy := randTensor(rng, y.N, y.C, y.H, y.W)
			dx, err := c.Backward(x, dy)
			if err != nil {
				t.Fatal(err)
			}
			wy, wdx, wdw, wdb := naiveConv(c, x, dy)
			for _, p := range []struct {
				name      string
				got, want []float64
			}{{"y", y.Data, wy.Data}, {"dx", dx.Data, wdx.Data}, {"dw", c.DWeight, wdw}, {"db", c.DBias, wdb}} {
				if err := closeTo(p.got, p.want, 1e-12); err != nil {
					t.Errorf("%s%v", p.name, err)
				}
			}
		})
	}
}
