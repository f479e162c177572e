// Package optim implements PyTorch's torch.optim update rules on float64
// vectors, two-dimensional test surfaces to run them on, and the convergence
// theory of gradient descent and heavy-ball momentum on quadratics.
package optim
