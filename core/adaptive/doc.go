// Package adaptive trains a linear model on features of very different
// frequencies with SGD, Adagrad, RMSprop and Adam, and measures each
// weight's effective learning rate, so a lesson can show that adaptive
// methods give rarely updated features larger steps.
package adaptive
