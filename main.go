// Command nnlab is a notebook-style terminal app for learning how modern
// networks are trained and built. main only wires the command line to tui/cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "early.nnlab.dev/quietinit" // before Bubble Tea's init: no terminal query at start
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/tui/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := cli.Main(&cli.Env{Ctx: ctx, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Experiments: experiments.Registry()}, os.Args[1:])
	stop()
	os.Exit(code)
}
