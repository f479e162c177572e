package experiment

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Numbers are printed here, once, for every view: the text report, the
// notebook, lesson values and the command line.

// Number prints a float for people: whole numbers below 10¹⁵ with grouped
// digits (25,557,032), others with four significant digits.
func Number(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return Group(int64(v))
	}
	a := math.Abs(v)
	if a >= 1e-3 && a < 1e6 {
		s := strconv.FormatFloat(v, 'g', 4, 64)
		if !strings.ContainsAny(s, "e") {
			return s
		}
	}
	return strconv.FormatFloat(v, 'e', 3, 64)
}

// Group prints n with commas between groups of three digits.
func Group(n int64) string { return groupDigits(strconv.FormatInt(n, 10)) }

// groupDigits puts commas between groups of three digits of an integer
// written in decimal.
func groupDigits(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// FormatNumber prints a float the shortest way that reads back exactly
// (parameter values, bounds and steps).
func FormatNumber(f float64) string {
	if f == 0 {
		return "0" // not "-0"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// CheckFormat reports whether f is a value format (see FormatValue).
func CheckFormat(f string) error {
	switch f {
	case "int", "K", "M", "G", "%":
		return nil
	}
	if len(f) >= 3 && f[0] == '.' && (f[len(f)-1] == 'f' || f[len(f)-1] == 'e') {
		if n, err := strconv.Atoi(f[1 : len(f)-1]); err == nil && n >= 0 && n <= 15 && f[1] != '+' && f[1] != '-' {
			return nil
		}
	}
	return fmt.Errorf("unknown format %q; use int, .Nf or .Ne (N from 0 to 15), K, M, G or %%", f)
}

// FormatValue prints x in a value format: "" as the report prints numbers,
// "int" rounded with grouped digits (25,557,032), ".Nf" with N decimals,
// ".Ne" in scientific notation with N decimals, "K", "M", "G" in thousands,
// millions and billions with one decimal (120.4M), "%" a ratio as a
// percentage with one decimal (0.402 → 40.2%). NaN and ±Inf print as the
// report prints them in every format.
func FormatValue(x float64, format string) (string, error) {
	if err := CheckFormat(format); err != nil && format != "" {
		return "", err
	}
	if math.IsNaN(x) || math.IsInf(x, 0) || format == "" {
		return Number(x), nil
	}
	fixed := func(v float64, n int) string {
		s := strconv.FormatFloat(v, 'f', n, 64)
		if strings.Trim(s, "-0.") == "" {
			s = strings.TrimPrefix(s, "-") // no "-0.0"
		}
		return s
	}
	switch format {
	case "int":
		return groupDigits(fixed(math.Round(x), 0)), nil
	case "K":
		return fixed(x/1e3, 1) + "K", nil
	case "M":
		return fixed(x/1e6, 1) + "M", nil
	case "G":
		return fixed(x/1e9, 1) + "G", nil
	case "%":
		return fixed(x*100, 1) + "%", nil
	}
	n, _ := strconv.Atoi(format[1 : len(format)-1])
	if format[len(format)-1] == 'e' {
		if x == 0 {
			x = 0 // not "-0.0e+00"
		}
		return strconv.FormatFloat(x, 'e', n, 64), nil
	}
	return fixed(x, n), nil
}

// Allowed is the values p takes, for help texts: "1…64", "sgd|adam",
// "true|false".
func (p Param) Allowed() string {
	switch p.Kind {
	case Int:
		return strconv.FormatInt(int64(p.Min), 10) + "…" + strconv.FormatInt(int64(p.Max), 10)
	case Float:
		return FormatNumber(p.Min) + "…" + FormatNumber(p.Max)
	case Enum, List:
		return strings.Join(p.Choices, "|")
	}
	return "true|false"
}

// EchoRunes is the most characters of a value an error message repeats.
const EchoRunes = 40

// Echo quotes a value given from outside — a typed value, a name, a path —
// for an error message: escapes written out (%q), and at most EchoRunes
// characters of it, the rest cut to "…", so that an error stays one
// readable line whatever was given.
func Echo(s string) string {
	if r := []rune(s); len(r) > EchoRunes {
		return strconv.Quote(string(r[:EchoRunes])) + "…"
	}
	return strconv.Quote(s)
}

// TickLabels prints the values that label one axis, all in one format, so
// that labels side by side read alike (never 1e+02 beside 10) and no two
// differ only where the format cannot show it:
//
//   - a linear axis prints every value with the same number of decimals,
//     the fewest that show each value exactly to six significant digits
//     (0.0 0.5 1.0; 0 1,000 2,000 with grouped digits);
//   - a log axis prints each value the shortest way (0.001 0.01 0.1 1);
//   - where a value is ≥ 10⁵ or a non-zero one < 10⁻³, every label is in
//     scientific notation with a shared number of decimals (1e-06 1e-04).
//
// More decimals are used, up to twelve, while two labels of different values
// would read the same.
func TickLabels(vs []float64, log bool) []string {
	sci := false
	for _, v := range vs {
		if a := math.Abs(v); a >= 1e5 || (a > 0 && a < 1e-3) {
			sci = true
		}
	}
	// round6 is v to six significant digits: 0.30000000000000004 → 0.3.
	round6 := func(v float64) float64 { f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64); return f }
	print := func(v float64, d int) string {
		v = round6(v)
		switch {
		case v == 0:
			if sci {
				return "0"
			}
			return strconv.FormatFloat(0, 'f', d, 64)
		case sci:
			return strconv.FormatFloat(v, 'e', d, 64)
		case log:
			return strconv.FormatFloat(v, 'f', -1, 64)
		case d == 0:
			return Group(int64(math.Round(v)))
		}
		return strconv.FormatFloat(v, 'f', d, 64)
	}
	exact := func(v float64, d int) bool { // the label reads back as v (to six digits)
		s := strings.ReplaceAll(print(v, d), ",", "")
		f, err := strconv.ParseFloat(s, 64)
		return err == nil && (f == round6(v) || math.Abs(f-round6(v)) <= 1e-9*math.Abs(round6(v)))
	}
	out := make([]string, len(vs))
	for d := 0; ; d++ {
		ok := true
		seen := map[string]float64{}
		for i, v := range vs {
			out[i] = print(v, d)
			if !exact(v, d) && !log {
				ok = false
			}
			if w, dup := seen[out[i]]; dup && w != round6(v) {
				ok = false
			}
			seen[out[i]] = round6(v)
		}
		if ok || d >= 12 {
			return out
		}
	}
}
