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

// langFlag declares --lang: one of the languages, or "" for the default.
func langFlag(to *string, help string) flagSpec {
	return flagOf(to, "lang", strings.Join(lessons.Languages, "|"), help, func(s string) (string, error) {
		if s == "" {
			return s, nil
		}
		if err := tui.CheckLang(s); err != nil {
			return "", usageError{"--lang: " + err.Error()}
		}
		return s, nil
	})
}

// notebookOptions are the flags of the full-screen notebook.
type notebookOptions struct {
	lang, theme, stateDir, lessons string
}

func (o *notebookOptions) flags() []flagSpec {
	return []flagSpec{
		langFlag(&o.lang, "language of the lessons (default: the last one used, else from LANG)"),
		checkedFlag(&o.theme, "theme", "dark|light|auto", "colours for a dark or light terminal (default auto)", "must be dark, light or auto",
			func(s string) (string, bool) { return s, s == "" || s == "dark" || s == "light" || s == "auto" }),
		textFlag(&o.stateDir, "state-dir", "DIR", "where progress is kept (default $XDG_STATE_HOME/nnlab)"),
		textFlag(&o.lessons, "lessons", "DIR", "also load lessons from DIR (same id and language replaces a built-in one)"),
	}
}

func notebookCmd() command {
	var o notebookOptions
	return command{
		name:    "notebook",
		summary: "Open the notebook: the lesson list, then lessons with live cells (what 'nnlab' alone does).",
		flags:   o.flags(),
		run: func(env *Env, p call) error {
			if len(p.pos) > 0 {
				return usagef("notebook: takes no arguments, got %q (to open a lesson: nnlab open LESSON)", p.pos[0])
			}
			return startNotebook(env, p, o, "", nil)
		},
	}
}

func openCmd() command {
	var o notebookOptions
	return command{
		name:    "open",
		args:    "LESSON",
		summary: "Open the notebook inside a lesson, named by its id such as momentum ('nnlab lessons' lists them).",
		flags:   o.flags(),
		run: func(env *Env, p call) error {
			if len(p.pos) != 1 {
				return usagef("open: name one lesson, e.g. nnlab open momentum (see nnlab lessons)")
			}
			return startNotebook(env, p, o, p.pos[0], nil)
		},
	}
}

// startNotebook opens the full-screen app: on the lesson list, in lesson
// open, or on a quiz of qs.
func startNotebook(env *Env, p call, o notebookOptions, open string, qs []quiz.Question) error {
	ldir, err := lessonsDir(p, o.lessons)
	if err != nil {
		return err
	}
	if env.Stdin == nil || !isTerminal(env.Stdin) || !isTerminal(env.Stdout) {
		return usagef("the notebook needs a terminal; for text output use nnlab render LESSON (see nnlab --help)")
	}
	dir := o.stateDir
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
	var el lessons.ErrorList
	if errors.As(lerr, &el) {
		nErr = len(el)
	}
	if open != "" {
		if _, ok := lib.Lookup(open, lessons.FallbackLang); !ok {
			return usagef("open: no lesson %q%s; lessons: %s", open, didYouMean(open, lib.IDs()), strings.Join(lib.IDs(), ", "))
		}
	}
	if o.theme == "auto" { // find out again: forget the learner's T
		store.SetTheme("")
	}
	term := tui.Terminal{LookupEnv: env.lookupEnv(), In: env.Stdin, Out: env.Stdout}
	in, inOK := env.Stdin.(*os.File)
	out, outOK := env.Stdout.(*os.File)
	if inOK && outOK {
		term.Ask = func() (terminal.Replies, error) { return terminal.Ask(in, out, tui.AskTimeout) }
	}
	set := tui.Settings{Library: lib, LoadErrors: nErr, Store: store, Notice: notice, Lang: o.lang, Theme: o.theme, Open: open, Quiz: qs}
	session, err := tui.NewOptions(term, set)
	if errors.Is(err, tui.ErrInterrupted) {
		return exitError{code: 130}
	}
	if err != nil {
		return usageError{err.Error()}
	}
	// Whatever still draws with lipgloss's default renderer draws as the
	// session does, and never asks the terminal itself.
	lipgloss.SetDefaultRenderer(session.Renderer)
	store.SetLang(session.Lang)
	if err := tui.Run(env.Ctx, session); err != nil {
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
