package convnet

import (
	"github.com/nnlab/nnlab/core/internal/gemm"
	"github.com/nnlab/nnlab/core/internal/strided"
)

// blockValues bounds the unfolded input (im2col) built at a time, in
// values: 256 KiB, so that a block and the products reading it stay in the
// L2 cache.
const blockValues = 32 << 10

// conv is torch.nn.Conv2d(Cin, Cout, K, stride=S, padding=Pad,
// bias=B != nil) over a channel-major batch:
//
//	y[o, n, i, j] = b[o] + Σ_{c,p,q} w[o, c, p, q]·x[c, n, i·S − Pad + p, j·S − Pad + q],
//
// x being 0 outside the image. The whole batch is one product
// Y (Cout × N·OH·OW) = W (Cout × Cin·K²) · cols (Cin·K² × N·OH·OW), the
// unfolded input built a block of images at a time. W, B, DW and DB are
// views into the net's parameter and gradient vectors.
type conv struct {
	Cin, Cout, K, S, Pad int
	W, B, DW, DB         []float64
	ws                   *workspace
	flip                 *conv // the stride-1 input gradient as a convolution
}

// workspace holds the buffers a convolution needs only while it runs,
// shared by all the convolutions of a net (they run one at a time).
type workspace struct {
	cols, dyT, acc0, acc1, wflip, scratch []float64
	dz                                    act // a unit's BN input gradient
}

// kd is the length of one unfolded column, Cin·K².
func (c *conv) kd() int { return c.Cin * c.K * c.K }

// out is the output side for an input side in: ⌊(in + 2·Pad − K)/S⌋ + 1.
func (c *conv) out(in int) int { return (in+2*c.Pad-c.K)/c.S + 1 }

// pointwise reports whether the input is its own unfolded matrix (a 1×1
// kernel, stride 1, no padding).
func (c *conv) pointwise() bool { return c.K == 1 && c.S == 1 && c.Pad == 0 }

// macs is the multiply-accumulates of a forward pass over one h×w image.
func (c *conv) macs(h, w int) int64 {
	return int64(c.Cout) * int64(c.out(h)) * int64(c.out(w)) * int64(c.kd())
}

// imagesPerBlock is how many images' unfolded columns fit in a block,
// rounded down (when there are enough images) to a count whose columns
// make whole multiples of 8, the product kernel's vector blocks.
func imagesPerBlock(kd, p, n int) int {
	nb := max(1, min(n, blockValues/max(1, kd*p)))
	q := 8
	for p%q != 0 {
		q /= 2
	}
	q = 8 / q // images per 8 columns: 8/gcd(p, 8)
	if nb >= q {
		nb -= nb % q
	} else if n >= q {
		nb = q
	}
	return nb
}

// forward sets y to the convolution of x; add, when set, is added to the
// product (a gradient accumulated into, which must not be y).
func (c *conv) forward(x, y *act) { c.forwardAdd(x, y, nil) }

func (c *conv) forwardAdd(x, y *act, add []float64) {
	oh, ow := c.out(x.H), c.out(x.W)
	y.resize(c.Cout, x.N, oh, ow)
	p := oh * ow
	np := x.N * p
	kd := c.kd()
	var op gemm.Op
	if c.pointwise() {
		// Y = W·X, in blocks of columns.
		cb := max(16, blockValues/max(1, kd))
		for j0 := 0; j0 < np; j0 += cb {
			j1 := min(np, j0+cb)
			op = gemm.Op{M: c.Cout, N: j1 - j0, K: kd, A: c.W, RsA: kd, CsA: 1, B: x.Data[j0:], Ldb: np, C: y.Data[j0:], Ldc: np, FMA: true}
			if add != nil {
				op.R = add[j0:]
			}
			op.Run()
		}
	} else {
		nb := imagesPerBlock(kd, p, x.N)
		c.ws.cols = grow(c.ws.cols, kd*nb*p)
		for n0 := 0; n0 < x.N; n0 += nb {
			n1 := min(x.N, n0+nb)
			cb := (n1 - n0) * p
			cols := c.ws.cols[:kd*cb]
			c.im2col(x, n0, n1, oh, ow, cols)
			op = gemm.Op{M: c.Cout, N: cb, K: kd, A: c.W, RsA: kd, CsA: 1, B: cols, Ldb: cb, C: y.Data[n0*p:], Ldc: np, FMA: true}
			if add != nil {
				op.R = add[n0*p:]
			}
			op.Run()
		}
	}
	if c.B != nil {
		for o, b := range c.B {
			row := y.Data[o*np : (o+1)*np]
			for j := range row {
				row[j] += b
			}
		}
	}
}

// im2col sets dst (Cin·K² rows of (n1 − n0)·oh·ow values) to the unfolded
// input of images n0…n1−1: row (ci, p, q), column (n, i, j) holds
// x[ci, n, i·S − Pad + p, j·S − Pad + q], or 0 in the padding.
func (c *conv) im2col(x *act, n0, n1, oh, ow int, dst []float64) {
	h, w := x.H, x.W
	hw, ohw := h*w, oh*ow
	rowLen := (n1 - n0) * ohw
	for ci := 0; ci < c.Cin; ci++ {
		for p := 0; p < c.K; p++ {
			for q := 0; q < c.K; q++ {
				k := (ci*c.K+p)*c.K + q
				row := dst[k*rowLen : (k+1)*rowLen]
				x0 := q - c.Pad
				lo, hi := strided.Span(x0, c.S, w, ow)
				y0 := p - c.Pad
				if c.S == 1 && ow == w && oh == h {
					// Images are contiguous within a channel: the block is
					// one shifted copy, then the values that came from a
					// neighbouring row or image are zeroed.
					shiftBlock(x.Data[(ci*x.N+n0)*hw:(ci*x.N+n1)*hw], n1-n0, h, w, y0, x0, lo, hi, row)
					continue
				}
				for n := n0; n < n1; n++ {
					plane := x.Data[(ci*x.N+n)*hw : (ci*x.N+n+1)*hw]
					out := row[(n-n0)*ohw : (n-n0+1)*ohw]
					for i := 0; i < oh; i++ {
						o := out[i*ow : (i+1)*ow]
						y := i*c.S + y0
						if y < 0 || y >= h {
							clear(o)
							continue
						}
						src := plane[y*w : (y+1)*w]
						clear(o[:lo])
						if c.S == 1 {
							copy(o[lo:hi], src[lo+x0:hi+x0])
						} else if lo < hi {
							strided.Gather(o[lo:hi], src[lo*c.S+x0:], c.S)
						}
						clear(o[hi:])
					}
				}
			}
		}
	}
}

// shiftBlock sets out to nb planes of h×w (src, one after the other)
// each shifted by (y0, x0): out[n, i, j] = src[n, i + y0, j + x0], 0
// outside the plane. It copies the whole run shifted by y0·w + x0, then
// zeroes what came from outside the plane: the first −y0 (or last y0)
// rows of each plane and the columns outside lo…hi−1 of every row.
func shiftBlock(src []float64, nb, h, w, y0, x0, lo, hi int, out []float64) {
	hw := h * w
	total := nb * hw
	shift := y0*w + x0
	switch {
	case shift >= 0 && shift < total:
		n := copy(out[:total-shift], src[shift:])
		clear(out[n:total])
	case shift < 0 && -shift < total:
		clear(out[:-shift])
		copy(out[-shift:total], src[:total+shift])
	default:
		clear(out[:total])
		return
	}
	if y0 != 0 {
		for n := 0; n < nb; n++ {
			plane := out[n*hw : (n+1)*hw]
			if y0 < 0 {
				clear(plane[:min(hw, -y0*w)])
			} else {
				clear(plane[max(0, hw-y0*w):])
			}
		}
	}
	// Rows are contiguous across planes: the columns outside lo…hi−1 are
	// the same in every row of the block.
	if lo == 1 {
		for r := 0; r < total; r += w {
			out[r] = 0
		}
	} else if lo > 0 {
		for r := 0; r < total; r += w {
			for j := r; j < r+lo; j++ {
				out[j] = 0
			}
		}
	}
	if hi == w-1 {
		for r := w - 1; r < total; r += w {
			out[r] = 0
		}
	} else if hi < w {
		for r := 0; r < total; r += w {
			for j := r + hi; j < r+w; j++ {
				out[j] = 0
			}
		}
	}
}

// col2im adds src (Cin·K² rows of (n1 − n0)·oh·ow values, an unfolded
// gradient) back onto dx: the adjoint of im2col.
func (c *conv) col2im(src []float64, n0, n1, oh, ow int, dx *act) {
	h, w := dx.H, dx.W
	hw, ohw := h*w, oh*ow
	rowLen := (n1 - n0) * ohw
	for ci := 0; ci < c.Cin; ci++ {
		for p := 0; p < c.K; p++ {
			for q := 0; q < c.K; q++ {
				k := (ci*c.K+p)*c.K + q
				row := src[k*rowLen : (k+1)*rowLen]
				x0 := q - c.Pad
				lo, hi := strided.Span(x0, c.S, w, ow)
				for n := n0; n < n1; n++ {
					plane := dx.Data[(ci*dx.N+n)*hw : (ci*dx.N+n+1)*hw]
					in := row[(n-n0)*ohw : (n-n0+1)*ohw]
					for i := 0; i < oh; i++ {
						y := i*c.S - c.Pad + p
						if y < 0 || y >= h {
							continue
						}
						g := in[i*ow : (i+1)*ow]
						dst := plane[y*w : (y+1)*w]
						if c.S == 1 {
							strided.Add(dst[lo+x0:hi+x0], g[lo:hi])
						} else if lo < hi {
							strided.ScatterAdd(dst[lo*c.S+x0:], g[lo:hi], c.S)
						}
					}
				}
			}
		}
	}
}

// backward sets DW and DB to the gradients of a loss whose gradient with
// respect to forward(x) is dy, and, when dx is not nil, adds (acc) or
// writes the gradient with respect to x into dx.
func (c *conv) backward(x, dy, dx *act, acc bool) {
	oh, ow := dy.H, dy.W
	p := oh * ow
	np := x.N * p
	kd := c.kd()
	if c.DB != nil {
		for o := range c.DB {
			var s float64
			for _, v := range dy.Data[o*np : (o+1)*np] {
				s += v
			}
			c.DB[o] = s
		}
	}
	// dWᵀ (kd × Cout) = cols · dYᵀ, summed over blocks of images. dYᵀ
	// and dWᵀ have ld ≥ Cout columns, a multiple of 8 (the padding zero),
	// so that the product's columns run in the kernel's vector blocks.
	ld := (c.Cout + 7) &^ 7
	c.ws.dyT = grow(c.ws.dyT, np*ld)
	if ld == c.Cout {
		gemm.Transpose(c.Cout, np, dy.Data, c.ws.dyT)
	} else {
		for j := 0; j < np; j++ {
			row := c.ws.dyT[j*ld : (j+1)*ld]
			for o := 0; o < c.Cout; o++ {
				row[o] = dy.Data[o*np+j]
			}
			clear(row[c.Cout:])
		}
	}
	c.ws.acc0 = grow(c.ws.acc0, kd*ld)
	c.ws.acc1 = grow(c.ws.acc1, kd*ld)
	cur, prev := c.ws.acc0, c.ws.acc1
	var op gemm.Op
	if c.pointwise() {
		cb := max(16, blockValues/max(1, kd))
		first := true
		for j0 := 0; j0 < np; j0 += cb {
			j1 := min(np, j0+cb)
			op = gemm.Op{M: kd, N: ld, K: j1 - j0, A: x.Data[j0:], RsA: np, CsA: 1, B: c.ws.dyT[j0*ld:], Ldb: ld, C: cur, Ldc: ld, FMA: true}
			if !first {
				op.R = prev
			}
			op.Run()
			first = false
			cur, prev = prev, cur
		}
	} else {
		nb := imagesPerBlock(kd, p, x.N)
		c.ws.cols = grow(c.ws.cols, kd*nb*p)
		for n0 := 0; n0 < x.N; n0 += nb {
			n1 := min(x.N, n0+nb)
			cb := (n1 - n0) * p
			cols := c.ws.cols[:kd*cb]
			c.im2col(x, n0, n1, oh, ow, cols)
			op = gemm.Op{M: kd, N: ld, K: cb, A: cols, RsA: cb, CsA: 1, B: c.ws.dyT[n0*p*ld:], Ldb: ld, C: cur, Ldc: ld, FMA: true}
			if n0 > 0 {
				op.R = prev
			}
			op.Run()
			cur, prev = prev, cur
		}
	}
	if ld == c.Cout {
		gemm.Transpose(kd, c.Cout, prev, c.DW)
	} else {
		for k := 0; k < kd; k++ {
			for o, v := range prev[k*ld : k*ld+c.Cout] {
				c.DW[o*kd+k] = v
			}
		}
	}
	if dx == nil {
		return
	}
	switch {
	case c.pointwise():
		// dX = Wᵀ·dY (Cin × N·P).
		var add []float64
		if acc {
			c.ws.scratch = grow(c.ws.scratch, len(dx.Data))
			copy(c.ws.scratch, dx.Data)
			add = c.ws.scratch
		}
		cb := max(16, blockValues/max(1, c.Cout))
		for j0 := 0; j0 < np; j0 += cb {
			j1 := min(np, j0+cb)
			op = gemm.Op{M: c.Cin, N: j1 - j0, K: c.Cout, A: c.W, RsA: 1, CsA: c.Cin, B: dy.Data[j0:], Ldb: np, C: dx.Data[j0:], Ldc: np, FMA: true}
			if add != nil {
				op.R = add[j0:]
			}
			op.Run()
		}
	case c.S == 1 && c.Pad <= c.K-1:
		// At stride 1 the input gradient is a convolution of dy with the
		// kernel flipped and its channel axes swapped, padded K − 1 − Pad:
		// dx[c, n, y, x] = Σ_{o,p,q} w[o, c, K−1−p, K−1−q]·dy[o, n, y − (K−1−Pad) + p, x − (K−1−Pad) + q].
		if c.flip == nil {
			c.flip = &conv{Cin: c.Cout, Cout: c.Cin, K: c.K, S: 1, Pad: c.K - 1 - c.Pad, ws: c.ws}
		}
		kk := c.K * c.K
		c.ws.wflip = grow(c.ws.wflip, len(c.W))
		for o := 0; o < c.Cout; o++ {
			for ci := 0; ci < c.Cin; ci++ {
				src := c.W[(o*c.Cin+ci)*kk : (o*c.Cin+ci+1)*kk]
				dst := c.ws.wflip[(ci*c.Cout+o)*kk : (ci*c.Cout+o+1)*kk]
				for t := range src {
					dst[kk-1-t] = src[t]
				}
			}
		}
		c.flip.W = c.ws.wflip
		var add []float64
		if acc {
			c.ws.scratch = grow(c.ws.scratch, len(dx.Data))
			copy(c.ws.scratch, dx.Data)
			add = c.ws.scratch
		}
		out := act{Data: dx.Data}
		c.flip.forwardAdd(dy, &out, add)
	default:
		if !acc {
			clear(dx.Data)
		}
		nb := imagesPerBlock(kd, p, x.N)
		c.ws.cols = grow(c.ws.cols, kd*nb*p)
		for n0 := 0; n0 < x.N; n0 += nb {
			n1 := min(x.N, n0+nb)
			cb := (n1 - n0) * p
			dcols := c.ws.cols[:kd*cb]
			op = gemm.Op{M: kd, N: cb, K: c.Cout, A: c.W, RsA: 1, CsA: kd, B: dy.Data[n0*p:], Ldb: np, C: dcols, Ldc: cb, FMA: true}
			op.Run()
			c.col2im(dcols, n0, n1, oh, ow, dx)
		}
	}
}
