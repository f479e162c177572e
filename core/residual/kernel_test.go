package residual

import (
	"math/rand/v2"
	"testing"
)

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

// TestSGDAsm checks the assembly SGD step against the Go loop, bit for bit.
func TestSGDAsm(t *testing.T) {
	if !hasAsm {
		t.Skip("no assembly kernel")
	}
	defer func(u bool) { useAsm = u }(useAsm)
	rng := rand.New(rand.NewPCG(13, 4))
	for _, n := range []int{1, 3, 4, 5, 8, 13, 64, 101} {
		p, g := randSlice(rng, n), randSlice(rng, n)
		var got, want []float64
		for _, asm := range []bool{false, true} {
			useAsm = asm
			o, _ := newOptimizer(SGD, 0.05, n)
			q := append([]float64(nil), p...)
			dst := make([]float64, n)
			for range 3 {
				o.stepTo(dst, q, g)
				q, dst = dst, q
			}
			if asm {
				got = q
			} else {
				want = q
			}
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("n=%d: p[%d] = %v, want %v", n, i, got[i], want[i])
			}
		}
	}
}
