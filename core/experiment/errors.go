package experiment

import (
	"fmt"
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
		return fmt.Sprintf("%s: %q is not one of %s", e.Param, e.Name, strings.Join(e.Known, ", "))
	}
	return fmt.Sprintf("unknown %s %q; known: %s", e.What, e.Name, strings.Join(e.Known, ", "))
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
