package cli

import (
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui"
	"github.com/nnlab/nnlab/tui/state"
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
			return startNotebook(env, p, "")
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
			return startNotebook(env, p, p.pos[0])
		},
	}
}

func startNotebook(env *Env, p parsed, open string) error {
	lang := p.flags["lang"]
	if lang != "" && lang != "ko" && lang != "en" {
		return usagef("--lang must be ko or en, got %q", lang)
	}
	theme := p.flags["theme"]
	if theme == "" {
		theme = "auto"
	}
	if theme != "dark" && theme != "light" && theme != "auto" {
		return usagef("--theme must be dark, light or auto, got %q", theme)
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
	lib, lerr := lessons.Load(env.Experiments, p.flags["lessons"])
	nErr := 0
	if el, ok := lerr.(lessons.ErrorList); ok {
		nErr = len(el)
	}
	if lang == "" {
		lang = store.Lang()
	}
	if lang == "" {
		lang = envLang(os.Getenv)
	}
	if open != "" {
		if _, ok := lib.Lookup(open, lang); !ok {
			return usagef("open: no lesson %q; lessons: %s", open, strings.Join(lib.IDs(), ", "))
		}
	}
	store.SetLang(lang)
	r, dark := tui.NewRenderer(env.Stdout, theme)
	return tui.Run(env.Ctx, tui.Options{
		Lessons:    lib.All(),
		LoadErrors: nErr,
		Store:      store,
		Notice:     notice,
		Lang:       lang,
		Renderer:   r,
		Dark:       dark,
		Open:       open,
	}, env.Stdin, env.Stdout)
}

func isTerminal(f any) bool {
	if fd, ok := f.(interface{ Fd() uintptr }); ok {
		return term.IsTerminal(fd.Fd())
	}
	return false
}
