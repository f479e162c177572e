package quiz

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseAnswer checks that ParseAnswer never panics, fails only with a
// one-line *AnswerError, accepts only finite values within the limits with a
// positive Step, and reads the value back from strconv's formatting of it.
func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{
		"9408", "9,408", "9 408", "9\u2009408", "9.4k", "25.6M", "1.5 billion", "2.4e6", "2.4×10^6", "2.4·10⁶",
		"10^-3", "약 2560만", "1.2억", "1억 2천만", "1억2000만", "9천4백8", "천만", "９，４０８", "-3", "+0.25",
		"9408 params", "1.2M MACs", "224px", "~9408", "abc", "1..2", "9,40,8", "만", "k", "NaN", "1e19", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAnswer(s)
		if err != nil {
			var ae *AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("ParseAnswer(%q): %T %v, want *AnswerError", s, err, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("ParseAnswer(%q): message is not one line: %q", s, err)
			}
			return
		}
		if math.IsNaN(a.Value) || math.IsInf(a.Value, 0) || math.Abs(a.Value) > MaxAnswerMagnitude {
			t.Fatalf("ParseAnswer(%q) = %v, outside the limits", s, a.Value)
		}
		if !(a.Step > 0) || math.IsInf(a.Step, 0) {
			t.Fatalf("ParseAnswer(%q): Step %v is not positive and finite", s, a.Step)
		}
		if g := Grade(a, a.Value, 0); g != Exact {
			t.Fatalf("ParseAnswer(%q) graded against its own value: %v", s, g)
		}
		back := strconv.FormatFloat(a.Value, 'g', -1, 64)
		b, err := ParseAnswer(back)
		if err != nil || b.Value != a.Value {
			t.Fatalf("ParseAnswer(%q) = %v; formatted %q parses as %v, %v", s, a.Value, back, b.Value, err)
		}
	})
}
