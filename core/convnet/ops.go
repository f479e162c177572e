package convnet

import (
	"math"

	"github.com/nnlab/nnlab/core/internal/gemm"
)

// slot is an activation and the gradient of the loss with respect to it.
// In a backward pass the first node that sends a gradient to a slot
// writes it, the others add theirs (a block's input feeds both its
// convolution and its shortcut; a module's, four branches).
type slot struct {
	a, g   act
	gSet   bool
	noGrad bool // the net's input: no gradient is needed
}

// gradTarget returns the gradient to write (acc false) or add to (acc
// true), shaped as the activation, or nil for the input.
func (s *slot) gradTarget() (g *act, acc bool) {
	if s.noGrad {
		return nil, false
	}
	acc = s.gSet
	s.gSet = true
	s.g.resize(s.a.C, s.a.N, s.a.H, s.a.W)
	return &s.g, acc
}

// node is one step of a net's forward pass; backward reads the gradient
// of its output and sends gradients to its inputs (and its parameters').
type node interface {
	forward(train bool)
	backward()
}

// unit is a convolution, then batch normalization (bn not nil), then a
// ReLU (relu): torchvision's BasicConv2d, and the convolutions of a block.
type unit struct {
	in, out *slot
	conv    *conv
	bn      *bn
	relu    bool
	z       act // the convolution's output, then BN's x̂
}

func (u *unit) forward(train bool) {
	if u.bn != nil {
		u.conv.forward(&u.in.a, &u.z)
		u.bn.forward(&u.z, &u.out.a, train)
		return
	}
	u.conv.forward(&u.in.a, &u.out.a)
	if u.relu {
		for i, v := range u.out.a.Data {
			u.out.a.Data[i] = max(v, 0)
		}
	}
}

func (u *unit) backward() {
	g := &u.out.g
	if u.bn != nil {
		dz := &u.conv.ws.dz
		u.bn.backward(&u.z, &u.out.a, g, dz)
		g = dz
	} else if u.relu {
		reluMask(g.Data, u.out.a.Data)
	}
	dx, acc := u.in.gradTarget()
	u.conv.backward(&u.in.a, g, dx, acc)
}

// join is the end of a basic block: out = relu(a + shortcut(s)), where
// the shortcut is the identity, option A — s[:, :, ::Stride, ::Stride]
// with zero channels appended up to a's — or, when proj is set, s itself
// being the projection's output (option B). plain is out = relu(a).
type join struct {
	a, s, out *slot
	stride    int
	plain     bool
}

func (j *join) forward(bool) {
	a := &j.a.a
	o := &j.out.a
	o.resize(a.C, a.N, a.H, a.W)
	s := &j.s.a
	if !j.plain && s.C == a.C && s.H == a.H && s.W == a.W {
		sd, od := s.Data[:len(a.Data)], o.Data[:len(a.Data)]
		for i, v := range a.Data {
			od[i] = max(v+sd[i], 0)
		}
		return
	}
	copy(o.Data, a.Data)
	if !j.plain {
		j.subsample(s, o, false)
	}
	for i, v := range o.Data {
		o.Data[i] = max(v, 0)
	}
}

// subsample adds s[c, n, y·stride, x·stride] to (or, adjoint, from)
// o[c, n, y, x] for the channels c < s.C: option A's shortcut.
func (j *join) subsample(s, o *act, adjoint bool) {
	for c := 0; c < s.C; c++ {
		for n := 0; n < s.N; n++ {
			sp := s.Data[(c*s.N+n)*s.H*s.W : (c*s.N+n+1)*s.H*s.W]
			op := o.Data[(c*o.N+n)*o.H*o.W : (c*o.N+n+1)*o.H*o.W]
			for y := 0; y < o.H; y++ {
				srow := sp[y*j.stride*s.W:]
				orow := op[y*o.W : (y+1)*o.W]
				for x := range orow {
					if adjoint {
						srow[x*j.stride] += orow[x]
					} else {
						orow[x] += srow[x*j.stride]
					}
				}
			}
		}
	}
}

func (j *join) backward() {
	g, o := &j.out.g, &j.out.a
	reluMask(g.Data, o.Data)
	da, acc := j.a.gradTarget()
	addOrCopy(da.Data, g.Data, acc)
	if j.plain {
		return
	}
	ds, acc := j.s.gradTarget()
	if ds == nil {
		return
	}
	if ds.C == g.C && ds.H == g.H && ds.W == g.W {
		addOrCopy(ds.Data, g.Data, acc)
		return
	}
	if !acc {
		clear(ds.Data)
	}
	j.subsample(ds, g, true)
}

func addOrCopy(dst, src []float64, add bool) {
	if !add {
		copy(dst, src)
		return
	}
	for i, v := range src {
		dst[i] += v
	}
}

// maxPool is torch.nn.functional.max_pool2d(x, K, S, Pad) (floor mode,
// −∞ padding). Its gradient goes to the first maximum of a window in
// row-major order, as torch's does.
type maxPool struct {
	in, out   *slot
	K, S, Pad int
	argmax    []int32 // each output's input position, from a training forward
	rowMax    []float64
	rowArg    []int32
}

func (m *maxPool) outSide(in int) int { return (in+2*m.Pad-m.K)/m.S + 1 }

// gt is 1 when a > b, else 0, without a branch (SETcc).
func gt(a, b float64) int32 {
	var r int32
	if a > b {
		r = 1
	}
	return r
}

// forward pools each plane in two passes, along x then along y: the
// maximum of each row's windows (and, in training, its position), then of
// those along y. Strict comparisons keep the first maximum in row-major
// order, as torch does; the selects are branch-free (a data-dependent
// branch per value costs more than the pooling). A NaN is not propagated
// as torch propagates it.
func (m *maxPool) forward(train bool) {
	x, y := &m.in.a, &m.out.a
	h, w := x.H, x.W
	oh, ow := m.outSide(h), m.outSide(w)
	y.resize(x.C, x.N, oh, ow)
	m.rowMax = grow(m.rowMax, h*ow)
	if cap(m.rowArg) < h*ow {
		m.rowArg = make([]int32, h*ow)
	}
	if train {
		if cap(m.argmax) >= len(y.Data) {
			m.argmax = m.argmax[:len(y.Data)]
		} else {
			m.argmax = make([]int32, len(y.Data))
		}
	}
	rm, ra := m.rowMax[:h*ow], m.rowArg[:h*ow]
	hw, ohw := h*w, oh*ow
	for nc := 0; nc < x.C*x.N; nc++ {
		in := x.Data[nc*hw : (nc+1)*hw]
		out := y.Data[nc*ohw : (nc+1)*ohw]
		for r := 0; r < h; r++ {
			row := in[r*w : (r+1)*w]
			rmr, rar := rm[r*ow:(r+1)*ow], ra[r*ow:(r+1)*ow]
			base := int32(r * w)
			for j := 0; j < ow; j++ {
				x0 := j*m.S - m.Pad
				if m.K == 3 && x0 >= 0 && x0+2 < w {
					// A whole 3-wide window, unrolled (GoogLeNet's pools).
					a, b, c := row[x0], row[x0+1], row[x0+2]
					best, at := a, base+int32(x0)
					g := gt(b, best)
					at ^= (at ^ (base + int32(x0+1))) & -g
					best = max(best, b)
					g = gt(c, best)
					at ^= (at ^ (base + int32(x0+2))) & -g
					rmr[j], rar[j] = max(best, c), at
					continue
				}
				x1 := min(x0+m.K, w)
				x0 = max(x0, 0)
				best, at := row[x0], base+int32(x0)
				for xx := x0 + 1; xx < x1; xx++ {
					v := row[xx]
					g := gt(v, best)
					at ^= (at ^ (base + int32(xx))) & -g
					best = max(best, v)
				}
				rmr[j], rar[j] = best, at
			}
		}
		for i := 0; i < oh; i++ {
			y0 := i*m.S - m.Pad
			y1 := min(y0+m.K, h)
			y0 = max(y0, 0)
			o := out[i*ow : (i+1)*ow]
			copy(o, rm[y0*ow:(y0+1)*ow])
			if !train {
				for yy := y0 + 1; yy < y1; yy++ {
					for j, v := range rm[yy*ow : (yy+1)*ow] {
						o[j] = max(o[j], v)
					}
				}
				continue
			}
			am := m.argmax[nc*ohw+i*ow : nc*ohw+(i+1)*ow]
			copy(am, ra[y0*ow:(y0+1)*ow])
			for yy := y0 + 1; yy < y1; yy++ {
				ar := ra[yy*ow : (yy+1)*ow]
				for j, v := range rm[yy*ow : (yy+1)*ow] {
					g := gt(v, o[j])
					am[j] ^= (am[j] ^ ar[j]) & -g
					o[j] = max(o[j], v)
				}
			}
		}
	}
}

// backward sends each output's gradient to its window's maximum.
func (m *maxPool) backward() {
	dx, acc := m.in.gradTarget()
	if dx == nil {
		return
	}
	if !acc {
		clear(dx.Data)
	}
	g := &m.out.g
	hw, ohw := dx.H*dx.W, g.H*g.W
	for nc := 0; nc < g.C*g.N; nc++ {
		d := dx.Data[nc*hw : (nc+1)*hw]
		am := m.argmax[nc*ohw : (nc+1)*ohw]
		for i, v := range g.Data[nc*ohw : (nc+1)*ohw] {
			d[am[i]] += v
		}
	}
}

// concat joins its inputs along channels (torch.cat(xs, 1)); in the
// channel-major layout each input is one contiguous run.
type concat struct {
	ins []*slot
	out *slot
}

func (c *concat) forward(bool) {
	a := &c.ins[0].a
	ch := 0
	for _, s := range c.ins {
		ch += s.a.C
	}
	c.out.a.resize(ch, a.N, a.H, a.W)
	off := 0
	for _, s := range c.ins {
		off += copy(c.out.a.Data[off:], s.a.Data)
	}
}

func (c *concat) backward() {
	off := 0
	for _, s := range c.ins {
		n := len(s.a.Data)
		d, acc := s.gradTarget()
		if d != nil {
			addOrCopy(d.Data, c.out.g.Data[off:off+n], acc)
		}
		off += n
	}
}

// head is global average pooling and a linear layer to the classes:
// logits[n, k] = b[k] + Σ_c W[k, c]·mean_{y,x} in[c, n, y, x].
type head struct {
	in           *slot
	Classes      int
	W, B, DW, DB []float64
	feat, logits []float64 // N×C, N×Classes
	dlogits, wt  []float64
	dfeat        []float64
}

func (h *head) forward(bool) {
	x := &h.in.a
	n, c, p := x.N, x.C, x.P()
	h.feat = grow(h.feat, n*c)
	for ch := 0; ch < c; ch++ {
		for i := 0; i < n; i++ {
			var s float64
			for _, v := range x.Data[(ch*n+i)*p : (ch*n+i+1)*p] {
				s += v
			}
			h.feat[i*c+ch] = s / float64(p)
		}
	}
	h.logits = grow(h.logits, n*h.Classes)
	h.wt = grow(h.wt, c*h.Classes)
	gemm.Transpose(h.Classes, c, h.W, h.wt)
	op := gemm.Op{M: n, N: h.Classes, K: c, A: h.feat, RsA: c, CsA: 1, B: h.wt, Ldb: h.Classes, C: h.logits, Ldc: h.Classes, Bias: h.B, FMA: true}
	op.Run()
}

// backward takes dlogits (set by the loss) to the parameters' gradients
// and the input's.
func (h *head) backward() {
	x := &h.in.a
	n, c, p := x.N, x.C, x.P()
	k := h.Classes
	// DW (k × c) = dlogitsᵀ·feat, DB = Σ_n dlogits.
	op := gemm.Op{M: k, N: c, K: n, A: h.dlogits, RsA: 1, CsA: k, B: h.feat, Ldb: c, C: h.DW, Ldc: c, FMA: true}
	op.Run()
	clear(h.DB)
	for i := 0; i < n; i++ {
		for j, g := range h.dlogits[i*k : (i+1)*k] {
			h.DB[j] += g
		}
	}
	// dfeat (n × c) = dlogits·W.
	h.dfeat = grow(h.dfeat, n*c)
	op = gemm.Op{M: n, N: c, K: k, A: h.dlogits, RsA: k, CsA: 1, B: h.W, Ldb: c, C: h.dfeat, Ldc: c, FMA: true}
	op.Run()
	dx, acc := h.in.gradTarget()
	if dx == nil {
		return
	}
	for ch := 0; ch < c; ch++ {
		for i := 0; i < n; i++ {
			v := h.dfeat[i*c+ch] / float64(p)
			d := dx.Data[(ch*n+i)*p : (ch*n+i+1)*p]
			if acc {
				for j := range d {
					d[j] += v
				}
			} else {
				for j := range d {
					d[j] = v
				}
			}
		}
	}
}

// crossEntropy is torch.nn.functional.cross_entropy(logits, labels) with
// the mean over the batch; it writes dL/dlogits into grad (n×k) and
// returns L. The log-softmax is z − max z − log Σ exp(z − max z).
func crossEntropy(logits []float64, labels []int, k int, grad []float64) float64 {
	n := len(labels)
	var loss float64
	for i, y := range labels {
		z := logits[i*k : (i+1)*k]
		zmax := math.Inf(-1)
		for _, v := range z {
			zmax = max(zmax, v)
		}
		var s float64
		for _, v := range z {
			s += math.Exp(v - zmax)
		}
		lse := math.Log(s)
		loss -= z[y] - zmax - lse
		if grad != nil {
			g := grad[i*k : (i+1)*k]
			for j, v := range z {
				g[j] = math.Exp(v-zmax-lse) / float64(n)
			}
			g[y] -= 1 / float64(n)
		}
	}
	return loss / float64(n)
}
