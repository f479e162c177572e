// Package experimenttest provides test helpers for experiments: run one with
// name=value overrides, read its scalars, and check that every number in its
// Result and JSON payload is finite.
package experimenttest
