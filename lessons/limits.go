package lessons

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	gmparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Limits on a lesson file, so that nothing Parse accepts can exhaust the
// stack, the memory or the patience of the markdown renderer (glamour, whose
// cost grows with the square of a word's length and the cube of a block
// quote's depth, and which recurses once per level of nesting). Each is far
// above what the built-in lessons use, quoted beside it.
const (
	// MaxFileSize is the largest lesson file read, in bytes (256 KiB; the
	// largest built-in lesson, ko/06-residual.md, is 39,848 bytes). The
	// worst file of this size that Parse accepts renders in about 2 s and
	// 150 MB.
	MaxFileSize = 256 << 10
	// MaxLineLen is the longest line, in bytes (16 KiB; the longest
	// built-in line is 1,613 bytes, 979 characters, in ko/01-momentum.md).
	MaxLineLen = 16 << 10
	// MaxWordLen is the longest run of characters without a space in prose
	// outside code blocks (the longest built-in one is 55, a table rule).
	MaxWordLen = 256
	// MaxNesting is how many block quotes and list items may nest: the
	// markers and indentation (two columns a level) that start one line
	// (the built-in lessons nest at most 1 deep).
	MaxNesting = 16
	// MaxInlineNesting is how deep emphasis, links and other inline markup
	// may nest (the built-in lessons: at most 2).
	MaxInlineNesting = 16
	// maxTreeDepth bounds the depth of the whole markdown tree, a net
	// under the two limits above.
	maxTreeDepth = 2*MaxNesting + MaxInlineNesting + 8
)

// checkLines reports the first line longer than MaxLineLen; it reports
// whether every line is within the limit.
func (p *parser) checkLines() bool {
	bad, first := 0, -1
	for i, l := range p.lines {
		if len(l) > MaxLineLen {
			if first < 0 {
				first = i
			}
			bad++
		}
	}
	if first < 0 {
		return true
	}
	l := p.lines[first]
	more := ""
	if bad > 1 {
		more = fmt.Sprintf(" (and %d more lines)", bad-1)
	}
	p.e.add(pos{first + 1, utf8.RuneCountInString(l[:cutAt(l, MaxLineLen)]) + 1},
		"this line is %d bytes long; lines may be at most %d bytes: break it%s", len(l), MaxLineLen, more)
	return false
}

// cutAt is the largest rune boundary in s at or before n.
func cutAt(s string, n int) int {
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// checkProse checks the prose lines starting at 1-based line against the
// nesting and word limits (fenced code keeps only the line limit), then,
// when they hold, the nesting of the markdown tree glamour will render. It
// reports whether all limits hold; only the first problem of each kind in
// the block is reported.
func (p *parser) checkProse(lines []string, line int) bool {
	ok := true
	var open *fence
	nestDone, wordDone := false, false
	for i, l := range lines {
		if open != nil {
			if open.closes(l) {
				open = nil
			}
			continue
		}
		if f, isFence := openFence(l); isFence {
			open = &f
			continue
		}
		if d, at := nesting(l); !nestDone && d > MaxNesting {
			p.e.add(pos{line + i, utf8.RuneCountInString(l[:at]) + 1},
				"block quotes and lists nest %d deep here (counting each > or list marker and every two columns of indentation); at most %d levels may nest", d, MaxNesting)
			nestDone, ok = true, false
		}
		if n, at := longestWord(l); !wordDone && n > MaxWordLen {
			p.e.add(pos{line + i, utf8.RuneCountInString(l[:at]) + 1},
				"a word of %d characters without a space; words in prose may be at most %d characters: add spaces or put it in a code block", n, MaxWordLen)
			wordDone, ok = true, false
		}
	}
	if !ok {
		return false
	}
	return p.checkTree(lines, line)
}

// nesting counts the containers that start line: each > and list marker,
// and every two columns of indentation before, between and after them. It
// returns the count and the byte offset where it passed MaxNesting (or the
// end of the prefix).
func nesting(line string) (depth, at int) {
	markers, cols := 0, 0
	for i := 0; i < len(line); {
		start := i
		switch c := line[i]; {
		case c == ' ':
			cols++
			i++
		case c == '\t':
			cols += 4
			i++
		case c == '>' || (c == '-' || c == '*' || c == '+') && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t'):
			markers++
			i = skipOneSpace(line, i+1)
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') && (j+1 == len(line) || line[j+1] == ' ' || line[j+1] == '\t') {
				markers++
				i = skipOneSpace(line, j+1)
				break
			}
			return markers + cols/2, i
		default:
			return markers + cols/2, i
		}
		if markers+cols/2 > MaxNesting {
			d, _ := nesting(line[i:]) // count on, for the message
			return markers + cols/2 + d, start
		}
	}
	return markers + cols/2, len(line)
}

// skipOneSpace skips the space that belongs to a marker ending before i.
func skipOneSpace(line string, i int) int {
	if i < len(line) && line[i] == ' ' {
		return i + 1
	}
	return i
}

// longestWord returns the length in characters of the longest run without
// white space in line, and its byte offset.
func longestWord(line string) (n, at int) {
	run, start := 0, 0
	for i, r := range line {
		if unicode.IsSpace(r) {
			run = 0
			continue
		}
		if run == 0 {
			start = i
		}
		run++
		if run > n {
			n, at = run, start
		}
	}
	return n, at
}

// markdown parses as glamour does (GitHub-flavoured markdown with
// definition lists).
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.DefinitionList),
	goldmark.WithParserOptions(gmparser.WithAutoHeadingID()),
)

// checkTree parses the prose as glamour will and walks the tree (without
// recursion) to bound its inline nesting and its depth.
func (p *parser) checkTree(lines []string, line int) bool {
	src := []byte(joinLines(lines))
	doc := markdown.Parser().Parse(text.NewReader(src))
	type item struct {
		n             ast.Node
		depth, inline int
	}
	stack := []item{{doc, 0, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.inline > MaxInlineNesting || it.depth > maxTreeDepth {
			at := p.offsetPos(src, nodeOffset(it.n), line)
			if it.inline > MaxInlineNesting {
				p.e.add(at, "emphasis, links and other inline markup nest more than %d deep here; at most %d levels may nest", MaxInlineNesting, MaxInlineNesting)
			} else {
				p.e.add(at, "the markdown nests more than %d deep here; at most %d levels may nest", maxTreeDepth, maxTreeDepth)
			}
			return false
		}
		for c := it.n.FirstChild(); c != nil; c = c.NextSibling() {
			in := it.inline
			if c.Type() == ast.TypeInline {
				in++
			}
			stack = append(stack, item{c, it.depth + 1, in})
		}
	}
	return true
}

func joinLines(lines []string) string {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	b := make([]byte, 0, n)
	for _, l := range lines {
		b = append(b, l...)
		b = append(b, '\n')
	}
	return string(b)
}

// nodeOffset is the byte offset of the first text at or under n, or -1.
func nodeOffset(n ast.Node) int {
	for ; n != nil; n = n.FirstChild() {
		if t, ok := n.(*ast.Text); ok {
			return t.Segment.Start
		}
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return -1
}

// offsetPos turns a byte offset into src, whose first line is the file's
// 1-based line, into a file position (the block's start when off < 0).
func (p *parser) offsetPos(src []byte, off, line int) pos {
	if off < 0 || off > len(src) {
		return pos{line, 1}
	}
	l, start := line, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			l, start = l+1, i+1
		}
	}
	return pos{l, utf8.RuneCount(src[start:off]) + 1}
}
