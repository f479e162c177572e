// Package residual trains a deep plain MLP and the same MLP with identity
// skip connections side by side, to show the degradation problem and the
// vanishing gradients of deep plain networks without normalization.
package residual
