// Package strided holds the row operations of im2col and col2im that
// core/cnn and core/convnet share: which output columns of a strided,
// padded row fall inside the input, and gathering, scattering and adding
// rows of values with the compiler's bounds checks hoisted out of the
// loops. Each does its additions one value at a time, in order, as a
// plain loop would: the results are the same bit for bit.
package strided

// Span returns the range lo ≤ j < hi of output columns j < n whose input
// column j·s + x0 lies in [0, w).
func Span(x0, s, w, n int) (lo, hi int) {
	if x0 < 0 {
		lo = (-x0 + s - 1) / s
	}
	if w-x0 <= 0 {
		return min(lo, n), min(lo, n)
	}
	hi = (w - x0 + s - 1) / s // first j with j·s + x0 ≥ w
	lo, hi = min(lo, n), min(hi, n)
	return lo, max(lo, hi)
}

// Gather sets out[j] = src[j·s] (s ≥ 2). Stride 2, the common one, goes
// four values at a time through slices of constant length, which the
// compiler checks once instead of at every value.
func Gather(out, src []float64, s int) {
	j := 0
	if s == 2 {
		for ; j+4 <= len(out) && 2*j+7 <= len(src); j += 4 {
			b, o := src[2*j:2*j+7], out[j:j+4]
			o[0], o[1], o[2], o[3] = b[0], b[2], b[4], b[6]
		}
	}
	for ; j < len(out); j++ {
		out[j] = src[j*s]
	}
}

// ScatterAdd adds in[j] to dst[j·s] (s ≥ 2), four at a time for stride
// 2 as Gather reads them.
func ScatterAdd(dst, in []float64, s int) {
	j := 0
	if s == 2 {
		for ; j+4 <= len(in) && 2*j+7 <= len(dst); j += 4 {
			d, v := dst[2*j:2*j+7], in[j:j+4]
			d[0] += v[0]
			d[2] += v[1]
			d[4] += v[2]
			d[6] += v[3]
		}
	}
	for ; j < len(in); j++ {
		dst[j*s] += in[j]
	}
}

// Add adds src to dst (len(dst) ≥ len(src)), four values at a time
// through slices of constant length, which the compiler checks once (a
// 1→1 3×3 convolution's backward on 28×28 in core/cnn: 12.2–12.6 →
// 10.9–11.3 µs).
func Add(dst, src []float64) {
	dst = dst[:len(src)]
	i := 0
	for ; i+4 <= len(src); i += 4 {
		d, v := dst[i:i+4:i+4], src[i:i+4:i+4]
		d[0] += v[0]
		d[1] += v[1]
		d[2] += v[2]
		d[3] += v[3]
	}
	for ; i < len(src); i++ {
		dst[i] += src[i]
	}
}
