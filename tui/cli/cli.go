package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/tui/report"
)

// Env is what a command may use: its output streams and the experiments.
type Env struct {
	Ctx         context.Context
	Stdin       io.Reader
	Stdout      io.Writer
	Stderr      io.Writer
	Experiments *experiment.Registry
	// LookupEnv reads the environment (os.LookupEnv when nil).
	LookupEnv func(string) (string, bool)
}

func (env *Env) lookupEnv() func(string) (string, bool) {
	if env.LookupEnv != nil {
		return env.LookupEnv
	}
	return os.LookupEnv
}

type command struct {
	name    string
	args    string // positional arguments, for the usage line
	summary string
	flags   []flagSpec
	run     func(env *Env, p parsed) error
}

var helpFlag = flagSpec{name: "help", help: "show this help"}

func (c command) usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: nnlab %s", c.name)
	if len(c.flags) > 0 {
		b.WriteString(" [flags]")
	}
	if c.args != "" {
		b.WriteString(" " + c.args)
	}
	fmt.Fprintf(&b, "\n\n%s\n", c.summary)
	if len(c.flags) > 0 {
		b.WriteString("\nFlags:\n")
		for _, f := range append(c.flags, helpFlag) {
			name := "--" + f.name
			if f.value != "" {
				name += " " + f.value
			}
			fmt.Fprintf(&b, "  %-24s %s\n", name, f.help)
		}
	}
	return b.String()
}

func commands() []command {
	return []command{
		notebookCmd(),
		openCmd(),
		experimentsCmd(),
		runCmd(),
		summaryCmd(),
		lessonsCmd(),
		checkCmd(),
		renderCmd(),
	}
}

func topUsage() string {
	var b strings.Builder
	b.WriteString("nnlab — learn how modern networks are trained and built, hands on the numbers.\n\n")
	b.WriteString("Usage: nnlab COMMAND [arguments]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-12s %s\n", c.name, firstSentence(c.summary))
	}
	b.WriteString("\nRun 'nnlab COMMAND --help' for a command's arguments and flags.\n")
	return b.String()
}

// firstSentence is a command's summary up to its first full stop, on one line.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// Main runs one command line and returns the process's exit status:
// 0 on success, 2 on bad usage or input, 1 on any other failure.
func Main(env *Env, args []string) int {
	if env.Ctx == nil {
		env.Ctx = context.Background()
	}
	// nnlab alone, or with only flags, opens the notebook.
	if len(args) == 0 || (strings.HasPrefix(args[0], "--") && args[0] != "--help") {
		args = append([]string{"notebook"}, args...)
	}
	if args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		if len(args) > 1 {
			return Main(env, []string{args[1], "--help"})
		}
		fmt.Fprint(env.Stdout, topUsage())
		return 0
	}
	var cmd *command
	for _, c := range commands() {
		if c.name == args[0] {
			cmd = &c
			break
		}
	}
	if cmd == nil {
		names := []string{}
		for _, c := range commands() {
			names = append(names, c.name)
		}
		fmt.Fprintf(env.Stderr, "nnlab: unknown command %q; commands: %s (see nnlab --help)\n", args[0], strings.Join(names, ", "))
		return 2
	}
	p, err := parseArgs(cmd.name, append(cmd.flags, helpFlag), args[1:])
	if err == nil && p.has("help") {
		fmt.Fprint(env.Stdout, cmd.usage())
		return 0
	}
	if err == nil {
		err = cmd.run(env, p)
	}
	if err != nil {
		msg := oneLine(err.Error())
		if !strings.HasPrefix(msg, cmd.name+":") && !strings.HasPrefix(msg, cmd.name+" ") {
			msg = cmd.name + ": " + msg
		}
		fmt.Fprintf(env.Stderr, "nnlab %s\n", msg)
		if isUsage(err) {
			return 2
		}
		return 1
	}
	return 0
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func widthFlag(cmd string, p parsed, def int) (int, error) {
	s, ok := p.flags["width"]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 30 || n > 1000 {
		return 0, usagef("%s: --width must be a whole number from 30 to 1000, got %q", cmd, s)
	}
	return n, nil
}

func experimentsCmd() command {
	return command{
		name:    "experiments",
		summary: "List the experiments and their parameters (name, type, default, range, help).",
		flags:   []flagSpec{{name: "json", help: "print the schemas as JSON"}},
		run: func(env *Env, p parsed) error {
			if len(p.pos) > 0 {
				return usagef("experiments: takes no arguments, got %q", p.pos[0])
			}
			all := env.Experiments.All()
			if p.has("json") {
				return writeJSON(env.Stdout, all)
			}
			for i, e := range all {
				if i > 0 {
					fmt.Fprintln(env.Stdout)
				}
				fmt.Fprintf(env.Stdout, "%s — %s\n", e.Name, e.Summary)
				t := experiment.Table{Columns: []experiment.Column{{Name: "  parameter"}, {Name: "type"}, {Name: "default"}, {Name: "allowed"}, {Name: "meaning"}}}
				for _, prm := range e.Params {
					t.Rows = append(t.Rows, experiment.Row{Cells: []any{"  " + prm.Name, prm.Kind.String(), prm.Format(prm.Default), prm.Allowed(), prm.Help}})
				}
				fmt.Fprintln(env.Stdout, report.Table(t, report.Options{Width: 200}))
			}
			return nil
		},
	}
}

func runCmd() command {
	return command{
		name: "run",
		args: "EXPERIMENT [name=value …]",
		summary: "Run an experiment with the given parameters and print a report.\n" +
			"Parameters not given keep their defaults; 'nnlab experiments' lists them.",
		flags: []flagSpec{
			{name: "json", help: "print the experiment's stable JSON payload instead of the report"},
			{name: "width", value: "N", help: "report width in columns (default 80)"},
			{name: "keys", help: "show each scalar's key (for exercise goals)"},
		},
		run: func(env *Env, p parsed) error {
			if len(p.pos) == 0 {
				return usagef("run: name an experiment, e.g. nnlab run conv k=3 (see nnlab experiments)")
			}
			e, err := env.Experiments.Get(p.pos[0])
			if err != nil {
				return usageError{"run: " + err.Error()}
			}
			kv, err := keyValues("run "+e.Name, p.pos[1:])
			if err != nil {
				return err
			}
			width, err := widthFlag("run", p, 80)
			if err != nil {
				return err
			}
			v, err := e.Parse(kv)
			if err != nil {
				return usageError{"run: " + err.Error()}
			}
			r, err := e.Execute(env.Ctx, v, nil)
			if err != nil {
				return err
			}
			if p.has("json") {
				if r.JSON != nil {
					return writeJSON(env.Stdout, r.JSON)
				}
				return writeJSON(env.Stdout, r)
			}
			fmt.Fprintf(env.Stdout, "%s — %s\n%s\n\n", e.Name, e.Summary, report.Wrap(paramLine(e, v), width))
			fmt.Fprint(env.Stdout, report.Text(r, report.Options{Width: width, ShowKeys: p.has("keys")}))
			return nil
		},
	}
}

// paramLine prints every parameter as name=value, in schema order.
func paramLine(e *experiment.Experiment, v experiment.Values) string {
	parts := make([]string, len(e.Params))
	for i, prm := range e.Params {
		parts[i] = prm.Name + "=" + prm.Format(v[prm.Name])
	}
	return strings.Join(parts, " ")
}
