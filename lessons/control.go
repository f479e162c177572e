package lessons

import (
	"fmt"

	"github.com/nnlab/nnlab/internal/untrusted"
)

// firstControl finds the first control character in text that a terminal
// would act on (untrusted.IsControl; a carriage return is left alone once
// CRLF line ends are read as newlines), with its 1-based line and column.
// Lesson files may hold none: a title or a paragraph must never clear a
// learner's screen, set their window title or write their clipboard.
func firstControl(text string) (line, col int, r rune, ok bool) {
	line, col = 1, 1
	for _, r := range text {
		switch {
		case r == '\n':
			line, col = line+1, 1
			continue
		case untrusted.IsControl(r):
			return line, col, r, true
		}
		col++
	}
	return 0, 0, 0, false
}

// controlName names a control character for an error message.
func controlName(r rune) string {
	names := map[rune]string{0x1b: "ESC", 0x07: "BEL", 0x08: "backspace", 0x0d: "carriage return", 0x00: "NUL", 0x7f: "DEL", 0x9b: "CSI", 0x9d: "OSC"}
	if n, ok := names[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, n)
	}
	return fmt.Sprintf("U+%04X", r)
}
