package lessons

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// firstControl finds the first control character in text that a terminal
// would act on (C0 but tab and newline, DEL, C1; ESC starts every escape
// sequence; a carriage return, left alone once CRLF line ends are read as
// newlines, moves back over the line), with its 1-based line and column. Lesson files may hold none:
// a title or a paragraph must never clear a learner's screen, set their
// window title or write their clipboard.
func firstControl(text string) (line, col int, r rune, ok bool) {
	line, col = 1, 1
	for _, r := range text {
		switch {
		case r == '\n':
			line, col = line+1, 1
			continue
		case r == '\t':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
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

// StripControls removes the control characters a terminal would act on
// from s (as firstControl defines them), keeping tabs and newlines: for
// text from outside a lesson file — a state file, a typed value, a
// learner's name — before it is drawn or printed.
func StripControls(s string) string {
	if _, _, _, ok := firstControl(s); !ok && utf8.ValidString(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			return -1
		}
		return r
	}, s)
}

// OneLine is s as a name or a label from outside should be shown on one
// line: without the control characters StripControls removes, and without
// the invisible characters that change how the rest reads — Unicode's
// format characters (Cf: the bidirectional overrides and isolates such as
// U+202E, which shows the text after it reversed, zero-width spaces and
// joiners), private-use (Co) and surrogate (Cs) code points, and the line
// and paragraph separators; tabs and newlines become spaces.
func OneLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r == utf8.RuneError, r < 0x20, r >= 0x7f && r <= 0x9f,
			unicode.In(r, unicode.Cf, unicode.Co, unicode.Cs, unicode.Zl, unicode.Zp):
			return -1
		}
		return r
	}, s)
}
