package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nnlab/nnlab/core/arch"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/tui/report"
)

func summaryCmd() command {
	return command{
		name: "summary",
		args: "MODEL",
		summary: "Print a torchinfo-style table of a model: layer tree, output shapes, parameters, MACs.\n" +
			"Models: " + strings.Join(arch.Models(), ", ") + ".",
		flags: []flagSpec{
			{name: "input", value: "CxHxW", help: "input size (default 3x224x224)"},
			{name: "depth", value: "N", help: "how deep the layer tree goes (default 3)"},
			{name: "json", help: "print total_params, macs and layers as JSON"},
		},
		run: func(env *Env, p parsed) error {
			if len(p.pos) != 1 {
				return usagef("summary: name one model, e.g. nnlab summary resnet50; models: %s", strings.Join(arch.Models(), ", "))
			}
			input := [3]int{3, 224, 224}
			if s, ok := p.flags["input"]; ok {
				in, err := arch.ParseInput(s)
				if err != nil {
					return usageError{"summary: " + err.Error()}
				}
				input = in
			}
			depth := 3
			if s, ok := p.flags["depth"]; ok {
				n, err := strconv.Atoi(s)
				if err != nil || n < 1 || n > arch.MaxSummaryDepth {
					return usagef("summary: --depth must be a whole number from 1 to %d, got %s", arch.MaxSummaryDepth, experiment.Echo(s))
				}
				depth = n
			}
			s, err := arch.Summary(p.pos[0], input, depth)
			if err != nil {
				return usageError{"summary: " + err.Error()}
			}
			if p.has("json") {
				return writeJSON(env.Stdout, s)
			}
			fmt.Fprintln(env.Stdout, report.Table(s.Table(), report.Options{Width: 200}))
			return nil
		},
	}
}
