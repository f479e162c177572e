package report

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// prefix matches what starts a rendered markdown line: indentation, then a
// list bullet, a number or a block-quote bar.
var prefix = regexp.MustCompile(`^( *)(• |- |\* |[0-9]+\. |│ |\| )?`)

// Fit wraps every line of rendered text (ANSI styles allowed) that is wider
// than width columns, breaking at spaces, and inside a word only when the
// word alone is too long (never after a hyphen or inside a number). Continuation lines keep the line's
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
		rest := trimRight(ansi.Cut(line, pw, ansi.StringWidth(line)))
		for i, l := range wrapWords(rest, width-pw) {
			if i == 0 {
				out = append(out, head+l)
			} else {
				out = append(out, cont+l)
			}
		}
	}
	return strings.Join(out, "\n")
}

// wrapWords folds one line of text (ANSI styles allowed) to width columns
// and returns its lines. It breaks only at spaces — never after a hyphen
// ("ResNet-50"), inside a number ("6,379,984", "-0.94") or before
// punctuation — and cuts a word only when the word alone is wider than
// width. The spaces at a break are dropped; the others, and the line's
// leading spaces, are kept. Wide characters count two columns.
//
// ansi.Wrap, used before, also breaks after every hyphen, and keeps the
// spaces at a break, so a re-wrapped paragraph got "ResNet- 50" and runs of
// spaces.
func wrapWords(s string, width int) []string {
	width = max(width, 1)
	var lines []string
	var b strings.Builder
	cur, gap := 0, 0 // the line's width so far; spaces waiting before the next word
	started := false // the line has a word
	for k, word := range strings.Split(s, " ") {
		if k > 0 {
			gap++
		}
		if word == "" {
			continue
		}
		w := ansi.StringWidth(word)
		if started && w > 0 && cur+gap+w > width {
			lines = append(lines, b.String())
			b.Reset()
			cur, gap, started = 0, 0, false
		}
		if started || len(lines) == 0 { // the first line keeps its indentation
			b.WriteString(strings.Repeat(" ", gap))
			cur += gap
		}
		gap = 0
		if cur+w > width && w > 0 { // too long for any line: cut it
			if started {
				lines = append(lines, b.String())
				b.Reset()
				cur = 0
			}
			cut := strings.Split(ansi.Hardwrap(word, width, true), "\n")
			lines = append(lines, cut[:len(cut)-1]...)
			word, w = cut[len(cut)-1], ansi.StringWidth(cut[len(cut)-1])
		}
		b.WriteString(word)
		cur += w
		started = true
	}
	if b.Len() > 0 || len(lines) == 0 {
		lines = append(lines, b.String())
	}
	return lines
}

// TrimLines drops the spaces at the end of every line, which glamour pads
// each line with to the full wrap width. In colour they sit inside style
// sequences, so they are cut by display width and the style is closed
// again.
func TrimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = trimRight(l)
	}
	return strings.Join(lines, "\n")
}

// trimRight drops the trailing spaces of one line (see TrimLines).
func trimRight(l string) string {
	if !strings.Contains(l, "\x1b") {
		return strings.TrimRight(l, " ")
	}
	plain := ansi.Strip(l)
	keep := ansi.StringWidth(strings.TrimRight(plain, " "))
	if keep == ansi.StringWidth(plain) {
		return l
	}
	return trailingSGR.ReplaceAllString(ansi.Truncate(l, keep, ""), "") + "\x1b[0m"
}

// trailingSGR matches the style sequences left at the end of a truncated
// line, each opening a style around a padding space that is gone.
var trailingSGR = regexp.MustCompile(`(\x1b\[[0-9;]*m)+$`)

// quoteBar matches a block-quote line as glamour renders it: the bar at the
// document's two-column margin, then a space and text, or nothing (the
// blank line between two paragraphs of a quote, once its padding is
// trimmed). Code blocks sit deeper, so a diagram line that starts with "|"
// is never taken for a quote.
var quoteBar = regexp.MustCompile(`^  (\||│)( |$)`)

// MendQuotes repairs glamour's block quotes, which lose their bar on a line
// glamour wraps a second time (it happens with wide characters): a line
// without the bar between two quote lines is joined back onto the line
// before it. The blank line between two paragraphs of a quote (a bar
// alone) is not such a line: the paragraphs stay apart. Trailing spaces are
// dropped (TrimLines). Run Reflow afterwards.
func MendQuotes(s string) string {
	lines := strings.Split(TrimLines(s), "\n")
	out := make([]string, 0, len(lines))
	for i, line := range lines {
		plain := ansi.Strip(line)
		if len(out) > 0 && i+1 < len(lines) && strings.TrimSpace(plain) != "" &&
			!quoteBar.MatchString(plain) &&
			quoteBar.MatchString(ansi.Strip(out[len(out)-1])) &&
			quoteBar.MatchString(ansi.Strip(lines[i+1])) {
			out[len(out)-1] += " " + dropIndent(line)
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
//
// Lines are joined with one space, their padding and indentation dropped,
// and wrapped at spaces only (see Fit), so a paragraph has no runs of
// spaces, no word broken after a hyphen and no number cut in two, wherever
// glamour broke its lines.
func Reflow(s string, width int) string {
	lines := strings.Split(TrimLines(s), "\n")
	var out []string
	var run []string // lines of the paragraph being joined
	kind := ""       // "text", "quote" or "" (no run)
	item := -1       // the number of the list item the run is, or -1
	flush := func() {
		if len(run) > 0 {
			out = append(out, strings.Split(Fit(strings.Join(run, " "), width), "\n")...)
		}
		run, kind, item = nil, "", -1
	}
	for _, line := range lines {
		plain := ansi.Strip(line)
		k := lineKind(plain)
		// A line of a paragraph may start with a number and a full stop
		// where glamour wrapped it ("… of 100. Neither …"): it is a list item
		// only after a blank line, or as the next item of a numbered list.
		if n, ok := itemNumber(plain); ok && k == "bullet" && kind == "text" && !(item >= 0 && n == item+1) {
			k = "text"
		}
		switch {
		case k == "text" && (kind == "text"):
			run = append(run, dropIndent(line))
		case k == "quote" && kind == "quote":
			// Drop the bar (and its style) of the continuation line.
			run = append(run, dropIndent(ansi.Cut(line, 4, ansi.StringWidth(line))))
		case k == "text" || k == "bullet":
			flush()
			run, kind = []string{line}, "text"
			if n, ok := itemNumber(plain); ok && k == "bullet" {
				item = n
			}
		case k == "quote":
			flush()
			run, kind = []string{line}, "quote"
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
		if quoteBar.MatchString(t) && utf8.RuneCountInString(strings.TrimSpace(t)) > 1 {
			return "quote"
		}
		return ""
	}
	body := t[2:]
	switch {
	case quoteBar.MatchString(t):
		if utf8.RuneCountInString(strings.TrimSpace(body)) > 1 { // the bar and text, not the bar alone
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

// itemNumber is the number a rendered line starts with as a numbered list
// item would ("  3. …"), if it does.
func itemNumber(plain string) (int, bool) {
	t := strings.TrimLeft(plain, " ")
	m := numbered.FindString(t)
	if m == "" || len(plain)-len(t) != 2 {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSuffix(m, ". "))
	return n, err == nil
}

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
