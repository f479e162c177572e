package gemm

import (
	"fmt"
	"math"
	"sync"
)

// args is an Op for the assembly kernel: pointers, and strides in bytes.
type args struct {
	m, n, k       int
	a             *float64
	rsA, csA      int
	b             *float64
	ldb           int
	c             *float64
	ldc           int
	bias, r, mask *float64
	relu          int
	colsum        *float64
	acc           int
}

// Op describes one fused matrix product over row-major float64 matrices,
// with element strides:
//
//	C = post(A·B + bias)
//
// where A is M×K (element (i, p) at A[i·RsA + p·CsA], so a transposed
// operand is a matter of strides), B is K×N (B[p·Ldb + j]) and C is M×N
// (C[i·Ldc + j]). Bias (an N-vector, added to every row) may be nil. post
// applies, in order and each only when given: + R (R[i·Ldc + j], an M×N
// matrix laid out as C), zeroing wherever Mask ≤ 0 (Mask[i·Ldc + j]: the
// ReLU derivative through a ReLU's output), and max(·, 0) (ReLU). R and
// Mask must not overlap C. With ColSum the product also sets
// ColSum[j] = Σ_p B[p, j] (summed from 0 in order), read as B is. NaN
// propagates as in the scalar code: a NaN product stays NaN through ReLU,
// and an entry of Mask that is NaN zeroes.
type Op struct {
	M, N, K       int
	A             []float64
	RsA, CsA      int
	B             []float64
	Ldb           int
	C             []float64
	Ldc           int
	Bias, R, Mask []float64
	ReLU          bool
	ColSum        []float64 // if non-nil (N values), set to the column sums of B
	// Acc makes the product C += A·B (then post): the sums start from C's
	// values instead of the bias (which must then be nil), and ColSum
	// adds to its values instead of starting from 0. Run splits a long
	// inner dimension into such steps (see KBlock); the sums still run
	// over p in order, so the result is the same bit for bit.
	Acc bool
	// FMA fuses each product into its sum (one rounding, math.FMA(a, b, c))
	// instead of rounding the product and then the sum (c += a·b): faster
	// where the CPU has FMA, and results differ in the last bits.
	FMA bool
}

// UseAsm selects the assembly kernels, and UseAsm512 their AVX-512 blocks
// of 16 columns; set from the CPU's features, and switched off by tests
// that time or check the other paths.
var (
	UseAsm    = HasAsm
	UseAsm512 = HasAsm512
)

// Run computes the product. Where there is an assembly kernel (amd64 with
// AVX) it takes the columns in blocks of 16 (with AVX-512) and then 8, rows
// in blocks of 4 and then one at a time, and the last n mod 8 columns
// padded to a block of 8 (see tail); the pure-Go kernel takes all of it
// elsewhere. A long inner dimension goes in steps of KBlock and many rows
// in blocks of MBlock, for the caches. All of them round as c += a·b does
// (or, with FMA, as math.FMA(a, b, c)), summing over p in order, so every
// path and every blocking gives the same result bit for bit.
// It panics if an operand is too short for its shape and strides.
func (g *Op) Run() {
	g.check()
	if g.K > 2*KBlock && g.M > 0 && g.N > 0 {
		g.runBlocked()
		return
	}
	g.runRows()
}

// MBlock is the block of rows Run takes a product with more than twice as
// many rows in. The kernels sweep the rows of A once for every block of
// columns; in blocks of 64 rows those rows stay in the first-level cache
// between the sweeps. Training the residual lessons' widest net (width
// 128, batch 1024) took 2.96 s of CPU time with one block and 2.74–2.79 s
// with blocks of 32 or 64 (BenchmarkTorchLoop in core/residual).
const MBlock = 64

// runRows runs g in blocks of MBlock rows: each block is a product of its
// own, and only the first sums the columns of B.
func (g *Op) runRows() {
	if g.M <= 2*MBlock {
		g.run()
		return
	}
	blk := *g
	for i0 := 0; i0 < g.M; i0 += MBlock {
		m := min(MBlock, g.M-i0)
		blk.M = m
		blk.A = g.A[i0*g.RsA:]
		blk.C = g.C[i0*g.Ldc:]
		if g.R != nil {
			blk.R = g.R[i0*g.Ldc:]
		}
		if g.Mask != nil {
			blk.Mask = g.Mask[i0*g.Ldc:]
		}
		if i0 > 0 {
			blk.ColSum = nil
		}
		blk.run()
	}
}

// KBlock is the inner dimension above which Run takes a product in steps
// of KBlock values of p (twice it, at least), accumulating into C: the
// panels of A and B a step reads then stay in the first-level cache
// across the blocks of C. A product xᵀ·dz of 1024 rows and 128 columns,
// a weight gradient of the residual lessons, ran at 41 GFLOP/s in one
// step and 59 in steps of 256 (BenchmarkGemm).
const KBlock = 256

// runBlocked runs g in steps along p: the first starts from the bias (or
// 0), the last applies R, Mask and ReLU, every other one only accumulates.
func (g *Op) runBlocked() {
	step := *g
	for p0 := 0; p0 < g.K; {
		k := KBlock
		if g.K-p0 < KBlock*3/2 {
			k = g.K - p0 // a short remainder joins the last step
		}
		last := p0+k == g.K
		step.K, step.A, step.B = k, g.A[p0*g.CsA:], g.B[p0*g.Ldb:]
		step.Acc = g.Acc || p0 > 0
		if p0 > 0 {
			step.Bias = nil
		}
		step.R, step.Mask, step.ReLU = nil, nil, false
		if last {
			step.R, step.Mask, step.ReLU = g.R, g.Mask, g.ReLU
		}
		step.runRows()
		p0 += k
	}
}

func (g *Op) run() {
	m4, n8 := g.M&^3, g.N&^7
	if !UseAsm || g.K == 0 || (g.FMA && !HasFMA) {
		g.goColSums(0)
		g.goBlock(0, g.M, 0, g.N)
		return
	}
	if n8 == 0 {
		g.goColSums(0)
		g.tail(0)
		return
	}
	args := args{m: m4, n: n8, k: g.K, c: &g.C[0], ldc: 8 * g.Ldc,
		a: &g.A[0], rsA: 8 * g.RsA, csA: 8 * g.CsA, b: &g.B[0], ldb: 8 * g.Ldb}
	if g.Bias != nil {
		args.bias = &g.Bias[0]
	}
	if g.R != nil {
		args.r = &g.R[0]
	}
	if g.Mask != nil {
		args.mask = &g.Mask[0]
	}
	if g.ReLU {
		args.relu = 1
	}
	if g.Acc {
		args.acc = 1
	}
	if m4 > 0 {
		if g.ColSum != nil {
			args.colsum = &g.ColSum[0]
		}
		// Columns in blocks of 16 with AVX-512, the rest of the blocks
		// of 8 with AVX: the same arguments, from column n16 on.
		n16 := 0
		if UseAsm512 {
			n16 = g.N &^ 15
		}
		if n16 > 0 {
			a16 := args
			a16.n = n16
			if g.FMA {
				gemm512FMAAsm(&a16)
			} else {
				gemm512Asm(&a16)
			}
		}
		if n16 < n8 {
			a8 := args
			a8.n = n8 - n16
			a8.b, a8.c = &g.B[n16], &g.C[n16]
			if g.Bias != nil {
				a8.bias = &g.Bias[n16]
			}
			if g.R != nil {
				a8.r = &g.R[n16]
			}
			if g.Mask != nil {
				a8.mask = &g.Mask[n16]
			}
			if g.ColSum != nil {
				a8.colsum = &g.ColSum[n16]
			}
			if g.FMA {
				gemmFMAAsm(&a8)
			} else {
				gemmAsm(&a8)
			}
		}
		g.goColSums(n8)
	} else {
		g.goColSums(0)
	}
	if m4 < g.M {
		// The last rows, one at a time, from row m4 of A, C, R and M.
		args.m, args.colsum = g.M-m4, nil
		args.a = &g.A[m4*g.RsA]
		args.c = &g.C[m4*g.Ldc]
		if g.R != nil {
			args.r = &g.R[m4*g.Ldc]
		}
		if g.Mask != nil {
			args.mask = &g.Mask[m4*g.Ldc]
		}
		if g.FMA {
			gemmRowFMAAsm(&args)
		} else {
			gemmRowAsm(&args)
		}
	}
	g.tail(n8)
}

// tail pads the last columns for the assembly kernels rather than
// computing them in pure Go when the product is at least tailMin (M·K),
// the values it computes per step of p at least tailRows (M times the
// number of columns) — padding copies 8 values of B per step — and the
// inner dimension at least tailK: padding also copies 8 values of C (and
// of R and Mask) per row, which only a long sum pays for.
const (
	tailMin  = 256
	tailRows = 32
	tailK    = 16
)

// tail computes the last columns of C, from column j0 on (fewer than 8),
// without their column sums. When the product is large enough to pay for
// the copies, the columns are padded with zeros to a block of 8 and run
// through the assembly kernels, which round as goBlock does: the same
// values, bit for bit, several times faster. (A convolution's gradient
// with 14×14 outputs spent a tenth of its time in the pure-Go columns.)
func (g *Op) tail(j0 int) {
	t := g.N - j0
	if t <= 0 {
		return
	}
	if g.M*g.K < tailMin || g.M*t < tailRows || g.K < tailK {
		g.goBlock(0, g.M, j0, g.N)
		return
	}
	m, k := g.M, g.K
	n := 8 * (k + m + 1)
	if g.R != nil {
		n += 8 * m
	}
	if g.Mask != nil {
		n += 8 * m
	}
	buf := getScratch(n)
	defer scratchPool.Put(buf)
	s := *buf
	take := func(rows int) []float64 {
		part := s[:8*rows]
		s = s[8*rows:]
		return part
	}
	// pad copies columns j0… of rows of src (stride ld) into 8-wide rows.
	pad := func(dst, src []float64, rows, ld int) {
		for i := 0; i < rows; i++ {
			copy(dst[8*i:8*i+t], src[i*ld+j0:i*ld+g.N])
			clear(dst[8*i+t : 8*i+8])
		}
	}
	op := Op{M: m, N: 8, K: k, A: g.A, RsA: g.RsA, CsA: g.CsA, B: take(k), Ldb: 8,
		C: take(m), Ldc: 8, ReLU: g.ReLU, FMA: g.FMA, Acc: g.Acc}
	pad(op.B, g.B, k, g.Ldb)
	if g.Acc {
		pad(op.C, g.C, m, g.Ldc)
	}
	if g.Bias != nil {
		op.Bias = take(1)
		pad(op.Bias, g.Bias, 1, 0)
	}
	if g.R != nil {
		op.R = take(m)
		pad(op.R, g.R, m, g.Ldc)
	}
	if g.Mask != nil {
		op.Mask = take(m)
		pad(op.Mask, g.Mask, m, g.Ldc)
	}
	op.run()
	for i := 0; i < m; i++ {
		copy(g.C[i*g.Ldc+j0:i*g.Ldc+g.N], op.C[8*i:8*i+t])
	}
}

// scratchPool holds tail's buffers.
var scratchPool sync.Pool

// getScratch returns a buffer of n values from the pool (contents not
// kept), to be put back when done.
func getScratch(n int) *[]float64 {
	if p, ok := scratchPool.Get().(*[]float64); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]float64, n)
	return &s
}

// check panics unless every operand covers the elements its shape and
// strides reach.
func (g *Op) check() {
	if g.Acc && g.Bias != nil {
		panic("gemm: an accumulating product takes no bias")
	}
	if g.M <= 0 || g.N <= 0 {
		return
	}
	need := func(name string, s []float64, last int) {
		if last >= len(s) {
			panic(fmt.Sprintf("gemm: %s needs %d elements, has %d", name, last+1, len(s)))
		}
	}
	if g.K > 0 {
		need("a", g.A, (g.M-1)*g.RsA+(g.K-1)*g.CsA)
		need("b", g.B, (g.K-1)*g.Ldb+g.N-1)
	}
	last := (g.M-1)*g.Ldc + g.N - 1
	need("c", g.C, last)
	if g.R != nil {
		need("r", g.R, last)
	}
	if g.Mask != nil {
		need("mask", g.Mask, last)
	}
	if g.Bias != nil {
		need("bias", g.Bias, g.N-1)
	}
	if g.ColSum != nil {
		need("colsum", g.ColSum, g.N-1)
	}
}

// goBlock computes rows i0…i1−1 and columns j0…j1−1 of C in pure Go: each
// row of C accumulates a[i,p]·B[p, j0:j1] over p in order (as the
// assembly does), then takes the epilogue.
func (g *Op) goBlock(i0, i1, j0, j1 int) {
	if i0 >= i1 || j0 >= j1 {
		return
	}
	w := j1 - j0
	for i := i0; i < i1; i++ {
		c := g.C[i*g.Ldc+j0 : i*g.Ldc+j1]
		if g.Acc {
			// C's values are where the sums start.
		} else if g.Bias != nil {
			copy(c, g.Bias[j0:j1])
		} else {
			clear(c)
		}
		for p := 0; p < g.K; p++ {
			a := g.A[i*g.RsA+p*g.CsA]
			b := g.B[p*g.Ldb+j0 : p*g.Ldb+j0+w]
			c := c[:len(b)]
			if g.FMA {
				for j, v := range b {
					c[j] = math.FMA(a, v, c[j])
				}
				continue
			}
			for j, v := range b {
				c[j] += a * v
			}
		}
		if g.R != nil {
			r := g.R[i*g.Ldc+j0 : i*g.Ldc+j0+w]
			for j, v := range r {
				c[j] += v
			}
		}
		if g.Mask != nil {
			mk := g.Mask[i*g.Ldc+j0 : i*g.Ldc+j0+w]
			for j, v := range mk {
				if !(v > 0) {
					c[j] = 0
				}
			}
		}
		if g.ReLU {
			for j, v := range c {
				if v < 0 {
					c[j] = 0
				}
			}
		}
	}
}

// goColSums sets colsum[j] for the columns j0… of B in pure Go.
func (g *Op) goColSums(j0 int) {
	if g.ColSum == nil || j0 >= g.N {
		return
	}
	s := g.ColSum[j0:g.N]
	if !g.Acc {
		clear(s)
	}
	for p := 0; p < g.K; p++ {
		b := g.B[p*g.Ldb+j0 : p*g.Ldb+g.N]
		s = s[:len(b)]
		for j, v := range b {
			s[j] += v
		}
	}
}
