package strided

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// Each operation against the plain loop it stands for, bit for bit, over
// lengths around the unrolled blocks and strides 2 to 4; Span against
// trying every column.
func TestAgainstPlainLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vals := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		return v
	}
	for n := 0; n <= 13; n++ {
		for s := 2; s <= 4; s++ {
			src := vals(max(0, (n-1)*s+1) + rng.IntN(3))
			got, want := make([]float64, n), make([]float64, n)
			Gather(got, src, s)
			for j := range want {
				want[j] = src[j*s]
			}
			if !slices.Equal(got, want) {
				t.Fatalf("Gather n=%d s=%d: %v, want %v", n, s, got, want)
			}
			in, dst := vals(n), vals(len(src))
			wantDst := slices.Clone(dst)
			for j, v := range in {
				wantDst[j*s] += v
			}
			ScatterAdd(dst, in, s)
			if !slices.Equal(dst, wantDst) {
				t.Fatalf("ScatterAdd n=%d s=%d: %v, want %v", n, s, dst, wantDst)
			}
		}
		a, b := vals(n+2), vals(n)
		want := slices.Clone(a)
		for i, v := range b {
			want[i] += v
		}
		Add(a, b)
		if !slices.Equal(a, want) {
			t.Fatalf("Add n=%d: %v, want %v", n, a, want)
		}
	}
	for x0 := -5; x0 <= 5; x0++ {
		for s := 1; s <= 4; s++ {
			for w := 1; w <= 7; w++ {
				for n := 0; n <= 6; n++ {
					lo, hi := Span(x0, s, w, n)
					for j := 0; j < n; j++ {
						in := j*s+x0 >= 0 && j*s+x0 < w
						if in != (lo <= j && j < hi) {
							t.Fatalf("Span(%d, %d, %d, %d) = [%d, %d): column %d is inside: %v", x0, s, w, n, lo, hi, j, in)
						}
					}
				}
			}
		}
	}
}
