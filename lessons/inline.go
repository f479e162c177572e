package lessons

import (
	"strings"
	"unicode/utf8"

	"github.com/nnlab/nnlab/core/experiment"
)

// Inline is one value computed by core inside prose or a cell's text
// (caption, exercise task, hint text, explanation):
//
//	{{ EXPERIMENT(name=value …).KEY | FORMAT }}   or   {{ #CELL-ID.KEY | FORMAT }}
type Inline struct {
	Src        string // the reference as written, braces included
	Start, End int    // byte offsets of Src in its text (a prose block's Text or the cell's text)
	Line, Col  int    // where Src starts in the file (Col in characters)
	// Exp and Params are the experiment to run and its values (the
	// defaults with the given ones applied, checked); nil for a cell
	// reference.
	Exp    *experiment.Experiment
	Params experiment.Values
	CellID string // the cell referred to by #id, or ""
	Key    string // the result scalar key
	Format string // "", "int", ".Nf", ".Ne", "K", "M", "G" or "%"

	refPos, keyPos pos
}

// inlines finds the {{ … }} values on one line of text; off is the byte
// offset of the line in its text (a prose block's Text or a cell's text) and
// at gives the file position of a byte of the line.
func (p *parser) inlines(line string, off int, at func(b int) pos) []*Inline {
	var out []*Inline
	for from := 0; ; {
		i := strings.Index(line[from:], "{{")
		if i < 0 {
			return out
		}
		start := from + i
		j := strings.Index(line[start+2:], "}}")
		if j < 0 {
			p.e.add(at(start), "this {{ is never closed: a value is {{ experiment(…).key }} or {{ #cell-id.key }} on one line")
			return out
		}
		end := start + 2 + j + 2
		where := at(start)
		in := &Inline{Src: line[start:end], Start: off + start, End: off + end, Line: where.line, Col: where.col}
		if p.inline(in, line, start+2, end-2, at) {
			out = append(out, in)
		}
		from = end
	}
}

// lineAt positions the bytes of a line of the file: lineNo is its 1-based
// number; columns count characters.
func lineAt(line string, lineNo int) func(b int) pos {
	return func(b int) pos { return pos{lineNo, utf8.RuneCountInString(line[:b]) + 1} }
}

func isWordByte(c byte, extra string) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || strings.IndexByte(extra, c) >= 0
}

// inline parses line[i:end], the inside of one {{ }}, into in.
func (p *parser) inline(in *Inline, line string, i, end int, at func(int) pos) bool {
	fail := func(b int, format string, a ...any) bool {
		p.e.add(at(b), format, a...)
		return false
	}
	spaces := func() {
		for i < end && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
	}
	word := func(extra string) string {
		s := i
		for i < end && isWordByte(line[i], extra) {
			i++
		}
		return line[s:i]
	}
	spaces()
	refAt := i
	in.refPos = at(i)
	type arg struct {
		name, value string
		at          int
	}
	var name string
	var args []arg
	open := 0
	if i < end && line[i] == '#' {
		i++
		if in.CellID = word("-"); in.CellID == "" {
			return fail(i, "expected a cell id after #")
		}
	} else {
		if name = word("-"); name == "" {
			return fail(i, "expected an experiment name or #cell-id, e.g. {{ conv().params }}")
		}
		if i >= end || line[i] != '(' {
			return fail(i, "expected ( after %s: write %s().key for its defaults, %s(name=value).key otherwise", name, name, name)
		}
		open = i
		i++
		for {
			spaces()
			if i >= end {
				return fail(i, "missing ) after the parameters of %s", name)
			}
			if line[i] == ')' {
				i++
				break
			}
			at := i
			a := word("")
			if a == "" || i >= end || line[i] != '=' {
				return fail(at, "expected name=value inside %s( ), separated by spaces", name)
			}
			i++
			vs := i
			for i < end && line[i] != ' ' && line[i] != '\t' && line[i] != ')' {
				i++
			}
			if i == vs {
				return fail(vs, "%s= has no value", a)
			}
			args = append(args, arg{a, line[vs:i], vs})
		}
	}
	if i >= end || line[i] != '.' {
		return fail(i, "expected .key after the reference (the result key, e.g. .params)")
	}
	i++
	in.keyPos = at(i)
	if in.Key = word(".-"); in.Key == "" {
		return fail(i, "expected a result key after '.'")
	}
	spaces()
	if i < end && line[i] == '|' {
		i++
		spaces()
		at := i
		for i < end && line[i] != ' ' && line[i] != '\t' {
			i++
		}
		in.Format = line[at:i]
		if err := experiment.CheckFormat(in.Format); err != nil {
			return fail(at, "%v", err)
		}
		spaces()
	}
	if i < end {
		return fail(i, "unexpected %q in the value; it ends with the key or | format", line[i:end])
	}
	if in.CellID != "" {
		return true
	}
	exp, err := p.reg.Get(name)
	if err != nil {
		return fail(refAt, "%v (nnlab experiments lists them)", err)
	}
	in.Exp, in.Params = exp, exp.Params.Defaults()
	ok := true
	set := map[string]bool{}
	for _, a := range args {
		prm, found := exp.Params.Lookup(a.name)
		switch {
		case !found:
			ok = fail(a.at-len(a.name)-1, "%s has no parameter %q; parameters: %s", exp.Name, a.name, strings.Join(exp.Params.Names(), ", "))
		case set[prm.Name]:
			ok = fail(a.at-len(a.name)-1, "%s is given twice", prm.Name)
		default:
			set[prm.Name] = true
			if err := exp.Params.Set(in.Params, prm.Name, a.value); err != nil {
				ok = fail(a.at, "%v", err)
			}
		}
	}
	if ok {
		if err := exp.Check(in.Params); err != nil {
			ok = fail(open, "%v", err)
		}
	}
	return ok
}
