package tui

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
)

// Screen is one page of the app: the lesson list, a lesson's notebook, a
// quiz, the name prompt, the instructor's class view and what opens from it
// (a learner's detail, a message or a lesson for the room). The app keeps a
// stack of screens and shows the top one between its header and footer;
// screens are opened and closed by messages (openLessonMsg, pushMsg,
// backMsg), never by return values, so a new screen is a new file plus the
// one line that opens it.
type Screen interface {
	// Update handles a message meant for this screen. Global keys (help,
	// language, quit, back) are handled by the app before it.
	Update(msg tea.Msg) tea.Cmd
	// View is the screen's body in exactly height lines of the session's
	// width. It must be cheap: string assembly of what Update prepared.
	View(height int) string
	// Keys is the screen's help keymap, for the footer and the ? view.
	Keys() help.KeyMap
	// Title is the screen's name in the header ("" for none); Status is
	// shown at the header's right (e.g. exercises passed).
	Title() string
	Status() string
	// Resize lays the screen out again for the session's size.
	Resize() tea.Cmd
	// Relang redraws the screen in the session's (new) language.
	Relang() tea.Cmd
	// Close stops the screen's work when it leaves the stack.
	Close()
}

// editor is a screen that may hold a text field: while it does, every key
// goes to it (no global keys, no key-burst splitting).
type editor interface{ Editing() bool }

// positioner is a screen with a scroll position to show in the footer.
type positioner interface{ Position() string }

// resumer is told when it is the top of the stack again, and which screen
// was closed to get there.
type resumer interface{ Resume(closed Screen) tea.Cmd }

// Messages that change screens.
type (
	// openLessonMsg opens lesson ID in the session's language.
	openLessonMsg struct{ id string }
	// pushMsg puts a screen on top of the stack.
	pushMsg struct{ screen Screen }
	// backMsg closes the top screen (never the last one).
	backMsg struct{}
)

func openLesson(id string) tea.Cmd { return func() tea.Msg { return openLessonMsg{id} } }

func push(s Screen) tea.Cmd { return func() tea.Msg { return pushMsg{s} } }

func back() tea.Msg { return backMsg{} }
