package lessons

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
)

func TestParseCond(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want [][]Compare
	}{
		{"loss < 1e-6", [][]Compare{{{"loss", "<", 1e-6, 0}}}},
		{"momentum.final_loss<=0.5", [][]Compare{{{"momentum.final_loss", "<=", 0.5, 0}}}},
		{"a > -2 and b >= +3.5E2", [][]Compare{{{"a", ">", -2, 0}, {"b", ">=", 350, 11}}}},
		{"a == 1 or b != 2 and c < .5", [][]Compare{{{"a", "==", 1, 0}}, {{"b", "!=", 2, 10}, {"c", "<", 0.5, 21}}}},
		{"  steps <= 200000 ", [][]Compare{{{"steps", "<=", 200000, 2}}}},
		{"resnet-18.params > 1", [][]Compare{{{"resnet-18.params", ">", 1, 0}}}},
		{"손실 < 1", nil}, // not a name: an error below
	} {
		c, err := ParseCond(tc.src)
		if tc.want == nil {
			if err == nil {
				t.Errorf("%q: parsed", tc.src)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if !reflect.DeepEqual(c.or, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.src, c.or, tc.want)
		}
		if c.String() != tc.src {
			t.Errorf("String() = %q", c.String())
		}
	}
}

func TestParseCondErrors(t *testing.T) {
	for _, tc := range []struct {
		src  string
		col  int
		want string
	}{
		{"", 0, "empty condition"},
		{"   ", 0, "empty condition"},
		{"loss", 4, "expected one of < <= > >= == != after loss, got the end"},
		{"loss <", 6, "expected a number after <, got the end"},
		{"loss < x", 7, `expected a number after <, got "x"`},
		{"loss = 1", 5, "'=' is not a comparison"},
		{"loss ! 1", 5, "write != "},
		{"loss < 1 and", 12, "expected a name"},
		{"loss < 1 and or", 13, "expected a name"},
		{"loss < 1 x", 9, "expected 'and', 'or' or the end"},
		{"loss < 1 && a > 2", 9, `write "and"`},
		{"loss < 1 || a > 2", 9, `write "or"`},
		{"1 < loss", 0, "expected a name, got the number 1"},
		{"loss < 1e999", 7, "not a finite number"},
		{"loss < 12abc", 7, `"12abc" is not a number`},
		{"(loss < 1)", 0, `unexpected '('`},
		{"손실 < 1", 0, `unexpected '손'`},
		{"a < 1 and 손실 < 1", 10, `unexpected '손'`},
		{"loss < -", 7, `unexpected '-'`},
		{"and < 1", 0, "expected a name"},
	} {
		_, err := ParseCond(tc.src)
		ce, ok := err.(*CondError)
		if !ok || ce.Col != tc.col || !strings.Contains(ce.Msg, tc.want) {
			t.Errorf("%q: got %v, want column %d: …%s…", tc.src, err, tc.col+1, tc.want)
		}
	}
}

func TestCondEval(t *testing.T) {
	r := &experiment.Result{}
	r.AddScalar("loss", "", 0.01, "")
	r.AddScalar("steps", "", 12, "") // a scalar wins over the parameter of the same name
	r.AddScalar("nan", "", math.NaN(), "")
	v := experiment.Values{"steps": 50, "lr": 0.5, "bias": true, "surface": "bowl"}
	for _, tc := range []struct {
		src  string
		want bool
		err  string
	}{
		{"loss < 0.1", true, ""},
		{"loss < 0.001", false, ""},
		{"steps == 12", true, ""},
		{"lr >= 0.5 and bias == 1", true, ""},
		{"lr > 1 or loss <= 0.01", true, ""},
		{"lr > 1 or loss < 0.01 and bias == 1", false, ""},
		{"loss < 1 or lr > 1 and bias == 0", true, ""}, // and binds tighter
		{"nan < 1 or nan >= 1", false, ""},
		{"nan != 1", true, ""},
		{"missing < 1 or loss < 0.001", false, ""},
		{"missing < 1 or loss < 0.1", true, ""},
		{"missing < 1 and loss < 0.1", false, ""},
		{"missing != 1", false, ""}, // a missing name meets no comparison
		{"surface == 1", false, "parameter surface is not a number"},
	} {
		c := must(ParseCond(tc.src))
		got, err := c.Eval(r, v)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: got %v, want error …%s…", tc.src, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %v, %v; want %v", tc.src, got, err, tc.want)
		}
	}
}

func TestJudge(t *testing.T) {
	src := frontMatter + cellSrc(`id: a
experiment: quad
tweak: [lr, steps]
exercise:
  task: Lower the loss.
  goal: loss < 0.01
  hints:
    - when: lr < 0.5
      text: raise lr
    - when: steps < 100
      text: more steps
    - text: almost`)
	l, list := parseString(t, src)
	if list != nil {
		t.Fatal(list)
	}
	c := l.Cells()[0]
	ex := c.Exercise
	for _, tc := range []struct {
		lr    float64
		steps int
		pass  bool
		hint  string
	}{
		{0.1, 50, false, "raise lr"},
		{1, 50, false, "more steps"},
		{0.5, 100, false, "almost"},
		{10, 100, true, ""},
	} {
		v := c.Params.Clone()
		v["lr"], v["steps"] = tc.lr, tc.steps
		r := must(c.Experiment.Execute(t.Context(), v, nil))
		got, err := ex.Judge(r, v)
		if err != nil || got.Passed != tc.pass || (got.Hint == nil) != (tc.hint == "") || (got.Hint != nil && got.Hint.Text != tc.hint) {
			t.Errorf("lr=%v steps=%d: got %+v, %v; want pass %v hint %q", tc.lr, tc.steps, got, err, tc.pass, tc.hint)
		}
	}
}
