// Package cli is nnlab's command line: it parses arguments, runs commands
// (experiments, run, summary, …) and prints text reports or stable JSON.
// Bad usage or input prints one line on stderr and exits with status 2.
package cli
