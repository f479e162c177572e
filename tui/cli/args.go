package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/nnlab/nnlab/core/experiment"
)

// usageError is bad usage or bad input: one line on stderr, exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func (usageError) usage() {}

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// word is a name from the command line as an error names it: bare when it
// is a short plain word (lr, --frob), else quoted and cut (experiment.Echo).
func word(s string) string {
	if len(s) > experiment.EchoRunes || strings.TrimLeft(s, "-_.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
		return experiment.Echo(s)
	}
	return s
}

func isUsage(err error) bool {
	var u interface{ usage() }
	return errors.As(err, &u)
}

// call is one command line as its command runs it: the positional
// arguments, and which flags it gave (their values are in the command's
// options, typed: see flagSpec).
type call struct {
	pos   []string
	flags *pflag.FlagSet
}

// given reports whether the command line gave flag name.
func (c call) given(name string) bool { return c.flags.Changed(name) }

// keyValues reads name=value arguments; a name given twice is an error.
func keyValues(cmd string, args []string) (map[string]string, error) {
	out := map[string]string{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, usagef("%s: expected name=value, got %s (e.g. lr=0.1)", cmd, experiment.Echo(a))
		}
		if _, dup := out[k]; dup {
			return nil, usagef("%s: %s is given twice", cmd, word(k))
		}
		out[k] = v
	}
	return out, nil
}
