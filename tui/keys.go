package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap declares every key once; views enable the ones that apply.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	NextCell, PrevCell                      key.Binding
	NextParam, PrevParam                    key.Binding
	Inc, Dec, Edit, Reset                   key.Binding
	Run, RunAll, Pin, ClearPins             key.Binding
	Open, Back, Lang, Theme, Help, Quit     key.Binding
	Confirm, Cancel                         key.Binding
	Next, Quiz, Leave                       key.Binding
	StepBack, StepFwd, Follow               key.Binding
	Hint, Solution, NextLesson              key.Binding
	Change                                  key.Binding // + and − together, for the footer
	Rename, Accept                          key.Binding // a workshop's: one's name; the lesson the instructor opened
	Select, Message, OpenAll                key.Binding // the instructor's: a learner in full; a message, a lesson for everyone
}

// DefaultKeyMap is nnlab's keys, described in lang.
func DefaultKeyMap(lang string) KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, T(lang, "key."+desc)))
	}
	return KeyMap{
		Up:         b("↑/k", "up", "up", "k"),
		Down:       b("↓/j", "down", "down", "j"),
		PageUp:     b("pgup/b", "pgup", "pgup", "b"),
		PageDown:   b("pgdn/spc", "pgdn", "pgdown", " ", "f"),
		Top:        b("g", "top", "g", "home"),
		Bottom:     b("G", "bottom", "G", "end"),
		NextCell:   b("tab", "next_cell", "tab"),
		PrevCell:   b("S-tab", "prev_cell", "shift+tab"),
		NextParam:  b("→/l", "next_param", "right", "l"),
		PrevParam:  b("←/h", "prev_param", "left", "h"),
		Inc:        b("+", "inc", "+", "="),
		Dec:        b("-", "dec", "-", "_"),
		Edit:       b("e", "edit", "e"),
		Reset:      b("x", "reset", "x"),
		Run:        b("enter/r", "run", "enter", "r"),
		RunAll:     b("R", "run_all", "R"),
		Pin:        b("p", "pin", "p"),
		ClearPins:  b("P", "clear_pins", "P"),
		Open:       b("enter", "open", "enter"),
		Back:       b("esc", "back", "esc", "backspace"),
		Lang:       b("L", "lang", "L"),
		Theme:      b("T", "theme", "T"),
		Help:       b("?", "help", "?"),
		Quit:       b("q", "quit", "q", "ctrl+c"),
		Confirm:    b("enter", "confirm", "enter"),
		Cancel:     b("esc", "cancel", "esc"),
		Next:       b("enter/n", "next", "enter", "n"),
		Quiz:       b("z", "quiz", "z"),
		Leave:      b("esc", "leave_quiz", "esc"),
		StepBack:   b("[", "step_back", "["),
		StepFwd:    b("]", "step_fwd", "]"),
		Follow:     b("w", "follow", "w"),
		Change:     b("+/-", "change", "+", "=", "-", "_"),
		Hint:       b("H", "hint", "H"),
		Solution:   b("S", "solution", "S"),
		NextLesson: b("N", "next_lesson", "N"),
		Rename:     b("n", "rename", "n"),
		Accept:     b("o", "accept", "o"),
		Select:     b("enter", "select", "enter"),
		Message:    b("m", "message", "m"),
		OpenAll:    b("o", "open_all", "o"),
	}
}
