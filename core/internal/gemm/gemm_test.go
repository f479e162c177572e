package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nnlab/nnlab/core/internal/cputime"
)

// naiveGemm is the triple loop Op must agree with (from C's values when
// g.Acc).
func naiveGemm(g *Op) []float64 {
	c := append([]float64(nil), g.C...)
	if g.ColSum != nil {
		for j := 0; j < g.N; j++ {
			var s float64
			for p := 0; p < g.K; p++ {
				s += g.B[p*g.Ldb+j]
			}
			g.ColSum[j] = s
		}
	}
	for i := 0; i < g.M; i++ {
		for j := 0; j < g.N; j++ {
			var s float64
			if g.Acc {
				s = g.C[i*g.Ldc+j]
			}
			for p := 0; p < g.K; p++ {
				s += g.A[i*g.RsA+p*g.CsA] * g.B[p*g.Ldb+j]
			}
			if g.Bias != nil {
				s += g.Bias[j]
			}
			if g.R != nil {
				s += g.R[i*g.Ldc+j]
			}
			if g.Mask != nil && !(g.Mask[i*g.Ldc+j] > 0) {
				s = 0
			}
			if g.ReLU && s < 0 {
				s = 0
			}
			c[i*g.Ldc+j] = s
		}
	}
	return c
}

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

// randGemm draws a fused product with the given shape: A plain or
// transposed, row strides padded at random, each epilogue part on or off.
func randGemm(rng *rand.Rand, m, n, k int) *Op {
	g := &Op{M: m, N: n, K: k}
	pad := func() int { return []int{0, 0, 1, 3, 8}[rng.IntN(5)] }
	if rng.IntN(2) == 0 { // A stored m×k
		lda := k + pad()
		g.RsA, g.CsA = lda, 1
		g.A = randSlice(rng, max(1, m*lda))
	} else { // A stored k×m, used transposed
		lda := m + pad()
		g.RsA, g.CsA = 1, lda
		g.A = randSlice(rng, max(1, k*lda))
	}
	g.Ldb = n + pad()
	g.B = randSlice(rng, max(1, k*g.Ldb))
	g.Ldc = n + pad()
	g.C = randSlice(rng, m*g.Ldc) // garbage that must be overwritten (or kept in the padding)
	if rng.IntN(2) == 0 {
		g.Bias = randSlice(rng, n)
	}
	if rng.IntN(2) == 0 {
		g.R = randSlice(rng, m*g.Ldc)
	}
	if rng.IntN(2) == 0 {
		g.Mask = randSlice(rng, m*g.Ldc)
		g.Mask[rng.IntN(len(g.Mask))] = 0
	}
	g.ReLU = rng.IntN(2) == 0
	if rng.IntN(2) == 0 {
		g.ColSum = randSlice(rng, n)
	}
	g.FMA = rng.IntN(2) == 0
	return g
}

func sameWithin(got, want []float64, tol float64) (int, bool) {
	for i := range want {
		g, w := got[i], want[i]
		if math.IsNaN(w) != math.IsNaN(g) {
			return i, false
		}
		if !math.IsNaN(w) && math.Abs(g-w) > tol*(1+math.Abs(w)) {
			return i, false
		}
	}
	return 0, true
}

// paths are the kernels Run can take: pure Go, AVX (blocks of 8 columns)
// and AVX-512 (blocks of 16, then 8), those this CPU has.
func paths() []string {
	p := []string{"go"}
	if HasAsm {
		p = append(p, "avx")
	}
	if HasAsm512 {
		p = append(p, "avx512")
	}
	return p
}

// usePath selects a path and returns a function that restores the default.
func usePath(p string) func() {
	u, u512 := UseAsm, UseAsm512
	UseAsm, UseAsm512 = p != "go", p == "avx512"
	return func() { UseAsm, UseAsm512 = u, u512 }
}

// TestGemmProperty checks the fused product, assembly and pure-Go paths,
// against the triple loop over random shapes (including 1 and odd sizes),
// strides, transposes and epilogues.
func TestGemmProperty(t *testing.T) {
	defer usePath("go")()
	rng := rand.New(rand.NewPCG(13, 1))
	sizes := []int{1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 64, 67, 128}
	var goC, goSum []float64
	for trial := 0; trial < 600; trial++ {
		m, n, k := sizes[rng.IntN(len(sizes))], sizes[rng.IntN(len(sizes))], sizes[rng.IntN(len(sizes))]
		if trial < 20 {
			k = trial % 3 // inner sizes 0, 1, 2
		}
		g := randGemm(rng, m, n, k)
		c0 := append([]float64(nil), g.C...)
		want := naiveGemm(g)
		var wantSum []float64
		if g.ColSum != nil {
			wantSum = append(wantSum, g.ColSum...)
		}
		for _, path := range paths() {
			usePath(path)
			asm := path
			copy(g.C, c0)
			for j := range g.ColSum {
				g.ColSum[j] = math.NaN()
			}
			g.Run()
			if i, ok := sameWithin(g.ColSum, wantSum, 1e-12); !ok {
				t.Fatalf("%s m=%d n=%d k=%d: colsum[%d] = %v, want %v", asm, m, n, k, i, g.ColSum[i], wantSum[i])
			}
			if i, ok := sameWithin(g.C, want, 1e-12); !ok {
				t.Fatalf("%s m=%d n=%d k=%d rsA=%d csA=%d ldb=%d ldc=%d bias=%v r=%v mask=%v relu=%v: c[%d] = %v, want %v",
					asm, m, n, k, g.RsA, g.CsA, g.Ldb, g.Ldc, g.Bias != nil, g.R != nil, g.Mask != nil, g.ReLU, i, g.C[i], want[i])
			}
			// The two paths round alike: the assembly agrees with pure Go
			// bit for bit.
			if asm == "go" {
				goC, goSum = append(goC[:0], g.C...), append(goSum[:0], g.ColSum...)
			} else if i, ok := sameWithin(g.C, goC, 0); !ok {
				t.Fatalf("%s m=%d n=%d k=%d: c[%d] = %v, pure Go %v", asm, m, n, k, i, g.C[i], goC[i])
			} else if i, ok := sameWithin(g.ColSum, goSum, 0); !ok {
				t.Fatalf("%s m=%d n=%d k=%d: colsum[%d] = %v, pure Go %v", asm, m, n, k, i, g.ColSum[i], goSum[i])
			}
		}
	}
}

// TestGemmBlocked checks that a long inner dimension, which Run takes in
// steps of KBlock accumulating into C, and many rows, which it takes in
// blocks of MBlock, give what one product gives, bit for bit, on every
// path (and Acc itself: C += A·B from C's values).
func TestGemmBlocked(t *testing.T) {
	defer usePath("go")()
	rng := rand.New(rand.NewPCG(13, 3))
	for trial := 0; trial < 80; trial++ {
		m, n := []int{1, 3, 4, 9, 16, 33, 2*MBlock + 1, 3*MBlock + 6}[rng.IntN(8)], []int{1, 7, 8, 16, 24, 35}[rng.IntN(6)]
		k := []int{2*KBlock + 1, 2*KBlock + KBlock/2, 3 * KBlock, 1024, 1100, 1, 9, 64}[rng.IntN(8)]
		g := randGemm(rng, m, n, k)
		acc := trial%3 == 0
		if acc {
			g.Acc, g.Bias = true, nil
		}
		c0 := append([]float64(nil), g.C...)
		s0 := append([]float64(nil), g.ColSum...)
		var want, wantSum []float64
		for _, path := range paths() {
			usePath(path)
			copy(g.C, c0)
			copy(g.ColSum, s0)
			if want == nil {
				// One step over all of p: the reference.
				g.run()
				want, wantSum = append([]float64(nil), g.C...), append([]float64(nil), g.ColSum...)
				copy(g.C, c0)
				copy(g.ColSum, s0)
			}
			g.Run()
			if i, ok := sameWithin(g.C, want, 0); !ok {
				t.Fatalf("%s m=%d n=%d k=%d acc=%v fma=%v: c[%d] = %v in steps, %v in one", path, m, n, k, acc, g.FMA, i, g.C[i], want[i])
			}
			if i, ok := sameWithin(g.ColSum, wantSum, 0); !ok {
				t.Fatalf("%s m=%d n=%d k=%d acc=%v: colsum[%d] = %v in steps, %v in one", path, m, n, k, acc, i, g.ColSum[i], wantSum[i])
			}
		}
		if acc {
			// C += A·B against the triple loop from C's values.
			copy(g.C, c0)
			copy(g.ColSum, s0)
			if i, ok := sameWithin(want, naiveGemm(g), 1e-12); !ok {
				t.Fatalf("acc m=%d n=%d k=%d: c[%d] = %v, want %v", m, n, k, i, want[i], naiveGemm(g)[i])
			}
		}
	}
}

// TestGemmNaN checks that NaN and infinities propagate through the product
// and its ReLU as in the scalar code, and that a NaN mask zeroes.
func TestGemmNaN(t *testing.T) {
	defer usePath("go")()
	rng := rand.New(rand.NewPCG(13, 2))
	for _, asm := range paths() {
		usePath(asm)
		for trial := 0; trial < 50; trial++ {
			g := randGemm(rng, 8, 32, 5)
			g.A[rng.IntN(len(g.A))] = math.NaN()
			g.B[rng.IntN(len(g.B))] = math.Inf(1)
			if g.Mask != nil {
				g.Mask[rng.IntN(len(g.Mask))] = math.NaN()
			}
			want := naiveGemm(g)
			g.Run()
			if i, ok := sameWithin(g.C, want, 1e-12); !ok {
				t.Fatalf("%s: c[%d] = %v, want %v", asm, i, g.C[i], want[i])
			}
		}
	}
}

// TestGemmShort checks that an operand too short for its shape panics
// instead of being read past its end.
func TestGemmShort(t *testing.T) {
	g := randGemm(rand.New(rand.NewPCG(1, 1)), 8, 8, 8)
	g.B = g.B[:len(g.B)-g.Ldb]
	defer func() {
		if recover() == nil {
			t.Error("no panic for a short B")
		}
	}()
	g.Run()
}

// BenchmarkGemm times the fused product at the nets' shapes (rows = batch
// 32…1024, widths 16…128): forward (x·Wᵀ + b, ReLU), weight gradient
// (xᵀ·dz) and input gradient (dz·W, masked), on each path (pure Go, AVX,
// AVX-512).
func BenchmarkGemm(b *testing.B) {
	defer usePath("go")()
	for _, sh := range []struct{ rows, width int }{{128, 32}, {32, 16}, {128, 16}, {128, 64}, {128, 128}, {32, 32}, {256, 32}, {1024, 32}, {1024, 128}} {
		r, w := sh.rows, sh.width
		x, wt, dz := make([]float64, r*w), make([]float64, w*w), make([]float64, r*w)
		for i := range x {
			x[i], dz[i] = float64(i%7)-3, float64(i%5)-2
		}
		for i := range wt {
			wt[i] = float64(i%3) - 1
		}
		out, bias := make([]float64, r*w), make([]float64, w)
		ops := []struct {
			name string
			g    Op
		}{
			{"fwd", Op{M: r, N: w, K: w, A: x, RsA: w, CsA: 1, B: wt, Ldb: w, C: out, Ldc: w, Bias: bias, ReLU: true}},
			{"dW", Op{M: w, N: w, K: r, A: x, RsA: 1, CsA: w, B: dz, Ldb: w, C: make([]float64, w*w), Ldc: w, ColSum: make([]float64, w)}},
			{"dx", Op{M: r, N: w, K: w, A: dz, RsA: w, CsA: 1, B: wt, Ldb: w, C: out, Ldc: w, R: dz, Mask: x}},
			{"fwd-fma", Op{M: r, N: w, K: w, A: x, RsA: w, CsA: 1, B: wt, Ldb: w, C: out, Ldc: w, Bias: bias, ReLU: true, FMA: true}},
			{"dW-fma", Op{M: w, N: w, K: r, A: x, RsA: 1, CsA: w, B: dz, Ldb: w, C: make([]float64, w*w), Ldc: w, ColSum: make([]float64, w), FMA: true}},
			{"dx-fma", Op{M: r, N: w, K: w, A: dz, RsA: w, CsA: 1, B: wt, Ldb: w, C: out, Ldc: w, R: dz, Mask: x, FMA: true}},
		}
		for _, path := range paths() {
			for _, op := range ops {
				b.Run(fmt.Sprintf("%s-b%d-w%d-%s", op.name, r, w, path), func(b *testing.B) {
					usePath(path)
					g := op.g
					c0 := cputime.Process()
					for b.Loop() {
						g.Run()
					}
					flop := 2 * float64(g.M*g.N*g.K) * float64(b.N)
					b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "GFLOP/s")
					if cpu := (cputime.Process() - c0).Seconds(); c0 > 0 && cpu > 0 {
						b.ReportMetric(flop/cpu/1e9, "cpu-GFLOP/s")
					}
				})
			}
		}
	}
}

// TestTranspose checks the blocked transpose against its definition at
// sizes around the block of 4.
func TestTranspose(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 3))
	for _, r := range []int{1, 2, 3, 4, 5, 8, 9, 16, 33} {
		for _, c := range []int{1, 2, 3, 4, 7, 8, 12, 32} {
			src, dst := randSlice(rng, r*c), make([]float64, r*c)
			Transpose(r, c, src, dst)
			for i := 0; i < r; i++ {
				for j := 0; j < c; j++ {
					if dst[j*r+i] != src[i*c+j] {
						t.Fatalf("%d×%d: dst[%d][%d] = %v, want %v", r, c, j, i, dst[j*r+i], src[i*c+j])
					}
				}
			}
		}
	}
}
