package cnn

import "fmt"

// MaxElements bounds the number of values in one tensor (2²⁸, 2 GiB of
// float64), so that no shape a caller passes can ask for unbounded memory.
const MaxElements = 1 << 28

// Tensor is a dense float64 tensor in NCHW order: Data[((n·C + c)·H + h)·W + w].
// A batch of vectors (a linear layer's input) is N×C×1×1.
type Tensor struct {
	N, C, H, W int
	Data       []float64
}

// NewTensor returns a zero tensor of the given shape, or an error if a side
// is below 1 or the tensor would hold more than MaxElements values.
func NewTensor(n, c, h, w int) (*Tensor, error) {
	if err := checkShape(n, c, h, w); err != nil {
		return nil, err
	}
	return &Tensor{N: n, C: c, H: h, W: w, Data: make([]float64, n*c*h*w)}, nil
}

// FromData wraps data (not copied) as an n×c×h×w tensor; its length must
// be n·c·h·w.
func FromData(n, c, h, w int, data []float64) (*Tensor, error) {
	if err := checkShape(n, c, h, w); err != nil {
		return nil, err
	}
	if len(data) != n*c*h*w {
		return nil, fmt.Errorf("cnn: a %d×%d×%d×%d tensor needs %d values, got %d", n, c, h, w, n*c*h*w, len(data))
	}
	return &Tensor{N: n, C: c, H: h, W: w, Data: data}, nil
}

func checkShape(n, c, h, w int) error {
	if n < 1 || c < 1 || h < 1 || w < 1 {
		return fmt.Errorf("cnn: every side of a tensor must be ≥ 1, got %d×%d×%d×%d", n, c, h, w)
	}
	if n > MaxElements || c > MaxElements || h > MaxElements || w > MaxElements ||
		n*c > MaxElements || n*c*h > MaxElements || n*c*h*w > MaxElements {
		return fmt.Errorf("cnn: a %d×%d×%d×%d tensor holds more than %d values", n, c, h, w, MaxElements)
	}
	return nil
}

// Shape returns the four sides.
func (t *Tensor) Shape() [4]int { return [4]int{t.N, t.C, t.H, t.W} }

// Len is the number of values, N·C·H·W.
func (t *Tensor) Len() int { return t.N * t.C * t.H * t.W }

// At returns the value at (n, c, h, w).
func (t *Tensor) At(n, c, h, w int) float64 { return t.Data[((n*t.C+c)*t.H+h)*t.W+w] }

// Set sets the value at (n, c, h, w).
func (t *Tensor) Set(n, c, h, w int, v float64) { t.Data[((n*t.C+c)*t.H+h)*t.W+w] = v }

// Plane returns the h×w values of channel c of sample n (shared, not copied).
func (t *Tensor) Plane(n, c int) []float64 {
	hw := t.H * t.W
	o := (n*t.C + c) * hw
	return t.Data[o : o+hw : o+hw]
}

// Clone returns a deep copy.
func (t *Tensor) Clone() *Tensor {
	u := *t
	u.Data = append([]float64(nil), t.Data...)
	return &u
}

// sameShape reports an error unless t has the given shape.
func (t *Tensor) sameShape(what string, n, c, h, w int) error {
	if t == nil {
		return fmt.Errorf("cnn: %s is missing", what)
	}
	if t.N != n || t.C != c || t.H != h || t.W != w || len(t.Data) != n*c*h*w {
		return fmt.Errorf("cnn: %s must be %d×%d×%d×%d, got %d×%d×%d×%d", what, n, c, h, w, t.N, t.C, t.H, t.W)
	}
	return nil
}
