package residual

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// naiveGemm is the triple loop gemmOp must agree with.
func naiveGemm(g *gemmOp) []float64 {
	c := append([]float64(nil), g.c...)
	if g.colsum != nil {
		for j := 0; j < g.n; j++ {
			var s float64
			for p := 0; p < g.k; p++ {
				s += g.b[p*g.ldb+j]
			}
			g.colsum[j] = s
		}
	}
	for i := 0; i < g.m; i++ {
		for j := 0; j < g.n; j++ {
			var s float64
			for p := 0; p < g.k; p++ {
				s += g.a[i*g.rsA+p*g.csA] * g.b[p*g.ldb+j]
			}
			if g.bias != nil {
				s += g.bias[j]
			}
			if g.r != nil {
				s += g.r[i*g.ldc+j]
			}
			if g.mask != nil && !(g.mask[i*g.ldc+j] > 0) {
				s = 0
			}
			if g.relu && s < 0 {
				s = 0
			}
			c[i*g.ldc+j] = s
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
func randGemm(rng *rand.Rand, m, n, k int) *gemmOp {
	g := &gemmOp{m: m, n: n, k: k}
	pad := func() int { return []int{0, 0, 1, 3, 8}[rng.IntN(5)] }
	if rng.IntN(2) == 0 { // A stored m×k
		lda := k + pad()
		g.rsA, g.csA = lda, 1
		g.a = randSlice(rng, max(1, m*lda))
	} else { // A stored k×m, used transposed
		lda := m + pad()
		g.rsA, g.csA = 1, lda
		g.a = randSlice(rng, max(1, k*lda))
	}
	g.ldb = n + pad()
	g.b = randSlice(rng, max(1, k*g.ldb))
	g.ldc = n + pad()
	g.c = randSlice(rng, m*g.ldc) // garbage that must be overwritten (or kept in the padding)
	if rng.IntN(2) == 0 {
		g.bias = randSlice(rng, n)
	}
	if rng.IntN(2) == 0 {
		g.r = randSlice(rng, m*g.ldc)
	}
	if rng.IntN(2) == 0 {
		g.mask = randSlice(rng, m*g.ldc)
		g.mask[rng.IntN(len(g.mask))] = 0
	}
	g.relu = rng.IntN(2) == 0
	if rng.IntN(2) == 0 {
		g.colsum = randSlice(rng, n)
	}
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

// TestGemmProperty checks the fused product, assembly and pure-Go paths,
// against the triple loop over random shapes (including 1 and odd sizes),
// strides, transposes and epilogues.
func TestGemmProperty(t *testing.T) {
	defer func(u bool) { useAsm = u }(useAsm)
	rng := rand.New(rand.NewPCG(13, 1))
	sizes := []int{1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 64, 67, 128}
	var goC, goSum []float64
	for trial := 0; trial < 600; trial++ {
		m, n, k := sizes[rng.IntN(len(sizes))], sizes[rng.IntN(len(sizes))], sizes[rng.IntN(len(sizes))]
		if trial < 20 {
			k = trial % 3 // inner sizes 0, 1, 2
		}
		g := randGemm(rng, m, n, k)
		c0 := append([]float64(nil), g.c...)
		want := naiveGemm(g)
		var wantSum []float64
		if g.colsum != nil {
			wantSum = append(wantSum, g.colsum...)
		}
		for _, asm := range []bool{false, true} {
			if asm && !hasAsm {
				continue
			}
			useAsm = asm
			copy(g.c, c0)
			for j := range g.colsum {
				g.colsum[j] = math.NaN()
			}
			g.run()
			if i, ok := sameWithin(g.colsum, wantSum, 1e-12); !ok {
				t.Fatalf("asm=%v m=%d n=%d k=%d: colsum[%d] = %v, want %v", asm, m, n, k, i, g.colsum[i], wantSum[i])
			}
			if i, ok := sameWithin(g.c, want, 1e-12); !ok {
				t.Fatalf("asm=%v m=%d n=%d k=%d rsA=%d csA=%d ldb=%d ldc=%d bias=%v r=%v mask=%v relu=%v: c[%d] = %v, want %v",
					asm, m, n, k, g.rsA, g.csA, g.ldb, g.ldc, g.bias != nil, g.r != nil, g.mask != nil, g.relu, i, g.c[i], want[i])
			}
			// The two paths round alike: the assembly agrees with pure Go
			// bit for bit.
			if !asm {
				goC, goSum = append(goC[:0], g.c...), append(goSum[:0], g.colsum...)
			} else if i, ok := sameWithin(g.c, goC, 0); !ok {
				t.Fatalf("m=%d n=%d k=%d: asm c[%d] = %v, pure Go %v", m, n, k, i, g.c[i], goC[i])
			} else if i, ok := sameWithin(g.colsum, goSum, 0); !ok {
				t.Fatalf("m=%d n=%d k=%d: asm colsum[%d] = %v, pure Go %v", m, n, k, i, g.colsum[i], goSum[i])
			}
		}
	}
}

// TestGemmNaN checks that NaN and infinities propagate through the product
// and its ReLU as in the scalar code, and that a NaN mask zeroes.
func TestGemmNaN(t *testing.T) {
	defer func(u bool) { useAsm = u }(useAsm)
	rng := rand.New(rand.NewPCG(13, 2))
	for _, asm := range []bool{false, true} {
		if asm && !hasAsm {
			continue
		}
		useAsm = asm
		for trial := 0; trial < 50; trial++ {
			g := randGemm(rng, 8, 16, 5)
			g.a[rng.IntN(len(g.a))] = math.NaN()
			g.b[rng.IntN(len(g.b))] = math.Inf(1)
			if g.mask != nil {
				g.mask[rng.IntN(len(g.mask))] = math.NaN()
			}
			want := naiveGemm(g)
			g.run()
			if i, ok := sameWithin(g.c, want, 1e-12); !ok {
				t.Fatalf("asm=%v: c[%d] = %v, want %v", asm, i, g.c[i], want[i])
			}
		}
	}
}

// TestGemmShort checks that an operand too short for its shape panics
// instead of being read past its end.
func TestGemmShort(t *testing.T) {
	g := randGemm(rand.New(rand.NewPCG(1, 1)), 8, 8, 8)
	g.b = g.b[:len(g.b)-g.ldb]
	defer func() {
		if recover() == nil {
			t.Error("no panic for a short B")
		}
	}()
	g.run()
}

// BenchmarkGemm times the fused product at the nets' shapes (rows = batch
// 32…1024, widths 16…128): forward (x·Wᵀ + b, ReLU), weight gradient
// (xᵀ·dz) and input gradient (dz·W, masked), assembly and pure Go.
func BenchmarkGemm(b *testing.B) {
	defer func(u bool) { useAsm = u }(useAsm)
	for _, sh := range []struct{ rows, width int }{{128, 32}, {32, 16}, {128, 16}, {128, 64}, {128, 128}, {32, 32}, {256, 32}, {1024, 32}} {
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
			g    gemmOp
		}{
			{"fwd", gemmOp{m: r, n: w, k: w, a: x, rsA: w, csA: 1, b: wt, ldb: w, c: out, ldc: w, bias: bias, relu: true}},
			{"dW", gemmOp{m: w, n: w, k: r, a: x, rsA: 1, csA: w, b: dz, ldb: w, c: make([]float64, w*w), ldc: w, colsum: make([]float64, w)}},
			{"dx", gemmOp{m: r, n: w, k: w, a: dz, rsA: w, csA: 1, b: wt, ldb: w, c: out, ldc: w, r: dz, mask: x}},
		}
		for _, asm := range []bool{true, false} {
			if asm && !hasAsm {
				continue
			}
			for _, op := range ops {
				name := fmt.Sprintf("%s-b%d-w%d-go", op.name, r, w)
				if asm {
					name = fmt.Sprintf("%s-b%d-w%d-asm", op.name, r, w)
				}
				b.Run(name, func(b *testing.B) {
					useAsm = asm
					g := op.g
					c0 := processCPU()
					for b.Loop() {
						g.run()
					}
					flop := 2 * float64(g.m*g.n*g.k) * float64(b.N)
					b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "GFLOP/s")
					if cpu := (processCPU() - c0).Seconds(); c0 > 0 && cpu > 0 {
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
			transpose(r, c, src, dst)
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
