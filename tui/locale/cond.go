package locale

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nnlab/nnlab/core/experiment"
)

// GoalLabel is what name reads as in an exercise's goal in lang: the label
// r gives its scalar, shortened and lowercased for the middle of a
// sentence; "" when r has no such scalar (a parameter's name, or no run
// yet), and the name itself should be shown.
func GoalLabel(lang string, r *experiment.Result, name string) string {
	if r == nil {
		return ""
	}
	if s, ok := r.Scalar(name); ok && s.Label != "" {
		return midSentence(short(get(lang).text(s.Label)))
	}
	return ""
}

// GoalUnit is the unit written right after name's number in a goal: only
// a ratio's "×" (in lang); other units are words the label already says.
func GoalUnit(lang string, r *experiment.Result, name string) string {
	if r == nil {
		return ""
	}
	if s, ok := r.Scalar(name); ok && (s.Unit == "×" || s.Unit == "배") { // r may be in lang already
		return get(lang).text("×")
	}
	return ""
}

// midSentence lowercases a label's first letter for the middle of a
// sentence ("Output height" → "output height"), but not an acronym's
// ("MAC saving").
func midSentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(r) && !unicode.IsUpper(next) {
		return string(unicode.ToLower(r)) + s[n:]
	}
	return s
}

// short is a label without what explains it — a trailing "(…)", the
// definition after "name: " — so that a goal reads as a sentence:
// "momentum tail loss: mean f over the later half of the run" → "momentum
// tail loss". A one-word name before the colon stays with what follows
// ("Shortcut: parameters").
func short(s string) string {
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, " ("); i > 0 {
			s = s[:i]
		}
	}
	if i := strings.Index(s, ": "); i > 0 && strings.Contains(s[:i], " ") {
		s = s[:i]
	}
	return s
}
