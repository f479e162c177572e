//go:build !unix

package terminal

import (
	"errors"
	"os"
	"time"
)

// Questions are what Ask would write.
const Questions = "\x1b]11;?\x1b\\" + "\x1b[6n"

// ErrNotAsked is returned when the terminal could not be asked.
var ErrNotAsked = errors.New("terminal: not asked")

// Ask is not supported here: the background comes from the environment,
// a flag or the learner's choice.
func Ask(in, out *os.File, timeout time.Duration) (Replies, error) { return Replies{}, ErrNotAsked }
