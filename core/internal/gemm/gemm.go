package gemm

import (
	"fmt"
	"math"
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
// in blocks of 4 and then one at a time; the pure-Go kernel takes the last n mod 8 columns, and all
// of it elsewhere. Both round as c += a·b does (or, with FMA, as
// math.FMA(a, b, c)), so they agree bit for bit.
// It panics if an operand is too short for its shape and strides.
func (g *Op) Run() {
	g.check()
	m4, n8 := g.M&^3, g.N&^7
	if !UseAsm || n8 == 0 || g.K == 0 || (g.FMA && !HasFMA) {
		g.goColSums(0)
		g.goBlock(0, g.M, 0, g.N)
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
	g.goBlock(0, g.M, n8, g.N)
}

// check panics unless every operand covers the elements its shape and
// strides reach.
func (g *Op) check() {
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
		if g.Bias != nil {
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
	clear(s)
	for p := 0; p < g.K; p++ {
		b := g.B[p*g.Ldb+j0 : p*g.Ldb+g.N]
		s = s[:len(b)]
		for j, v := range b {
			s[j] += v
		}
	}
}
