package residual

import "fmt"

// gemmArgs describes one fused matrix product over row-major float64
// matrices, with element strides:
//
//	C = post(A·B + bias)
//
// where A is m×k (element (i, p) at a[i·rsA + p·csA], so a transposed
// operand is a matter of strides), B is k×n (b[p·ldb + j]) and C is m×n
// (c[i·ldc + j]). bias (an n-vector, added to every row) may be nil. post
// applies, in order and each only when given: + R (r[i·ldc + j], an m×n
// matrix laid out as C), zeroing wherever M ≤ 0 (mask[i·ldc + j]: the ReLU
// derivative through a ReLU's output M), and max(·, 0) (relu). R and M must
// not overlap C. With colsum the product also sets colsum[j] = Σ_p B[p, j]
// (summed from 0 in order), read as B is. NaN propagates as in the scalar code: a NaN product stays
// NaN through relu, and an entry of M that is NaN zeroes.
//
// In the kernel's struct the strides are in bytes.
type gemmArgs struct {
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

// gemmOp is a fused product (see gemmArgs) with strides in elements.
type gemmOp struct {
	m, n, k       int
	a             []float64
	rsA, csA      int
	b             []float64
	ldb           int
	c             []float64
	ldc           int
	bias, r, mask []float64
	relu          bool
	colsum        []float64 // if non-nil (n values), set to the column sums of B
}

// useAsm selects the assembly kernel; set by the platform's init, and
// switched off by tests that time or check the pure-Go path.
var useAsm = hasAsm

// run computes the product. Where there is an assembly kernel (amd64 with
// AVX) it takes the columns in blocks of 8, rows in blocks of 4 and then
// one at a time; the pure-Go kernel takes the last n mod 8 columns, and all
// of it elsewhere. Both round as c += a·b does, so they agree bit for bit.
// It panics if an operand is too short for its shape and strides.
func (g *gemmOp) run() {
	g.check()
	m4, n8 := g.m&^3, g.n&^7
	if !useAsm || n8 == 0 || g.k == 0 {
		g.goColSums(0)
		g.goBlock(0, g.m, 0, g.n)
		return
	}
	args := gemmArgs{m: m4, n: n8, k: g.k, c: &g.c[0], ldc: 8 * g.ldc,
		a: &g.a[0], rsA: 8 * g.rsA, csA: 8 * g.csA, b: &g.b[0], ldb: 8 * g.ldb}
	if g.bias != nil {
		args.bias = &g.bias[0]
	}
	if g.r != nil {
		args.r = &g.r[0]
	}
	if g.mask != nil {
		args.mask = &g.mask[0]
	}
	if g.relu {
		args.relu = 1
	}
	if m4 > 0 {
		if g.colsum != nil {
			args.colsum = &g.colsum[0]
		}
		gemmAsm(&args)
		g.goColSums(n8)
	} else {
		g.goColSums(0)
	}
	if m4 < g.m {
		// The last rows, one at a time, from row m4 of A, C, R and M.
		args.m, args.colsum = g.m-m4, nil
		args.a = &g.a[m4*g.rsA]
		args.c = &g.c[m4*g.ldc]
		if g.r != nil {
			args.r = &g.r[m4*g.ldc]
		}
		if g.mask != nil {
			args.mask = &g.mask[m4*g.ldc]
		}
		gemmRowAsm(&args)
	}
	g.goBlock(0, g.m, n8, g.n)
}

// check panics unless every operand covers the elements its shape and
// strides reach.
func (g *gemmOp) check() {
	if g.m <= 0 || g.n <= 0 {
		return
	}
	need := func(name string, s []float64, last int) {
		if last >= len(s) {
			panic(fmt.Sprintf("residual: gemm %s needs %d elements, has %d", name, last+1, len(s)))
		}
	}
	if g.k > 0 {
		need("a", g.a, (g.m-1)*g.rsA+(g.k-1)*g.csA)
		need("b", g.b, (g.k-1)*g.ldb+g.n-1)
	}
	last := (g.m-1)*g.ldc + g.n - 1
	need("c", g.c, last)
	if g.r != nil {
		need("r", g.r, last)
	}
	if g.mask != nil {
		need("mask", g.mask, last)
	}
	if g.bias != nil {
		need("bias", g.bias, g.n-1)
	}
	if g.colsum != nil {
		need("colsum", g.colsum, g.n-1)
	}
}

// goBlock computes rows i0…i1−1 and columns j0…j1−1 of C in pure Go: each
// row of C accumulates a[i,p]·B[p, j0:j1] over p in order (as the
// assembly does), then takes the epilogue.
func (g *gemmOp) goBlock(i0, i1, j0, j1 int) {
	if i0 >= i1 || j0 >= j1 {
		return
	}
	w := j1 - j0
	for i := i0; i < i1; i++ {
		c := g.c[i*g.ldc+j0 : i*g.ldc+j1]
		if g.bias != nil {
			copy(c, g.bias[j0:j1])
		} else {
			clear(c)
		}
		for p := 0; p < g.k; p++ {
			a := g.a[i*g.rsA+p*g.csA]
			b := g.b[p*g.ldb+j0 : p*g.ldb+j0+w]
			c := c[:len(b)]
			for j, v := range b {
				c[j] += a * v
			}
		}
		if g.r != nil {
			r := g.r[i*g.ldc+j0 : i*g.ldc+j0+w]
			for j, v := range r {
				c[j] += v
			}
		}
		if g.mask != nil {
			mk := g.mask[i*g.ldc+j0 : i*g.ldc+j0+w]
			for j, v := range mk {
				if !(v > 0) {
					c[j] = 0
				}
			}
		}
		if g.relu {
			for j, v := range c {
				if v < 0 {
					c[j] = 0
				}
			}
		}
	}
}

// goColSums sets colsum[j] for the columns j0… of B in pure Go.
func (g *gemmOp) goColSums(j0 int) {
	if g.colsum == nil || j0 >= g.n {
		return
	}
	s := g.colsum[j0:g.n]
	clear(s)
	for p := 0; p < g.k; p++ {
		b := g.b[p*g.ldb+j0 : p*g.ldb+g.n]
		s = s[:len(b)]
		for j, v := range b {
			s[j] += v
		}
	}
}
