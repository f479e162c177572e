package cnn

import (
	"fmt"
	"math"

	"github.com/nnlab/nnlab/core/internal/gemm"
	"github.com/nnlab/nnlab/core/internal/strided"
)

// Limits on a convolution's hyper-parameters (torch has none this small;
// they keep every loop and buffer bounded).
const (
	MaxKernel   = 64
	MaxStride   = 64
	MaxPad      = 64
	MaxDilation = 64
)

// Conv2d is torch.nn.Conv2d(InC, OutC, (KH, KW), stride=Stride,
// padding=Pad, dilation=Dilation, groups=Groups, bias=Bias != nil):
// a cross-correlation (no kernel flip) of an N×InC×H×W input,
//
//	y[n, o, i, j] = b[o] + Σ_{c, p, q} w[o, c, p, q] · x[n, g·InC/Groups + c, i·s − pad + p·d, j·s − pad + q·d],
//
// where g = ⌊o/(OutC/Groups)⌋ is o's group, c runs over the group's
// InC/Groups channels and x is zero outside the image. The output is
// N×OutC×OH×OW with OH = ⌊(H + 2·pad − d·(KH − 1) − 1)/s⌋ + 1 (OW alike).
//
// It computes each image and group as one matrix product (im2col into the
// shared small-matrix kernel; a 1×1 convolution with stride 1 and no
// padding reads the input in place). A Conv2d holds scratch buffers, so
// one value must not run in two goroutines at once.
type Conv2d struct {
	InC, OutC, KH, KW     int
	Stride, Pad, Dilation int
	Groups                int
	Weight                []float64 // OutC × InC/Groups × KH × KW
	Bias                  []float64 // OutC, or nil: no bias
	// DWeight and DBias hold the gradients set by Backward (DBias nil
	// without a bias).
	DWeight, DBias []float64

	cols, colsT, dcols, dyT, acc0, acc1, phases []float64 // scratch
}

// NewConv2d returns a convolution with zero weights (and zero bias when
// bias is true), after checking its hyper-parameters as torch does.
func NewConv2d(inC, outC, kh, kw, stride, pad, dilation, groups int, bias bool) (*Conv2d, error) {
	c := &Conv2d{InC: inC, OutC: outC, KH: kh, KW: kw, Stride: stride, Pad: pad, Dilation: dilation, Groups: groups}
	if err := c.checkSpec(); err != nil {
		return nil, err
	}
	c.Weight = make([]float64, outC*(inC/groups)*kh*kw)
	if bias {
		c.Bias = make([]float64, outC)
	}
	return c, nil
}

// checkSpec checks the hyper-parameters (not the weights).
func (c *Conv2d) checkSpec() error {
	switch {
	case c.InC < 1 || c.InC > MaxElements:
		return fmt.Errorf("conv2d: in channels must be ≥ 1, got %d", c.InC)
	case c.OutC < 1 || c.OutC > MaxElements:
		return fmt.Errorf("conv2d: out channels must be ≥ 1, got %d", c.OutC)
	case c.KH < 1 || c.KH > MaxKernel || c.KW < 1 || c.KW > MaxKernel:
		return fmt.Errorf("conv2d: kernel sides must be from 1 to %d, got %d×%d", MaxKernel, c.KH, c.KW)
	case c.Stride < 1 || c.Stride > MaxStride:
		return fmt.Errorf("conv2d: stride must be from 1 to %d, got %d", MaxStride, c.Stride)
	case c.Pad < 0 || c.Pad > MaxPad:
		return fmt.Errorf("conv2d: padding must be from 0 to %d, got %d", MaxPad, c.Pad)
	case c.Dilation < 1 || c.Dilation > MaxDilation:
		return fmt.Errorf("conv2d: dilation must be from 1 to %d, got %d", MaxDilation, c.Dilation)
	case c.Groups < 1 || c.InC%c.Groups != 0 || c.OutC%c.Groups != 0:
		return fmt.Errorf("conv2d: groups must be ≥ 1 and divide in channels %d and out channels %d, got %d", c.InC, c.OutC, c.Groups)
	case c.OutC*(c.InC/c.Groups) > MaxElements/(c.KH*c.KW):
		return fmt.Errorf("conv2d: %d×%d×%d×%d weights are more than %d", c.OutC, c.InC/c.Groups, c.KH, c.KW, MaxElements)
	}
	return nil
}

// check checks the hyper-parameters and the lengths of the weights.
func (c *Conv2d) check() error {
	if err := c.checkSpec(); err != nil {
		return err
	}
	if n := c.OutC * (c.InC / c.Groups) * c.KH * c.KW; len(c.Weight) != n {
		return fmt.Errorf("conv2d: weight must hold %d values (%d×%d×%d×%d), got %d", n, c.OutC, c.InC/c.Groups, c.KH, c.KW, len(c.Weight))
	}
	if c.Bias != nil && len(c.Bias) != c.OutC {
		return fmt.Errorf("conv2d: bias must hold %d values, got %d", c.OutC, len(c.Bias))
	}
	return nil
}

// OutSize returns the output's height and width for an h×w input, or an
// error when the dilated kernel does not fit in the padded input.
func (c *Conv2d) OutSize(h, w int) (oh, ow int, err error) {
	if err := c.checkSpec(); err != nil {
		return 0, 0, err
	}
	oh = outSize(h, c.KH, c.Stride, c.Pad, c.Dilation)
	ow = outSize(w, c.KW, c.Stride, c.Pad, c.Dilation)
	if h < 1 || w < 1 || oh < 1 || ow < 1 {
		return 0, 0, fmt.Errorf("conv2d: a %d×%d kernel with dilation %d does not fit a %d×%d input padded by %d", c.KH, c.KW, c.Dilation, h, w, c.Pad)
	}
	return oh, ow, nil
}

// outSize is ⌊(in + 2·pad − d·(k − 1) − 1)/s⌋ + 1, taken toward −∞.
func outSize(in, k, s, pad, d int) int {
	a := in + 2*pad - d*(k-1) - 1
	if a < 0 {
		return 0
	}
	return a/s + 1
}

// MACs is the number of multiply-accumulates of a forward pass over an
// n×InC×h×w input: n·OutC·OH·OW·(InC/Groups)·KH·KW (0 if the kernel does not fit).
func (c *Conv2d) MACs(n, h, w int) int64 {
	oh, ow, err := c.OutSize(h, w)
	if err != nil {
		return 0
	}
	return int64(n) * int64(c.OutC) * int64(oh) * int64(ow) * int64(c.InC/c.Groups) * int64(c.KH) * int64(c.KW)
}

// direct reports whether the input can be read in place as the im2col
// matrix: a 1×1 kernel, stride 1, no padding.
func (c *Conv2d) direct() bool { return c.KH == 1 && c.KW == 1 && c.Stride == 1 && c.Pad == 0 }

// geometry checks x against c and returns the output size.
func (c *Conv2d) geometry(x *Tensor) (oh, ow int, err error) {
	if err := c.check(); err != nil {
		return 0, 0, err
	}
	if x == nil || x.C != c.InC || len(x.Data) != x.Len() {
		got := "nothing"
		if x != nil {
			got = fmt.Sprintf("%d×%d×%d×%d", x.N, x.C, x.H, x.W)
		}
		return 0, 0, fmt.Errorf("conv2d: input must be N×%d×H×W, got %s", c.InC, got)
	}
	oh, ow, err = c.OutSize(x.H, x.W)
	if err != nil {
		return 0, 0, err
	}
	if err := checkShape(x.N, c.OutC, oh, ow); err != nil {
		return 0, 0, err
	}
	if (c.InC/c.Groups)*c.KH*c.KW > MaxElements/(oh*ow) {
		return 0, 0, fmt.Errorf("conv2d: the unfolded input (%d×%d) holds more than %d values", (c.InC/c.Groups)*c.KH*c.KW, oh*ow, MaxElements)
	}
	return oh, ow, nil
}

// Forward returns the convolution of x (N×InC×H×W).
func (c *Conv2d) Forward(x *Tensor) (*Tensor, error) {
	oh, ow, err := c.geometry(x)
	if err != nil {
		return nil, err
	}
	y := &Tensor{N: x.N, C: c.OutC, H: oh, W: ow, Data: make([]float64, x.N*c.OutC*oh*ow)}
	c.forward(x, y)
	return y, nil
}

// ForwardInto is Forward writing into y, which must have the output's shape.
func (c *Conv2d) ForwardInto(x, y *Tensor) error {
	oh, ow, err := c.geometry(x)
	if err != nil {
		return err
	}
	if err := y.sameShape("conv2d output", x.N, c.OutC, oh, ow); err != nil {
		return err
	}
	c.forward(x, y)
	return nil
}

// transposed reports whether the forward product runs with the output
// channels as the kernel's columns, outᵀ(P×OCg) = colsᵀ(P×kdim)·Wᵀ(kdim×OCg)
// in cache blocks (forwardBlocked), rather than as
// out(OCg×P) = W(OCg×kdim)·cols(kdim×P). The kernel's column panels need
// OCg ≥ 8; the plain form reads cols one row of P values per step of the
// inner dimension, which is slow (a new page each step, no prefetch) when
// that dimension is long and P ≥ 512. The thresholds are BenchmarkConv's.
func (c *Conv2d) transposed(p int) bool {
	kdim := (c.InC / c.Groups) * c.KH * c.KW
	return c.OutC/c.Groups >= 8 && (kdim > 256 || (p < 512 && kdim >= 64))
}

func (c *Conv2d) forward(x, y *Tensor) {
	cg, og := c.InC/c.Groups, c.OutC/c.Groups
	kdim := cg * c.KH * c.KW
	p := y.H * y.W
	hw := x.H * x.W
	tr := c.transposed(p)
	if tr {
		c.acc0 = grow(c.acc0, og*kdim)
	} else if !c.direct() {
		c.cols = grow(c.cols, kdim*p)
	}
	var op gemm.Op
	for g := 0; g < c.Groups; g++ {
		w := c.Weight[g*og*kdim : (g+1)*og*kdim]
		var wt, bias []float64
		if tr {
			wt = c.acc0[:og*kdim]
			gemm.Transpose(og, kdim, w, wt)
			if c.Bias != nil {
				bias = c.Bias[g*og : (g+1)*og]
			}
		}
		for n := 0; n < x.N; n++ {
			in := x.Data[(n*c.InC+g*cg)*hw : (n*c.InC+(g+1)*cg)*hw]
			out := y.Data[(n*c.OutC+g*og)*p : (n*c.OutC+(g+1)*og)*p]
			if tr {
				c.forwardBlocked(in, x.H, x.W, y.H, y.W, wt, bias, out)
				continue
			}
			cols := in
			if !c.direct() {
				cols = c.cols[:kdim*p]
				c.im2colBlock(c.source(in, x.H, x.W), y.W, 0, kdim, 0, y.H, cols)
			}
			op = gemm.Op{M: og, N: p, K: kdim, A: w, RsA: kdim, CsA: 1, B: cols, Ldb: p, C: out, Ldc: p, FMA: true}
			op.Run()
			if c.Bias != nil {
				for o := 0; o < og; o++ {
					b := c.Bias[g*og+o]
					row := out[o*p : (o+1)*p]
					for j := range row {
						row[j] += b
					}
				}
			}
		}
	}
}

// Block sizes of the transposed forward product: about blockPixels
// output pixels (whole output rows) by blockK rows of the unfolded input,
// so that a block (≤ 256 KiB) stays in the L2 cache while the kernel
// reads it once for every 8 output channels.
const (
	blockPixels = 128
	blockK      = 256
)

// forwardBlocked computes one image's group, out (og×oh·ow), as
// outᵀ = colsᵀ·Wᵀ + bias in blocks: for each block of output rows, the
// unfolded input is built blockK rows at a time and its product with the
// matching rows of wt (kdim×og) added to the block's outᵀ; the block is
// then transposed into out.
func (c *Conv2d) forwardBlocked(in []float64, h, w, oh, ow int, wt, bias, out []float64) {
	og := c.OutC / c.Groups
	kdim := (c.InC / c.Groups) * c.KH * c.KW
	p := oh * ow
	rows := max(1, blockPixels/ow)
	// A few more rows when that makes a multiple of 4 pixels: the
	// kernel takes rows of outᵀ four at a time and the rest one by one.
	for r := rows; r < rows+3; r++ {
		if r*ow%4 == 0 {
			rows = r
			break
		}
	}
	kc := min(kdim, blockK)
	mb := rows * ow
	c.cols = grow(c.cols, kc*mb)
	c.colsT = grow(c.colsT, 2*mb*og)
	var op gemm.Op
	src := c.source(in, h, w)
	for i0 := 0; i0 < oh; i0 += rows {
		i1 := min(i0+rows, oh)
		m := (i1 - i0) * ow
		cur, prev := c.colsT[:m*og], c.colsT[mb*og:mb*og+m*og]
		for k0 := 0; k0 < kdim; k0 += kc {
			k1 := min(k0+kc, kdim)
			blk := c.cols[:(k1-k0)*m]
			c.im2colBlock(src, ow, k0, k1, i0, i1, blk)
			op = gemm.Op{M: m, N: og, K: k1 - k0, A: blk, RsA: 1, CsA: m, B: wt[k0*og:], Ldb: og, C: cur, Ldc: og, FMA: true}
			if k0 == 0 {
				op.Bias = bias
			} else {
				op.R = prev
			}
			op.Run()
			cur, prev = prev, cur
		}
		// prev holds the block's outᵀ (m×og): transposed in blocks into
		// cur, then each channel's row copied to its place in out.
		gemm.Transpose(m, og, prev, cur)
		for o := 0; o < og; o++ {
			copy(out[o*p+i0*ow:o*p+i0*ow+m], cur[o*m:(o+1)*m])
		}
	}
}

// Backward sets DWeight and DBias to the gradients of a loss whose
// gradient with respect to Forward(x) is dy, and returns the gradient
// with respect to x.
func (c *Conv2d) Backward(x, dy *Tensor) (*Tensor, error) {
	dx := &Tensor{}
	if x != nil {
		dx = &Tensor{N: x.N, C: x.C, H: x.H, W: x.W, Data: make([]float64, x.Len())}
	}
	if err := c.BackwardInto(x, dy, dx); err != nil {
		return nil, err
	}
	return dx, nil
}

// BackwardInto is Backward writing the input's gradient into dx (x's
// shape), or skipping it when dx is nil (a first layer).
func (c *Conv2d) BackwardInto(x, dy, dx *Tensor) error {
	oh, ow, err := c.geometry(x)
	if err != nil {
		return err
	}
	if err := dy.sameShape("conv2d output gradient", x.N, c.OutC, oh, ow); err != nil {
		return err
	}
	if dx != nil {
		if err := dx.sameShape("conv2d input gradient", x.N, x.C, x.H, x.W); err != nil {
			return err
		}
	}
	cg, og := c.InC/c.Groups, c.OutC/c.Groups
	kdim := cg * c.KH * c.KW
	p := oh * ow
	hw := x.H * x.W
	c.DWeight = grow(c.DWeight, len(c.Weight))[:len(c.Weight)]
	if c.Bias != nil {
		c.DBias = grow(c.DBias, c.OutC)[:c.OutC]
		for o := range c.DBias {
			var s float64
			for n := 0; n < x.N; n++ {
				for _, v := range dy.Data[(n*c.OutC+o)*p : (n*c.OutC+o+1)*p] {
					s += v
				}
			}
			c.DBias[o] = s
		}
	} else {
		c.DBias = nil
	}
	// The unfolded input is built kc rows at a time: kc rows of p values,
	// about 256 KiB, stay in the L2 cache for both products.
	kc := min(kdim, max(4, (32<<10)/p))
	// With og ≥ 8 the weight gradient is computed transposed,
	// dWᵀ(kdim×og) = cols·dyᵀ, reading cols along its rows; else
	// dW(og×kdim) = dy·colsᵀ as dot products of their rows.
	trW := og >= 8
	c.cols = grow(c.cols, kc*p)
	c.dcols = grow(c.dcols, kc*p)
	c.acc0 = grow(c.acc0, og*kdim)
	c.acc1 = grow(c.acc1, og*kdim)
	if trW {
		c.dyT = grow(c.dyT, og*p)
	}
	var op gemm.Op
	for g := 0; g < c.Groups; g++ {
		w := c.Weight[g*og*kdim : (g+1)*og*kdim]
		cur, prev := c.acc0[:og*kdim], c.acc1[:og*kdim]
		for n := 0; n < x.N; n++ {
			in := x.Data[(n*c.InC+g*cg)*hw : (n*c.InC+(g+1)*cg)*hw]
			d := dy.Data[(n*c.OutC+g*og)*p : (n*c.OutC+(g+1)*og)*p]
			var dxg []float64
			if dx != nil {
				dxg = dx.Data[(n*c.InC+g*cg)*hw : (n*c.InC+(g+1)*cg)*hw]
				if !c.direct() {
					clear(dxg)
				}
			}
			if trW {
				gemm.Transpose(og, p, d, c.dyT)
			}
			var src source
			if !c.direct() {
				src = c.source(in, x.H, x.W)
			}
			for k0 := 0; k0 < kdim; k0 += kc {
				k1 := min(k0+kc, kdim)
				m := k1 - k0
				var blk []float64
				if c.direct() {
					blk = in[k0*p : k1*p : k1*p] // a 1×1 kernel reads the input's rows in place
				} else {
					blk = c.cols[:m*p]
					c.im2colBlock(src, ow, k0, k1, 0, oh, blk)
				}
				if trW {
					// dWᵀ[k0:k1] (+)= cols[k0:k1]·dyᵀ.
					op = gemm.Op{M: m, N: og, K: p, A: blk, RsA: p, CsA: 1, B: c.dyT, Ldb: og,
						C: cur[k0*og : k1*og], Ldc: og, FMA: true}
					if n > 0 {
						op.R = prev[k0*og : k1*og]
					}
				} else {
					// dW[:, k0:k1] (+)= dy·cols[k0:k1]ᵀ, row by row: with
					// fewer than 8 output channels the products are too
					// narrow for the kernel to pay for transposing the block
					// (a 1→1 3×3 convolution of 28×28, forward and backward: 13.6–14.0
					// → 12.2–12.6 µs).
					for o := 0; o < og; o++ {
						drow := d[o*p : (o+1)*p]
						for r := 0; r < m; r++ {
							v := dotFMA(drow, blk[r*p:(r+1)*p])
							at := o*kdim + k0 + r
							if n > 0 {
								v += prev[at]
							}
							cur[at] = v
						}
					}
				}
				if trW {
					op.Run()
				}
				if dx == nil {
					continue
				}
				// dcols[k0:k1] = W[:, k0:k1]ᵀ·dy, then folded back onto dx.
				dblk := c.dcols[:m*p]
				if c.direct() {
					dblk = dxg[k0*p : k1*p : k1*p]
				}
				op = gemm.Op{M: m, N: p, K: og, A: w[k0:], RsA: 1, CsA: kdim, B: d, Ldb: p, C: dblk, Ldc: p, FMA: true}
				op.Run()
				if !c.direct() {
					c.col2imBlock(dblk, x.H, x.W, oh, ow, k0, k1, dxg)
				}
			}
			cur, prev = prev, cur
		}
		if trW {
			gemm.Transpose(kdim, og, prev, c.DWeight[g*og*kdim:(g+1)*og*kdim])
		} else {
			copy(c.DWeight[g*og*kdim:(g+1)*og*kdim], prev)
		}
	}
	return nil
}

// source is what im2colBlock unfolds: a group's input planes, or for a
// stride from 2 to maxPhased the same planes split into phases (see
// Conv2d.source).
type source struct {
	x      []float64 // the planes, one after another
	h, w   int       // a plane's size
	phased bool
}

// maxPhased is the largest stride whose input is split into phases; a
// larger one (rare, and with few outputs) is read with a stride.
const maxPhased = 4

// source returns the planes im2colBlock reads for the input planes x
// (h×w each). For a stride s from 2 to maxPhased, every plane is split
// once into s² phases of ⌈h/s⌉×⌈w/s⌉ values, phase (a, b) holding
// x[a + u·s, b + v·s] (0 past the plane's edge): a strided convolution's
// unfolded rows are then shifted copies of a phase, contiguous as for
// stride 1, and each input value is read with a stride once instead of
// once for every kernel position. For a 16→32 3×3 stride-2 convolution
// of 28×28 maps the forward pass took 49–52 µs reading with the stride
// and 46–48 µs from the phases (BenchmarkConv, one thread).
func (c *Conv2d) source(x []float64, h, w int) source {
	s := c.Stride
	if s == 1 || s > maxPhased {
		return source{x: x, h: h, w: w}
	}
	hp, wp := (h+s-1)/s, (w+s-1)/s
	n := len(x) / (h * w)
	c.phases = grow(c.phases, n*s*s*hp*wp)
	ph := c.phases
	for ci := 0; ci < n; ci++ {
		plane := x[ci*h*w : (ci+1)*h*w]
		for a := 0; a < s; a++ {
			for b := 0; b < s; b++ {
				dst := ph[((ci*s+a)*s+b)*hp*wp : ((ci*s+a)*s+b+1)*hp*wp]
				// Columns v with b + v·s < w.
				vw := (w - b + s - 1) / s
				for u := 0; u < hp; u++ {
					out := dst[u*wp : (u+1)*wp]
					y := a + u*s
					if y >= h || vw <= 0 {
						clear(out)
						continue
					}
					strided.Gather(out[:vw], plane[y*w+b:(y+1)*w], s)
					clear(out[vw:])
				}
			}
		}
	}
	return source{x: ph[:n*s*s*hp*wp], h: hp, w: wp, phased: true}
}

// floorDiv returns ⌊a/s⌋ and a − s·⌊a/s⌋ (in 0…s−1) for s > 0.
func floorDiv(a, s int) (q, r int) {
	q, r = a/s, a%s
	if r < 0 {
		q, r = q-1, r+s
	}
	return q, r
}

// im2colBlock sets dst to rows k0…k1−1 of the unfolded input, restricted
// to the columns of output rows i0…i1−1: row r of dst ((i1 − i0)·ow
// values) is row k0 + r of the im2col matrix — row (ci, p, q), column
// (i, j) holds x[ci, i·s − pad + p·d, j·s − pad + q·d], or 0 in the
// padding — from column i0·ow on.
func (c *Conv2d) im2colBlock(src source, ow, k0, k1, i0, i1 int, dst []float64) {
	s, pad, d := c.Stride, c.Pad, c.Dilation
	np := (i1 - i0) * ow
	kk := c.KH * c.KW
	h, w := src.h, src.w
	for k := k0; k < k1; k++ {
		ci, p, q := k/kk, k%kk/c.KW, k%c.KW
		row := dst[(k-k0)*np : (k-k0+1)*np]
		y0, x0 := p*d-pad, q*d-pad
		if src.phased {
			// Input row i·s + y0 is row i + dy of phase ay, and so
			// for columns: a stride-1 unfold of that phase.
			dy, ay := floorDiv(y0, s)
			dx, ax := floorDiv(x0, s)
			f := (ci*s+ay)*s + ax
			unfold1(src.x[f*h*w:(f+1)*h*w], h, w, ow, dy, dx, i0, i1, row)
			continue
		}
		plane := src.x[ci*h*w : (ci+1)*h*w]
		if s == 1 {
			unfold1(plane, h, w, ow, y0, x0, i0, i1, row)
			continue
		}
		// Columns j with 0 ≤ j·s + x0 < w: lo ≤ j < hi.
		lo, hi := strided.Span(x0, s, w, ow)
		for i := i0; i < i1; i++ {
			out := row[(i-i0)*ow : (i-i0+1)*ow]
			y := i*s + y0
			if y < 0 || y >= h {
				clear(out)
				continue
			}
			clear(out[:lo])
			if lo < hi {
				strided.Gather(out[lo:hi], plane[y*w+lo*s+x0:(y+1)*w], s)
			}
			clear(out[hi:])
		}
	}
}

// unfold1 is one row of a stride-1 im2col: output rows i0…i1−1 (ow
// values each) of the plane (h×w) shifted by (y0, x0), 0 outside it.
func unfold1(plane []float64, h, w, ow, y0, x0, i0, i1 int, row []float64) {
	lo, hi := strided.Span(x0, 1, w, ow)
	if ow == w {
		shiftRows(plane, h, w, y0, x0, lo, hi, i0, i1, row)
		return
	}
	for i := i0; i < i1; i++ {
		out := row[(i-i0)*ow : (i-i0+1)*ow]
		y := i + y0
		if y < 0 || y >= h {
			clear(out)
			continue
		}
		src := plane[y*w : (y+1)*w]
		clear(out[:lo])
		copy(out[lo:hi], src[lo+x0:hi+x0])
		clear(out[hi:])
	}
}

// shiftRows is one row of im2col for stride 1 and an output as wide as
// the input (ow = w, 'same' padding): output rows i0…i1−1 of the plane
// shifted by (y0, x0), zero outside it. The rows that fall inside the
// plane are one contiguous copy (row i, column j reads plane[(i + y0)·w +
// j + x0]), after which the columns outside lo…hi−1 — which the flat copy
// took from the neighbouring row — are zeroed.
func shiftRows(plane []float64, h, w, y0, x0, lo, hi, i0, i1 int, out []float64) {
	a, b := max(i0, -y0), min(i1, h-y0) // rows whose input row is inside
	if a >= b {
		clear(out[:(i1-i0)*w])
		return
	}
	clear(out[:(a-i0)*w])
	clear(out[(b-i0)*w : (i1-i0)*w])
	dst := out[(a-i0)*w : (b-i0)*w]
	start := (a+y0)*w + x0
	// Clamp the flat copy to the plane; what it skips lies in the zeroed
	// border columns.
	d0, s0, n := 0, start, len(dst)
	if s0 < 0 {
		d0, s0, n = -s0, 0, n+s0
	}
	n = min(n, len(plane)-s0)
	copy(dst[d0:d0+n], plane[s0:s0+n])
	if lo > 0 || hi < w {
		for r := 0; r < b-a; r++ {
			rw := dst[r*w : (r+1)*w]
			clear(rw[:lo])
			clear(rw[hi:])
		}
	}
}

// col2imBlock adds rows k0…k1−1 of an unfolded gradient (src, k1 − k0
// rows of oh·ow) back onto dx (cg planes of h×w): the adjoint of im2col
// restricted to those rows.
func (c *Conv2d) col2imBlock(src []float64, h, w, oh, ow, k0, k1 int, dx []float64) {
	s, pad, d := c.Stride, c.Pad, c.Dilation
	np := oh * ow
	kk := c.KH * c.KW
	for k := k0; k < k1; k++ {
		ci, p, q := k/kk, k%kk/c.KW, k%c.KW
		plane := dx[ci*h*w : (ci+1)*h*w]
		row := src[(k-k0)*np : (k-k0+1)*np]
		x0 := q*d - pad
		lo, hi := strided.Span(x0, s, w, ow)
		for i := 0; i < oh; i++ {
			y := i*s - pad + p*d
			if y < 0 || y >= h {
				continue
			}
			in := row[i*ow : (i+1)*ow]
			dst := plane[y*w : (y+1)*w]
			if s == 1 {
				strided.Add(dst[lo+x0:hi+x0], in[lo:hi])
			} else if lo < hi {
				strided.ScatterAdd(dst[lo*s+x0:], in[lo:hi], s)
			}
		}
	}
}

// dotFMA returns Σ x[i]·y[i] (len(y) ≥ len(x)) in four running sums, each
// multiply fused into its add.
func dotFMA(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		a, b := x[i:i+4:i+4], y[i:i+4:i+4]
		s0 = math.FMA(a[0], b[0], s0)
		s1 = math.FMA(a[1], b[1], s1)
		s2 = math.FMA(a[2], b[2], s2)
		s3 = math.FMA(a[3], b[3], s3)
	}
	for ; i < len(x); i++ {
		s0 = math.FMA(x[i], y[i], s0)
	}
	return (s0 + s1) + (s2 + s3)
}

// grow returns s with at least n values (its contents are not kept).
func grow(s []float64, n int) []float64 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]float64, n)
}
