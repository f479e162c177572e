// Package experiment defines what every nnlab computation shares: a typed,
// validated parameter schema, the neutral result that views (the CLI report,
// the TUI, JSON) render, and the signature of a run.
//
// Data flows one way: parameters are parsed and checked against the schema
// before anything runs; Run computes and returns a Result; a view renders it.
// Nothing in this package formats for a terminal.
package experiment
