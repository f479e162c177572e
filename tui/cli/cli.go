package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/fashion"
	"github.com/nnlab/nnlab/lessons"
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
		quizCmd(),
		serveCmd(),
		reportCmd(),
	}
}

func topUsage() string {
	var b strings.Builder
	b.WriteString("nnlab — learn how modern networks are trained and built, hands on the numbers.\n\n")
	b.WriteString("Usage: nnlab COMMAND [arguments]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-12s %s\n", c.name, firstSentence(c.summary))
	}
	fmt.Fprintf(&b, "  %-12s %s\n", "completion", "Shell completion: nnlab completion bash|zsh|fish.")
	b.WriteString("\nFlags:\n  --version                print nnlab's version\n")
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
// 0 on success, 2 on bad usage or input, 1 on any other failure. Commands,
// flags, help and shell completion are cobra's; usage and errors keep
// nnlab's one-line form.
func Main(env *Env, args []string) int {
	if env.Ctx == nil {
		env.Ctx = context.Background()
	}
	if fi, err := os.Stat(fashion.DebianDir); err == nil && fi.IsDir() {
		fashion.UseIfPresent(fashion.Source{FS: os.DirFS(fashion.DebianDir), Dir: ".", Name: fashion.DebianDir})
	}
	root := newRoot(env)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return 0
	}
	var quiet exitError
	if errors.As(err, &quiet) {
		return quiet.code
	}
	name := strings.TrimPrefix(cmd.CommandPath(), root.Name()+" ") // "run", "completion bash"
	if cmd == root {
		name = "notebook"
	}
	msg := errorLine(err)
	var unknown unknownCommandError
	switch {
	case errors.As(err, &unknown):
		msg = ": " + msg
	case !strings.HasPrefix(msg, name+":") && !strings.HasPrefix(msg, name+" "):
		msg = " " + name + ": " + msg
	default:
		msg = " " + msg
	}
	fmt.Fprintf(env.Stderr, "nnlab%s\n", msg)
	if isUsage(err) {
		return 2
	}
	return 1
}

// exitError ends nnlab with its code and nothing printed (ctrl+c before
// the app started: 130, as a shell reports SIGINT).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// newRoot builds the command tree: nnlab alone (or with only flags) opens
// the notebook; each command of commands() is a subcommand.
func newRoot(env *Env) *cobra.Command {
	nb := notebookCmd()
	root := &cobra.Command{
		Use:               "nnlab",
		Short:             "learn how modern networks are trained and built, hands on the numbers",
		Version:           version(),
		SilenceErrors:     true,
		SilenceUsage:      true,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(c, args[0])
			}
			return nb.run(env, flagsOf(c, nb.flags, args))
		},
	}
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetVersionTemplate("nnlab {{.Version}}\n")
	// The notebook's flags are global: they may come before a command
	// (nnlab --lang en open residual) and every command accepts them; a
	// command that declares a flag of the same name reads it as its own.
	addFlagsTo(root.PersistentFlags(), nb.flags)
	root.SetFlagErrorFunc(flagError)
	root.SetHelpFunc(func(c *cobra.Command, _ []string) {
		if c == root {
			fmt.Fprint(env.Stdout, topUsage())
			return
		}
		for _, sc := range commands() {
			if sc.name == c.Name() {
				fmt.Fprint(env.Stdout, sc.usage())
				return
			}
		}
		fmt.Fprint(env.Stdout, c.UsageString())
	})
	for _, sc := range commands() {
		root.AddCommand(sc.cobra(env))
	}
	root.SetHelpCommand(helpCmd(env))
	initCompletion(root)
	return root
}

// helpCmd is `nnlab help [COMMAND]`: a command's help, or one line and
// exit 2 for what names no command.
func helpCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Args:  cobra.ArbitraryArgs,
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			var names []string
			for _, sc := range c.Root().Commands() {
				if sc.IsAvailableCommand() {
					names = append(names, sc.Name())
				}
			}
			return withPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				fmt.Fprint(env.Stdout, topUsage())
				return nil
			}
			target, rest, err := c.Root().Find(args)
			if err != nil || target == c.Root() {
				var names []string
				for _, sc := range c.Root().Commands() {
					if sc.IsAvailableCommand() {
						names = append(names, sc.Name())
					}
				}
				return usagef("help: no command %s; commands: %s", word(args[0]), strings.Join(names, ", "))
			}
			if len(rest) > 0 {
				path := strings.TrimPrefix(target.CommandPath(), c.Root().Name()+" ")
				return usagef("help: %s has no command %s (see nnlab help %s)", path, word(rest[0]), path)
			}
			return target.Help()
		},
	}
}

// initCompletion adds cobra's completion command, with nnlab's errors: an
// unknown shell, or anything after one, is one line and exit 2.
func initCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		var shells []string
		for _, sh := range c.Commands() {
			shells = append(shells, sh.Name())
			sh.Args = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 {
					return usagef("completion %s: takes no arguments, got %s", cmd.Name(), experiment.Echo(args[0]))
				}
				return nil
			}
		}
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return usagef("completion: unknown shell %s; shells: %s", experiment.Echo(args[0]), strings.Join(shells, ", "))
		}
	}
}

// cobra turns a command into a cobra command with the same flags.
func (c command) cobra(env *Env) *cobra.Command {
	cc := &cobra.Command{
		Use:   c.name,
		Short: firstSentence(c.summary),
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.run(env, flagsOf(cmd, c.flags, args))
		},
		ValidArgsFunction: c.complete(env),
	}
	addFlags(cc, c.flags)
	cc.SetFlagErrorFunc(flagError)
	return cc
}

// addFlags declares specs on cmd: a value flag as a string, a switch as a
// bool.
func addFlags(cmd *cobra.Command, specs []flagSpec) { addFlagsTo(cmd.Flags(), specs) }

// addFlagsTo declares specs in fs.
func addFlagsTo(fs *pflag.FlagSet, specs []flagSpec) {
	for _, f := range specs {
		if f.value == "" {
			fs.Bool(f.name, false, f.help)
		} else {
			fs.String(f.name, "", f.help)
		}
	}
}

// flagsOf is what the command line set, as parsed values.
func flagsOf(cmd *cobra.Command, specs []flagSpec, args []string) parsed {
	p := parsed{pos: args, flags: map[string]string{}}
	for _, f := range specs {
		if fl := cmd.Flags().Lookup(f.name); fl != nil && fl.Changed {
			p.flags[f.name] = fl.Value.String()
		}
	}
	return p
}

// flagError puts pflag's errors in nnlab's words: what is wrong, what would
// be right.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	var known []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name != "help" && f.Name != "version" {
			known = append(known, "--"+f.Name)
		}
	})
	sort.Strings(known)
	switch {
	case strings.HasPrefix(msg, "unknown flag: "), strings.HasPrefix(msg, "unknown shorthand flag: "):
		flag := strings.TrimPrefix(strings.TrimPrefix(msg, "unknown flag: "), "unknown shorthand flag: ")
		if i := strings.Index(flag, " in "); i >= 0 { // "'x' in -x"
			flag = flag[i+4:]
		}
		return usagef("unknown flag %s; known: %s", word(flag), strings.Join(known, ", "))
	case strings.HasPrefix(msg, "flag needs an argument: "):
		name := strings.TrimPrefix(msg, "flag needs an argument: ")
		name = "--" + strings.TrimLeft(strings.Trim(name, "'"), "-")
		placeholder := ""
		for _, sc := range commands() {
			for _, f := range append(sc.flags, notebookFlags...) {
				if "--"+f.name == name && sc.name == cmd.Name() || "--"+f.name == name && placeholder == "" {
					placeholder = f.value
				}
			}
		}
		return usagef("%s needs a value (%s)", name, placeholder)
	case strings.HasPrefix(msg, "invalid argument "):
		// a switch given a value: --json=yes
		var val, name string
		if _, e := fmt.Sscanf(msg, "invalid argument %q for %q flag", &val, &name); e == nil {
			return usagef("%s takes no value, got %s", name, experiment.Echo(val))
		}
	}
	return usageError{msg}
}

// unknownCommandError is a first argument that names no command.
type unknownCommandError struct{ usageError }

func unknownCommand(root *cobra.Command, name string) error {
	var names []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return unknownCommandError{usageError{unknownName("command", name, names) + " (see nnlab --help)"}}
}

// version is the module's version from the build info: a tag for
// `go install …@v1.2.3` builds, else the commit the binary was built from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if (v == "" || v == "(devel)") && rev != "" {
		return "(devel) " + rev[:min(12, len(rev))] + modified
	}
	if v == "" {
		return "(devel)"
	}
	return v
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// errorLine is err as the one line printed for it: nothing a terminal acts
// on or hides (lessons.OneLine), and every quoted text in it cut to
// maxQuoted characters — a net under the messages, which quote a value
// they echo with experiment.Echo (40 characters) and a path with %q (paths
// are kept whole up to the net's length: their end names the file).
func errorLine(err error) string {
	const maxQuoted = 4 * experiment.EchoRunes
	s := oneLine(lessons.OneLine(err.Error()))
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		q, err := strconv.QuotedPrefix(s[i:])
		if err != nil {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		s = s[i+len(q):]
		if v, err := strconv.Unquote(q); err == nil && utf8.RuneCountInString(v) > maxQuoted {
			q = strconv.Quote(string([]rune(v)[:maxQuoted])) + "…"
		}
		b.WriteString(q)
	}
	b.WriteString(s)
	return b.String()
}

// writeRunJSON prints a run for scripts: the experiment's own payload
// (the result itself when it has none) with one more member, "outputs",
// that maps every key the report shows — what --keys prints, what exercise
// goals and quiz answers name — to its value, in the report's order. A
// value that is not a finite number is null.
func writeRunJSON(w io.Writer, r *experiment.Result) error {
	var payload any = r
	if r.JSON != nil {
		payload = r.JSON
	}
	body, err := marshal(payload)
	if err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return fmt.Errorf("run %s: its JSON payload is not an object", r.Experiment)
	}
	if _, taken := members["outputs"]; taken {
		return fmt.Errorf("run %s: its JSON payload already has an \"outputs\" member", r.Experiment)
	}
	var out bytes.Buffer
	out.WriteByte('{')
	for i, sc := range r.Scalars {
		if i > 0 {
			out.WriteByte(',')
		}
		k, _ := marshal(sc.Key)
		out.Write(k)
		out.WriteByte(':')
		if math.IsNaN(sc.Value) || math.IsInf(sc.Value, 0) {
			out.WriteString("null")
			continue
		}
		v, _ := marshal(sc.Value)
		out.Write(v)
	}
	out.WriteByte('}')
	body = bytes.TrimSpace(body)
	sep := ","
	if len(members) == 0 {
		sep = ""
	}
	line := append(append(body[:len(body)-1:len(body)-1], []byte(sep+`"outputs":`)...), out.Bytes()...)
	_, err = w.Write(append(line, '}', '\n'))
	return err
}

// marshal is json.Marshal without escaping <, > and &.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// MinWidth is the narrowest --width that run and render honour: every
// experiment at its defaults and every lesson fits it (tables split into
// panels, charts and bars sized, titles and labels wrapped), and any line
// that would still be wider is folded. Narrower widths are refused.
const MinWidth = 44

// widthHelp documents --width for run and render.
var widthHelp = fmt.Sprintf("width in columns, %d to 1000 (default 80); no line is wider", MinWidth)

func widthFlag(cmd string, p parsed, def int) (int, error) {
	s, ok := p.flags["width"]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < MinWidth || n > 1000 {
		return 0, usagef("%s: --width must be a whole number from %d to 1000 (narrower is not honoured), got %s", cmd, MinWidth, experiment.Echo(s))
	}
	return n, nil
}

// fold guarantees that no line of s is wider than width columns: a wider
// line is wrapped at spaces where it can (report.Fit), and whatever is
// still too wide is broken hard.
func fold(s string, width int) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	for _, line := range lines {
		if report.Width(line) <= width {
			out = append(out, line)
			continue
		}
		for _, l := range strings.Split(report.Fit(line, width), "\n") {
			if report.Width(l) > width {
				l = ansi.Hardwrap(l, width, true)
			}
			out = append(out, strings.Split(l, "\n")...)
		}
	}
	return strings.Join(out, "\n")
}

func experimentsCmd() command {
	return command{
		name:    "experiments",
		summary: "List the experiments and their parameters (name, type, default, range, help).",
		flags:   []flagSpec{{name: "json", help: "print the schemas as JSON"}},
		run: func(env *Env, p parsed) error {
			if len(p.pos) > 0 {
				return usagef("experiments: takes no arguments, got %s", experiment.Echo(p.pos[0]))
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

// useData makes the directory given with --data the source of
// Fashion-MNIST's images; a directory without the files is a usage error.
func useData(cmd string, p parsed) error {
	dir, ok := p.flags["data"]
	if !ok {
		return nil
	}
	if err := fashion.Use(fashion.Source{FS: os.DirFS(dir), Dir: ".", Name: dir}); err != nil {
		return usageError{cmd + ": --data: " + err.Error()}
	}
	return nil
}

func runCmd() command {
	return command{
		name: "run",
		args: "EXPERIMENT [name=value …]",
		summary: "Run an experiment with the given parameters and print a report.\n" +
			"Parameters not given keep their defaults; 'nnlab experiments' lists them.",
		flags: []flagSpec{
			{name: "json", help: "print the experiment's stable JSON payload instead of the report, every number of the report under \"outputs\" by its key"},
			{name: "width", value: "N", help: widthHelp},
			{name: "keys", help: "show each scalar's key (for exercise goals)"},
			{name: "data", value: "DIR", help: "Fashion-MNIST's IDX files (default: " + fashion.DebianDir + " when present, else the embedded subset)"},
		},
		run: func(env *Env, p parsed) error {
			if len(p.pos) == 0 {
				return usagef("run: name an experiment, e.g. nnlab run conv k=3 (see nnlab experiments)")
			}
			if err := useData("run", p); err != nil {
				return err
			}
			e, err := env.Experiments.Get(p.pos[0])
			if err != nil {
				var names []string
				for _, x := range env.Experiments.All() {
					names = append(names, x.Name)
				}
				sort.Strings(names)
				return usageError{"run: " + unknownName("experiment", p.pos[0], names)}
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
				return usageError{"run: " + withSuggestion(err).Error()}
			}
			if e.Ignored != nil { // a parameter no chosen optimizer reads: said, and run anyway
				var given []string
				for k := range kv {
					if prm, ok := e.Params.Lookup(k); ok {
						given = append(given, prm.Name)
					}
				}
				for _, line := range e.Ignored(v, given) {
					fmt.Fprintf(env.Stderr, "nnlab run: %s: %s; the run goes on without it\n", e.Name, oneLine(line))
				}
			}
			r, err := e.Execute(env.Ctx, v, nil)
			if err != nil {
				return err
			}
			if p.has("json") {
				return writeRunJSON(env.Stdout, r)
			}
			out := fmt.Sprintf("%s\n%s\n\n", report.Wrap(e.Name+" — "+e.Summary, width), report.Wrap(paramLine(e, v), width)) +
				report.Text(r, report.Options{Width: width, ShowKeys: p.has("keys")})
			fmt.Fprint(env.Stdout, fold(out, width))
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
