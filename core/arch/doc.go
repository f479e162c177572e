// Package arch describes convolutional network architectures as trees of
// torch-like modules and infers their shapes, parameter counts and
// multiply-accumulates (GoogLeNet and ResNet as torchvision and the papers
// define them, and their building blocks at any widths).
package arch
