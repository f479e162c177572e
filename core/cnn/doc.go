// Package cnn is a small float64 convolution engine with PyTorch's
// semantics (NCHW, cross-correlation): Conv2d, pooling, ReLU, BatchNorm2d,
// linear and cross-entropy, each with its forward and backward pass.
package cnn
