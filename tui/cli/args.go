package cli

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// usageError is bad usage or bad input: one line on stderr, exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

// flagSpec declares one --flag of a command.
type flagSpec struct {
	name  string // without dashes
	value string // placeholder of its value, "" for a boolean switch
	help  string
}

// parsed holds the positional arguments and flags of one command line.
type parsed struct {
	pos   []string
	flags map[string]string
}

func (p parsed) has(name string) bool { _, ok := p.flags[name]; return ok }

// parseArgs separates --flags (anywhere on the line, "--" ends them) from
// positional arguments and checks them against the command's specs.
func parseArgs(cmd string, specs []flagSpec, args []string) (parsed, error) {
	p := parsed{flags: map[string]string{}}
	find := func(name string) (flagSpec, bool) {
		for _, s := range specs {
			if s.name == name {
				return s, true
			}
		}
		return flagSpec{}, false
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			p.pos = append(p.pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" || isNumber(a) {
			p.pos = append(p.pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" {
			name = "help"
		}
		s, ok := find(name)
		if !ok {
			names := make([]string, 0, len(specs))
			for _, s := range specs {
				names = append(names, "--"+s.name)
			}
			sort.Strings(names)
			return p, usagef("%s: unknown flag %s; known: %s", cmd, a, strings.Join(names, ", "))
		}
		switch {
		case s.value == "" && hasVal:
			return p, usagef("%s: --%s takes no value, got %q", cmd, name, val)
		case s.value != "" && !hasVal:
			if i+1 >= len(args) {
				return p, usagef("%s: --%s needs a value (%s)", cmd, name, s.value)
			}
			i++
			val = args[i]
		}
		p.flags[name] = val
	}
	return p, nil
}

func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	return s != "" && (s[0] >= '0' && s[0] <= '9' || s[0] == '.')
}

// keyValues reads name=value arguments; a name given twice is an error.
func keyValues(cmd string, args []string) (map[string]string, error) {
	out := map[string]string{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, usagef("%s: expected name=value, got %q (e.g. lr=0.1)", cmd, a)
		}
		if _, dup := out[k]; dup {
			return nil, usagef("%s: %s is given twice", cmd, k)
		}
		out[k] = v
	}
	return out, nil
}
