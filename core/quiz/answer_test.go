package quiz

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestParseAnswer checks every accepted form: its value and the precision
// it was typed at.
func TestParseAnswer(t *testing.T) {
	tests := []struct {
		in          string
		value, step float64
	}{
		// Digits and separators.
		{"9408", 9408, 1},
		{"3", 3, 1},
		{"0", 0, 1},
		{"-0", 0, 1},
		{"0.25", 0.25, 0.01},
		{".5", 0.5, 0.1},
		{"5.", 5, 1},
		{"9,408", 9408, 1},
		{"9 408", 9408, 1},
		{"9\u2009408", 9408, 1}, // thin space
		{"9\u00a0408", 9408, 1}, // no-break space
		{"9\u202f408", 9408, 1}, // narrow no-break space
		{"1,234", 1234, 1},
		{"1,234,567", 1234567, 1},
		{"1 234 567", 1234567, 1},
		{"9,408.5", 9408.5, 0.1},
		{"  9408  ", 9408, 1},
		{"9408\n", 9408, 1},
		{"+9408", 9408, 1},
		{"-3", -3, 1},
		{"\u22123", -3, 1}, // minus sign
		{"９４０８", 9408, 1},
		{"９，４０８", 9408, 1},
		{"０.２５", 0.25, 0.01},
		{"－３", -3, 1},
		{"1000000000000000000", 1e18, 1},
		{"1,000,000,000,000,000,000", 1e18, 1},
		// Units.
		{"9.4k", 9400, 100},
		{"9.4K", 9400, 100},
		{"9.4 k", 9400, 100},
		{"-9.4k", -9400, 100},
		{"9k", 9000, 1000},
		{"1 234k", 1234000, 1000},
		{"25.6M", 25.6e6, 1e5},
		{"25.6m", 25.6e6, 1e5},
		{"1.5G", 1.5e9, 1e8},
		{"1.5B", 1.5e9, 1e8},
		{"1.5bn", 1.5e9, 1e8},
		{"1.5 billion", 1.5e9, 1e8},
		{"1.5 Billion", 1.5e9, 1e8},
		{"25.6 million", 25.6e6, 1e5},
		{"3 thousand", 3000, 1000},
		{"2 trillion", 2e12, 1e12},
		{"2T", 2e12, 1e12},
		// Powers of ten.
		{"2.4e6", 2.4e6, 1e5},
		{"2.4E6", 2.4e6, 1e5},
		{"2.4e+6", 2.4e6, 1e5},
		{"2.5e-3", 0.0025, 1e-4},
		{"10e6", 1e7, 1e6},
		{"1e18", 1e18, 1e18},
		{"2.4×10^6", 2.4e6, 1e5},
		{"2.4x10^6", 2.4e6, 1e5},
		{"2.4X10^6", 2.4e6, 1e5},
		{"2.4*10^6", 2.4e6, 1e5},
		{"2.4·10^6", 2.4e6, 1e5},
		{"2.4·10⁶", 2.4e6, 1e5},
		{"2.4×10⁶", 2.4e6, 1e5},
		{"2.4 × 10^6", 2.4e6, 1e5},
		{"2.4 × 10 ^ 6", 2.4e6, 1e5},
		{"2.4×10⁻³", 0.0024, 1e-4},
		{"2.4×10^-3", 0.0024, 1e-4},
		{"1.23×10¹²", 1.23e12, 1e10},
		{"10^6", 1e6, 1e6},
		{"10⁶", 1e6, 1e6},
		{"10^-3", 0.001, 0.001},
		{"-10^6", -1e6, 1e6},
		{"10^18", 1e18, 1e18},
		// Korean.
		{"2560만", 2.56e7, 1e4},
		{"2,560만", 2.56e7, 1e4},
		{"2560 만", 2.56e7, 1e4},
		{"약 2560만", 2.56e7, 1e4},
		{"약2560만", 2.56e7, 1e4},
		{"대략 2560만", 2.56e7, 1e4},
		{"2560만 개", 2.56e7, 1e4},
		{"-2560만", -2.56e7, 1e4},
		{"1.2억", 1.2e8, 1e7},
		{"1억 2천만", 1.2e8, 1e7},
		{"1억2천만", 1.2e8, 1e7},
		{"1억2000만", 1.2e8, 1e4},
		{"1억 2000만", 1.2e8, 1e4},
		{"1억 2천만 5백", 120000500, 100},
		{"3천", 3000, 1000},
		{"5백", 500, 100},
		{"8십", 80, 10},
		{"천", 1000, 1000},
		{"천만", 1e7, 1e7},
		{"백만", 1e6, 1e6},
		{"9천4백8", 9408, 1},
		{"9천 4백 8", 9408, 1},
		{"9천 408", 9408, 1},
		{"9천4백8십", 9480, 10},
		{"2천5백만", 2.5e7, 1e6},
		{"1.5천", 1500, 100},
		{"1조 2000억", 1.2e12, 1e8},
		{"100경", 1e18, 1e16},
		{"２５６０만", 2.56e7, 1e4},
		// Prefixes and unit words.
		{"about 9.4k", 9400, 100},
		{"About 9.4k", 9400, 100},
		{"approx 9.4k", 9400, 100},
		{"approx. 9.4k", 9400, 100},
		{"approximately 9408", 9408, 1},
		{"~9408", 9408, 1},
		{"~ 9408", 9408, 1},
		{"≈ 9408", 9408, 1},
		{"～9408", 9408, 1}, // full-width tilde
		{"약 -3", -3, 1},
		{"9408개", 9408, 1},
		{"9408 개", 9408, 1},
		{"9408 params", 9408, 1},
		{"9,408 parameters", 9408, 1},
		{"1 parameter", 1, 1},
		{"9.4k params", 9400, 100},
		{"1.2M MACs", 1.2e6, 1e5},
		{"1.2GMACs", 1.2e9, 1e8},
		{"224px", 224, 1},
		{"224 px", 224, 1},
	}
	for _, tt := range tests {
		a, err := ParseAnswer(tt.in)
		if err != nil {
			t.Errorf("ParseAnswer(%q): %v", tt.in, err)
			continue
		}
		if a.Value != tt.value || !closeRel(a.Step, tt.step) {
			t.Errorf("ParseAnswer(%q) = %+v, want {Value:%v Step:%v}", tt.in, a, tt.value, tt.step)
		}
	}
}

// closeRel reports whether a and b agree within 1e-12 relative.
func closeRel(a, b float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	if b < 0 {
		b = -b
	}
	return d <= 1e-12*b
}

// TestParseAnswerGarbage checks that text which is not an accepted number
// gives an *AnswerError that quotes it.
func TestParseAnswerGarbage(t *testing.T) {
	tests := []string{
		"", "   ", "abc", "nine", "k", "K", "M", "만", "억", "만 2천", "1억 만", "1만 1억",
		"1억 20000만", "9천45백", "9천4백800", "1.5억 2천만", "2.5k만", "1억k", "천 천",
		"NaN", "nan", "Inf", "+Inf", "-inf", "infinity", "0x10",
		"1..2", "1.2.3", ".", "..", "-", "+", "--3", "+-3", "- 3", "3-", "1e", "e6", "2.4e", "2.4e6k",
		"9,40,8", "1,2345", "1,2,3,4", "1,234,", ",234", "1,5", "1234,567", "12 34", "1 2", "1,234 567",
		"9.4kk", "9.4 k k", "9.4 kilo", "2^10", "2.4×10", "2.4×^6", "×10^6", "2.4×100^6", "10.^6",
		"1 e6", "9408\n1", "params", "개", "약", "~", "9408 params params",
		"1.1e18", "2e18", "1e19", "10^19", "1,000,000,000,000,000,001,000", "0e19",
		"1e-19", "1e9999", "1e-9999", "0.0e-400", "1" + strings.Repeat("0", 64),
		"9408\x00", "\xff", "٩٤٠٨",
	}
	for _, in := range tests {
		a, err := ParseAnswer(in)
		var ae *AnswerError
		if !errors.As(err, &ae) {
			t.Errorf("ParseAnswer(%q) = %+v, %v; want an *AnswerError", in, a, err)
			continue
		}
		if want := in; len([]rune(in)) <= MaxAnswerRunes && ae.Input != want {
			t.Errorf("ParseAnswer(%q): Input = %q", in, ae.Input)
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "9.4k") {
			t.Errorf("ParseAnswer(%q): message %q is not one line naming the forms", in, msg)
		}
	}
}

// TestAnswerErrorMessage checks the English line and the clipping of long
// input.
func TestAnswerErrorMessage(t *testing.T) {
	_, err := ParseAnswer("abc")
	want := `not a number: "abc" — type a number such as 9408, 9,408, 9.4k, 25.6M, 2.4e6 or 2560만`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	long := strings.Repeat("가", 100)
	_, err = ParseAnswer(long)
	var ae *AnswerError
	if !errors.As(err, &ae) || ae.Input != strings.Repeat("가", MaxAnswerRunes)+"…" {
		t.Errorf("long input: %v", err)
	}
	_, err = ParseAnswer("9408\n1")
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("error of text with a newline is not one line: %q", err)
	}
}

// TestGrade checks the verdicts, including the precision rule.
func TestGrade(t *testing.T) {
	tests := []struct {
		in        string
		answer    float64
		tolerance float64
		want      Verdict
	}{
		{"9408", 9408, 0, Exact},
		{"9,408", 9408, 0, Exact},
		{"9천4백8", 9408, 0, Exact},
		{"9407", 9408, 0, Wrong},
		{"9.4k", 9408, 0, Rounded},  // ±50 is ±0.53 %
		{"9.41k", 9408, 0, Rounded}, // ±5
		{"9.5k", 9408, 0, Wrong},    // 9408 does not round to 9.5k
		{"9k", 9408, 0, Wrong},      // ±500 is ±5.3 %: too coarse
		{"9k", 9408, 0.05, Rounded}, // within a stated 5 %
		{"25.6M", 25557032, 0, Rounded},
		{"25,557,032", 25557032, 0, Exact},
		{"25557032", 25557032, 0, Exact},
		{"2556만", 25557032, 0, Rounded},
		{"26M", 25557032, 0, Wrong}, // ±500,000 is ±2 %
		{"26M", 25557032, 0.02, Rounded},
		{"25.5M", 25557032, 0.005, Rounded}, // 0.22 % off, within 0.5 %
		{"25.5M", 25557032, 0, Wrong},       // 25557032 does not round to 25.5M
		{"2.4e6", 2359296, 0, Wrong},        // ±50,000 is ±2.1 %
		{"2.36e6", 2359296, 0, Rounded},
		{"2.4e6", 2359296, 0.02, Rounded}, // 1.7 % off
		{"2.36M", 2359296, 0, Rounded},
		{"236만", 2359296, 0, Rounded},
		{"240만", 2359296, 0, Wrong},
		{"1.2억", 1.2e8, 0, Exact},
		{"0.25", 0.25, 0, Exact},
		{"0.333", 1.0 / 3, 0, Rounded},
		{"0.3333333333333", 1.0 / 3, 0, Exact}, // within 1e-9 of a non-integer
		{"0.3", 1.0 / 3, 0, Wrong},
		{"0.75", 0.745, 0, Rounded}, // exactly half a step, despite binary fractions
		{"0.25", 0.245, 0, Wrong},   // ±0.005 is ±2 %
		{"-3", -3, 0, Exact},
		{"3", -3, 0, Wrong},
		{"0", 0, 0, Exact},
		{"1", 0, 0.5, Wrong},
		{"10^6", 1e6, 0, Exact},
		{"10^6", 1048576, 0, Wrong},
	}
	for _, tt := range tests {
		a, err := ParseAnswer(tt.in)
		if err != nil {
			t.Fatalf("ParseAnswer(%q): %v", tt.in, err)
		}
		if got := Grade(a, tt.answer, tt.tolerance); got != tt.want {
			t.Errorf("Grade(%q, %v, %v) = %v, want %v", tt.in, tt.answer, tt.tolerance, got, tt.want)
		}
	}
}

// TestGradeOddInput checks answers built by hand and non-finite numbers.
func TestGradeOddInput(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		a         Answer
		answer    float64
		tolerance float64
		want      Verdict
	}{
		{Answer{Value: 9400}, 9408, 0, Wrong}, // no Step: tolerance alone
		{Answer{Value: 9400}, 9408, 0.001, Rounded},
		{Answer{Value: inf, Step: 1}, inf, 0, Wrong},
		{Answer{Value: 1, Step: 1}, inf, 1, Wrong},
		{Answer{Value: 9400, Step: 100}, 9408, -1, Rounded},
	}
	for _, tt := range tests {
		if got := Grade(tt.a, tt.answer, tt.tolerance); got != tt.want {
			t.Errorf("Grade(%+v, %v, %v) = %v, want %v", tt.a, tt.answer, tt.tolerance, got, tt.want)
		}
	}
}

// TestVerdictString checks the names of the verdicts and their order.
func TestVerdictString(t *testing.T) {
	if Wrong.String() != "wrong" || Rounded.String() != "rounded" || Exact.String() != "exact" || Verdict(7).String() != "Verdict(7)" {
		t.Error("verdict names")
	}
	var zero Verdict
	if zero != Wrong || !(Exact > Rounded && Rounded > Wrong) {
		t.Error("the zero Verdict must be Wrong and a better verdict larger")
	}
}

// TestMatchSlip checks which slip explains a typed answer.
func TestMatchSlip(t *testing.T) {
	slips := []Slip{
		{ID: "bias_forgotten", Value: 9344},
		{ID: "groups_ignored", Value: 37632},
		{ID: "macs_as_flops", Value: 2 * 9408},
		{ID: "near_bias", Value: 9350}, // close to bias_forgotten, listed after it
	}
	tests := []struct {
		in        string
		tolerance float64
		want      string // "" for no match
	}{
		{"9344", 0, "bias_forgotten"},
		{"9350", 0, "near_bias"},
		{"9.34k", 0, "bias_forgotten"},
		{"9.35k", 0, "near_bias"},     // matches both at ±5; 9350 is closer
		{"9.3k", 0, "bias_forgotten"}, // matches both at ±50; 9344 is closer
		{"37,632", 0, "groups_ignored"},
		{"3.76만", 0, "groups_ignored"},
		{"18816", 0, "macs_as_flops"},
		{"18.8k", 0, "macs_as_flops"},
		{"9408", 0, ""},
		{"9k", 0, ""},
		{"1", 0, ""},
		{"9300", 0.01, "bias_forgotten"},
	}
	for _, tt := range tests {
		a, err := ParseAnswer(tt.in)
		if err != nil {
			t.Fatalf("ParseAnswer(%q): %v", tt.in, err)
		}
		s, ok := MatchSlip(a, slips, tt.tolerance)
		if got := map[bool]string{true: s.ID}[ok]; got != tt.want {
			t.Errorf("MatchSlip(%q) = %q, %v; want %q", tt.in, s.ID, ok, tt.want)
		}
	}
	// Equally close slips: the first listed wins.
	tie := []Slip{{ID: "first", Value: 9400}, {ID: "second", Value: 9400}}
	if s, ok := MatchSlip(Answer{Value: 9400, Step: 1}, tie, 0); !ok || s.ID != "first" {
		t.Errorf("tie: %q, %v", s.ID, ok)
	}
	if _, ok := MatchSlip(Answer{Value: 9400, Step: 1}, nil, 0); ok {
		t.Error("no slips matched")
	}
}

// BenchmarkParseAnswer parses a mix of typical answers.
func BenchmarkParseAnswer(b *testing.B) {
	inputs := []string{"9408", "9,408", "9.4k", "25.6M", "2.4e6", "2.4×10^6", "약 2560만", "1억 2천만", "9천4백8", "25.6 million", "9408 params", "abc"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _ = ParseAnswer(inputs[i%len(inputs)])
	}
}

// An answer rounded too coarsely is told so, with a precision that counts:
// 10M for 10,035,200 (±5 %) → 10.0M; 9k for 9,408 → 9.4k; 2.4e6 for
// 2,359,296 → 2.36M. Answers right at their precision, or wrong at it, are
// not coarse.
func TestCoarse(t *testing.T) {
	for _, tc := range []struct {
		typed  string
		answer float64
		finer  string // "" for not coarse
	}{
		{"10M", 10035200, "10.0M"},
		{"9k", 9408, "9.4k"},
		{"2.4e6", 2359296, "2.36M"},
		{"0.4", 0.40259, "0.403"},
		{"0.9k", 938, "0.94k"},
		{"10.0M", 10035200, ""}, // right at its precision: Rounded, not coarse
		{"11M", 10035200, ""},   // wrong even at its precision
		{"9408", 9408, ""},
		{"0.5", 0.4026, ""},
		{"0.1", 0.05, ""}, // ±100 %: another number, not the answer rounded
	} {
		a, err := ParseAnswer(tc.typed)
		if err != nil {
			t.Fatal(err)
		}
		finer, ok := Coarse(a, tc.answer)
		if Grade(a, tc.answer, 0) != Wrong {
			ok = false // Coarse explains Wrong answers only; the caller grades first
		}
		if got := map[bool]string{true: finer.Typed(), false: ""}[ok]; got != tc.finer {
			t.Errorf("%s for %v: coarse %v, finer %q; want %q", tc.typed, tc.answer, ok, got, tc.finer)
		}
		if ok {
			f, _ := ParseAnswer(finer.Typed())
			if Grade(f, tc.answer, 0) == Wrong {
				t.Errorf("%s for %v: the suggested %s does not count", tc.typed, tc.answer, finer.Typed())
			}
		}
	}
}
