package cnn

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
	"github.com/nnlab/nnlab/core/fashion"
)

// seenByPerturbation returns which pixels of a 28×28 input output pixel
// (i, j) of stack depends on, found with forward passes only: the input
// pixels whose change (by 1, every weight 1, inputs 0) changes the output.
func seenByPerturbation(t *testing.T, stack []RFLayer, i, j int) []bool {
	t.Helper()
	var convs []*Conv2d
	for _, l := range stack {
		c, err := NewConv2d(1, 1, l.K, l.K, l.Stride, l.Pad, l.Dilation, 1, false)
		if err != nil {
			t.Fatal(err)
		}
		for k := range c.Weight {
			c.Weight[k] = 1
		}
		convs = append(convs, c)
	}
	out := make([]bool, 28*28)
	for p := range out {
		x, _ := NewTensor(1, 1, 28, 28)
		x.Data[p] = 1
		var err error
		for _, c := range convs {
			if x, err = c.Forward(x); err != nil {
				t.Fatal(err)
			}
		}
		out[p] = x.At(0, 0, i, j) != 0
	}
	return out
}

// TestReceptiveMapAgainstPerturbation: for random stacks and pixels, at
// every depth, the pixels receptive_map marks as seen (a gradient
// through the stack) are those whose change changes the output pixel
// (forward passes only), all inside the span the closed form gives
// (r = 1 + Σ(kᵢ − 1)·dᵢ·Π sⱼ from the stack's padding); where that span
// lies inside the image, its first and last rows and columns are seen.
func TestReceptiveMapAgainstPerturbation(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 1))
	tried := 0
	for tried < 40 {
		n := 1 + rng.IntN(4)
		var stack []RFLayer
		for range n {
			k, d := 1+rng.IntN(5), 1+rng.IntN(3)
			stack = append(stack, RFLayer{K: k, Stride: 1 + rng.IntN(2), Dilation: d, Pad: d * (k - 1) / 2})
		}
		if _, err := rfSizes(stack, 28); err != nil {
			continue
		}
		tried++
		row, col := rng.IntN(28), rng.IntN(28)
		rm, _, seen, err := RunReceptiveMap(0, row, col, stack)
		if err != nil {
			t.Fatal(err)
		}
		for l, d := range rm.Layers {
			name := fmt.Sprintf("stack %v, pixel (%d, %d), layer %d", stack, row, col, l+1)
			want := seenByPerturbation(t, stack[:l+1], d.OutRow, d.OutCol)
			n := 0
			y0, y1, x0, x1 := 28, -1, 28, -1
			for p, ok := range want {
				if ok != seen[l][p] {
					t.Fatalf("%s: pixel (%d, %d) seen %v, by perturbation %v", name, p/28, p%28, seen[l][p], ok)
				}
				if ok {
					n++
					y, x := p/28, p%28
					y0, y1, x0, x1 = min(y0, y), max(y1, y), min(x0, x), max(x1, x)
				}
			}
			if n != d.Seen || n == 0 {
				t.Errorf("%s: %d pixels seen, by perturbation %d", name, d.Seen, n)
			}
			if y0 < d.Y0 || y1 > d.Y1 || x0 < d.X0 || x1 > d.X1 {
				t.Errorf("%s: pixels seen in rows %d–%d cols %d–%d, outside the span rows %d–%d cols %d–%d", name, y0, y1, x0, x1, d.Y0, d.Y1, d.X0, d.X1)
			}
			lo, hi := FieldOf(stack[:l+1], d.OutRow)
			if lo >= 0 && hi < 28 && (y0 != lo || y1 != hi) {
				t.Errorf("%s: span rows %d–%d inside the image, but rows %d–%d seen", name, lo, hi, y0, y1)
			}
			if hi-lo+1 != d.RF {
				t.Errorf("%s: span %d–%d is not rf = %d rows", name, lo, hi, d.RF)
			}
			// The chosen output pixel is the one whose field is centred
			// nearest the input pixel.
			_, jump := fieldAndJump(stack[:l+1])
			if c := float64(lo+hi) / 2; (c-float64(row) > float64(jump)/2 && d.OutRow > 0) || (float64(row)-c > float64(jump)/2 && d.OutRow < d.Out-1) {
				t.Errorf("%s: output row %d is centred on %.1f, more than half a jump (%d) from row %d", name, d.OutRow, c, jump, row)
			}
		}
	}
}

// TestReceptiveMapExperiment: the cell's default stack (three 3×3 layers)
// sees 7×7 around the pixel; a stride of 2 in the first layer makes it
// 11×11 on a half-size map; the image shows the field undimmed with its
// ring, and a kernel that does not fit is refused before running.
func TestReceptiveMapExperiment(t *testing.T) {
	e := experimenttest.Named(t, Experiments(), "receptive_map")
	r := experimenttest.Run(t, e, nil, nil)
	if rf := experimenttest.Scalar(t, r, "rf"); rf != 7 {
		t.Errorf("three 3×3 layers: rf %v, want 7", rf)
	}
	if s := experimenttest.Scalar(t, r, "seen"); s != 49 {
		t.Errorf("three 3×3 layers at the centre see %v pixels, want 49", s)
	}
	m, ok := r.Image("field")
	if !ok || len(m.Channels) != 3 {
		t.Fatalf("no field image with 3 channels: %+v", r.Images)
	}
	rm := r.JSON.(*ReceptiveMap)
	d := rm.Layers[2]
	if d.Y0 != 11 || d.Y1 != 17 || d.X0 != 11 || d.X1 != 17 {
		t.Errorf("field %+v, want rows and columns 11–17", d)
	}
	set, err := fashion.Test()
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < 28; y++ {
		for x := 0; x < 28; x++ {
			v := float64(set.Image(0)[y*28+x]) / 255
			got := m.At(2, y, x)
			in := y >= 11 && y <= 17 && x >= 11 && x <= 17
			ring := !in && y >= 10 && y <= 18 && x >= 10 && x <= 18
			want := dimOutside * v
			if in {
				want = v
			} else if ring {
				want = 1
			}
			if got != want {
				t.Fatalf("pixel (%d, %d): %v, want %v (in %v, ring %v)", y, x, got, want, in, ring)
			}
		}
	}
	r = experimenttest.Run(t, e, map[string]string{"s1": "2"}, nil)
	if rf, oh := experimenttest.Scalar(t, r, "rf"), experimenttest.Scalar(t, r, "out_h"); rf != 11 || oh != 14 {
		t.Errorf("stride 2 first: rf %v on a %v-pixel map, want 11 on 14", rf, oh)
	}
	// 28 → 4 → 1, then a 2×2 kernel (no padding) cannot fit one pixel.
	if v, err := e.Parse(map[string]string{"n": "3", "s1": "8", "s2": "8", "k3": "2"}); err == nil {
		t.Errorf("a 2×2 kernel on a 1×1 map was accepted: %v", v)
	}
}
