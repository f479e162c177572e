package quiz

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nnlab/nnlab/core/experiment"
)

// Limits of what ParseAnswer accepts.
const (
	// MaxAnswerRunes is the longest answer, in runes, that ParseAnswer reads.
	MaxAnswerRunes = 64
	// MaxAnswerMagnitude is the largest |value| an answer may have.
	MaxAnswerMagnitude = 1e18
	// MinAnswerMagnitude is the smallest |value| a non-zero answer may have;
	// it keeps every accepted value printable and parsable again.
	MinAnswerMagnitude = 1e-18
	// TypedPrecision is the relative precision an answer typed at a coarser
	// step than the answer's own must reach to count as Rounded: half its
	// step may be at most this share of the answer (±1 %).
	TypedPrecision = 0.01
)

// minStepExp keeps Step a positive normal float64 (10^-300).
const minStepExp = -300

// maxStepExp keeps Step no coarser than the largest value (10^18).
const maxStepExp = 18

// Answer is a number as a learner typed it.
type Answer struct {
	// Value is the number typed, with its unit words applied (9.4k → 9400).
	Value float64
	// Step is the precision it was typed at, in the same units: the place
	// value of its last digit (9408 → 1, 9.4k → 100, 2560만 → 10000,
	// 0.25 → 0.01, 10^6 → 10^6). Always a positive power of ten.
	Step float64
}

// AnswerError is text that is not a number ParseAnswer accepts. A view
// says what a valid answer looks like from Input and AnswerExamples.
type AnswerError struct {
	// Input is the text as typed, cut to MaxAnswerRunes runes followed by
	// "…" when it was longer.
	Input string
}

// Error is one English line: what was typed and what a valid answer
// looks like.
func (e *AnswerError) Error() string {
	return fmt.Sprintf("not a number: %q — type a number such as %s",
		e.Input, orList(AnswerExamples()))
}

// AnswerExamples returns valid answers that show the forms ParseAnswer
// accepts, for a message that says what a valid answer looks like.
func AnswerExamples() []string {
	return []string{"9408", "9,408", "9.4k", "25.6M", "2.4e6", "2560만"}
}

// orList joins items as "a, b, c or d".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// newAnswerError returns the error for text, clipped to MaxAnswerRunes.
func newAnswerError(text string) *AnswerError {
	if utf8.RuneCountInString(text) <= MaxAnswerRunes {
		return &AnswerError{Input: text}
	}
	n := 0
	for i := range text {
		if n == MaxAnswerRunes {
			return &AnswerError{Input: text[:i] + "…"}
		}
		n++
	}
	return &AnswerError{Input: text}
}

// ParseAnswer reads a number as people type it:
//
//   - digits, with ',' or a space (also thin or no-break) between groups of
//     three: 9408, 9,408, 9 408; a fraction after '.': 0.25, .5;
//   - a unit after it: k, M (or m), G or B (or bn), T, or thousand, million,
//     billion, trillion: 9.4k, 25.6M, "1.5 billion";
//   - a power of ten: 2.4e6, 2.4E6, 2.4×10^6 (also x, X, *, ·), 2.4·10⁶, 10^6;
//   - Korean units: 2560만, 1.2억, "1억 2천만", 1억2000만, 9천4백8, 천만
//     (십 백 천 만 억 조 경; 천, 백 and 십 alone mean one of them, but 만 and
//     the larger units need a number before them);
//   - a leading '+' or '-', an ignored prefix 약, 대략, about, approx,
//     approximately, ~ or ≈, an ignored unit word after it: 개, params,
//     parameters, MACs, px; full-width digits and signs.
//
// Anything else is an *AnswerError: empty text, other words, misplaced
// separators (9,40,8), a unit alone (k, 만), NaN or infinities, a magnitude
// above MaxAnswerMagnitude or non-zero below MinAnswerMagnitude, and text
// longer than MaxAnswerRunes runes. It runs in time linear in the text
// and never panics.
func ParseAnswer(text string) (Answer, error) {
	if utf8.RuneCountInString(text) > MaxAnswerRunes {
		return Answer{}, newAnswerError(text)
	}
	p := reader{r: normalize(strings.TrimSpace(text))}
	p.skipPrefix()
	p.dropUnitWord()
	a, ok := p.answer()
	if !ok {
		return Answer{}, newAnswerError(text)
	}
	return a, nil
}

// normalize maps full-width forms to ASCII, space-like runes to ' ' and
// the minus sign and tilde operator to '-' and '~'.
func normalize(s string) []rune {
	r := make([]rune, 0, len(s))
	for _, c := range s {
		switch {
		case c >= 0xFF01 && c <= 0xFF5E: // full-width ASCII
			c -= 0xFEE0
		case c == '\t', c == 0x00A0, c == 0x2007, c == 0x2009, c == 0x202F, c == 0x3000:
			c = ' '
		case c == 0x2212:
			c = '-'
		case c == 0x223C:
			c = '~'
		}
		r = append(r, c)
	}
	return r
}

// eof is what reader.at returns past the end of the text.
const eof rune = -1

// reader walks the normalized runes of an answer.
type reader struct {
	r []rune
	i int
}

// at returns the rune k places ahead, or eof.
func (p *reader) at(k int) rune {
	if p.i+k < len(p.r) {
		return p.r[p.i+k]
	}
	return eof
}

// peek returns the current rune, or eof.
func (p *reader) peek() rune { return p.at(0) }

// done reports whether every rune has been read.
func (p *reader) done() bool { return p.i >= len(p.r) }

// skipSpaces moves past spaces.
func (p *reader) skipSpaces() {
	for p.peek() == ' ' {
		p.i++
	}
}

// hasWordAt reports whether word (lower-case ASCII or Korean) is at p.r[i:],
// ignoring ASCII case.
func hasWordAt(r []rune, i int, word string) bool {
	for _, w := range word {
		if i >= len(r) || lowerASCII(r[i]) != w {
			return false
		}
		i++
	}
	return true
}

// lowerASCII lower-cases ASCII letters and leaves other runes alone.
func lowerASCII(c rune) rune {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// prefixes are words before a number that say it is approximate; they are
// ignored. Longer words come before their own prefixes.
var prefixes = []string{"approximately", "approx.", "approx", "about", "대략", "약", "~", "≈"}

// skipPrefix moves past one approximation prefix and the spaces after it.
func (p *reader) skipPrefix() {
	for _, w := range prefixes {
		if hasWordAt(p.r, p.i, w) {
			p.i += utf8.RuneCountInString(w)
			p.skipSpaces()
			return
		}
	}
}

// unitWords are words after a number that name what it counts; they are
// ignored. Longer words come before their own suffixes.
var unitWords = []string{"parameters", "parameter", "params", "param", "macs", "mac", "px", "개"}

// dropUnitWord removes one unit word, and the spaces before it, from the
// end of the text.
func (p *reader) dropUnitWord() {
	for _, w := range unitWords {
		n := utf8.RuneCountInString(w)
		if start := len(p.r) - n; start >= p.i && hasWordAt(p.r, start, w) {
			p.r = p.r[:start]
			for len(p.r) > p.i && p.r[len(p.r)-1] == ' ' {
				p.r = p.r[:len(p.r)-1]
			}
			return
		}
	}
}

// answer reads a signed number to the end of the text and checks its
// limits.
func (p *reader) answer() (Answer, bool) {
	neg := false
	switch p.peek() {
	case '-':
		neg = true
		p.i++
	case '+':
		p.i++
	}
	var terms []term
	var ok bool
	if hasKoreanUnit(p.r[p.i:]) {
		terms, ok = p.korean()
	} else {
		var t term
		t, ok = p.western()
		terms = []term{t}
	}
	if !ok {
		return Answer{}, false
	}
	return checked(terms, neg)
}

// checked sums terms into an Answer, negated if neg, and reports whether
// it lies within the limits.
func checked(terms []term, neg bool) (Answer, bool) {
	v := 0.0
	for _, t := range terms {
		v += t.value()
	}
	last := terms[len(terms)-1]
	stepExp := last.exp - len(last.num.frac)
	if math.IsNaN(v) || math.Abs(v) > MaxAnswerMagnitude || (v != 0 && math.Abs(v) < MinAnswerMagnitude) ||
		stepExp < minStepExp || stepExp > maxStepExp {
		return Answer{}, false
	}
	if neg {
		v = -v
	}
	if v == 0 {
		v = 0 // no negative zero
	}
	return Answer{Value: v, Step: math.Pow10(stepExp)}, true
}

// numeral is a decimal numeral as typed, without its separators.
type numeral struct {
	int, frac string // digits before and after the point
	dot       bool   // a decimal point was typed
	grouped   bool   // separators were typed between groups of three
}

// term is a numeral times a power of ten: num × 10^exp.
type term struct {
	num numeral
	exp int
}

// value returns num × 10^exp, correctly rounded.
func (t term) value() float64 {
	b := make([]byte, 0, len(t.num.int)+len(t.num.frac)+12)
	b = append(b, '0')
	b = append(b, t.num.int...)
	b = append(b, '.')
	b = append(b, t.num.frac...)
	b = append(b, 'e')
	b = strconv.AppendInt(b, int64(t.exp), 10)
	v, _ := strconv.ParseFloat(string(b), 64) // ±Inf on overflow, caught by checked
	return v
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c rune) bool { return c >= '0' && c <= '9' }

// digits reads a run of ASCII digits.
func (p *reader) digits() string {
	var b []byte
	for isDigit(p.peek()) {
		b = append(b, byte(p.peek()))
		p.i++
	}
	return string(b)
}

// numeral reads digits with optional separators between groups of three
// (all ',' or all ' ') and an optional fraction after '.'. It fails on a
// group that is not three digits and on a numeral with no digit.
func (p *reader) numeral() (numeral, bool) {
	var n numeral
	n.int = p.digits()
	if sep := p.peek(); len(n.int) >= 1 && len(n.int) <= 3 && (sep == ',' || sep == ' ') && isDigit(p.at(1)) {
		n.grouped = true
		for p.peek() == sep && isDigit(p.at(1)) {
			p.i++
			g := p.digits()
			if len(g) != 3 {
				return n, false
			}
			n.int += g
		}
	}
	if p.peek() == '.' {
		p.i++
		n.dot = true
		n.frac = p.digits()
	}
	return n, n.int != "" || n.frac != ""
}

// isTen reports whether n is the numeral 10 typed plainly.
func (n numeral) isTen() bool { return n.int == "10" && !n.dot && !n.grouped }

// isTimes reports whether c is a multiplication sign.
func isTimes(c rune) bool {
	switch c {
	case 'x', 'X', '*', '×', '·', '⋅', '∙':
		return true
	}
	return false
}

// western reads a numeral followed by at most one of: an exponent (e6),
// a power of ten (×10^6, ·10⁶), or a unit (k, M, million); or a power of
// ten alone (10^6). Nothing may follow it.
func (p *reader) western() (term, bool) {
	n, ok := p.numeral()
	if !ok {
		return term{}, false
	}
	t := term{num: n}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.i++
		t.exp, ok = p.signedDigits()
		return t, ok && p.done()
	}
	p.skipSpaces()
	switch {
	case n.isTen() && (p.peek() == '^' || superscriptDigit(p.peek()) >= 0 || isSuperscriptSign(p.peek())):
		t = term{num: numeral{int: "1"}}
		t.exp, ok = p.powerOfTen()
	case isTimes(p.peek()):
		p.i++
		p.skipSpaces()
		if p.digits() != "10" {
			return t, false
		}
		t.exp, ok = p.powerOfTen()
	default:
		t.exp, ok = p.unit()
	}
	p.skipSpaces()
	return t, ok && p.done()
}

// expCap bounds exponents as they are read; any exponent this large fails
// the limits in checked.
const expCap = 10000

// signedDigits reads an optional sign and at least one ASCII digit.
func (p *reader) signedDigits() (int, bool) {
	sign := 1
	switch p.peek() {
	case '-':
		sign = -1
		p.i++
	case '+':
		p.i++
	}
	if !isDigit(p.peek()) {
		return 0, false
	}
	e := 0
	for isDigit(p.peek()) {
		e = min(e*10+int(p.peek()-'0'), expCap)
		p.i++
	}
	return sign * e, true
}

// powerOfTen reads the exponent after a 10: ^ and a signed number, or
// superscript digits with an optional superscript sign.
func (p *reader) powerOfTen() (int, bool) {
	p.skipSpaces()
	if p.peek() == '^' {
		p.i++
		p.skipSpaces()
		return p.signedDigits()
	}
	sign := 1
	switch p.peek() {
	case '⁻':
		sign = -1
		p.i++
	case '⁺':
		p.i++
	}
	if superscriptDigit(p.peek()) < 0 {
		return 0, false
	}
	e := 0
	for d := superscriptDigit(p.peek()); d >= 0; d = superscriptDigit(p.peek()) {
		e = min(e*10+d, expCap)
		p.i++
	}
	return sign * e, true
}

// isSuperscriptSign reports whether c is ⁻ or ⁺.
func isSuperscriptSign(c rune) bool { return c == '⁻' || c == '⁺' }

// superscriptDigit returns the digit c stands for, or -1.
func superscriptDigit(c rune) int {
	switch c {
	case '⁰':
		return 0
	case '¹':
		return 1
	case '²':
		return 2
	case '³':
		return 3
	}
	if c >= '⁴' && c <= '⁹' {
		return int(c-'⁴') + 4
	}
	return -1
}

// units are the words after a number that multiply it, with their power
// of ten. Lower-case m is mega: nothing is counted in thousandths here.
var units = map[string]int{
	"k": 3, "thousand": 3,
	"m": 6, "million": 6,
	"g": 9, "b": 9, "bn": 9, "billion": 9,
	"t": 12, "trillion": 12,
}

// unit reads an optional unit word and returns its power of ten (0 when
// there is none).
func (p *reader) unit() (int, bool) {
	if p.done() {
		return 0, true
	}
	var b []byte
	for c := lowerASCII(p.peek()); c >= 'a' && c <= 'z'; c = lowerASCII(p.peek()) {
		if len(b) == len("trillion") {
			return 0, false
		}
		b = append(b, byte(c))
		p.i++
	}
	e, ok := units[string(b)]
	return e, ok
}

// koreanUnit returns the power of ten of a Korean number unit and whether
// it is a large unit (만 and above, which group the ones before it).
func koreanUnit(c rune) (exp int, large, ok bool) {
	switch c {
	case '십':
		return 1, false, true
	case '백':
		return 2, false, true
	case '천':
		return 3, false, true
	case '만':
		return 4, true, true
	case '억':
		return 8, true, true
	case '조':
		return 12, true, true
	case '경':
		return 16, true, true
	}
	return 0, false, false
}

// hasKoreanUnit reports whether r holds a Korean number unit.
func hasKoreanUnit(r []rune) bool {
	for _, c := range r {
		if _, _, ok := koreanUnit(c); ok {
			return true
		}
	}
	return false
}

// korean reads a number written with Korean units: groups of numerals
// each followed by 천, 백, 십 or nothing, in falling order, each group
// closed by 만, 억, 조 or 경 in falling order, or by the end of the text
// (1억 2천만 = 1·10^8 + 2·10^3·10^4). Spaces may separate the parts.
func (p *reader) korean() ([]term, bool) {
	var terms, group []term
	lastLarge, lastSmall := math.MaxInt, math.MaxInt
	for p.skipSpaces(); !p.done(); p.skipSpaces() {
		if e, large, ok := koreanUnit(p.peek()); ok && large {
			if len(group) == 0 || e >= lastLarge {
				return nil, false
			}
			for _, t := range group {
				terms = append(terms, term{num: t.num, exp: t.exp + e})
			}
			group, lastLarge, lastSmall = group[:0], e, math.MaxInt
			p.i++
			continue
		}
		t, ok := p.koreanTerm()
		if !ok || t.exp >= lastSmall {
			return nil, false
		}
		lastSmall = t.exp
		group = append(group, t)
	}
	terms = append(terms, group...)
	return terms, len(terms) > 0 && koreanOrder(terms)
}

// koreanTerm reads a numeral followed by 천, 백, 십 or nothing, or one of
// those units alone (meaning one of it).
func (p *reader) koreanTerm() (term, bool) {
	var n numeral
	implicit := !isDigit(p.peek()) && p.peek() != '.'
	if implicit {
		n = numeral{int: "1"}
	} else {
		var ok bool
		if n, ok = p.numeral(); !ok {
			return term{}, false
		}
		p.skipSpaces()
	}
	if e, large, ok := koreanUnit(p.peek()); ok && !large {
		p.i++
		return term{num: n, exp: e}, true
	}
	return term{num: n}, !implicit
}

// koreanOrder reports whether each term is smaller than the unit of the
// one before it (1억 2000만, not 1억 20000만) and only the last has a
// fraction.
func koreanOrder(terms []term) bool {
	for i, t := range terms {
		if i < len(terms)-1 && t.num.dot {
			return false
		}
		if i > 0 && !(term{num: t.num}.value() < math.Pow10(terms[i-1].exp-t.exp)) {
			return false
		}
	}
	return true
}

// Verdict is how an answer compares with the right one. The zero Verdict
// is Wrong, so an answer never graded never counts as right; a larger
// Verdict is a better one.
type Verdict int

const (
	// Wrong is neither Exact nor Rounded.
	Wrong Verdict = iota
	// Rounded is right within the question's tolerance, or right at the
	// precision the learner typed when that precision is fine enough.
	Rounded
	// Exact is the answer itself.
	Exact
)

// String returns "wrong", "rounded" or "exact".
func (v Verdict) String() string {
	switch v {
	case Exact:
		return "exact"
	case Rounded:
		return "rounded"
	case Wrong:
		return "wrong"
	}
	return "Verdict(" + strconv.Itoa(int(v)) + ")"
}

// exactRel is the relative difference within which a non-integer answer
// counts as Exact.
const exactRel = 1e-9

// Grade compares a typed answer with the right answer, given the relative
// tolerance the question states (0.005 = within 0.5 %; 0 = the exact
// count):
//
//   - Exact when a.Value == answer, or for a non-integer answer when
//     |a.Value − answer| ≤ 10⁻⁹·|answer|;
//   - Rounded when |a.Value − answer| ≤ tolerance·|answer|, or when the
//     answer rounds to what was typed at the precision typed,
//     |a.Value − answer| ≤ a.Step/2, and that precision pins the answer
//     within ±1 %, a.Step/2 ≤ TypedPrecision·|answer| (9.4k for 9408:
//     ±50 is ±0.53 %, Rounded; 9k: ±500 is ±5.3 %, Wrong; 2.4e6 for
//     2,359,296: ±50,000 is ±2.1 %, Wrong, where 2.36e6 is Rounded);
//   - Wrong otherwise, and for anything not finite.
//
// Both comparisons allow 10⁻⁹ relative slack for the binary rounding of
// decimal fractions. An Answer with Step 0 is graded by tolerance alone.
func Grade(a Answer, answer, tolerance float64) Verdict {
	if !finite(a.Value) || !finite(answer) {
		return Wrong
	}
	diff, scale := math.Abs(a.Value-answer), math.Abs(answer)
	if a.Value == answer || (answer != math.Trunc(answer) && diff <= exactRel*scale) {
		return Exact
	}
	if tolerance > 0 && diff <= tolerance*scale {
		return Rounded
	}
	half := a.Step / 2
	if half > 0 && half <= TypedPrecision*scale*(1+exactRel) && diff <= half*(1+exactRel) {
		return Rounded
	}
	return Wrong
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Slip is a likely mistake and the number it gives: {"bias_forgotten",
// 9344} for a layer of 9408 parameters. ID names its explanation.
// Tolerance, when not 0, is the relative error within which an answer
// matches this slip, in place of the question's (a ratio typed for a
// difference is typed to a digit or two).
type Slip struct {
	ID        string
	Value     float64
	Tolerance float64
}

// MatchSlip returns the slip whose value a matches, Exact or Rounded by
// Grade's rules with the question's tolerance, preferring the one closest
// to a.Value and, among equally close ones, the first listed. It reports
// false when a matches none. The caller grades a against the right answer
// first: a slip is the explanation of a Wrong answer.
func MatchSlip(a Answer, slips []Slip, tolerance float64) (Slip, bool) {
	var best Slip
	found, bestDiff := false, math.Inf(1)
	for _, s := range slips {
		tol := tolerance
		if s.Tolerance > 0 {
			tol = s.Tolerance
		}
		if Grade(a, s.Value, tol) == Wrong {
			continue
		}
		if d := math.Abs(a.Value - s.Value); d < bestDiff {
			best, bestDiff, found = s, d, true
		}
	}
	return best, found
}

// Coarse reports whether answer a, Wrong by Grade, is the right answer
// rounded at the precision a was typed in — a precision too coarse to
// count (10M for 10,035,200 is ±500,000, ±5 %) but not so coarse that the
// typed number says nothing (±25 % at most: 0.1 for 0.05 is not the
// answer rounded, it is another number). finer is the answer at the
// coarsest precision that would have counted: a power-of-ten step whose
// half is at most TypedPrecision of the answer (10,000,000 at step 100,000,
// typed 10.0M).
func Coarse(a Answer, answer float64) (finer Answer, ok bool) {
	if !finite(a.Value) || !finite(answer) || answer == 0 || a.Step <= 0 {
		return Answer{}, false
	}
	scale := math.Abs(answer)
	half := a.Step / 2
	if half <= TypedPrecision*scale*(1+exactRel) || half > maxCoarse*scale || math.Abs(a.Value-answer) > half*(1+exactRel) {
		return Answer{}, false
	}
	step := math.Pow10(int(math.Floor(math.Log10(2 * TypedPrecision * scale))))
	return Answer{Value: math.Round(answer/step) * step, Step: step}, true
}

// maxCoarse is the coarsest precision, relative to the answer, at which a
// typed number still counts as the answer rounded (Coarse).
const maxCoarse = 0.25

// siUnits are the units Typed writes a whole number in.
var siUnits = []struct {
	exp  int
	name string
}{{12, "T"}, {9, "G"}, {6, "M"}, {3, "k"}}

// Typed writes a as a learner would type it at its precision: with k, M, G
// or T when its step is ten or more (10,000,000 at step 100,000 →
// "10.0M"), else with grouped digits and as many decimals as the step has
// (9,408 at step 1 → "9,408"; 9,410 at step 10 → "9.41k"; 0.25 at step 0.01 → "0.25").
func (a Answer) Typed() string {
	stepExp := int(math.Round(math.Log10(a.Step)))
	for _, u := range siUnits {
		if stepExp >= 1 && math.Abs(a.Value) >= math.Pow10(u.exp) {
			return strconv.FormatFloat(a.Value/math.Pow10(u.exp), 'f', max(0, u.exp-stepExp), 64) + u.name
		}
	}
	if stepExp >= 1 { // below a thousand at a step of ten or more: 940 at step 10 → "0.94k"
		return strconv.FormatFloat(a.Value/1e3, 'f', max(0, 3-stepExp), 64) + "k"
	}
	if stepExp >= 0 {
		return experiment.Group(int64(math.Round(a.Value)))
	}
	return strconv.FormatFloat(a.Value, 'f', -stepExp, 64)
}
