package report

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// prefix matches what starts a rendered markdown line: indentation, then a
// list bullet, a number or a block-quote bar.
var prefix = regexp.MustCompile(`^( *)(• |- |\* |[0-9]+\. |│ |\| )?`)

// Fit wraps every line of rendered text (ANSI styles allowed) that is wider
// than width columns, breaking at spaces where it can and inside a word only
// when the word alone is too long. Continuation lines keep the line's
// indentation; under a list item they align with its text, under a block
// quote they repeat the bar. Korean and other wide characters count two
// columns. Lines that fit are left exactly as they are.
//
// glamour's own wrapping breaks some lines early (around quotes and inline
// markup), so views render prose unwrapped and call Fit instead.
func Fit(s string, width int) string {
	width = max(width, 8)
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	for _, line := range lines {
		if ansi.StringWidth(line) <= width {
			out = append(out, line)
			continue
		}
		plain := ansi.Strip(line)
		m := prefix.FindStringSubmatch(plain)
		pw := ansi.StringWidth(m[0])
		if pw > width/2 {
			pw = 0 // a deep indent: wrap flush instead
		}
		cont := strings.Repeat(" ", pw)
		if m[2] == "│ " || m[2] == "| " {
			cont = m[1] + m[2]
		}
		head := ansi.Cut(line, 0, pw)
		rest := strings.TrimRight(ansi.Cut(line, pw, ansi.StringWidth(line)), " ")
		for i, l := range strings.Split(ansi.Wrap(rest, width-pw, ""), "\n") {
			if ansi.StringWidth(l) > width-pw { // ansi.Wrap gave up on this one
				l = ansi.Hardwrap(l, width-pw, true)
			}
			for j, h := range strings.Split(l, "\n") {
				h = strings.TrimRight(h, " ")
				if i == 0 && j == 0 {
					out = append(out, head+h)
				} else {
					out = append(out, cont+strings.TrimLeft(h, " "))
				}
			}
		}
	}
	return strings.Join(out, "\n")
}

// quoteBar matches a block-quote line as glamour renders it: the bar at the
// document's two-column margin. Code blocks sit deeper, so a diagram line
// that starts with "|" is never taken for a quote.
var quoteBar = regexp.MustCompile(`^  (\| |│ )`)

// MendQuotes repairs glamour's block quotes, which lose their bar on a line
// glamour wraps a second time (it happens with wide characters): a line
// without the bar between two quote lines is joined back onto the line
// before it. Run Fit afterwards.
func MendQuotes(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	for i, line := range lines {
		plain := ansi.Strip(line)
		if len(out) > 0 && i+1 < len(lines) && strings.TrimSpace(plain) != "" &&
			!quoteBar.MatchString(plain) &&
			quoteBar.MatchString(ansi.Strip(out[len(out)-1])) &&
			quoteBar.MatchString(ansi.Strip(lines[i+1])) {
			out[len(out)-1] = strings.TrimRight(out[len(out)-1], " ") + " " + strings.TrimLeft(line, " ")
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
