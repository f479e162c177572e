package tui

import (
	"context"
	"fmt"
	"github.com/nnlab/nnlab/core/quiz"
	"io"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/state"
)

// Env is what one session gets from the world it runs in: a local terminal,
// or one SSH connection. Nothing in a session reads the process's own
// environment or terminal; an SSH server builds one Env per connection.
type Env struct {
	LookupEnv func(name string) (string, bool) // the client's environment (NO_COLOR, LANG, …)
	In        io.Reader
	Out       io.Writer
	Store     *state.Store // the learner's progress
	// Renderer, when set, is the session's renderer made by its server
	// (wish makes one per SSH client); otherwise one is made on Out.
	Renderer *lipgloss.Renderer
	// Width and Height are the terminal's size when known (an SSH pty);
	// zero until the first tea.WindowSizeMsg.
	Width, Height int
}

// Settings are the session's choices, from flags or the server's config.
type Settings struct {
	Library    *lessons.Library
	LoadErrors int    // lesson files that failed to load
	Notice     string // a one-line notice for the first screen
	Lang       string // "" picks the last language used, else the locale
	Theme      string // dark, light or auto ("" is auto)
	Open       string // a lesson id to start in
	// Quiz, when set, opens a quiz of these questions on start.
	Quiz []quiz.Question
	// AskName, when set, makes the session ask the learner's name first
	// and open the learner's store with it (an SSH client without a key).
	AskName func(name string) (*state.Store, error)
}

// Options are everything one learner's TUI needs. Build them with
// NewOptions; tests may fill them by hand.
type Options struct {
	Library    *lessons.Library
	LoadErrors int
	Store      *state.Store
	Notice     string
	Lang       string // one of lessons.Languages
	Renderer   *lipgloss.Renderer
	Dark       bool
	Open       string
	Quiz       []quiz.Question
	AskName    func(name string) (*state.Store, error)
	// QuizSeed, when not 0, gives every session the same practice quiz
	// (a workshop's room).
	QuizSeed uint64
	// Roster, when set, makes this an instructor's session: the class's
	// live view instead of the lessons.
	Roster func(ctx context.Context) (Class, error)
	In     io.Reader
	Out    io.Writer
	Width  int
	Height int
	// Activity, when set, hears what the learner does (a server records it).
	Activity func(Activity)
	// OneAtATime runs the session's computations one at a time, fast ones
	// too (a server's session); otherwise only heavy ones wait for each
	// other.
	OneAtATime bool
	// Compute bounds the computations running at once across every session
	// that shares it (a server's); nil bounds nothing but the session's own
	// one heavy run at a time.
	Compute Slots
	// FormatDuration prints a run's duration (nil: fmtDuration); golden
	// tests pin it.
	FormatDuration func(time.Duration) string
}

// CheckLang reports whether lang is one nnlab has lessons in.
func CheckLang(lang string) error {
	if slices.Contains(lessons.Languages, lang) {
		return nil
	}
	return fmt.Errorf("language must be one of %s, got %q", strings.Join(lessons.Languages, ", "), lang)
}

// NewOptions builds a session's options from its environment: the colour
// profile and NO_COLOR from env, the background (theme "auto" asks the
// terminal on env.Out, once, here), the language from the settings, the
// store or the locale.
func NewOptions(env Env, s Settings) (Options, error) {
	if s.Lang != "" {
		if err := CheckLang(s.Lang); err != nil {
			return Options{}, err
		}
	}
	if s.Theme == "" {
		s.Theme = "auto"
	}
	if s.Theme != "dark" && s.Theme != "light" && s.Theme != "auto" {
		return Options{}, fmt.Errorf("theme must be dark, light or auto, got %q", s.Theme)
	}
	lookup := env.LookupEnv
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	store := env.Store
	if store == nil {
		store = state.Memory()
	}
	lang := s.Lang
	if lang == "" {
		lang = store.Lang()
	}
	if CheckLang(lang) != nil {
		lang = LocaleLang(lookup)
	}
	var r *lipgloss.Renderer
	var dark bool
	if env.Renderer != nil {
		r = env.Renderer
		if _, ok := lookup("NO_COLOR"); ok {
			r.SetColorProfile(termenv.Ascii)
		}
		dark = s.Theme != "light"
		r.SetHasDarkBackground(dark)
	} else {
		r, dark = newRenderer(env.Out, lookup, s.Theme)
	}
	return Options{
		Library: s.Library, LoadErrors: s.LoadErrors, Store: store, Notice: s.Notice,
		Lang: lang, Renderer: r, Dark: dark, Open: s.Open, Quiz: s.Quiz, AskName: s.AskName,
		In: env.In, Out: env.Out, Width: env.Width, Height: env.Height,
	}, nil
}

// LocaleLang picks the language from the locale variables: ko when the
// first one set starts with "ko", else the fallback.
func LocaleLang(lookup func(string) (string, bool)) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v, ok := lookup(name); ok && v != "" {
			for _, l := range lessons.Languages {
				if strings.HasPrefix(v, l) {
					return l
				}
			}
			return lessons.FallbackLang
		}
	}
	return lessons.FallbackLang
}

// newRenderer makes the renderer for a terminal on out, its colour profile
// read from the session's TERM and COLORTERM (out is a terminal: the local
// one, checked by the caller, or an SSH pty); NO_COLOR in the session's
// environment turns colour off; theme "dark" or "light" fixes the
// background, "auto" asks the terminal once, here, never again.
func newRenderer(out io.Writer, lookup func(string) (string, bool), theme string) (r *lipgloss.Renderer, dark bool) {
	if out == nil {
		out = io.Discard
	}
	r = lipgloss.NewRenderer(out, termenv.WithEnvironment(sessionEnviron(lookup)), termenv.WithUnsafe())
	if _, ok := lookup("NO_COLOR"); ok {
		r.SetColorProfile(termenv.Ascii)
	}
	switch theme {
	case "dark":
		dark = true
	case "light":
		dark = false
	default:
		dark = r.HasDarkBackground()
	}
	r.SetHasDarkBackground(dark)
	return r, dark
}

// sessionEnviron lets termenv read the session's variables (TERM,
// COLORTERM, …) instead of the process's.
type sessionEnviron func(string) (string, bool)

func (e sessionEnviron) Getenv(k string) string { v, _ := e(k); return v }

func (e sessionEnviron) Environ() []string {
	var out []string
	for _, k := range []string{"TERM", "COLORTERM", "TERM_PROGRAM", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "COLORFGBG"} {
		if v, ok := e(k); ok {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// Run shows the app full-screen on o.In and o.Out until the learner quits.
func Run(ctx context.Context, o Options) error {
	m := New(o)
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(),
		tea.WithContext(ctx), tea.WithInput(o.In), tea.WithOutput(o.Out))
	_, err := p.Run()
	if err == tea.ErrProgramKilled && ctx.Err() != nil {
		return nil
	}
	return err
}
