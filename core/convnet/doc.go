// Package convnet trains small convolutional networks on Fashion-MNIST —
// He et al.'s plain and residual CIFAR networks and a small GoogLeNet —
// in float64, with PyTorch's semantics (checked against torch 1.13 step
// by step), in a batched channel-major layout that keeps each layer one
// large matrix product.
package convnet
