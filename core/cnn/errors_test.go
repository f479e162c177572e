package cnn

import (
	"strings"
	"testing"
)

// TestConvErrors checks that bad hyper-parameters and shapes are refused
// with one line naming the problem, never a panic.
func TestConvErrors(t *testing.T) {
	for _, tc := range []struct {
		cin, cout, k, s, p, d, g int
		want                     string
	}{
		{0, 1, 3, 1, 0, 1, 1, "in channels"},
		{3, 4, 3, 1, 0, 1, 2, "groups"},
		{2, 2, 0, 1, 0, 1, 1, "kernel"},
		{2, 2, 65, 1, 0, 1, 1, "kernel"},
		{2, 2, 3, 0, 0, 1, 1, "stride"},
		{2, 2, 3, 1, -1, 1, 1, "padding"},
		{2, 2, 3, 1, 0, 0, 1, "dilation"},
		{1 << 20, 1 << 20, 3, 1, 0, 1, 1, "weights"},
	} {
		_, err := NewConv2d(tc.cin, tc.cout, tc.k, tc.k, tc.s, tc.p, tc.d, tc.g, true)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: error %v, want one line about %q", tc, err, tc.want)
		}
	}
	cv, err := NewConv2d(1, 1, 5, 5, 1, 0, 2, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := NewTensor(1, 1, 6, 6)
	if _, err := cv.Forward(x); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Errorf("a dilated 5×5 kernel on 6×6: %v", err)
	}
	y, _ := NewTensor(1, 2, 9, 9)
	if _, err := cv.Forward(y); err == nil || !strings.Contains(err.Error(), "input must be") {
		t.Errorf("two channels into one: %v", err)
	}
	cv.Weight = cv.Weight[:3]
	if _, err := cv.Forward(x); err == nil || !strings.Contains(err.Error(), "weight must hold") {
		t.Errorf("short weights: %v", err)
	}
	if _, err := NewTensor(1<<15, 1<<15, 1, 1); err == nil {
		t.Error("a tensor of 2³⁰ values was allowed")
	}
	if _, _, err := CrossEntropy(&Tensor{N: 1, C: 3, H: 1, W: 1, Data: make([]float64, 3)}, []int{3}); err == nil {
		t.Error("label 3 of 3 classes was allowed")
	}
	if _, err := MaxPool2d(2, 2, 2, false).Forward(x); err == nil {
		t.Error("padding above half the window was allowed")
	}
	if _, err := NewBatchNorm2d(1).Forward(&Tensor{N: 1, C: 1, H: 1, W: 1, Data: []float64{1}}); err == nil {
		t.Error("training BN on one value per channel was allowed")
	}
}
