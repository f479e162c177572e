package untrusted

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsControl reports whether a terminal would act on r: a C0 control but
// tab and newline, DEL, or a C1 control. ESC starts every escape sequence;
// a carriage return moves back over the line.
func IsControl(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || (r >= 0x80 && r <= 0x9f)
}

// StripControls removes the control characters a terminal would act on
// (IsControl) and invalid UTF-8 from s, keeping tabs and newlines: for
// text from outside a lesson file — a state file, a typed value, a
// learner's name — before it is drawn or printed.
func StripControls(s string) string {
	if strings.IndexFunc(s, IsControl) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || IsControl(r) {
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
