//go:build nnlab_panickey

package tui

func init() { panicKey = "ctrl+t" }
