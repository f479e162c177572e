package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/core/quiz"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/state"
	"github.com/nnlab/nnlab/tui/terminal"
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
	// Theme is dark, light, or auto (find out, whatever the learner chose
	// before); "" is the learner's choice if any, else auto. See Background.
	Theme string
	// Ask, when set, asks the local terminal for its background (see
	// terminal.Ask); nil over SSH, where a client is never questioned.
	Ask  func() (terminal.Replies, error)
	Open string // a lesson id to start in
	// Quiz, when set, opens a quiz of these questions on start.
	Quiz []quiz.Question
	// AskName, when set, makes the session ask the learner's name first
	// and open the learner's store with it (an SSH client without a key).
	AskName func(name string) (Login, error)
	// Rename, when set, lets the learner change the name they are shown
	// by (n on the lesson list); it returns the name as kept. With
	// NameFirst, the learner is asked for it before anything else (a new
	// SSH key's owner). Name is the learner's name now.
	Rename    func(name string) (string, error)
	NameFirst bool
	Name      string
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
	// NoColor draws without colour (NO_COLOR), with bold and reverse video.
	NoColor   bool
	Open      string
	Quiz      []quiz.Question
	AskName   func(name string) (Login, error)
	Rename    func(name string) (string, error)
	NameFirst bool
	Name      string
	// QuizSeed, when not 0, gives every session the same practice quiz
	// (a workshop's room).
	QuizSeed uint64
	// Room, when set, makes this an instructor's session: the class's
	// live view instead of the lessons.
	Room   Room
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
// profile and NO_COLOR from env, the background (see Background), the
// language from the settings, the store or the locale.
func NewOptions(env Env, s Settings) (Options, error) {
	if s.Lang != "" {
		if err := CheckLang(s.Lang); err != nil {
			return Options{}, err
		}
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
	bg, err := Background(s.Theme, store, lookup, s.Ask)
	if err != nil {
		return Options{}, err
	}
	r := env.Renderer
	if r == nil {
		r = newRenderer(env.Out, lookup)
	}
	// NO_COLOR turns colour off, not bold or reverse video (no-color.org):
	// the header, the selection and a text field's cursor keep showing.
	_, noColor := lookup("NO_COLOR")
	if noColor && r.ColorProfile() != termenv.Ascii {
		r.SetColorProfile(termenv.ANSI)
	}
	dark := bg.Dark
	r.SetHasDarkBackground(dark) // set before any style asks: nothing queries the terminal
	return Options{
		Library: s.Library, LoadErrors: s.LoadErrors, Store: store, Notice: s.Notice, NoColor: noColor,
		Lang: lang, Renderer: r, Dark: dark, Open: s.Open, Quiz: s.Quiz, AskName: s.AskName,
		Rename: s.Rename, NameFirst: s.NameFirst, Name: s.Name,
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
// one, checked by the caller, or an SSH pty). Its background is set by the
// caller before any style is rendered, so it never asks the terminal.
func newRenderer(out io.Writer, lookup func(string) (string, bool)) *lipgloss.Renderer {
	if out == nil {
		out = io.Discard
	}
	// Unsafe: the profile is read from the session's variables even when out
	// is not an *os.File (an SSH channel); nothing here queries the terminal.
	return lipgloss.NewRenderer(out, termenv.WithEnvironment(sessionEnviron(lookup)), termenv.WithUnsafe())
}

// ErrInterrupted is returned when the learner pressed ctrl+c while the
// terminal was being asked for its background.
var ErrInterrupted = errors.New("interrupted")

// AskTimeout bounds the wait for a terminal's answer: one that answers the
// cursor query ends the wait at once; one that answers nothing costs this,
// once, and is remembered.
const AskTimeout = 400 * time.Millisecond

// Background decides a session's background, in this order:
//   - the theme set: "dark" or "light" (a flag);
//   - the learner's own choice, made with T in the app and kept in their
//     state (unless theme is "auto": find out again);
//   - what the environment says: COLORFGBG, the Linux console (see
//     terminal.FromEnv);
//   - for a local terminal (ask != nil) that may be asked and is not
//     remembered as silent: its answer to OSC 11; a terminal that does not
//     answer is remembered in the store, and never waited on again;
//   - else dark.
//
// Every way into the app — nnlab, open, quiz, a workshop's session — goes
// through it.
func Background(theme string, store *state.Store, lookup func(string) (string, bool), ask func() (terminal.Replies, error)) (terminal.Background, error) {
	switch theme {
	case "dark", "light":
		return terminal.Background{Dark: theme == "dark", Source: terminal.Chosen}, nil
	case "", "auto":
	default:
		return terminal.Background{}, fmt.Errorf("theme must be dark, light or auto, got %q", theme)
	}
	if theme == "" && store != nil {
		if t := store.Theme(); t != "" {
			return terminal.Background{Dark: t == "dark", Source: terminal.Chosen}, nil
		}
	}
	if b, ok := terminal.FromEnv(lookup); ok {
		return b, nil
	}
	term, _ := lookup("TERM")
	id := TerminalID(lookup)
	if ask == nil || !terminal.Askable(term) || (store != nil && store.Silent(id)) {
		return terminal.Background{Dark: true}, nil
	}
	rep, err := ask()
	switch {
	case rep.Interrupt:
		return terminal.Background{}, ErrInterrupted
	case err != nil: // not asked (not a terminal, in the background): nothing learnt
		return terminal.Background{Dark: true}, nil
	case rep.HasColor:
		return terminal.Background{Dark: terminal.IsDark(rep.Color), Source: terminal.Reply, RGB: rep.Color}, nil
	}
	if store != nil {
		store.SetSilent(id, time.Now())
	}
	return terminal.Background{Dark: true}, nil
}

// TerminalID names a kind of terminal for remembering how it answers: its
// TERM and the variables terminal emulators set to name themselves.
func TerminalID(lookup func(string) (string, bool)) string {
	var parts []string
	for _, k := range []string{"TERM", "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "COLORTERM", "VTE_VERSION", "KONSOLE_VERSION", "WT_SESSION"} {
		v, ok := lookup(k)
		if k == "WT_SESSION" && ok {
			v = "set" // a per-window id: only its presence names the terminal
		}
		if ok && v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	id := strings.Join(parts, " ")
	if len(id) > 200 {
		id = id[:200]
	}
	return id
}

// sessionEnviron lets termenv read the session's variables (TERM,
// COLORTERM, …) instead of the process's.
type sessionEnviron func(string) (string, bool)

func (e sessionEnviron) Getenv(k string) string {
	if k == "NO_COLOR" { // the session's to apply (NewOptions): colour off, attributes kept
		return ""
	}
	v, _ := e(k)
	return v
}

func (e sessionEnviron) Environ() []string {
	var out []string
	for _, k := range []string{"TERM", "COLORTERM", "TERM_PROGRAM", "CLICOLOR", "CLICOLOR_FORCE", "COLORFGBG"} { // NO_COLOR is the session's (NewOptions), not the profile's
		if v, ok := e(k); ok {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// Run shows the app full-screen on o.In and o.Out until the learner quits
// or ctx ends. Signals are the caller's to turn into ctx's end (nnlab's main
// does for SIGINT, SIGTERM and SIGHUP): Bubble Tea's own handler, racing
// with the context, could leave the program stuck in its shutdown with the
// terminal in raw mode.
func Run(ctx context.Context, o Options) error {
	m := New(o)
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithFilter(dropLateReply),
		tea.WithoutSignalHandler(), tea.WithContext(ctx), tea.WithInput(o.In), tea.WithOutput(o.Out))
	_, err := p.Run()
	if err == tea.ErrProgramKilled && ctx.Err() != nil {
		return nil
	}
	return err
}

// lateReply matches the body of a terminal's answer to OSC 11.
var lateReply = regexp.MustCompile(`^1[01];rgba?:[0-9a-fA-F/]*$`)

// dropLateReply drops what a terminal's answer to the background query
// types when it arrives after the wait (a slow link): ESC ] reads as
// alt+], the colour as runes, ESC \ as alt+\. None of them is a key of
// nnlab's; a late cursor report is dropped by Bubble Tea itself.
func dropLateReply(_ tea.Model, msg tea.Msg) tea.Msg {
	k, ok := msg.(tea.KeyMsg)
	if !ok || k.Type != tea.KeyRunes {
		return msg
	}
	switch s := string(k.Runes); {
	case k.Alt && (s == "]" || s == "\\"):
		return nil
	case !k.Alt && lateReply.MatchString(s):
		return nil
	}
	return msg
}
