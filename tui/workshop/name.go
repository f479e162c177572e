package workshop

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/nnlab/nnlab/lessons"
)

// MaxName is the longest learner name, in runes.
const MaxName = 40

// CleanName is a name as it is kept and shown: without control or
// invisible characters (lessons.OneLine), in Unicode's composed form
// (NFC), trimmed, each run of spaces inside it one space.
func CleanName(s string) string {
	return strings.Join(strings.FieldsFunc(norm.NFC.String(lessons.OneLine(s)), unicode.IsSpace), " ")
}

// FoldName is a name as it is matched: CleanName, case-folded (Unicode's
// full folding, so "Straße" matches "STRASSE"), composed again. "Ji-woo
// Kim", "ji-woo  kim " and "JI-WOO KIM" fold alike.
func FoldName(s string) string {
	return norm.NFC.String(cases.Fold().String(CleanName(s)))
}

// CheckName says what is wrong with a cleaned name — the id of a message
// ("login_bad_length", "login_bad_char") — or "".
func CheckName(name string) string {
	if name == "" || len([]rune(name)) > MaxName {
		return "login_bad_length"
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return "login_bad_char"
		}
	}
	return ""
}
