// Package gemm is nnlab's small-matrix product kernel: a fused
// C = post(A·B + bias) over row-major float64 matrices with element
// strides, in AVX assembly on amd64 and pure Go elsewhere, shared by the
// residual MLPs and the convolution engine.
package gemm
