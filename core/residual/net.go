package residual

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nnlab/nnlab/core/internal/gemm"
)

// Init is a weight initialization scheme. Biases always start at zero.
type Init string

// The initialization schemes. fan_in and fan_out are a layer's input and
// output widths.
const (
	// He is Kaiming normal (He et al. 2015, "Delving deep into rectifiers"),
	// fan_in mode, gain √2: w ~ N(0, 2/fan_in). PyTorch:
	// nn.init.kaiming_normal_(w, nonlinearity="relu").
	He Init = "he"
	// Xavier is Glorot normal with gain 1: w ~ N(0, 2/(fan_in+fan_out)).
	// PyTorch: nn.init.xavier_normal_(w).
	Xavier Init = "xavier"
	// Small is w ~ N(0, 0.01²), the "small random numbers" of early nets.
	Small Init = "small"
	// Torch is PyTorch's nn.Linear default (kaiming_uniform_ with a = √5):
	// w ~ U(−1/√fan_in, 1/√fan_in) and, unlike the other schemes, biases too
	// b ~ U(−1/√fan_in, 1/√fan_in). Its weight std is 1/√(3·fan_in).
	Torch Init = "torch"
)

// Inits lists the schemes in the order the experiment offers them.
var Inits = []Init{Torch, He, Xavier, Small}

// Std returns the standard deviation of the weights of a layer with the
// given fan-in and fan-out under scheme in.
func (in Init) Std(fanIn, fanOut int) (float64, error) {
	switch in {
	case He:
		return math.Sqrt(2 / float64(fanIn)), nil
	case Xavier:
		return math.Sqrt(2 / float64(fanIn+fanOut)), nil
	case Small:
		return 0.01, nil
	case Torch:
		return 1 / math.Sqrt(3*float64(fanIn)), nil
	}
	return 0, fmt.Errorf("residual: init must be one of torch, he, xavier, small, got %q", string(in))
}

// Inputs and Classes are the sizes of the network's input (a point in the
// plane) and output (two classes).
const (
	Inputs  = 2
	Classes = 2
)

// Net is a deep MLP for 2-D two-class data:
//
//	h₀ = relu(W₀x + b₀)                          input layer, 2 → width
//	h_{k+1} = relu(W₂ relu(W₁h_k + b₁) + b₂)     plain block k (k = 0 … depth−1)
//	h_{k+1} = relu(h_k + W₂ relu(W₁h_k + b₁) + b₂) residual block k
//	logits = W_out h_depth + b_out               output layer, width → 2
//
// trained on softmax cross-entropy averaged over the batch. The residual
// block is the original post-activation ResNet block (He et al. 2015, Fig. 2)
// without batch normalization; plain and residual nets differ only in the
// identity skip "h_k +".
//
// With batch normalization (NewBNNet), every linear layer but the output
// layer loses its bias and is followed by BN before its ReLU, as in He et al.
// (§3.4: BN right after each convolution and before activation):
//
//	h₀ = relu(BN₀(W₀x))
//	h_{k+1} = relu([h_k +] BN₂(W₂ relu(BN₁(W₁h_k))))
//
// BN is torch.nn.BatchNorm1d in training mode: per feature j over the rows
// of the batch, μ_j = mean, σ²_j = biased variance,
// BN(z)_ij = γ_j·(z_ij − μ_j)/√(σ²_j + 1e-5) + β_j, with γ = 1 and β = 0 at
// initialization. Statistics are always those of the current batch (no
// running averages are kept), so a batch needs at least two rows.
//
// Linear layers are numbered 0 … 2·depth+1 from the input side. Each layer's
// weights are stored transposed (in×out, row-major) followed by its bias, all
// layers back to back in one flat parameter vector; the gradients mirror that
// layout. A Net owns buffers for batches of up to MaxBatch rows, so a
// training step allocates nothing. A Net is not safe for concurrent use.
type Net struct {
	Depth, Width int
	Residual     bool
	BN           bool // batch normalization after each hidden linear layer
	MaxBatch     int

	params, grads []float64
	layers        []layer

	acts   [][]float64 // acts[l] is the input of layer l, MaxBatch×in_l
	logits []float64   // MaxBatch×Classes; holds dL/dlogits after backward
	g, ds  []float64   // MaxBatch×Width gradient buffers
	dz     []float64   // MaxBatch×Width: the gradient below a BN layer
	op     gemm.Op     // the product being run (kept here so it does not escape per call)
}

// layer is one linear layer y = W·x + b viewed into the flat vectors, or,
// with bn, y = BN(W·x) with BN's scale γ and shift β and no bias.
type layer struct {
	in, out int
	off     int       // where the layer's parameters start in params
	wt, b   []float64 // weights transposed (in×out) and bias, in params
	dwt, db []float64 // their gradients, in grads
	w       []float64 // a copy of W (out×in) for the input gradient dZ·W

	bn            bool
	gamma, beta   []float64 // BN scale and shift, in params
	dgamma, dbeta []float64 // their gradients, in grads
	xhat          []float64 // MaxBatch×out: the normalized W·x of the last forward pass
	invstd        []float64 // out: 1/√(σ² + ε) of the last forward pass
	mean, mb, mg  []float64 // out: scratch for the forward and backward passes
}

// BNEps is the ε of batch normalization, torch.nn.BatchNorm1d's default.
const BNEps = 1e-5

// NumLayers returns the number of linear layers of a net with depth blocks.
func NumLayers(depth int) int { return 2*depth + 2 }

// NumParams returns the number of parameters (weights and biases) of a net
// with depth blocks of the given width:
// (2w + w) + depth·2·(w² + w) + (2w + 2).
func NumParams(depth, width int) int {
	return Inputs*width + width + depth*2*(width*width+width) + width*Classes + Classes
}

// ParamCount returns the number of parameters of a net with depth blocks of
// the given width, with or without batch normalization. With BN each of the
// 2·depth + 1 hidden layers trades its bias (width) for γ and β (2·width):
// NumParams(depth, width) + (2·depth + 1)·width.
func ParamCount(depth, width int, bn bool) int {
	n := NumParams(depth, width)
	if bn {
		n += (2*depth + 1) * width
	}
	return n
}

// NewNet returns a net without batch normalization, with zero weights and
// buffers for maxBatch rows.
func NewNet(depth, width, maxBatch int, residual bool) (*Net, error) {
	return newNet(depth, width, maxBatch, residual, false)
}

// NewBNNet returns a net with batch normalization after each hidden linear
// layer (see Net), zero weights, γ = 1, β = 0 and buffers for maxBatch ≥ 2
// rows.
func NewBNNet(depth, width, maxBatch int, residual bool) (*Net, error) {
	if maxBatch < 2 {
		return nil, fmt.Errorf("residual: batch normalization needs a batch of ≥ 2, got %d", maxBatch)
	}
	return newNet(depth, width, maxBatch, residual, true)
}

func newNet(depth, width, maxBatch int, residual, bn bool) (*Net, error) {
	switch {
	case depth < 1:
		return nil, fmt.Errorf("residual: depth must be ≥ 1, got %d", depth)
	case width < 1:
		return nil, fmt.Errorf("residual: width must be ≥ 1, got %d", width)
	case maxBatch < 1:
		return nil, fmt.Errorf("residual: batch must be ≥ 1, got %d", maxBatch)
	}
	n := &Net{Depth: depth, Width: width, Residual: residual, BN: bn, MaxBatch: maxBatch}
	np := ParamCount(depth, width, bn)
	n.params = make([]float64, np)
	n.grads = make([]float64, np)
	L := NumLayers(depth)
	n.layers = make([]layer, L)
	n.acts = make([][]float64, L)
	off := 0
	for l := range n.layers {
		in, out := width, width
		if l == 0 {
			in = Inputs
		}
		if l == L-1 {
			out = Classes
		}
		ly := &n.layers[l]
		ly.in, ly.out = in, out
		ly.off = off
		ly.wt, ly.dwt = n.params[off:off+in*out:off+in*out], n.grads[off:off+in*out:off+in*out]
		off += in * out
		if bn && l < L-1 {
			ly.bn = true
			ly.gamma, ly.dgamma = n.params[off:off+out:off+out], n.grads[off:off+out:off+out]
			off += out
			ly.beta, ly.dbeta = n.params[off:off+out:off+out], n.grads[off:off+out:off+out]
			off += out
			for i := range ly.gamma {
				ly.gamma[i] = 1
			}
			ly.xhat = make([]float64, maxBatch*out)
			ly.invstd = make([]float64, out)
			ly.mean = make([]float64, out)
			ly.mb = make([]float64, out)
			ly.mg = make([]float64, out)
		} else {
			ly.b, ly.db = n.params[off:off+out:off+out], n.grads[off:off+out:off+out]
			off += out
		}
		ly.w = make([]float64, in*out)
		n.acts[l] = make([]float64, maxBatch*in)
	}
	n.logits = make([]float64, maxBatch*Classes)
	n.g = make([]float64, maxBatch*width)
	n.ds = make([]float64, maxBatch*width)
	if bn {
		n.dz = make([]float64, maxBatch*width)
	}
	return n, nil
}

// setParams makes p (laid out as Params) the net's parameter vector,
// re-pointing every layer's views into it, and re-syncs. A trainer swaps
// two vectors this way instead of copying one.
func (n *Net) setParams(p []float64) {
	n.bind(p)
	n.Sync()
}

// bind makes p the parameter vector and re-points the layers' views, without
// refreshing the weight copies.
func (n *Net) bind(p []float64) {
	n.params = p[:len(n.params):len(n.params)]
	for l := range n.layers {
		ly := &n.layers[l]
		off, in, out := ly.off, ly.in, ly.out
		ly.wt = n.params[off : off+in*out : off+in*out]
		off += in * out
		if ly.bn {
			ly.gamma = n.params[off : off+out : off+out]
			ly.beta = n.params[off+out : off+2*out : off+2*out]
		} else {
			ly.b = n.params[off : off+out : off+out]
		}
	}
}

// update writes the optimizer's next step from the net's parameters, with
// the gradient scaled by f (see optimizer.update), into dst, and makes dst
// the net's parameters. It goes layer by layer, transposing each layer's
// new weights into its copy while they are in cache, so no pass of Sync
// over all weights follows.
func (n *Net) update(o *optimizer, dst []float64, f float64) {
	o.t++
	for l := range n.layers {
		ly := &n.layers[l]
		hi := len(n.params)
		if l+1 < len(n.layers) {
			hi = n.layers[l+1].off
		}
		o.update(dst, n.params, n.grads, ly.off, hi, f)
		gemm.Transpose(ly.in, ly.out, dst[ly.off:ly.off+ly.in*ly.out], ly.w)
	}
	n.bind(dst)
}

// Params returns the flat parameter vector (layer by layer: Wᵀ then b, or
// Wᵀ then γ and β for a layer with BN). It
// aliases the net's storage; call Sync after changing it. Training (Train)
// alternates between two vectors, so take Params again after a step.
func (n *Net) Params() []float64 { return n.params }

// Grads returns the flat gradient vector, laid out like Params. It aliases
// the net's storage and is overwritten by each LossGrad.
func (n *Net) Grads() []float64 { return n.grads }

// Weight returns W of layer l as out×in rows (the PyTorch nn.Linear.weight
// layout), a fresh copy.
func (n *Net) Weight(l int) [][]float64 {
	return rowsOfT(n.layers[l].wt, n.layers[l].in, n.layers[l].out)
}

// WeightGrad returns ∂L/∂W of layer l as out×in rows, a fresh copy.
func (n *Net) WeightGrad(l int) [][]float64 {
	return rowsOfT(n.layers[l].dwt, n.layers[l].in, n.layers[l].out)
}

// Bias returns b of layer l, aliased (nil for a layer with BN).
func (n *Net) Bias(l int) []float64 { return n.layers[l].b }

// BiasGrad returns ∂L/∂b of layer l, aliased (nil for a layer with BN).
func (n *Net) BiasGrad(l int) []float64 { return n.layers[l].db }

// Gamma and Beta return BN's scale γ and shift β after layer l, aliased (nil
// without BN); GammaGrad and BetaGrad their gradients.
func (n *Net) Gamma(l int) []float64     { return n.layers[l].gamma }
func (n *Net) Beta(l int) []float64      { return n.layers[l].beta }
func (n *Net) GammaGrad(l int) []float64 { return n.layers[l].dgamma }
func (n *Net) BetaGrad(l int) []float64  { return n.layers[l].dbeta }

// SetWeight sets W of layer l from out×in rows and re-syncs.
func (n *Net) SetWeight(l int, w [][]float64) error {
	ly := &n.layers[l]
	if len(w) != ly.out {
		return fmt.Errorf("residual: layer %d weight needs %d rows, got %d", l, ly.out, len(w))
	}
	for o, row := range w {
		if len(row) != ly.in {
			return fmt.Errorf("residual: layer %d weight row %d needs %d values, got %d", l, o, ly.in, len(row))
		}
		for i, x := range row {
			ly.wt[i*ly.out+o] = x
		}
	}
	n.Sync()
	return nil
}

// rowsOfT turns an in×out transposed matrix into out×in rows.
func rowsOfT(t []float64, in, out int) [][]float64 {
	rows := make([][]float64, out)
	for o := range rows {
		rows[o] = make([]float64, in)
		for i := range rows[o] {
			rows[o][i] = t[i*out+o]
		}
	}
	return rows
}

// Initialize draws every weight from N(0, std²) with std from scheme in and
// sets biases to zero (Torch: weights, then biases, from a uniform), and
// syncs. Layers are filled in order, input side
// first, each weight matrix in W's row-major (out×in) order, so two nets
// initialized from equal generators get equal weights. With BN, γ = 1 and
// β = 0; under Torch the biases a layer with BN lacks are still drawn (and
// dropped), so a net with BN gets the same weights as one without.
func (n *Net) Initialize(in Init, rng *rand.Rand) error {
	for l := range n.layers {
		ly := &n.layers[l]
		std, err := in.Std(ly.in, ly.out)
		if err != nil {
			return err
		}
		if in == Torch {
			bound := 1 / math.Sqrt(float64(ly.in))
			for o := 0; o < ly.out; o++ {
				for i := 0; i < ly.in; i++ {
					ly.wt[i*ly.out+o] = bound * (2*rng.Float64() - 1)
				}
			}
			for o := 0; o < ly.out; o++ {
				b := bound * (2*rng.Float64() - 1)
				if !ly.bn {
					ly.b[o] = b
				}
			}
			n.resetBN(ly)
			continue
		}
		for o := 0; o < ly.out; o++ {
			for i := 0; i < ly.in; i++ {
				ly.wt[i*ly.out+o] = std * rng.NormFloat64()
			}
		}
		clear(ly.b)
		n.resetBN(ly)
	}
	n.Sync()
	return nil
}

// resetBN sets a BN layer's γ to 1 and β to 0 (BatchNorm1d's defaults).
func (n *Net) resetBN(ly *layer) {
	for i := range ly.gamma {
		ly.gamma[i] = 1
	}
	clear(ly.beta)
}

// Sync refreshes the untransposed weight copies from the parameter vector.
// Call it after any change to Params (an optimizer step does).
func (n *Net) Sync() {
	for l := range n.layers {
		ly := &n.layers[l]
		gemm.Transpose(ly.in, ly.out, ly.wt, ly.w)
	}
}

// CopyFrom sets n's parameters to those of m, which must have the same shape.
func (n *Net) CopyFrom(m *Net) {
	copy(n.params, m.params)
	n.Sync()
}

// Forward computes the logits of the first rows of x (rows×2, row-major;
// 1 ≤ rows ≤ MaxBatch) and keeps the activations for a backward pass. It
// returns the logits (rows×2), aliased.
func (n *Net) Forward(x []float64, rows int) []float64 {
	L := len(n.layers)
	m := rows * n.Width
	copy(n.acts[0], x[:rows*Inputs])
	n.hidden(0, rows, n.acts[0], n.acts[1], nil)
	for k := 0; k < n.Depth; k++ {
		// Block k reads h = acts[2k+1], keeps u = acts[2k+2] and writes its
		// output to acts[2k+3] (acts[L−1] for the last block).
		l1 := 1 + 2*k
		h, u, out := n.acts[l1][:m], n.acts[l1+1][:m], n.acts[l1+2][:m]
		n.hidden(l1, rows, h, u, nil)
		var skip []float64
		if n.Residual {
			skip = h
		}
		n.hidden(l1+1, rows, u, out, skip)
	}
	ly := &n.layers[L-1]
	n.product(rows, ly.out, ly.in, n.acts[L-1], ly.in, 1, ly.wt, n.logits, ly.b, nil, nil, false)
	return n.logits[:rows*Classes]
}

// product runs the fused product C = post(A·B + bias) of gemm.Op for a
// rows×out C and a B of inner×out, all dense: A is rows×inner with element
// strides (rsA, csA), so (1, rows) reads a stored inner×rows matrix
// transposed. The products (and the weight gradients' in linearBack) fuse
// each multiply into its add (FMA): about a third faster than rounding
// twice, and within the PyTorch fixtures' tolerances. The widest timed
// run (depth 16, width 128, batch 1024) took 2.8–3.3 s of CPU time without
// FMA and 2.1–2.5 s with it, against PyTorch's 7.0–9.0 s on OpenBLAS, one
// thread (BenchmarkTorchLoop).
func (n *Net) product(rows, out, inner int, a []float64, rsA, csA int, b, c, bias, r, mask []float64, relu bool) {
	n.op = gemm.Op{M: rows, N: out, K: inner, A: a, RsA: rsA, CsA: csA, B: b, Ldb: out,
		C: c, Ldc: out, Bias: bias, R: r, Mask: mask, ReLU: relu, FMA: true}
	n.op.Run()
}

// hidden sets y to hidden layer l's output, the ReLU of x·Wᵀ + b (or of
// BN(x·Wᵀ) for a layer with BN), with skip (if non-nil, rows×out) added
// before the ReLU. The bias, the skip and the ReLU are applied as the
// product is stored.
func (n *Net) hidden(l, rows int, x, y, skip []float64) {
	ly := &n.layers[l]
	if !ly.bn {
		n.product(rows, ly.out, ly.in, x, ly.in, 1, ly.wt, y, ly.b, skip, nil, true)
		return
	}
	n.product(rows, ly.out, ly.in, x, ly.in, 1, ly.wt, y, nil, nil, nil, false)
	bnForward(ly, rows, y)
	y = y[:rows*ly.out]
	if skip != nil {
		addRelu(y, skip)
	} else {
		relu(y)
	}
}

// bnForward normalizes z (rows×out) in place with the batch statistics of
// each column, as BatchNorm1d in training mode: μ_j = (1/N)Σ_i z_ij,
// σ²_j = (1/N)Σ_i (z_ij − μ_j)² (two passes), x̂ = (z − μ)/√(σ² + ε),
// z ← γ·x̂ + β. It keeps x̂ and 1/√(σ² + ε) for the backward pass.
func bnForward(ly *layer, rows int, z []float64) {
	w := ly.out
	mean, is := ly.mean, ly.invstd // is accumulates Σ(z − μ)², then holds 1/√(σ²+ε)
	clear(mean)
	clear(is)
	for i := 0; i < rows; i++ {
		add(mean, z[i*w:i*w+w])
	}
	inv := 1 / float64(rows)
	for j := range mean {
		mean[j] *= inv
	}
	xh := ly.xhat[:rows*w]
	for i := 0; i < rows; i++ {
		zr := z[i*w : i*w+w]
		xr, is, mean := xh[i*w:i*w+len(zr)], is[:len(zr)], mean[:len(zr)]
		for j, v := range zr {
			d := v - mean[j]
			xr[j] = d
			is[j] += d * d
		}
	}
	for j, ss := range is {
		is[j] = 1 / math.Sqrt(ss*inv+BNEps)
	}
	for i := 0; i < rows; i++ {
		zr := z[i*w : i*w+w]
		xr, is, g, b := xh[i*w:i*w+len(zr)], is[:len(zr)], ly.gamma[:len(zr)], ly.beta[:len(zr)]
		for j := range zr {
			x := xr[j] * is[j]
			xr[j] = x
			zr[j] = g[j]*x + b[j]
		}
	}
}

// bnBackward, given dy = dL/dy for the rows outputs y = γ·x̂ + β of a BN
// layer, sets dβ = Σ_i dy_i, dγ = Σ_i dy_i·x̂_i and
//
//	dz_i = γ·(1/√(σ² + ε))·(dy_i − dβ/N − x̂_i·dγ/N),
//
// the gradient at BN's input z (the closed form of BatchNorm's backward).
func bnBackward(ly *layer, rows int, dy, dz []float64) {
	w := ly.out
	xh := ly.xhat[:rows*w]
	dg, db := ly.dgamma, ly.dbeta
	clear(dg)
	clear(db)
	for i := 0; i < rows; i++ {
		dr := dy[i*w : i*w+w]
		xr, db, dg := xh[i*w:i*w+len(dr)], db[:len(dr)], dg[:len(dr)]
		for j, d := range dr {
			db[j] += d
			dg[j] += d * xr[j]
		}
	}
	// dz = k·(dy − dβ/N − x̂·dγ/N) with k = γ/√(σ²+ε), per feature.
	inv := 1 / float64(rows)
	k, mb, mg := ly.mean, ly.mb, ly.mg
	for j := range k {
		k[j] = ly.gamma[j] * ly.invstd[j]
		mb[j] = db[j] * inv
		mg[j] = dg[j] * inv
	}
	for i := 0; i < rows; i++ {
		dr := dy[i*w : i*w+w]
		xr, zr := xh[i*w:i*w+len(dr)], dz[i*w:i*w+len(dr)]
		k, mb, mg := k[:len(dr)], mb[:len(dr)], mg[:len(dr)]
		for j, d := range dr {
			zr[j] = k[j] * (d - mb[j] - xr[j]*mg[j])
		}
	}
}

// LossGrad runs the net on rows points x (rows×2, 1 ≤ rows ≤ MaxBatch)
// with labels y (0 or 1), sets Grads to the gradient of the mean softmax
// cross-entropy
//
//	L = (1/rows) Σ_i [log Σ_c exp(z_ic) − z_i,y_i]
//
// with respect to every parameter, and returns L.
func (n *Net) LossGrad(x []float64, y []int, rows int) float64 {
	n.Forward(x, rows)
	loss := n.softmaxGrad(y, rows)
	n.backward(rows)
	return loss
}

// Loss returns the mean softmax cross-entropy of the net on rows points
// (1 ≤ rows ≤ MaxBatch), without touching the gradients.
func (n *Net) Loss(x []float64, y []int, rows int) float64 {
	z := n.Forward(x, rows)
	var s float64
	for i := 0; i < rows; i++ {
		s += xent(z[i*Classes:i*Classes+Classes], y[i])
	}
	return s / float64(rows)
}

// xent returns log Σ_c exp(z_c) − z_y for two classes, computed stably as
// max(z) − z_y + log1p(exp(min(z) − max(z))).
func xent(z []float64, y int) float64 {
	hi, lo := math.Max(z[0], z[1]), math.Min(z[0], z[1])
	return hi - z[y] + math.Log1p(math.Exp(lo-hi))
}

// softmaxGrad returns the mean cross-entropy of the logits and replaces them
// with dL/dlogits = (softmax(z_i) − onehot(y_i)) / rows.
func (n *Net) softmaxGrad(y []int, rows int) float64 {
	var s float64
	inv := 1 / float64(rows)
	for i := 0; i < rows; i++ {
		z := n.logits[i*Classes : i*Classes+Classes]
		s += xent(z, y[i])
		m := math.Max(z[0], z[1])
		e0, e1 := math.Exp(z[0]-m), math.Exp(z[1]-m)
		p0 := e0 / (e0 + e1)
		p1 := e1 / (e0 + e1)
		if y[i] == 0 {
			p0--
		} else {
			p1--
		}
		z[0], z[1] = p0*inv, p1*inv
	}
	return s * inv
}

// backward propagates dL/dlogits (in n.logits) back through the net and
// fills the gradient vector. It overwrites the activations u of each block.
//
// The ReLU masks are applied as each input gradient is stored: ds, the
// gradient at a block's pre-activation (W₂u + b₂, plus h in a residual
// block), is the product for dL/dh_{k+1} masked by [h_{k+1} > 0].
func (n *Net) backward(rows int) {
	L := len(n.layers)
	m := rows * n.Width
	ds := n.ds[:m]
	n.linearBack(L-1, rows, n.acts[L-1], n.logits[:rows*Classes], ds, nil, n.acts[L-1])
	for k := n.Depth - 1; k >= 0; k-- {
		l1 := 1 + 2*k
		h, u, g := n.acts[l1][:m], n.acts[l1+1][:m], n.g[:m]
		// Second layer: dW₂, db₂ and dz₁ = (dz₂·W₂) ⊙ [u > 0] into g.
		n.hiddenBack(l1+1, rows, u, ds, g, nil, u)
		// First layer: dW₁, db₁ and the next block's ds =
		// (dz₁·W₁ [+ ds]) ⊙ [h > 0], written over u, which is no longer
		// needed; the skip adds ds.
		var skip []float64
		if n.Residual {
			skip = ds
		}
		n.hiddenBack(l1, rows, h, g, u, skip, h)
		n.ds, n.acts[l1+1] = n.acts[l1+1], n.ds
		ds = n.ds[:m]
	}
	n.hiddenBack(0, rows, n.acts[0], ds, nil, nil, nil)
}

// hiddenBack is linearBack for hidden layer l, through its BN first when it
// has one (dy is then the gradient at BN's output and is left unchanged).
func (n *Net) hiddenBack(l, rows int, x, dy, dx, skip, mask []float64) {
	ly := &n.layers[l]
	if !ly.bn {
		n.linearBack(l, rows, x, dy, dx, skip, mask)
		return
	}
	dz := n.dz[:rows*ly.out]
	bnBackward(ly, rows, dy, dz)
	n.linearBack(l, rows, x, dz, dx, skip, mask)
}

// linearBack, given dz = dL/dy for layer l's rows outputs and its input x,
// sets dWᵀ = xᵀ·dz, db = column sums of dz and, if dx is non-nil,
// dx = (dz·W + skip) ⊙ [mask > 0], with skip and mask (rows×in) each
// optional: the gradient at the input, through the ReLU that produced it.
func (n *Net) linearBack(l, rows int, x, dz, dx, skip, mask []float64) {
	ly := &n.layers[l]
	// dWᵀ = xᵀ·dz; db, the column sums of dz, is summed as dz is read.
	n.op = gemm.Op{M: ly.in, N: ly.out, K: rows, A: x, RsA: 1, CsA: ly.in, B: dz, Ldb: ly.out,
		C: ly.dwt, Ldc: ly.out, ColSum: ly.db, FMA: true}
	n.op.Run()
	if dx != nil {
		n.product(rows, ly.in, ly.out, dz, ly.out, 1, ly.w, dx, nil, skip, mask, false)
	}
}
