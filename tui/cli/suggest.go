package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nnlab/nnlab/core/experiment"
)

// didYouMean is cobra's suggestions for a mistyped name among names (the
// ones within two edits of it, or that it begins), as a clause: " (did you
// mean optimize?)" — empty when there are none.
func didYouMean(typed string, names []string) string {
	c := &cobra.Command{Use: "nnlab", SuggestionsMinimumDistance: 2} // cobra's own default
	for _, n := range names {
		c.AddCommand(&cobra.Command{Use: n, Run: func(*cobra.Command, []string) {}})
	}
	s := c.SuggestionsFor(typed)
	switch len(s) {
	case 0:
		return ""
	case 1:
		return " (did you mean " + s[0] + "?)"
	}
	return " (did you mean " + strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1] + "?)"
}

// unknownName is the line for a name that is not among known: what it
// should have been, cobra's suggestions and the names there are.
func unknownName(what, typed string, known []string) string {
	return fmt.Sprintf("unknown %s %s%s; %ss: %s", what, experiment.Echo(typed), didYouMean(typed, known), what, strings.Join(known, ", "))
}

// withSuggestion words an experiment's unknown parameter or list choice
// with cobra's suggestions; other errors are returned as they are.
func withSuggestion(err error) error {
	var u *experiment.UnknownNameError
	if !errors.As(err, &u) || (u.What != "parameter" && u.What != "choice") {
		return err
	}
	hint := didYouMean(u.Name, u.Known)
	if hint == "" {
		return err
	}
	msg := err.Error()
	name := fmt.Sprintf("%q", u.Name)
	i := strings.Index(msg, name)
	if i < 0 {
		return err
	}
	// After the quoted name and its clause: "…; known: …" or "… is not one of …".
	rest := msg[i+len(name):]
	if u.What == "parameter" {
		return errors.New(msg[:i+len(name)] + hint + rest)
	}
	return errors.New(msg + hint)
}
