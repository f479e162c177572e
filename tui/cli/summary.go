package cli

import (
	"fmt"
	"strings"

	"github.com/nnlab/nnlab/core/arch"
	"github.com/nnlab/nnlab/tui/report"
)

func summaryCmd() command {
	var (
		input  = [3]int{3, 224, 224}
		depth  = 3
		asJSON bool
	)
	return command{
		name: "summary",
		args: "MODEL",
		summary: "Print a torchinfo-style table of a model: layer tree, output shapes, parameters, MACs.\n" +
			"Models: " + strings.Join(arch.Models(), ", ") + ".",
		flags: []flagSpec{
			flagOf(&input, "input", "CxHxW", "input size (default 3x224x224)", func(s string) ([3]int, error) {
				in, err := arch.ParseInput(s)
				if err != nil {
					return in, usageError{err.Error()}
				}
				return in, nil
			}),
			wholeFlag(&depth, "depth", "N", "how deep the layer tree goes (default 3)", 1, arch.MaxSummaryDepth, ""),
			switchFlag(&asJSON, "json", "print total_params, macs and layers as JSON"),
		},
		run: func(env *Env, p call) error {
			if len(p.pos) != 1 {
				return usagef("summary: name one model, e.g. nnlab summary resnet50; models: %s", strings.Join(arch.Models(), ", "))
			}
			s, err := arch.Summary(p.pos[0], input, depth)
			if err != nil {
				return usageError{"summary: " + err.Error()}
			}
			if asJSON {
				return writeJSON(env.Stdout, s)
			}
			fmt.Fprintln(env.Stdout, report.Table(s.Table(), report.Options{Width: 200}))
			return nil
		},
	}
}
