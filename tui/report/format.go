package report

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Number prints a float for people: whole numbers below 10¹⁵ with grouped
// digits (25,557,032), others with four significant digits.
func Number(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return Group(int64(v))
	}
	a := math.Abs(v)
	if a >= 1e-3 && a < 1e6 {
		s := strconv.FormatFloat(v, 'g', 4, 64)
		if !strings.ContainsAny(s, "e") {
			return s
		}
	}
	return strconv.FormatFloat(v, 'e', 3, 64)
}

// Group prints n with commas between groups of three digits.
func Group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Cell prints one table cell: nil as "--", int64 grouped, float64 as Number.
func Cell(c any) string {
	switch x := c.(type) {
	case nil:
		return "--"
	case string:
		return x
	case int:
		return Group(int64(x))
	case int64:
		return Group(x)
	case float64:
		return Number(x)
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

// Wrap folds text to width columns, breaking at spaces and, for runs longer
// than the width, inside words.
func Wrap(text string, width int) string {
	if width < 1 {
		width = 1
	}
	return ansi.Wrap(text, width, "")
}
