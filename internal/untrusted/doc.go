// Package untrusted reads what reaches nnlab from outside — a file named on
// the command line or kept between runs, a name or a value a learner typed
// or a store holds — so that it can neither hang nor exhaust the program,
// nor drive the terminal it is shown on. It is a leaf: the lessons, the
// learner's state, a workshop's store and the command line all use it.
package untrusted
