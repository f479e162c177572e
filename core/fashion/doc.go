// Package fashion reads Fashion-MNIST (28×28 grey images of clothing in 10
// classes, Zalando's MNIST replacement) from IDX files, gzip-compressed or
// not, and serves nnlab's embedded subset or a full set a caller points it to.
package fashion
