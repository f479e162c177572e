// Package residual trains a deep plain MLP and the same MLP with identity
// skip connections side by side, to show the degradation problem and the
// vanishing gradients of deep plain networks without normalization, and,
// with optional batch normalization, that a deep plain net whose gradients
// do not vanish can still degrade.
package residual
