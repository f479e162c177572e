package cnn

// ReLU returns max(x, 0) elementwise (NaN stays NaN, as in torch).
func ReLU(x *Tensor) *Tensor {
	y := &Tensor{N: x.N, C: x.C, H: x.H, W: x.W, Data: make([]float64, len(x.Data))}
	for i, v := range x.Data {
		if v < 0 {
			v = 0
		}
		y.Data[i] = v
	}
	return y
}

// ReLUBackward returns dy where the ReLU's output y is > 0 and 0
// elsewhere (torch's threshold_backward on the result).
func ReLUBackward(y, dy *Tensor) (*Tensor, error) {
	if err := dy.sameShape("relu output gradient", y.N, y.C, y.H, y.W); err != nil {
		return nil, err
	}
	dx := &Tensor{N: y.N, C: y.C, H: y.H, W: y.W, Data: make([]float64, len(y.Data))}
	for i, v := range y.Data {
		if v > 0 {
			dx.Data[i] = dy.Data[i]
		}
	}
	return dx, nil
}
