package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/nnlab/nnlab/core/arch"
	"github.com/nnlab/nnlab/lessons"
)

// complete is the shell completion of a command's arguments: lesson ids for
// open and render, experiment names and then their parameters as "name="
// for run, model names for summary, nothing (not even files) elsewhere but
// check, which takes paths.
func (c command) complete(env *Env) cobra.CompletionFunc {
	none := cobra.ShellCompDirectiveNoFileComp
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		switch c.name {
		case "open", "render":
			if len(args) > 0 {
				return nil, none
			}
			lib, _ := lessons.Load(env.Experiments, "")
			return withPrefix(lib.IDs(), toComplete), none
		case "run":
			if len(args) == 0 {
				var names []string
				for _, e := range env.Experiments.All() {
					names = append(names, e.Name)
				}
				return withPrefix(names, toComplete), none
			}
			e, err := env.Experiments.Get(args[0])
			if err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
			given := map[string]bool{}
			for _, a := range args[1:] {
				k, _, _ := strings.Cut(a, "=")
				given[k] = true
			}
			var names []string
			for _, p := range e.Params {
				if !given[p.Name] {
					names = append(names, p.Name+"=")
				}
			}
			return withPrefix(names, toComplete), none | cobra.ShellCompDirectiveNoSpace
		case "summary":
			if len(args) > 0 {
				return nil, none
			}
			return withPrefix(arch.Models(), toComplete), none
		case "check":
			return nil, cobra.ShellCompDirectiveDefault
		}
		return nil, none
	}
}

func withPrefix(words []string, prefix string) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			out = append(out, w)
		}
	}
	return out
}
