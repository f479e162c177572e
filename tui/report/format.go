package report

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/nnlab/nnlab/core/experiment"
)

// Cell prints one table cell: nil as "--", int64 grouped, float64 as Number.
func Cell(c any) string {
	switch x := c.(type) {
	case nil:
		return "--"
	case string:
		return x
	case int:
		return experiment.Group(int64(x))
	case int64:
		return experiment.Group(x)
	case float64:
		return experiment.Number(x)
	case bool:
		if x {
			return "yes"
		}
		return "no"
	}
	return ansi.Strip(strings.TrimSpace(toString(c)))
}

func toString(c any) string {
	if s, ok := c.(interface{ String() string }); ok {
		return s.String()
	}
	return "?"
}

// Width is the display width of s: Korean syllables count two columns.
func Width(s string) int { return ansi.StringWidth(s) }

// Pad right-pads (align left) or left-pads s to w columns.
func Pad(s string, w int, right bool) string {
	n := w - Width(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// Wrap folds text to width columns, breaking at spaces and, for words
// longer than the width, inside words — never after a hyphen or inside a
// number (see Fit). Its own line breaks are kept.
func Wrap(text string, width int) string {
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, wrapWords(l, max(width, 1))...)
	}
	return strings.Join(out, "\n")
}
