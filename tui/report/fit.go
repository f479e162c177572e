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

// boxChars mark a rendered table or rule, which Reflow leaves alone.
const boxChars = "│─┼┌┐└┘├┤┬┴"

// Reflow re-wraps the paragraphs, list items and block quotes of text that
// glamour rendered, then fits every line to width (see Fit). glamour wraps
// some lines twice — a word or a number ends up alone on a line — and gives
// list items no hanging indent; joining each paragraph's lines and wrapping
// them once mends both. Only lines at the document's two-column margin are
// joined: code blocks (deeper) and tables (box-drawing characters) keep
// their lines.
func Reflow(s string, width int) string {
	lines := strings.Split(s, "\n")
	var out []string
	var run []string // lines of the paragraph being joined
	kind := ""       // "text", "quote" or "" (no run)
	flush := func() {
		if len(run) > 0 {
			out = append(out, strings.Split(Fit(strings.Join(run, " "), width), "\n")...)
		}
		run, kind = nil, ""
	}
	for _, line := range lines {
		plain := ansi.Strip(line)
		k := lineKind(plain)
		switch {
		case k == "text" && (kind == "text"):
			run = append(run, dropIndent(line))
		case k == "quote" && kind == "quote":
			// Drop the bar (and its style) of the continuation line.
			run = append(run, dropIndent(ansi.Cut(line, 4, ansi.StringWidth(line))))
		case k == "text" || k == "bullet":
			flush()
			run, kind = []string{strings.TrimRight(line, " ")}, "text"
		case k == "quote":
			flush()
			run, kind = []string{strings.TrimRight(line, " ")}, "quote"
		default:
			flush()
			out = append(out, line)
		}
	}
	flush()
	return strings.Join(out, "\n")
}

// lineKind sorts a rendered line: "text" (paragraph text at the margin),
// "bullet" (a list item's first line), "quote" (a block-quote line with
// text), or "" (blank, code, table, heading rule: kept as it is).
func lineKind(plain string) string {
	t := strings.TrimRight(plain, " ")
	if t == "" || !strings.HasPrefix(t, "  ") || strings.HasPrefix(t, "   ") || strings.ContainsAny(t, boxChars[3:]) {
		if quoteBar.MatchString(t) && len(strings.TrimSpace(t)) > 1 {
			return "quote"
		}
		return ""
	}
	body := t[2:]
	switch {
	case quoteBar.MatchString(t):
		if len(strings.TrimSpace(body)) > 1 {
			return "quote"
		}
		return ""
	case strings.ContainsAny(body, "│┼"):
		return ""
	case strings.HasPrefix(body, "• ") || strings.HasPrefix(body, "- ") || strings.HasPrefix(body, "* ") || numbered.MatchString(body):
		return "bullet"
	case strings.HasPrefix(body, "#"):
		return ""
	}
	return "text"
}

var numbered = regexp.MustCompile(`^[0-9]+\. `)

// dropIndent removes a line's leading spaces, which may sit behind style
// sequences, keeping the styles.
func dropIndent(line string) string {
	plain := ansi.Strip(line)
	n := len(plain) - len(strings.TrimLeft(plain, " "))
	if n == 0 {
		return line
	}
	return ansi.Cut(line, n, ansi.StringWidth(line))
}
