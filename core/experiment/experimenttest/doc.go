// Package experimenttest provides test helpers for experiments: run one with
// name=value overrides, read its scalars, check that every number in its
// Result and JSON payload is finite, and read the reference fixtures the
// numbers are checked against.
package experimenttest
