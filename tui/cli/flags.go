package cli

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"github.com/nnlab/nnlab/core/experiment"
)

// flagSpec declares one --flag of a command: its name, the placeholder of
// its value in the usage ("" for a switch), its help, and where the value
// goes. Flags are typed: pflag reads each into the command's options as it
// parses the command line (see the constructors below), and a value the
// flag does not take is a usageError — one line, exit 2 — before the
// command runs ("--count must be a whole number from 1 to 200, got \"0\"").
type flagSpec struct {
	name  string // without dashes
	value string // placeholder of its value, "" for a switch
	help  string
	to    pflag.Value
}

// typed is a flag's value of type T, read by parse from the command line's
// text.
type typed[T any] struct {
	to    *T
	text  string
	parse func(string) (T, error)
}

func (v *typed[T]) Set(s string) error {
	x, err := v.parse(s)
	if err != nil {
		return err
	}
	*v.to, v.text = x, s
	return nil
}

func (v *typed[T]) String() string { return v.text }
func (v *typed[T]) Type() string   { return "value" }

// flagOf declares --name VALUE read by parse.
func flagOf[T any](to *T, name, value, help string, parse func(string) (T, error)) flagSpec {
	return flagSpec{name: name, value: value, help: help, to: &typed[T]{to: to, parse: parse}}
}

// checkedFlag declares --name VALUE read by parse, which reports whether
// the text is a value the flag takes; must says what one is ("must be a
// whole number from 1 to 200").
func checkedFlag[T any](to *T, name, value, help, must string, parse func(string) (T, bool)) flagSpec {
	return flagOf(to, name, value, help, func(s string) (T, error) {
		x, ok := parse(s)
		if !ok {
			return x, usagef("--%s %s, got %s", name, must, experiment.Echo(s))
		}
		return x, nil
	})
}

// switchFlag declares the switch --name.
func switchFlag(to *bool, name, help string) flagSpec {
	return flagSpec{name: name, help: help, to: &typed[bool]{to: to, parse: func(s string) (bool, error) {
		b, err := strconv.ParseBool(s)
		if err != nil { // --json=yes
			return false, usagef("--%s takes no value, got %s", name, experiment.Echo(s))
		}
		return b, nil
	}}}
}

// textFlag declares --name VALUE, any text.
func textFlag(to *string, name, value, help string) flagSpec {
	return flagOf(to, name, value, help, func(s string) (string, error) { return s, nil })
}

// wholeFlag declares --name N, a whole number from lo to hi; note, when
// set, follows the range in the message.
func wholeFlag(to *int, name, value, help string, lo, hi int, note string) flagSpec {
	return checkedFlag(to, name, value, help, fmt.Sprintf("must be a whole number from %d to %d%s", lo, hi, note), func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && n >= lo && n <= hi
	})
}

// seedFlag declares --name N, a whole number from lo to 2⁶⁴−1.
func seedFlag(to *uint64, name, help string, lo uint64) flagSpec {
	return checkedFlag(to, name, "N", help, fmt.Sprintf("must be a whole number from %d to %d", lo, uint64(1<<64-1)), func(s string) (uint64, bool) {
		n, err := strconv.ParseUint(s, 10, 64)
		return n, err == nil && n >= lo
	})
}

// durationFlag declares --name D, a duration (30s, 2m, 1h) that ok takes.
func durationFlag(to *time.Duration, name, help, must string, ok func(time.Duration) bool) flagSpec {
	return checkedFlag(to, name, "D", help, must, func(s string) (time.Duration, bool) {
		d, err := time.ParseDuration(s)
		return d, err == nil && ok(d)
	})
}
