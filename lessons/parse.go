package lessons

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/nnlab/nnlab/assets"
	"github.com/nnlab/nnlab/core/experiment"
)

var (
	idPattern     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	cellIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
)

// Parse reads one lesson file. path names it in errors; reg resolves the
// experiments its cells and values name. On any problem it returns a nil
// lesson and an ErrorList holding every problem found (as far as the file
// can be read), each positioned at file:line:column.
//
// Parse checks everything that can be seen without running an experiment:
// the front matter, cell fields, experiment and parameter names, parameter
// values, tweak names, condition syntax and value references. Check runs the
// cells to verify the rest (show keys, goal names, value keys).
func Parse(path string, src []byte, reg *experiment.Registry) (*Lesson, error) {
	e := &errs{path: path}
	if len(src) > MaxFileSize {
		e.add(pos{1, 1}, "the file is %d bytes; a lesson file may be at most %d bytes (256 KiB): split it into several lessons", len(src), MaxFileSize)
		return nil, e.list.Err()
	}
	if !utf8.Valid(src) {
		line := bytes.Count(src[:firstInvalid(src)], []byte("\n")) + 1
		e.add(pos{line, 1}, "the file is not UTF-8 text")
		return nil, e.list.Err()
	}
	text := strings.TrimPrefix(string(src), "\ufeff")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if line, col, r, ok := firstControl(text); ok {
		e.add(pos{line, col}, "control character %s: lesson files hold text only (escape sequences could drive the learner's terminal); remove it", controlName(r))
		return nil, e.list.Err()
	}
	lines := strings.Split(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	p := &parser{e: e, reg: reg, lines: lines}
	if !p.checkLines() {
		return nil, e.list.Err()
	}
	l := &Lesson{Path: path}
	body := p.frontMatter(&l.Meta)
	p.body(l, body)
	if len(e.list) > 0 {
		return nil, e.list.Err()
	}
	return l, nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

type parser struct {
	e     *errs
	reg   *experiment.Registry
	lines []string // the file's lines, without newlines
}

// frontMatter reads the front matter into m and returns the index of the
// first body line.
func (p *parser) frontMatter(m *Meta) int {
	const fields = "id, title, lang, order, summary, minutes"
	if len(p.lines) == 0 || strings.TrimRight(p.lines[0], " \t") != "---" {
		p.e.add(pos{1, 1}, "a lesson starts with front matter between --- lines (%s)", fields)
		return 0
	}
	end := -1
	for i := 1; i < len(p.lines); i++ {
		if t := strings.TrimRight(p.lines[i], " \t"); t == "---" || t == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		p.e.add(pos{1, 1}, "the front matter is never closed: add a --- line after it")
		return len(p.lines)
	}
	y := p.yamlAt(1, end, 0)
	root := y.parse()
	if root == nil {
		if len(y.e.list) == 0 {
			p.e.add(pos{1, 1}, "the front matter is empty; it needs %s", fields)
		}
		return end + 1
	}
	seen := y.fields(root, "front matter", []string{"id", "title", "lang", "order", "summary", "minutes"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "id":
			if s, ok := y.text(v, key); ok {
				if !idPattern.MatchString(s) {
					y.errAt(v, "id must be lower-case letters, digits and '-' (e.g. momentum, conv-1x1), got %q", s)
				}
				m.ID = s
			}
		case "title", "summary":
			if s, ok := y.line(v, key); ok {
				if key == "title" {
					m.Title = s
				} else {
					m.Summary = s
				}
			}
		case "lang":
			if s, ok := y.text(v, key); ok {
				if !slices.Contains(Languages, s) {
					y.errAt(v, "lang must be %s, got %q", strings.Join(Languages, " or "), s)
				}
				m.Lang = s
			}
		case "order":
			if n, ok := y.int(v, key, 0, 1_000_000); ok {
				m.Order = n
			}
		case "minutes":
			if n, ok := y.int(v, key, 1, 1000); ok {
				m.Minutes = n
			}
		}
	})
	var missing []string
	for _, f := range strings.Split(fields, ", ") {
		if seen != nil && !seen[f] {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		p.e.add(pos{1, 1}, "the front matter lacks %s (all of %s are required)", strings.Join(missing, ", "), fields)
	}
	return end + 1
}

// fence is an opening code fence.
type fence struct {
	indent int    // spaces before it
	char   byte   // '`' or '~'
	n      int    // its length
	info   string // the info string, trimmed
}

// openFence reports whether line opens a fenced code block (CommonMark: at
// most three spaces, then three or more ` or ~).
func openFence(line string) (fence, bool) {
	indent := len(line) - len(strings.TrimLeft(line, " "))
	if indent > 3 {
		return fence{}, false
	}
	rest := line[indent:]
	if len(rest) < 3 || (rest[0] != '`' && rest[0] != '~') {
		return fence{}, false
	}
	c := rest[0]
	n := len(rest) - len(strings.TrimLeft(rest, string(c)))
	if n < 3 {
		return fence{}, false
	}
	info := strings.TrimSpace(rest[n:])
	if c == '`' && strings.Contains(info, "`") {
		return fence{}, false
	}
	return fence{indent: indent, char: c, n: n, info: info}, true
}

// closes reports whether line closes f.
func (f fence) closes(line string) bool {
	indent := len(line) - len(strings.TrimLeft(line, " "))
	if indent > 3 {
		return false
	}
	rest := strings.TrimRight(line[indent:], " \t")
	return len(rest) >= f.n && strings.Trim(rest, string(f.char)) == ""
}

func (f fence) lang() string {
	w, _, _ := strings.Cut(f.info, " ")
	w, _, _ = strings.Cut(w, "\t")
	return w
}

// body splits the lines from start on into blocks.
func (p *parser) body(l *Lesson, start int) {
	var prose []string
	proseLine := 0
	flush := func() {
		for len(prose) > 0 && strings.TrimSpace(prose[0]) == "" {
			prose, proseLine = prose[1:], proseLine+1
		}
		for len(prose) > 0 && strings.TrimSpace(prose[len(prose)-1]) == "" {
			prose = prose[:len(prose)-1]
		}
		if len(prose) > 0 {
			l.Blocks = append(l.Blocks, p.prose(prose, proseLine))
		}
		prose = nil
	}
	addProse := func(i int, ls ...string) {
		if prose == nil {
			proseLine = i + 1
		}
		prose = append(prose, ls...)
	}
	for i := start; i < len(p.lines); {
		f, ok := openFence(p.lines[i])
		if !ok {
			addProse(i, p.lines[i])
			i++
			continue
		}
		end := len(p.lines) // index of the closing fence, or len when none
		for j := i + 1; j < len(p.lines); j++ {
			if f.closes(p.lines[j]) {
				end = j
				break
			}
		}
		lang := f.lang()
		if lang != "nnlab" && lang != "nnlab-quiz" && lang != "nnlab-diagram" {
			if strings.HasPrefix(lang, "nnlab") {
				p.e.add(pos{i + 1, f.indent + f.n + 1 + strings.Index(p.lines[i][f.indent+f.n:], lang)}, "unknown fence %q: a cell is ```nnlab, a quiz ```nnlab-quiz, a diagram ```nnlab-diagram", lang)
			}
			addProse(i, p.lines[i:min(end+1, len(p.lines))]...)
			i = end + 1
			continue
		}
		flush()
		if end == len(p.lines) {
			p.e.add(pos{i + 1, f.indent + 1}, "this %s fence is never closed: end it with a %s line", lang, strings.Repeat(string(f.char), f.n))
		}
		src := strings.Join(p.lines[i:min(end+1, len(p.lines))], "\n")
		if lang == "nnlab-diagram" {
			if pr := p.diagram(l.Lang, i, end); pr != nil {
				l.Blocks = append(l.Blocks, pr)
			}
		} else if lang == "nnlab-quiz" {
			q := p.quiz(i, end, f.indent)
			q.source = src
			l.Blocks = append(l.Blocks, q)
		} else if c := p.cell(i, end, f.indent); c != nil {
			c.source = src
			l.Blocks = append(l.Blocks, c)
		}
		i = end + 1
	}
	flush()
	p.crossCheck(l)
}

// diagram reads the ```nnlab-diagram fence whose opening fence is at index
// open and closing fence at index end: one line naming a diagram of package
// assets, shown in the lesson's language as a text block of its own.
func (p *parser) diagram(lang string, open, end int) *Prose {
	var name string
	at := pos{open + 1, 1}
	for j := open + 1; j < end; j++ {
		t := strings.TrimSpace(p.lines[j])
		if t == "" {
			continue
		}
		if name != "" {
			p.e.add(pos{j + 1, 1}, "a diagram fence names one diagram; diagrams: %s", strings.Join(assets.Diagrams(), ", "))
			return nil
		}
		name = t
		at = pos{j + 1, utf8.RuneCountInString(p.lines[j][:strings.Index(p.lines[j], t)]) + 1}
	}
	if name == "" {
		p.e.add(at, "an empty diagram fence: name a diagram (%s)", strings.Join(assets.Diagrams(), ", "))
		return nil
	}
	if lang == "" {
		return nil // the front matter is broken; that is reported already
	}
	d, err := assets.Diagram(name, lang)
	if err != nil {
		p.e.add(at, "%s", strings.TrimPrefix(err.Error(), "assets: "))
		return nil
	}
	return &Prose{Text: "```text\n" + d + "\n```", Line: open + 1}
}

// crossCheck verifies what spans blocks: ids unique among cells and
// quizzes, and value references to cells. It also indexes the cells' texts
// for ResolveText.
func (p *parser) crossCheck(l *Lesson) {
	first := map[string]*Cell{}
	used := map[string]Block{} // the first cell or quiz with each id
	for _, b := range l.Blocks {
		var id, what string
		var at pos
		switch b := b.(type) {
		case *Cell:
			id, what, at = b.ID, "cell", b.idPos
		case *QuizBlock:
			id, what, at = b.ID, "quiz", b.idPos
		}
		if id == "" {
			continue
		}
		if prev, dup := used[id]; dup {
			by := "cell"
			if _, ok := prev.(*QuizBlock); ok {
				by = "quiz"
			}
			p.e.add(at, "%s id %q is already used by the %s at line %d; cells and quizzes need ids of their own", what, id, by, prev.SourceLine())
			continue
		}
		used[id] = b
		if c, ok := b.(*Cell); ok {
			first[id] = c
		}
	}
	for _, in := range l.Values() {
		if in.CellID == "" {
			continue
		}
		if _, ok := first[in.CellID]; !ok {
			ids := make([]string, 0, len(first))
			for _, c := range l.Cells() {
				ids = append(ids, c.ID)
			}
			known := "the lesson has no cells"
			if len(ids) > 0 {
				known = "cells: " + strings.Join(ids, ", ")
			}
			p.e.add(in.refPos, "no cell %q in this lesson; %s", in.CellID, known)
		}
	}
	for _, c := range l.Cells() {
		for _, t := range c.texts {
			if _, dup := l.texts[t.text]; !dup {
				if l.texts == nil {
					l.texts = map[string][]*Inline{}
				}
				l.texts[t.text] = t.values
			}
		}
	}
}

// prose builds a prose block from its lines, the first at 1-based line.
func (p *parser) prose(lines []string, line int) *Prose {
	p.checkProse(lines, line)
	pr := &Prose{Text: strings.Join(lines, "\n"), Line: line}
	off := 0
	for i, l := range lines {
		pr.Values = append(pr.Values, p.inlines(l, off, lineAt(l, line+i))...)
		off += len(l) + 1
	}
	return pr
}

// cell parses the cell whose opening fence is at index open and closing
// fence at index end (len(lines) when unclosed).
func (p *parser) cell(open, end, indent int) *Cell {
	c := &Cell{Line: open + 1}
	y := p.yamlAt(open+1, end, indent)
	root := y.parse()
	if root == nil {
		if len(y.e.list) == 0 {
			p.e.add(pos{open + 1, indent + 1}, "empty cell: a cell needs at least id and experiment")
		}
		return c
	}
	var tweakNode, exNode *yaml.Node
	seen := y.fields(root, "cell", []string{"id", "experiment", "params", "tweak", "show", "caption", "exercise", "predict"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "id":
			if s, ok := y.text(v, key); ok {
				if !cellIDPattern.MatchString(s) {
					y.errAt(v, "cell id must be letters, digits, '-' and '_' (values refer to it as {{ #id.key }}), got %q", s)
				}
				c.ID, c.idPos = s, y.at(v)
			}
		case "experiment":
			if s, ok := y.text(v, key); ok {
				exp, err := p.reg.Get(s)
				if err != nil {
					y.errAt(v, "%v (nnlab experiments lists them)", err)
					return
				}
				c.Experiment = exp
			}
		case "caption":
			if s, ok := y.line(v, key); ok {
				c.Caption = s
				c.addText(y.cellText(v, s))
			}
		case "show":
			y.names(v, key, func(s string, n *yaml.Node) {
				if i := indexOf(c.Show, s); i >= 0 {
					y.errAt(n, "%q is already in show", s)
					return
				}
				c.Show, c.showPos = append(c.Show, s), append(c.showPos, y.at(n))
			})
		case "tweak":
			tweakNode = v
		case "exercise":
			exNode = k
			c.Exercise = p.exercise(y, v, c)
		case "predict":
			c.Predict = p.predict(y, v, c)
		}
	})
	if seen == nil {
		return c
	}
	for _, f := range []string{"id", "experiment"} {
		if !seen[f] {
			p.e.add(pos{open + 1, indent + 1}, "the cell lacks %s", f)
		}
	}
	if c.Experiment == nil {
		return c // params and tweak cannot be checked without it
	}
	c.Params = c.Experiment.Params.Defaults()
	if ok := p.params(y, c, root); ok {
		if err := c.Experiment.Check(c.Params); err != nil {
			at := pos{open + 1, indent + 1}
			if k, _ := lookupKey(root, "params"); k != nil {
				at = y.at(k)
			}
			p.e.add(at, "%v", err)
		}
	}
	if tweakNode != nil {
		y.names(tweakNode, "tweak", func(s string, n *yaml.Node) {
			prm, ok := c.Experiment.Params.Lookup(s)
			switch {
			case !ok:
				y.errAt(n, "tweak: %s has no parameter %q; parameters: %s", c.Experiment.Name, s, strings.Join(c.Experiment.Params.Names(), ", "))
			case indexOf(c.Tweak, prm.Name) >= 0:
				y.errAt(n, "%q is already in tweak", s)
			default:
				c.Tweak = append(c.Tweak, prm.Name)
			}
		})
	}
	if c.Exercise != nil {
		if len(c.Tweak) == 0 && (tweakNode == nil || len(tweakNode.Content) == 0) {
			y.errAt(exNode, "an exercise needs something the learner can change: add tweak: [names of parameters]")
		}
		p.checkCondParams(y, c)
	}
	return c
}

// params applies the cell's params to c.Params; it reports whether every
// value was accepted (only then are cross-parameter rules checked).
func (p *parser) params(y *yamlDoc, c *Cell, root *yaml.Node) bool {
	_, v := lookupKey(root, "params")
	if v == nil || isNull(v) {
		return true
	}
	if v.Kind != yaml.MappingNode {
		y.errAt(v, "params must be a mapping of parameter names to values, e.g. lr: 0.1")
		return false
	}
	ok := true
	set := map[string]*yaml.Node{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			y.errAt(k, "a parameter name must be a word")
			ok = false
			continue
		}
		prm, found := c.Experiment.Params.Lookup(k.Value)
		if !found {
			y.errAt(k, "%s has no parameter %q; parameters: %s", c.Experiment.Name, k.Value, strings.Join(c.Experiment.Params.Names(), ", "))
			ok = false
			continue
		}
		if prev, dup := set[prm.Name]; dup {
			y.errAt(k, "parameter %s is already set at line %d", prm.Name, y.at(prev).line)
			ok = false
			continue
		}
		set[prm.Name] = k
		text, isText := paramText(val, prm)
		if !isText {
			y.errAt(val, "%s must be a single value (%s)", prm.Name, prm.Expect())
			ok = false
			continue
		}
		if err := c.Experiment.Params.Set(c.Params, prm.Name, text); err != nil {
			y.errAt(val, "%v", err)
			ok = false
		}
	}
	return ok
}

// paramText is the text of a parameter value; a YAML list is accepted for
// List parameters and joined with commas.
func paramText(n *yaml.Node, prm experiment.Param) (string, bool) {
	switch {
	case n.Kind == yaml.ScalarNode:
		return n.Value, true
	case n.Kind == yaml.SequenceNode && prm.Kind == experiment.List:
		parts := make([]string, len(n.Content))
		for i, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				return "", false
			}
			parts[i] = item.Value
		}
		return strings.Join(parts, ","), true
	}
	return "", false
}

// exercise parses the exercise mapping of cell c; the values in its texts
// join c's.
func (p *parser) exercise(y *yamlDoc, v *yaml.Node, c *Cell) *Exercise {
	ex := &Exercise{}
	seen := y.fields(v, "exercise", []string{"task", "goal", "hints", "explain"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "task":
			if s, ok := y.text(v, key); ok {
				ex.Task = s
				c.addText(y.cellText(v, s))
			}
		case "explain":
			if s, ok := y.text(v, key); ok {
				ex.Explain = s
				c.addText(y.cellText(v, s))
			}
		case "goal":
			ex.Goal = y.cond(v, key)
		case "hints":
			if v.Kind != yaml.SequenceNode {
				y.errAt(v, "hints must be a list of {when, text}")
				return
			}
			fallback := -1
			for _, item := range v.Content {
				var h Hint
				hasWhen := false
				hseen := y.fields(item, "hint", []string{"when", "text"}, func(key string, k, v *yaml.Node) {
					if key == "text" {
						if s, ok := y.text(v, key); ok {
							h.Text = s
							c.addText(y.cellText(v, s))
						}
					} else if !isNull(v) {
						hasWhen = true
						h.When = y.cond(v, key)
					}
				})
				if hseen == nil {
					continue
				}
				if !hseen["text"] {
					y.errAt(item, "the hint lacks text")
				}
				if fallback >= 0 {
					y.errAt(item, "this hint is never shown: the hint at line %d has no when and catches every failure (it must come last)", fallback)
				}
				if !hasWhen {
					fallback = y.at(item).line
				}
				ex.Hints = append(ex.Hints, h)
			}
		}
	})
	if seen == nil {
		return nil
	}
	for _, f := range []string{"task", "goal"} {
		if !seen[f] {
			y.errAt(v, "the exercise lacks %s", f)
		}
	}
	return ex
}

// checkCondParams rejects conditions on parameters that are not numbers.
func (p *parser) checkCondParams(y *yamlDoc, c *Cell) {
	conds := []*Cond{c.Exercise.Goal}
	for _, h := range c.Exercise.Hints {
		conds = append(conds, h.When)
	}
	for _, cd := range conds {
		if cd == nil {
			continue
		}
		for _, and := range cd.or {
			for i := range and {
				cmp := &and[i]
				prm, ok := c.Experiment.Params.Lookup(cmp.Name)
				if !ok {
					continue
				}
				switch prm.Kind {
				case experiment.Int, experiment.Float, experiment.Bool:
					cmp.Name = prm.Name // aliases read the parameter
				default:
					p.e.add(cd.posOf(*cmp), "%s is a %s parameter, not a number; conditions compare numbers", prm.Name, prm.Kind)
				}
			}
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// yamlDoc is a YAML document embedded in the lesson file: lines [from, to)
// of the file, each with up to indent leading spaces removed.
type yamlDoc struct {
	p        *parser
	e        *errs
	from, to int
	removed  []int // spaces removed from each line
}

func (p *parser) yamlAt(from, to, indent int) *yamlDoc {
	y := &yamlDoc{p: p, e: p.e, from: from, to: to}
	for i := from; i < to; i++ {
		l := p.lines[i]
		n := min(indent, len(l)-len(strings.TrimLeft(l, " ")))
		y.removed = append(y.removed, n)
	}
	return y
}

// parse returns the document's root node, nil when it is empty or broken.
func (y *yamlDoc) parse() (root *yaml.Node) {
	var b strings.Builder
	for i := y.from; i < y.to; i++ {
		b.WriteString(y.p.lines[i][y.removed[i-y.from]:])
		b.WriteByte('\n')
	}
	if strings.TrimSpace(b.String()) == "" {
		return nil
	}
	var doc yaml.Node
	if err := safeUnmarshal([]byte(b.String()), &doc); err != nil {
		line, msg := yamlErrLine(err)
		at := pos{y.from + min(max(line, 1), max(y.to-y.from, 1)), 1}
		if at.line <= len(y.p.lines) && flowValueRE.MatchString(y.p.lines[at.line-1]) {
			msg += " (a text that starts with { must be in quotes)"
		}
		y.e.add(at, "YAML: %s", msg)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil
	}
	if bad := findAlias(&doc); bad != nil {
		y.errAt(bad, "YAML anchors and aliases are not supported in lessons")
		return nil
	}
	// The file's bytes hold no control character (Parse), but YAML's
	// escapes make them in quoted texts ("\e", "\x9b", "\u001b"): every
	// text is checked again as decoded.
	if bad, r := findControl(&doc); bad != nil {
		y.errAt(bad, "control character %s in this text (written as a YAML escape): lesson texts hold text only (escape sequences could drive the learner's terminal); remove it", controlName(r))
		return nil
	}
	return doc.Content[0]
}

// findControl finds the first scalar (a value or a key) whose decoded text
// holds a control character a terminal acts on (firstControl).
func findControl(n *yaml.Node) (*yaml.Node, rune) {
	if n.Kind == yaml.ScalarNode {
		if _, _, r, ok := firstControl(n.Value); ok {
			return n, r
		}
	}
	for _, c := range n.Content {
		if bad, r := findControl(c); bad != nil {
			return bad, r
		}
	}
	return nil, 0
}

func safeUnmarshal(b []byte, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML parser failed: %v", r)
		}
	}()
	return yaml.Unmarshal(b, n)
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// flowValueRE matches a line with a value that starts with {{, which YAML
// reads as a mapping.
var flowValueRE = regexp.MustCompile(`[:-][ \t]+\{\{`)

// yamlParserProblems are the messages of yaml.v3's parser (as opposed to
// its scanner) errors, whose line numbers it reports 0-based.
var yamlParserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected '-' indicator", "did not find expected <document start>",
	"did not find expected <stream-start>", "did not find expected key",
	"did not find expected node content", "found duplicate %TAG directive",
	"found duplicate %YAML directive", "found incompatible YAML document",
	"found undefined tag handle",
}

// yamlErrLine splits a yaml.v3 syntax error into its 1-based line and its
// message. yaml.v3 numbers scanner errors from 1 and parser errors from 0,
// and leaves the line out when it is the first.
func yamlErrLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		fmt.Sscanf(m[1], "%d", &line)
		msg = m[2]
		if slices.Contains(yamlParserProblems, msg) {
			line++
		}
	}
	return line, msg
}

func findAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c); a != nil {
			return a
		}
	}
	return nil
}

// at is the file position of a node.
func (y *yamlDoc) at(n *yaml.Node) pos {
	line := y.from + n.Line // n.Line is 1-based within the document
	col := n.Column
	if i := n.Line - 1; i >= 0 && i < len(y.removed) {
		col += y.removed[i]
	}
	return pos{line, col}
}

func (y *yamlDoc) errAt(n *yaml.Node, format string, a ...any) {
	y.e.add(y.at(n), format, a...)
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func lookupKey(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// fields walks a mapping whose keys must be among known, calling f for each
// (once per key) and returning the keys seen; nil when m is not a mapping.
func (y *yamlDoc) fields(m *yaml.Node, what string, known []string, f func(key string, k, v *yaml.Node)) map[string]bool {
	if m.Kind != yaml.MappingNode {
		y.errAt(m, "%s must be a mapping of %s", what, strings.Join(known, ", "))
		return nil
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode || indexOf(known, k.Value) < 0:
			y.errAt(k, "unknown %s field %q; known: %s", what, k.Value, strings.Join(known, ", "))
		case seen[k.Value]:
			y.errAt(k, "%s is given twice", k.Value)
		default:
			seen[k.Value] = true
			f(k.Value, k, v)
		}
	}
	return seen
}

// text reads a non-empty scalar.
func (y *yamlDoc) text(n *yaml.Node, key string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		if n.Kind == yaml.MappingNode && strings.HasPrefix(y.p.rest(y.at(n)), "{{") {
			y.errAt(n, "%s must be text, not a list or mapping; YAML reads a text that starts with { as a mapping: put the text in quotes", key)
			return "", false
		}
		y.errAt(n, "%s must be text, not a list or mapping", key)
		return "", false
	}
	s := strings.TrimSpace(n.Value)
	if isNull(n) || s == "" {
		y.errAt(n, "%s is empty", key)
		return "", false
	}
	return s, true
}

// line reads a non-empty one-line scalar.
func (y *yamlDoc) line(n *yaml.Node, key string) (string, bool) {
	s, ok := y.text(n, key)
	if ok && strings.Contains(s, "\n") {
		y.errAt(n, "%s must be one line", key)
		return "", false
	}
	return s, ok
}

// int reads a whole number within [lo, hi].
func (y *yamlDoc) int(n *yaml.Node, key string, lo, hi int) (int, bool) {
	var v int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil || v < lo || v > hi {
		y.errAt(n, "%s must be a whole number from %d to %d, got %q", key, lo, hi, n.Value)
		return 0, false
	}
	return v, true
}

// names reads a list of words, calling f for each.
func (y *yamlDoc) names(n *yaml.Node, key string, f func(string, *yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		y.errAt(n, "%s must be a list, e.g. %s: [a, b]", key, key)
		return
	}
	for _, item := range n.Content {
		if s, ok := y.text(item, key+" entry"); ok {
			f(s, item)
		}
	}
}

// cond parses a condition, positioning errors at the character that broke it.
func (y *yamlDoc) cond(n *yaml.Node, key string) *Cond {
	if _, ok := y.text(n, key); !ok {
		return nil
	}
	at := y.at(n)
	exact := false
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && at.line-1 < len(y.p.lines) {
		q := 0
		if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
			q = 1
		}
		rs := []rune(y.p.lines[at.line-1])
		if start := at.col - 1 + q; start <= len(rs) && strings.HasPrefix(string(rs[start:]), n.Value) {
			exact, at.col = true, at.col+q
		}
	}
	c, err := ParseCond(n.Value)
	var ce *CondError
	if errors.As(err, &ce) {
		where := at
		if exact {
			where.col += ce.Col
		}
		y.e.add(where, "%s: %s", key, ce.Msg)
		return nil
	}
	if err != nil {
		y.e.add(at, "%s: %v", key, err)
		return nil
	}
	c.at, c.exact = at, exact
	return c
}
