// Package cputime reads the CPU time this process has used, for the
// benchmarks and timing tests of core's packages: on a machine shared
// with other work, CPU time counts what the code cost, the wall clock
// also the waits for a core.
package cputime
