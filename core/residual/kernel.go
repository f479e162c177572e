package residual

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
