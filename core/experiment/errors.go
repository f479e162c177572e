package experiment

import (
	"fmt"
	"slices"
	"strings"
)

// Typed errors of parameters: each carries the fields a view needs to say
// what is wrong in the learner's language (tui/locale formats them), and an
// English Error() for the command line and logs. An experiment's Check and
// Parse wrap them with "name: " (errors.As finds them).

// ValueError is a value that its parameter does not take: out of range
// (Range), not a number or not finite (for numbers), or not of the
// parameter's kind. Param is the schema entry, so a view can say what a
// valid value looks like in its own words.
type ValueError struct {
	Param Param
	Got   string // the value as given: quoted when it was text
	Range bool   // a number of the right kind outside [Min, Max]
	// NotFinite marks NaN or ±Inf.
	NotFinite bool
}

func (e *ValueError) Error() string {
	s := fmt.Sprintf("%s must be %s, got %s", e.Param.Name, e.Param.Expect(), e.Got)
	if e.NotFinite {
		s += " (not a finite number)"
	}
	return s
}

// UnknownNameError is a name that is not among the known ones: a parameter
// of an experiment, an experiment, or an item of a list parameter (Param set).
type UnknownNameError struct {
	What  string // "parameter", "experiment" or "choice"
	Param string // for a choice: the list parameter
	Name  string
	Known []string
}

func (e *UnknownNameError) Error() string {
	if e.What == "choice" {
		return fmt.Sprintf("%s: %q is not one of %s", e.Param, e.Name, strings.Join(e.Shown(), ", "))
	}
	return fmt.Sprintf("unknown %s %q; known: %s", e.What, e.Name, strings.Join(e.Shown(), ", "))
}

// MaxShown is how many known names an error lists before it shortens the list.
const MaxShown = 12

// Shown is the known names an error line lists: all of them when there are
// at most MaxShown, else the MaxShown/2 closest to the name given (by edit
// distance), then "… (N in all)".
func (e *UnknownNameError) Shown() []string {
	if len(e.Known) <= MaxShown {
		return e.Known
	}
	near := slices.Clone(e.Known)
	name := strings.ToLower(e.Name)
	if len(name) > 64 {
		name = name[:64]
	}
	dist := make(map[string]int, len(near))
	for _, k := range near {
		dist[k] = editDistance(name, strings.ToLower(k))
	}
	slices.SortStableFunc(near, func(a, b string) int { return dist[a] - dist[b] })
	return append(near[:MaxShown/2:MaxShown/2], fmt.Sprintf("… (%d in all)", len(e.Known)))
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// DuplicateError is an item listed twice in a list parameter.
type DuplicateError struct {
	Param, Item string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%s: %q is listed twice", e.Param, e.Item)
}

// InvalidError is a combination of values that breaks a rule that ties
// parameters together (an experiment's Validate). Rule is the message id
// of its explanation; Args fill its placeholders {1}, {2}, … (numbers are
// printed with FormatNumber); Text is the English.
type InvalidError struct {
	Params []string
	Rule   string
	Args   []any
	Text   string
}

func (e *InvalidError) Error() string { return e.Text }

// Invalid builds an InvalidError whose English is template with {1}, {2}, …
// filled from args; the same args fill the rule's text in other languages.
func Invalid(params []string, rule, template string, args ...any) *InvalidError {
	return &InvalidError{Params: params, Rule: rule, Args: args, Text: Fill(template, args...)}
}

// Fill replaces {1}, {2}, … in template with args, numbers printed as
// FormatNumber prints them.
func Fill(template string, args ...any) string {
	for i := len(args); i >= 1; i-- {
		template = strings.ReplaceAll(template, fmt.Sprintf("{%d}", i), argText(args[i-1]))
	}
	return template
}

func argText(a any) string {
	switch x := a.(type) {
	case float64:
		return FormatNumber(x)
	case int:
		return fmt.Sprint(x)
	case []string:
		return strings.Join(x, ", ")
	}
	return fmt.Sprint(a)
}
