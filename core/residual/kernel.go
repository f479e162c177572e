package residual

// transpose sets dst (c×r) to the transpose of src (r×c), both row-major.
func transpose(r, c int, src, dst []float64) {
	for i := 0; i < r; i++ {
		row := src[i*c : i*c+c]
		for j, x := range row {
			dst[j*r+i] = x
		}
	}
}

// relu sets x = max(x, 0) elementwise.
func relu(x []float64) {
	for i, v := range x {
		if v < 0 {
			x[i] = 0
		}
	}
}

// addRelu sets x = max(x + h, 0) elementwise.
func addRelu(x, h []float64) {
	h = h[:len(x)]
	for i, v := range x {
		x[i] = max(v+h[i], 0)
	}
}

// add sets x += y elementwise.
func add(x, y []float64) {
	y = y[:len(x)]
	for i := range x {
		x[i] += y[i]
	}
}

// mask sets g = 0 wherever a ≤ 0 (the ReLU derivative, taken as 0 at 0 as
// PyTorch does, applied through the ReLU's output a).
func mask(g, a []float64) {
	a = a[:len(g)]
	for i, v := range a {
		if v <= 0 {
			g[i] = 0
		}
	}
}

// maskTo sets dst = g where a > 0 and 0 elsewhere.
func maskTo(dst, g, a []float64) {
	g, a = g[:len(dst)], a[:len(dst)]
	for i, v := range a {
		if v > 0 {
			dst[i] = g[i]
		} else {
			dst[i] = 0
		}
	}
}
