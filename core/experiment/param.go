package experiment

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Kind is the type of a parameter.
type Kind int

const (
	Int   Kind = iota // a whole number within [Min, Max]
	Float             // a finite real number within [Min, Max]
	Bool              // true or false
	Enum              // one of Choices
	List              // a comma-separated, non-empty subset of Choices (no repeats)
)

func (k Kind) String() string {
	switch k {
	case Int:
		return "int"
	case Float:
		return "float"
	case Bool:
		return "bool"
	case Enum:
		return "enum"
	case List:
		return "list"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// MarshalText makes a Kind print as its name in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// MarshalJSON writes p with the struct's tags, except that an Int or Float
// parameter always has "min" and "max" (omitempty would drop a bound of 0),
// and a parameter of another kind has neither.
func (p Param) MarshalJSON() ([]byte, error) {
	type plain Param // without this method
	out := struct {
		plain
		Min *float64 `json:"min,omitempty"`
		Max *float64 `json:"max,omitempty"`
	}{plain: plain(p)}
	if p.Kind == Int || p.Kind == Float {
		out.Min, out.Max = &p.Min, &p.Max
	}
	return json.Marshal(out)
}

// Param describes one parameter of an experiment.
//
// Default holds an int, float64, bool, string (Enum) or []string (List),
// matching Kind. Min, Max and Step apply to Int and Float; Step is the
// amount a +/− nudge changes the value by (for Log parameters, the factor).
type Param struct {
	Name    string   `json:"name"`
	Kind    Kind     `json:"type"`
	Default any      `json:"default"`
	Min     float64  `json:"min,omitempty"`
	Max     float64  `json:"max,omitempty"`
	Step    float64  `json:"step,omitempty"`
	Log     bool     `json:"log,omitempty"` // nudges multiply/divide by Step instead of adding
	Choices []string `json:"choices,omitempty"`
	Help    string   `json:"help"`
	// Aliases are other names accepted on input (e.g. "optimizer" for
	// "optimizers"); values are always stored under Name.
	Aliases []string `json:"aliases,omitempty"`
}

// IntParam is a whole-number parameter from min to max that +/− moves by 1.
func IntParam(name string, def, min, max int, help string) Param {
	return Param{Name: name, Kind: Int, Default: def, Min: float64(min), Max: float64(max), Step: 1, Help: help}
}

// Expect says, in a few words, what a valid value of p looks like.
func (p Param) Expect() string {
	switch p.Kind {
	case Int:
		return fmt.Sprintf("a whole number from %s to %s", FormatNumber(p.Min), FormatNumber(p.Max))
	case Float:
		return fmt.Sprintf("a number from %s to %s", FormatNumber(p.Min), FormatNumber(p.Max))
	case Bool:
		return "true or false"
	case Enum:
		return "one of " + strings.Join(p.Choices, ", ")
	case List:
		return "a comma-separated list of " + strings.Join(p.Choices, ", ")
	}
	return "?"
}

// Parse reads text as a value of p and checks it. The error names the
// parameter, what was expected and what was given.
func (p Param) Parse(text string) (any, error) {
	s := strings.TrimSpace(text)
	bad := func() error {
		return &ValueError{Param: p, Got: Echo(text)}
	}
	switch p.Kind {
	case Int:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			// Accept whole numbers in decimal notation such as 1e3 or 2.5e3,
			// but nothing else ParseFloat reads (0x1p4, 1_000, inf).
			f, ferr := strconv.ParseFloat(s, 64)
			if !decimalRE.MatchString(s) || ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
				return nil, bad()
			}
			n = int64(f)
		}
		v := int(n)
		return v, p.Check(v)
	case Float:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !isRangeErr(err) || !decimalRE.MatchString(s) && !isSpecial(s) {
			return nil, bad()
		}
		return f, p.Check(f)
	case Bool:
		switch strings.ToLower(s) {
		case "true", "yes", "on", "1":
			return true, nil
		case "false", "no", "off", "0":
			return false, nil
		}
		return nil, bad()
	case Enum:
		v := strings.ToLower(s)
		return v, p.Check(v)
	case List:
		var out []string
		for _, part := range strings.Split(s, ",") {
			if part = strings.ToLower(strings.TrimSpace(part)); part != "" {
				out = append(out, part)
			}
		}
		return out, p.Check(out)
	}
	return nil, fmt.Errorf("%s: unknown kind %v", p.Name, p.Kind)
}

// decimalRE is a number in decimal notation: a sign, digits with a point,
// an exponent (ASCII digits only; no hex, no underscores).
var decimalRE = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// isSpecial is a text ParseFloat reads as NaN or ±Inf, which Check refuses
// with its own message.
func isSpecial(s string) bool {
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case "inf", "infinity", "nan":
		return true
	}
	return false
}

// isRangeErr reports a number too large for float64: it reads as ±Inf,
// which Check then rejects with a clearer message than "out of range".
func isRangeErr(err error) bool {
	var ne *strconv.NumError
	return errors.As(err, &ne) && ne.Err == strconv.ErrRange
}

// Check reports whether v is a valid value of p.
func (p Param) Check(v any) error {
	switch p.Kind {
	case Int:
		n, ok := v.(int)
		if !ok {
			return &ValueError{Param: p, Got: fmt.Sprint(v)}
		}
		if float64(n) < p.Min || float64(n) > p.Max {
			return &ValueError{Param: p, Got: strconv.Itoa(n), Range: true}
		}
	case Float:
		f, ok := v.(float64)
		if !ok {
			return &ValueError{Param: p, Got: fmt.Sprint(v)}
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return &ValueError{Param: p, Got: fmt.Sprint(f), NotFinite: true}
		}
		if f < p.Min || f > p.Max {
			return &ValueError{Param: p, Got: FormatNumber(f), Range: true}
		}
	case Bool:
		if _, ok := v.(bool); !ok {
			return &ValueError{Param: p, Got: fmt.Sprint(v)}
		}
	case Enum:
		s, ok := v.(string)
		if !ok || !slices.Contains(p.Choices, s) {
			return &ValueError{Param: p, Got: strconv.Quote(fmt.Sprint(v))}
		}
	case List:
		l, ok := v.([]string)
		if !ok || len(l) == 0 {
			return &ValueError{Param: p, Got: strconv.Quote(fmt.Sprint(v))}
		}
		seen := map[string]bool{}
		for _, s := range l {
			if !slices.Contains(p.Choices, s) {
				return &UnknownNameError{What: "choice", Param: p.Name, Name: s, Known: p.Choices}
			}
			if seen[s] {
				return &DuplicateError{Param: p.Name, Item: s}
			}
			seen[s] = true
		}
	}
	return nil
}

// Format prints v the way Parse reads it back.
func (p Param) Format(v any) string {
	switch x := v.(type) {
	case float64:
		return FormatNumber(x)
	case []string:
		return strings.Join(x, ",")
	}
	return fmt.Sprint(v)
}

// Nudge moves v by dir steps (dir is +1 or −1) and clamps it to the range.
// Enums cycle; bools toggle; lists are returned unchanged.
func (p Param) Nudge(v any, dir int) any {
	switch p.Kind {
	case Int:
		n, _ := v.(int)
		step := int(p.Step)
		if step < 1 {
			step = 1
		}
		if p.Log && p.Step > 1 {
			f := float64(n)
			if dir > 0 {
				f *= p.Step
			} else {
				f /= p.Step
			}
			n2 := int(math.Round(f))
			if n2 == n {
				n2 += dir
			}
			n = n2
		} else {
			n += dir * step
		}
		return int(math.Max(p.Min, math.Min(p.Max, float64(n))))
	case Float:
		f, _ := v.(float64)
		switch {
		case p.Log && p.Step > 1:
			switch {
			case f <= 0 && dir > 0: // 0 often means "the default": step off it
				f = math.Max(p.Min, 1e-3)
			case dir > 0:
				f *= p.Step
			default:
				f /= p.Step
			}
			// Three significant digits: 0.6, not 0.6000000000000001.
			f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 3, 64), 64)
		default:
			f += float64(dir) * p.Step
			// Snap away float noise such as 0.30000000000000004.
			if p.Step > 0 {
				f = math.Round(f/p.Step*1e9) / 1e9 * p.Step
				f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
			}
		}
		return math.Max(p.Min, math.Min(p.Max, f))
	case Bool:
		b, _ := v.(bool)
		return !b
	case Enum:
		s, _ := v.(string)
		i := slices.Index(p.Choices, s)
		n := len(p.Choices)
		if n == 0 {
			return v
		}
		return p.Choices[((i+dir)%n+n)%n]
	}
	return v
}

// Schema is the ordered parameter list of one experiment.
type Schema []Param

// Lookup finds a parameter by name.
func (s Schema) Lookup(name string) (Param, bool) {
	for _, p := range s {
		if p.Name == name || slices.Contains(p.Aliases, name) {
			return p, true
		}
	}
	return Param{}, false
}

// Names lists the parameter names in order.
func (s Schema) Names() []string {
	out := make([]string, len(s))
	for i, p := range s {
		out[i] = p.Name
	}
	return out
}

// Defaults returns a fresh Values holding every default.
func (s Schema) Defaults() Values {
	v := make(Values, len(s))
	for _, p := range s {
		v[p.Name] = clone(p.Default)
	}
	return v
}

func clone(v any) any {
	if l, ok := v.([]string); ok {
		return slices.Clone(l)
	}
	return v
}

// Set parses text into the named parameter of v.
func (s Schema) Set(v Values, name, text string) error {
	p, ok := s.Lookup(name)
	if !ok {
		return s.unknown(name)
	}
	x, err := p.Parse(text)
	if err != nil {
		return err
	}
	v[p.Name] = x
	return nil
}

func (s Schema) unknown(name string) error {
	names := s.Names()
	sort.Strings(names)
	return &UnknownNameError{What: "parameter", Name: name, Known: names}
}

// Parse starts from the defaults and applies each name=value override.
// A parameter given under more than one of its spellings (its name and an
// alias, or two aliases) is refused: which value won would depend on map
// order.
func (s Schema) Parse(overrides map[string]string) (Values, error) {
	v := s.Defaults()
	keys := make([]string, 0, len(overrides))
	for k := range overrides {
		keys = append(keys, k)
	}
	// Report errors in schema order, then by name, so messages are stable.
	sort.Strings(keys)
	sort.SliceStable(keys, func(i, j int) bool { return s.index(keys[i]) < s.index(keys[j]) })
	for i := 1; i < len(keys); i++ {
		p, ok := s.Lookup(keys[i])
		if !ok || s.index(keys[i-1]) != s.index(keys[i]) {
			continue
		}
		spellings := []string{keys[i-1]}
		for j := i; j < len(keys) && s.index(keys[j]) == s.index(keys[i]); j++ {
			spellings = append(spellings, keys[j])
		}
		return nil, Invalid([]string{p.Name}, "rule.param.spelled_twice",
			"{1} is given more than once, as {2}; give it once", p.Name, spellings)
	}
	for _, k := range keys {
		if err := s.Set(v, k, overrides[k]); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (s Schema) index(name string) int {
	for i, p := range s {
		if p.Name == name || slices.Contains(p.Aliases, name) {
			return i
		}
	}
	return len(s)
}

// Check validates every value of v against the schema: each parameter present,
// of the right type and in range; no unknown names.
func (s Schema) Check(v Values) error {
	for _, p := range s {
		x, ok := v[p.Name]
		if !ok {
			return fmt.Errorf("parameter %s is missing", p.Name)
		}
		if err := p.Check(x); err != nil {
			return err
		}
	}
	for name := range v {
		if p, ok := s.Lookup(name); !ok || p.Name != name {
			return s.unknown(name)
		}
	}
	return nil
}

// Values maps parameter names to values: int, float64, bool, string (Enum)
// or []string (List). Experiments read them with the typed getters, which
// assume a Values already checked against the schema.
type Values map[string]any

// Int returns an Int parameter.
func (v Values) Int(name string) int { n, _ := v[name].(int); return n }

// Float returns a Float parameter.
func (v Values) Float(name string) float64 { f, _ := v[name].(float64); return f }

// Bool returns a Bool parameter.
func (v Values) Bool(name string) bool { b, _ := v[name].(bool); return b }

// String returns an Enum parameter.
func (v Values) String(name string) string { s, _ := v[name].(string); return s }

// List returns a List parameter.
func (v Values) List(name string) []string { l, _ := v[name].([]string); return l }

// Clone returns a deep copy.
func (v Values) Clone() Values {
	out := make(Values, len(v))
	for k, x := range v {
		out[k] = clone(x)
	}
	return out
}
