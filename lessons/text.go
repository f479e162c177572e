package lessons

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// cellText is one of a cell's texts — its caption, its exercise's task or
// explanation, a hint's text — that holds values.
type cellText struct {
	text   string    // as stored in the Cell, Exercise or Hint field
	values []*Inline // Start and End are byte offsets in text
}

// cellText finds the values in s, the text read from scalar n (its value
// with surrounding space trimmed), and positions them in the file.
func (y *yamlDoc) cellText(n *yaml.Node, s string) cellText {
	t := cellText{text: s}
	if !strings.Contains(s, "{{") {
		return t
	}
	m := y.valueMap(n)
	lead := len(n.Value) - len(strings.TrimLeftFunc(n.Value, unicode.IsSpace))
	at := func(b int) pos {
		if m == nil {
			return y.at(n)
		}
		return m[lead+b]
	}
	if n.Style == 0 && m != nil && strings.HasPrefix(strings.TrimLeft(y.p.rest(m[len(n.Value)]), " \t"), "#") {
		// YAML ended the text where " #" starts a comment: most likely
		// inside a {{ #cell-id.key }}.
		if i := strings.LastIndex(s, "{{"); i >= 0 && !strings.Contains(s[i:], "}}") {
			y.e.add(at(i), "this {{ is cut short: in a text without quotes, YAML reads \" #\" as the start of a comment; put the text in quotes, or write {{#cell-id.key}}")
			s = s[:i]
		}
	}
	off := 0
	for _, line := range strings.Split(s, "\n") {
		o := off
		t.values = append(t.values, y.p.inlines(line, o, func(b int) pos { return at(o + b) })...)
		off += len(line) + 1
	}
	return t
}

// valueMap maps each byte of scalar n's value to the file position it was
// read from, with one more entry for where the value ends. It walks the
// file from where the scalar starts, following YAML's rules loosely: line
// breaks fold into spaces or disappear, indentation and spaces before a
// line break are dropped, quotes are skipped, and escapes (a doubled
// single quote, a backslash in double quotes) are decoded. A walk that
// does not reproduce the value gives nil; then only the scalar's start is
// known.
func (y *yamlDoc) valueMap(n *yaml.Node) []pos {
	start := y.at(n)
	lines := y.p.lines
	li := start.line - 1
	if li < y.from || li >= y.to {
		return nil
	}
	c := byteOffset(lines[li], start.col-1)
	if c < 0 {
		return nil
	}
	single := n.Style&yaml.SingleQuotedStyle != 0
	double := n.Style&yaml.DoubleQuotedStyle != 0
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		li, c = li+1, 0 // the text starts on the line after | or >
	case single || double:
		q := byte('\'')
		if double {
			q = '"'
		}
		if c >= len(lines[li]) || lines[li][c] != q {
			return nil
		}
		c++
	}
	col := 1
	if li < y.to {
		col = utf8.RuneCountInString(lines[li][:c]) + 1
	}
	here := func() pos { return pos{li + 1, col} }
	advance := func(k int) {
		for range k {
			c++
			if c >= len(lines[li]) || utf8.RuneStart(lines[li][c]) {
				col++
			}
		}
	}
	v := n.Value
	m := make([]pos, 0, len(v)+1)
	for i := 0; i < len(v); {
		if li >= y.to {
			return nil
		}
		line := lines[li]
		if c >= len(line) { // a line break: it became '\n' or ' ', or nothing
			if v[i] == '\n' || v[i] == ' ' {
				m = append(m, here())
				i++
			}
			li, c, col = li+1, 0, 1
			continue
		}
		switch b := line[c]; {
		case double && b == '\\':
			if c+1 == len(line) { // an escaped line break
				li, c, col = li+1, 0, 1
				continue
			}
			s, k, ok := unescape(line[c:])
			if !ok || !strings.HasPrefix(v[i:], s) {
				return nil
			}
			for p := here(); len(m) < i+len(s); {
				m = append(m, p)
			}
			i += len(s)
			advance(k)
		case single && b == '\'' && c+1 < len(line) && line[c+1] == '\'':
			if v[i] != '\'' {
				return nil
			}
			m = append(m, here())
			i++
			advance(2)
		case b == v[i]:
			m = append(m, here())
			i++
			advance(1)
		case b == ' ' || b == '\t': // indentation or space YAML dropped
			advance(1)
		default:
			return nil
		}
	}
	return append(m, here())
}

// rest is the rest of the file's line from position at ("" outside the
// file).
func (p *parser) rest(at pos) string {
	if at.line < 1 || at.line > len(p.lines) {
		return ""
	}
	line := p.lines[at.line-1]
	if c := byteOffset(line, at.col-1); c >= 0 {
		return line[c:]
	}
	return ""
}

// byteOffset is the byte offset of the character at index col (0-based,
// in characters) of s, or -1 when s is shorter.
func byteOffset(s string, col int) int {
	for b := range s {
		if col == 0 {
			return b
		}
		col--
	}
	if col == 0 {
		return len(s)
	}
	return -1
}

// yamlEscapes are the one-character escapes of double-quoted YAML.
var yamlEscapes = map[byte]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v", 'f': "\f", 'r': "\r",
	'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\\': "\\", 'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

// unescape decodes the escape at the start of s (which starts with a
// backslash): what it stands for and how many bytes it takes.
func unescape(s string) (string, int, bool) {
	if len(s) < 2 {
		return "", 0, false
	}
	if r, ok := yamlEscapes[s[1]]; ok {
		return r, 2, true
	}
	digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[1]]
	if digits == 0 || len(s) < 2+digits {
		return "", 0, false
	}
	r, err := strconv.ParseUint(s[2:2+digits], 16, 32)
	if err != nil || !utf8.ValidRune(rune(r)) {
		return "", 0, false
	}
	return string(rune(r)), 2 + digits, true
}
