package tui

import "github.com/nnlab/nnlab/tui/locale"

// T returns UI message id in lang (see locale.Msg and assets/messages.yaml).
func T(lang, id string) string { return locale.Msg(lang, id) }
