// Package conv computes the arithmetic of 2-D convolutions with torch.nn.Conv2d
// semantics (output size, parameter and multiply-accumulate counts) and applies
// 1×1 convolutions to small tensors, both directly and as a matrix product.
package conv
