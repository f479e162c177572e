package convnet

import "math"

// BN's constants, torch.nn.BatchNorm2d's defaults.
const (
	bnEps      = 1e-5
	bnMomentum = 0.1
)

// bn is torch.nn.BatchNorm2d(C) with its affine weight γ and bias β (views
// into the net's parameter vector) over a channel-major batch, optionally
// followed by a ReLU. In training it normalises each channel with the
// batch's mean μ and biased variance σ² over its N·H·W values,
//
//	y = γ·(x − μ)/√(σ² + ε) + β,
//
// and updates the running statistics with the unbiased variance
// (momentum 0.1); in evaluation it uses the running statistics.
type bn struct {
	C               int
	G, B, DG, DB    []float64
	RunMean, RunVar []float64
	invstd          []float64
	trainedWith     bool // the last forward normalised with batch statistics
	hasReLU         bool
}

func newBN(c int, relu bool) *bn {
	b := &bn{C: c, hasReLU: relu, RunMean: make([]float64, c), RunVar: make([]float64, c), invstd: make([]float64, c)}
	for i := range b.RunVar {
		b.RunVar[i] = 1
	}
	return b
}

// sum4 returns Σ v, in four interleaved partial sums (the order differs
// from a sequential sum in the last bits).
func sum4(v []float64) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(v); i += 4 {
		s0 += v[i]
		s1 += v[i+1]
		s2 += v[i+2]
		s3 += v[i+3]
	}
	for ; i < len(v); i++ {
		s0 += v[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// sqDev4 returns Σ (v − m)², as sum4 does.
func sqDev4(v []float64, m float64) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(v); i += 4 {
		d0, d1, d2, d3 := v[i]-m, v[i+1]-m, v[i+2]-m, v[i+3]-m
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(v); i++ {
		d := v[i] - m
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}

// forward normalises z in place into x̂ (kept for backward) and writes
// y = [relu](γ·x̂ + β).
func (b *bn) forward(z, y *act, train bool) {
	y.resize(z.C, z.N, z.H, z.W)
	m := z.N * z.P()
	b.trainedWith = train
	for c := 0; c < b.C; c++ {
		zc, yc := z.plane(c), y.plane(c)
		var mean, invstd float64
		if train {
			mean = sum4(zc) / float64(m)
			ss := sqDev4(zc, mean)
			invstd = 1 / math.Sqrt(ss/float64(m)+bnEps)
			b.RunMean[c] = (1-bnMomentum)*b.RunMean[c] + bnMomentum*mean
			unbiased := ss
			if m > 1 {
				unbiased = ss / float64(m-1)
			}
			b.RunVar[c] = (1-bnMomentum)*b.RunVar[c] + bnMomentum*unbiased
		} else {
			mean, invstd = b.RunMean[c], 1/math.Sqrt(b.RunVar[c]+bnEps)
		}
		b.invstd[c] = invstd
		g, be := b.G[c], b.B[c]
		yc = yc[:len(zc)]
		for i, v := range zc {
			xh := (v - mean) * invstd
			zc[i] = xh
			yc[i] = xh*g + be
		}
		if b.hasReLU {
			for i, v := range yc {
				yc[i] = max(v, 0)
			}
		}
	}
}

// backward sets DG = Σ dy·x̂ and DB = Σ dy per channel (dy taken through
// the ReLU, whose output y is, when there is one: dy is masked in place)
// and writes the gradient with respect to the forward's input into dz:
//
//	dz = γ/(M·√(σ² + ε)) · (M·dy − Σdy − x̂·Σ(dy·x̂)).
//
// xh is the x̂ forward left in place of its input.
func (b *bn) backward(xh, y, dy, dz *act) {
	dz.resize(xh.C, xh.N, xh.H, xh.W)
	m := float64(xh.N * xh.P())
	for c := 0; c < b.C; c++ {
		xc, dc, oc := xh.plane(c), dy.plane(c), dz.plane(c)
		dc, oc = dc[:len(xc)], oc[:len(xc)]
		if b.hasReLU {
			reluMask(dc, y.plane(c))
		}
		sdy := sum4(dc)
		var s0, s1, s2, s3 float64
		i := 0
		for ; i+4 <= len(dc); i += 4 {
			s0 += dc[i] * xc[i]
			s1 += dc[i+1] * xc[i+1]
			s2 += dc[i+2] * xc[i+2]
			s3 += dc[i+3] * xc[i+3]
		}
		for ; i < len(dc); i++ {
			s0 += dc[i] * xc[i]
		}
		sdyx := (s0 + s1) + (s2 + s3)
		b.DG[c], b.DB[c] = sdyx, sdy
		k := b.G[c] * b.invstd[c]
		if !b.trainedWith {
			for i, g := range dc {
				oc[i] = k * g
			}
			continue
		}
		a, bb := sdy/m, sdyx/m
		for i, g := range dc {
			oc[i] = k * (g - a - xc[i]*bb)
		}
	}
}

// reluMask zeroes g where the ReLU's output y is 0 (torch's
// threshold_backward), without a branch per value: y = max(x, 0) is +0 or
// positive, and positive exactly when its bits are not all zero. (A NaN
// output lets its gradient through.)
func reluMask(g, y []float64) {
	y = y[:len(g)]
	for i, v := range y {
		b := math.Float64bits(v)
		nz := (b | -b) >> 63
		g[i] = math.Float64frombits(math.Float64bits(g[i]) & -nz)
	}
}
