package convnet

// act is a batch of feature maps in channel-major order, C×N×H×W:
// Data[((c·N + n)·H + y)·W + x]. Each channel's maps over the whole batch
// are one contiguous run of N·H·W values, so a convolution over the batch
// is one matrix product with N·H·W columns and batch normalization reads
// each channel in one pass.
type act struct {
	C, N, H, W int
	Data       []float64
}

// P is the pixels of one map, H·W.
func (a *act) P() int { return a.H * a.W }

// plane returns channel c's N·H·W values.
func (a *act) plane(c int) []float64 {
	s := a.N * a.H * a.W
	return a.Data[c*s : (c+1)*s : (c+1)*s]
}

// resize sets a's shape, growing Data when it is too short (its contents
// are then lost).
func (a *act) resize(c, n, h, w int) {
	a.C, a.N, a.H, a.W = c, n, h, w
	a.Data = grow(a.Data, c*n*h*w)
}

// grow returns s with length n, reallocated only when its capacity is short.
func grow(s []float64, n int) []float64 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]float64, n)
}
