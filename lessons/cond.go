package lessons

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nnlab/nnlab/core/experiment"
)

// Cond is an exercise goal or hint condition: comparisons NAME OP NUMBER
// joined by "and" and "or", "and" binding tighter. NAME is a result scalar
// key or a parameter name (a scalar wins when both exist); OP is one of
// < <= > >= == !=.
type Cond struct {
	Src string
	or  [][]Compare // a disjunction of conjunctions
	at  pos         // where Src starts in the file (zero when unknown)
	// exact reports that Src sits verbatim on one line of the file at `at`,
	// so a comparison's column is at.col plus its offset.
	exact bool
}

// Compare is one comparison of a condition.
type Compare struct {
	Name  string
	Op    string
	Value float64
	Col   int // 0-based character offset of Name in the condition's text
}

// CondError is a condition that does not parse; Col is the 0-based
// character offset in the condition's text.
type CondError struct {
	Col int
	Msg string
}

func (e *CondError) Error() string { return fmt.Sprintf("column %d: %s", e.Col+1, e.Msg) }

// ParseCond reads a condition.
func ParseCond(src string) (*Cond, error) {
	toks, err := lexCond(src)
	if err != nil {
		return nil, err
	}
	c := &Cond{Src: src}
	var and []Compare
	i := 0
	next := func() token {
		if i < len(toks) {
			t := toks[i]
			i++
			return t
		}
		return token{kind: tEOF, col: utf8.RuneCountInString(src)}
	}
	for {
		name := next()
		switch {
		case name.kind == tNumber:
			return nil, &CondError{name.col, fmt.Sprintf("expected a name, got the number %s (write NAME OP NUMBER, e.g. steps <= 50)", name.text)}
		case name.kind == tEOF && len(toks) == 0:
			return nil, &CondError{0, "empty condition; write NAME OP NUMBER, e.g. loss < 1e-3"}
		case name.kind != tName || name.text == "and" || name.text == "or":
			return nil, &CondError{name.col, "expected a name (a result key or a parameter), got " + name.show()}
		}
		op := next()
		if op.kind != tOp {
			return nil, &CondError{op.col, "expected one of < <= > >= == != after " + name.text + ", got " + op.show()}
		}
		num := next()
		if num.kind != tNumber {
			return nil, &CondError{num.col, fmt.Sprintf("expected a number after %s, got %s (the right side must be a number such as 0.5 or 1e-6)", op.text, num.show())}
		}
		v, err := strconv.ParseFloat(num.text, 64)
		if err != nil || math.IsInf(v, 0) {
			return nil, &CondError{num.col, fmt.Sprintf("%s is not a finite number", num.text)}
		}
		and = append(and, Compare{Name: name.text, Op: op.text, Value: v, Col: name.col})
		join := next()
		switch {
		case join.kind == tEOF:
			c.or = append(c.or, and)
			return c, nil
		case join.kind == tName && join.text == "and":
		case join.kind == tName && join.text == "or":
			c.or = append(c.or, and)
			and = nil
		default:
			return nil, &CondError{join.col, "expected 'and', 'or' or the end, got " + join.show()}
		}
	}
}

// Compares lists every comparison, in order.
func (c *Cond) Compares() []Compare {
	var out []Compare
	for _, and := range c.or {
		out = append(out, and...)
	}
	return out
}

// Names lists the names the condition reads, in order, without repeats.
func (c *Cond) Names() []string {
	var out []string
	seen := map[string]bool{}
	for _, cmp := range c.Compares() {
		if !seen[cmp.Name] {
			seen[cmp.Name] = true
			out = append(out, cmp.Name)
		}
	}
	return out
}

func (c *Cond) String() string { return c.Src }

// Lookup finds the number a condition name stands for: a scalar of r, else a
// numeric parameter in v (bools count as 1 and 0). ok is false when neither
// has it; err is set when v has it but it is not a number.
func Lookup(name string, r *experiment.Result, v experiment.Values) (x float64, ok bool, err error) {
	if r != nil {
		if s, found := r.Scalar(name); found {
			return s.Value, true, nil
		}
	}
	switch p := v[name].(type) {
	case nil:
		return 0, false, nil
	case int:
		return float64(p), true, nil
	case float64:
		return p, true, nil
	case bool:
		if p {
			return 1, true, nil
		}
		return 0, true, nil
	}
	return 0, true, fmt.Errorf("parameter %s is not a number (it is %v)", name, v[name])
}

// Eval evaluates the condition against a result's scalars and the
// parameter values of its run. Comparisons with NaN are false (except !=),
// as in IEEE arithmetic. A comparison whose name the result lacks is false,
// whatever its operator: an experiment leaves out what it could not compute
// (a diverged optimizer has no final loss), and such a run meets no goal.
// nnlab check makes sure every name exists at the lesson's own values.
func (c *Cond) Eval(r *experiment.Result, v experiment.Values) (bool, error) {
	holds := false
	for _, and := range c.or {
		all := true
		for _, cmp := range and {
			x, ok, err := Lookup(cmp.Name, r, v)
			if err != nil {
				return false, err
			}
			all = all && ok && cmp.holds(x)
		}
		holds = holds || all
	}
	return holds, nil
}

func (cmp Compare) holds(x float64) bool {
	switch cmp.Op {
	case "<":
		return x < cmp.Value
	case "<=":
		return x <= cmp.Value
	case ">":
		return x > cmp.Value
	case ">=":
		return x >= cmp.Value
	case "==":
		return x == cmp.Value
	case "!=":
		return x != cmp.Value
	}
	return false
}

// posOf returns the file position of the comparison's name.
func (c *Cond) posOf(cmp Compare) pos {
	if c.exact {
		return pos{c.at.line, c.at.col + cmp.Col}
	}
	return c.at
}

type tokKind int

const (
	tEOF tokKind = iota
	tName
	tNumber
	tOp
)

type token struct {
	kind tokKind
	text string
	col  int // 0-based character offset
}

func (t token) show() string {
	if t.kind == tEOF {
		return "the end"
	}
	return strconv.Quote(t.text)
}

func isNameStart(r rune) bool {
	return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func isNameRune(r rune) bool {
	return isNameStart(r) || r >= '0' && r <= '9' || r == '.' || r == '-'
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func lexCond(src string) ([]token, error) {
	rs := []rune(src)
	var out []token
	for i := 0; i < len(rs); {
		r := rs[i]
		start := i
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			i++
			continue
		case isNameStart(r):
			for i < len(rs) && isNameRune(rs[i]) {
				i++
			}
			out = append(out, token{tName, string(rs[start:i]), start})
		case isDigit(r) || r == '.' || r == '-' || r == '+':
			i = scanNumber(rs, i)
			if i == start {
				return nil, &CondError{start, fmt.Sprintf("unexpected %q", r)}
			}
			if i < len(rs) && isNameRune(rs[i]) && !isDigit(rs[i]) {
				j := i
				for j < len(rs) && isNameRune(rs[j]) {
					j++
				}
				return nil, &CondError{start, fmt.Sprintf("%q is not a number", string(rs[start:j]))}
			}
			out = append(out, token{tNumber, string(rs[start:i]), start})
		case strings.ContainsRune("<>=!", r):
			i++
			if i < len(rs) && rs[i] == '=' {
				i++
			}
			switch op := string(rs[start:i]); op {
			case "!":
				return nil, &CondError{start, "unexpected '!'; write != for 'not equal'"}
			case "=":
				return nil, &CondError{start, "'=' is not a comparison; write == for equality"}
			}
			out = append(out, token{tOp, string(rs[start:i]), start})
		case r == '&' || r == '|':
			word := map[rune]string{'&': "and", '|': "or"}[r]
			return nil, &CondError{start, fmt.Sprintf("unexpected %q; write %q", r, word)}
		default:
			return nil, &CondError{start, fmt.Sprintf("unexpected %q; a condition is NAME OP NUMBER joined by and/or", r)}
		}
	}
	return out, nil
}

// scanNumber returns the end of a number [+-]digits[.digits][e[+-]digits]
// starting at i, or i when there is none.
func scanNumber(rs []rune, i int) int {
	j := i
	if j < len(rs) && (rs[j] == '+' || rs[j] == '-') {
		j++
	}
	digits := 0
	for j < len(rs) && isDigit(rs[j]) {
		j++
		digits++
	}
	if j < len(rs) && rs[j] == '.' {
		j++
		for j < len(rs) && isDigit(rs[j]) {
			j++
			digits++
		}
	}
	if digits == 0 {
		return i
	}
	if j < len(rs) && (rs[j] == 'e' || rs[j] == 'E') {
		k := j + 1
		if k < len(rs) && (rs[k] == '+' || rs[k] == '-') {
			k++
		}
		if k < len(rs) && isDigit(rs[k]) {
			for k < len(rs) && isDigit(rs[k]) {
				k++
			}
			j = k
		}
	}
	return j
}

// Wording is what Cond.Text words a condition with.
type Wording struct {
	// Msg returns message id of nnlab's catalog (assets/messages.yaml) in
	// lang: cond.lt, cond.le, cond.gt, cond.ge, cond.eq, cond.ne (each a
	// format of the name and the number), cond.and and cond.or (the words
	// between comparisons).
	Msg func(lang, id string) string
	// Label is what a name reads as — a result's label for its scalar; nil,
	// or "" for a name, keeps the name itself.
	Label func(name string) string
	// Unit is the unit a name's number is written with ("×"); nil or ""
	// writes the bare number.
	Unit func(name string) string
	// Switch reports whether a name is an on/off parameter (a bool, read
	// as 1 or 0): "bn == 1" then reads "bn on" (cond.on), "bn == 0" "bn
	// off" (cond.off). nil: none is.
	Switch func(name string) bool
}

// condMsg is the message id of each operator.
var condMsg = map[string]string{"<": "cond.lt", "<=": "cond.le", ">": "cond.gt", ">=": "cond.ge", "==": "cond.eq", "!=": "cond.ne"}

// Text words the condition as a phrase in lang: "parameters above 40M and
// MACs below 10G" rather than "params > 4e7 and macs < 1e10". Numbers of a
// million and more that are whole millions (billions) read 40M (10G);
// others as the report prints them.
func (c *Cond) Text(lang string, w Wording) string {
	if w.Msg == nil {
		return c.Src
	}
	var ors []string
	for _, and := range c.or {
		var parts []string
		for i, cmp := range and {
			name := cmp.Name
			if i > 0 && and[i-1].Name == cmp.Name { // "saving at least 5 and below 5.2"
				name = ""
			} else if w.Label != nil {
				if l := w.Label(cmp.Name); l != "" {
					name = l
				}
			}
			if w.Switch != nil && w.Switch(cmp.Name) && (cmp.Value == 0 || cmp.Value == 1) && (cmp.Op == "==" || cmp.Op == "!=") {
				on := (cmp.Value == 1) == (cmp.Op == "==")
				parts = append(parts, strings.TrimSpace(fmt.Sprintf(w.Msg(lang, map[bool]string{true: "cond.on", false: "cond.off"}[on]), name)))
				continue
			}
			num := CondNumber(cmp.Value)
			if w.Unit != nil {
				num += w.Unit(cmp.Name)
			}
			parts = append(parts, strings.TrimSpace(fmt.Sprintf(w.Msg(lang, condMsg[cmp.Op]), name, num)))
		}
		ors = append(ors, strings.Join(parts, w.Msg(lang, "cond.and")))
	}
	return strings.Join(ors, w.Msg(lang, "cond.or"))
}

// CondNumber writes a goal's number: whole millions and billions as 40M and
// 10G, whole thousands from 10,000 up as 10K, others as the report does.
func CondNumber(x float64) string {
	a := math.Abs(x)
	for _, u := range []struct {
		scale float64
		fmt   string
	}{{1e9, "G"}, {1e6, "M"}, {1e4, "K"}} {
		if a >= u.scale && math.Mod(x, u.scale/10) == 0 {
			s, _ := experiment.FormatValue(x, u.fmt)
			return strings.Replace(s, ".0"+u.fmt, u.fmt, 1)
		}
	}
	if x != math.Trunc(x) {
		return experiment.FormatNumber(x)
	}
	return experiment.Number(x)
}
