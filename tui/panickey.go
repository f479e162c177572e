package tui

// panicKey, when set (only in a build with the nnlab_panickey tag, for the
// test that a panic leaves the terminal as it was), is a key that panics.
var panicKey string
