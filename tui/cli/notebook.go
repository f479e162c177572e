package cli

import (
	"errors"
	"os"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/nnlab/nnlab/core/quiz"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui"
	"github.com/nnlab/nnlab/tui/state"
	"github.com/nnlab/nnlab/tui/terminal"
)

// notebookFlags are the flags of the full-screen notebook.
var notebookFlags = []flagSpec{
	{name: "lang", value: "ko|en", help: "language of the lessons (default: the last one used, else from LANG)"},
	{name: "theme", value: "dark|light|auto", help: "colours for a dark or light terminal (default auto)"},
	{name: "state-dir", value: "DIR", help: "where progress is kept (default $XDG_STATE_HOME/nnlab)"},
	{name: "lessons", value: "DIR", help: "also load lessons from DIR (same id and language replaces a built-in one)"},
}

func notebookCmd() command {
	return command{
		name:    "notebook",
		summary: "Open the notebook: the lesson list, then lessons with live cells (what 'nnlab' alone does).",
		flags:   notebookFlags,
		run: func(env *Env, p parsed) error {
			if len(p.pos) > 0 {
				return usagef("notebook: takes no arguments, got %q (to open a lesson: nnlab open LESSON)", p.pos[0])
			}
			return startNotebook(env, p, "", nil)
		},
	}
}

func openCmd() command {
	return command{
		name:    "open",
		args:    "LESSON",
		summary: "Open the notebook inside a lesson, named by its id such as momentum ('nnlab lessons' lists them).",
		flags:   notebookFlags,
		run: func(env *Env, p parsed) error {
			if len(p.pos) != 1 {
				return usagef("open: name one lesson, e.g. nnlab open momentum (see nnlab lessons)")
			}
			return startNotebook(env, p, p.pos[0], nil)
		},
	}
}

// startNotebook opens the full-screen app: on the lesson list, in lesson
// open, or on a quiz of qs.
func startNotebook(env *Env, p parsed, open string, qs []quiz.Question) error {
	if lang := p.flags["lang"]; lang != "" {
		if err := tui.CheckLang(lang); err != nil {
			return usagef("--lang: %v", err)
		}
	}
	if theme := p.flags["theme"]; theme != "" && theme != "dark" && theme != "light" && theme != "auto" {
		return usagef("--theme must be dark, light or auto, got %q", theme)
	}
	ldir, err := lessonsDir(p)
	if err != nil {
		return err
	}
	if env.Stdin == nil || !isTerminal(env.Stdin) || !isTerminal(env.Stdout) {
		return usagef("the notebook needs a terminal; for text output use nnlab render LESSON (see nnlab --help)")
	}
	dir := p.flags["state-dir"]
	if dir == "" {
		d, err := state.DefaultDir()
		if err != nil {
			return err
		}
		dir = d
	}
	store, notice, err := state.Open(dir)
	if err != nil {
		return err
	}
	lib, lerr := lessons.Load(env.Experiments, ldir)
	nErr := 0
	if el, ok := lerr.(lessons.ErrorList); ok {
		nErr = len(el)
	}
	if open != "" {
		if _, ok := lib.Lookup(open, lessons.FallbackLang); !ok {
			return usagef("open: no lesson %q%s; lessons: %s", open, didYouMean(open, lib.IDs()), strings.Join(lib.IDs(), ", "))
		}
	}
	if p.flags["theme"] == "auto" { // find out again: forget the learner's T
		store.SetTheme("")
	}
	set := tui.Settings{Library: lib, LoadErrors: nErr, Notice: notice, Lang: p.flags["lang"], Theme: p.flags["theme"], Open: open, Quiz: qs}
	in, inOK := env.Stdin.(*os.File)
	out, outOK := env.Stdout.(*os.File)
	if inOK && outOK {
		set.Ask = func() (terminal.Replies, error) { return terminal.Ask(in, out, tui.AskTimeout) }
	}
	o, err := tui.NewOptions(tui.Env{LookupEnv: env.lookupEnv(), In: env.Stdin, Out: env.Stdout, Store: store}, set)
	if errors.Is(err, tui.ErrInterrupted) {
		return exitError{code: 130}
	}
	if err != nil {
		return usageError{err.Error()}
	}
	// Whatever still draws with lipgloss's default renderer draws as the
	// session does, and never asks the terminal itself.
	lipgloss.SetDefaultRenderer(o.Renderer)
	store.SetLang(o.Lang)
	if err := tui.Run(env.Ctx, o); err != nil {
		return err
	}
	// The final save: the app saved each change as it went, but a failure
	// there showed at most a notice; here it is one line and exit 1.
	return store.Save()
}

func isTerminal(f any) bool {
	if fd, ok := f.(interface{ Fd() uintptr }); ok {
		return term.IsTerminal(fd.Fd())
	}
	return false
}
