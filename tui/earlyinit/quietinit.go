// Package quietinit keeps Bubble Tea v1 from asking the terminal for its
// background while the program starts.
//
// Bubble Tea v1 calls lipgloss.HasDarkBackground in a package init
// (tea_init.go, "removed in v2"), which writes an OSC 11 query to standard
// output and waits up to termenv's five-second timeout for an answer: every
// nnlab command, in every terminal that does not answer, would start five
// seconds late, and a terminal's late answer would land in the shell. nnlab
// decides the background itself, once, with a short deadline (see
// tui.Background), so this package tells lipgloss's default renderer a
// background before Bubble Tea's init asks for one.
//
// It is a module of its own only for its import path: Go initializes
// packages in import-path order as soon as their imports are (Go 1.21 and
// later), and this path sorts before github.com/charmbracelet/bubbletea, so
// its init runs right after lipgloss's and before Bubble Tea's. main
// imports it; a test checks that starting nnlab asks nothing at init.
package quietinit

import "github.com/charmbracelet/lipgloss"

func init() {
	// Any value will do: each session sets its own renderer's background.
	lipgloss.SetHasDarkBackground(true)
}
