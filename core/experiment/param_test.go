package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

func testSchema() Schema {
	return Schema{
		{Name: "steps", Kind: Int, Default: 50, Min: 1, Max: 1000, Step: 10, Help: "steps"},
		{Name: "lr", Kind: Float, Default: 0.1, Min: 1e-6, Max: 10, Step: 2, Log: true, Help: "learning rate"},
		{Name: "beta", Kind: Float, Default: 0.5, Min: 0, Max: 0.99, Step: 0.1, Help: "momentum"},
		{Name: "bias", Kind: Bool, Default: true, Help: "bias"},
		{Name: "surface", Kind: Enum, Default: "quadratic", Choices: []string{"quadratic", "rosenbrock"}, Help: "surface"},
		{Name: "optimizers", Kind: List, Default: []string{"sgd"}, Choices: []string{"sgd", "adam", "momentum"}, Aliases: []string{"optimizer"}, Help: "optimizers"},
	}
}

func TestParseGood(t *testing.T) {
	s := testSchema()
	v, err := s.Parse(map[string]string{"steps": "1e2", "lr": " 0.5", "bias": "false", "surface": "Rosenbrock", "optimizer": "adam, sgd"})
	if err != nil {
		t.Fatal(err)
	}
	want := Values{"steps": 100, "lr": 0.5, "beta": 0.5, "bias": false, "surface": "rosenbrock", "optimizers": []string{"adam", "sgd"}}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("got %v, want %v", v, want)
	}
	if err := s.Check(v); err != nil {
		t.Fatal(err)
	}
	// Defaults are copies: changing one Values leaves the schema alone.
	d := s.Defaults()
	d.List("optimizers")[0] = "x"
	if s.Defaults().List("optimizers")[0] != "sgd" {
		t.Fatal("Defaults shares the default slice")
	}
}

func TestParseBad(t *testing.T) {
	s := testSchema()
	for _, tc := range []struct {
		name, value, want string
	}{
		{"steps", "abc", `steps must be a whole number from 1 to 1000, got "abc"`},
		{"steps", "0", "steps must be a whole number from 1 to 1000, got 0"},
		{"steps", "2.5", `steps must be a whole number from 1 to 1000, got "2.5"`},
		{"steps", "1e300", `steps must be a whole number`},
		{"steps", "99999999999999999999", `steps must be a whole number`},
		{"lr", "NaN", "lr must be a number from 1e-06 to 10, got NaN (not a finite number)"},
		{"lr", "inf", "not a finite number"},
		{"lr", "-Inf", "not a finite number"},
		{"lr", "1e999", "not a finite number"},
		{"lr", "11", "lr must be a number from 1e-06 to 10, got 11"},
		{"lr", "", `lr must be a number from 1e-06 to 10, got ""`},
		{"bias", "maybe", `bias must be true or false, got "maybe"`},
		{"surface", "bowl", `surface must be one of quadratic, rosenbrock, got "bowl"`},
		{"optimizers", "sgd,sgd", `"sgd" is listed twice`},
		{"optimizers", "sgd,lion", `optimizers: "lion" is not one of sgd, adam, momentum`},
		{"optimizers", " , ", "optimizers must be a comma-separated list"},
		{"depth", "3", `unknown parameter "depth"; known: beta, bias, lr, optimizers, steps, surface`},
	} {
		_, err := s.Parse(map[string]string{tc.name: tc.value})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%q: got error %v, want it to contain %q", tc.name, tc.value, err, tc.want)
		}
	}
}

func TestCheckTypes(t *testing.T) {
	s := testSchema()
	for _, tc := range []struct {
		name  string
		value any
	}{
		{"steps", 2.0}, {"lr", 1}, {"lr", math.NaN()}, {"bias", "yes"}, {"surface", 3}, {"optimizers", "sgd"},
	} {
		v := s.Defaults()
		v[tc.name] = tc.value
		if err := s.Check(v); err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s=%v: got %v, want an error naming the parameter", tc.name, tc.value, err)
		}
	}
	v := s.Defaults()
	delete(v, "lr")
	if err := s.Check(v); err == nil || !strings.Contains(err.Error(), "lr is missing") {
		t.Errorf("missing lr: got %v", err)
	}
	v = s.Defaults()
	v["optimizer"] = []string{"sgd"} // an alias is not a stored name
	if err := s.Check(v); err == nil {
		t.Error("alias stored as a name was accepted")
	}
}

func TestNudge(t *testing.T) {
	s := testSchema()
	p := func(n string) Param { q, _ := s.Lookup(n); return q }
	for _, tc := range []struct {
		param string
		from  any
		dir   int
		want  any
	}{
		{"steps", 50, 1, 60},
		{"steps", 5, -1, 1},      // clamped to Min
		{"steps", 995, 1, 1000},  // clamped to Max
		{"lr", 0.1, 1, 0.2},      // log: doubles
		{"lr", 0.1, -1, 0.05},    // log: halves
		{"lr", 8.0, 1, 10.0},     // clamped
		{"lr", 0.0, 1, 1e-3},     // off zero, which multiplying cannot leave
		{"beta", 0.2, 1, 0.3},    // no 0.30000000000000004
		{"beta", 0.95, 1, 0.99},  // clamped
		{"bias", true, 1, false}, // toggles
		{"surface", "quadratic", 1, "rosenbrock"},
		{"surface", "quadratic", -1, "rosenbrock"}, // cycles
	} {
		if got := p(tc.param).Nudge(tc.from, tc.dir); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Nudge(%s=%v, %d) = %v, want %v", tc.param, tc.from, tc.dir, got, tc.want)
		}
	}
}

func TestFormatRoundTrip(t *testing.T) {
	s := testSchema()
	v, _ := s.Parse(map[string]string{"lr": "0.003", "optimizers": "sgd,adam"})
	for _, p := range s {
		text := p.Format(v[p.Name])
		back, err := p.Parse(text)
		if err != nil || !reflect.DeepEqual(back, v[p.Name]) {
			t.Errorf("%s: %q read back as %v (%v)", p.Name, text, back, err)
		}
	}
}

func TestExecuteChecksFirst(t *testing.T) {
	ran := false
	e := &Experiment{
		Name:   "demo",
		Params: testSchema(),
		Validate: func(v Values) error {
			if v.Float("beta") > 0 && v.String("surface") == "rosenbrock" {
				return errors.New("beta must be 0 on rosenbrock")
			}
			return nil
		},
		Run: func(ctx context.Context, v Values, p Progress) (*Result, error) {
			ran = true
			p(1, 1, nil)
			return &Result{}, nil
		},
	}
	if _, err := e.Parse(map[string]string{"surface": "rosenbrock"}); err == nil || err.Error() != "demo: beta must be 0 on rosenbrock" {
		t.Fatalf("got %v", err)
	}
	bad := e.Params.Defaults()
	bad["lr"] = math.Inf(1)
	if _, err := e.Execute(context.Background(), bad, nil); err == nil || ran {
		t.Fatalf("ran on invalid input: err=%v", err)
	}
	r, err := e.Execute(context.Background(), e.Params.Defaults(), nil)
	if err != nil || !ran || r.Experiment != "demo" {
		t.Fatalf("Execute: %v, ran=%v, %+v", err, ran, r)
	}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry(&Experiment{Name: "b"}, &Experiment{Name: "a"})
	if _, err := r.Get("c"); err == nil || err.Error() != `unknown experiment "c"; known: a, b` {
		t.Fatalf("got %v", err)
	}
	if e, err := r.Get("a"); err != nil || e.Name != "a" || r.All()[0].Name != "b" {
		t.Fatal("lookup or order broken")
	}
}

// A parameter given under its name and an alias (or two aliases) is refused
// whatever the map order, naming every spelling; one spelling alone is fine.
func TestParseSpelledTwice(t *testing.T) {
	s := Schema{
		{Name: "steps", Kind: Int, Default: 1, Min: 1, Max: 10},
		{Name: "optimizers", Kind: List, Default: []string{"sgd"}, Choices: []string{"sgd", "adam", "rmsprop"},
			Aliases: []string{"optimizer", "opt"}},
	}
	for _, over := range []map[string]string{
		{"opt": "adam", "optimizer": "sgd", "optimizers": "rmsprop"},
		{"optimizer": "sgd", "optimizers": "rmsprop", "steps": "3"},
		{"opt": "adam", "optimizer": "adam"},
	} {
		for range 20 { // map order varies between runs
			_, err := s.Parse(over)
			var ie *InvalidError
			if !errors.As(err, &ie) || ie.Rule != "rule.param.spelled_twice" {
				t.Fatalf("Parse(%v) = %v, want the spelled_twice rule", over, err)
			}
			for k := range over {
				if k != "steps" && !strings.Contains(err.Error(), k) {
					t.Errorf("Parse(%v): %q does not name %s", over, err, k)
				}
			}
		}
	}
	for _, name := range []string{"opt", "optimizer", "optimizers"} {
		v, err := s.Parse(map[string]string{name: "adam", "steps": "2"})
		if err != nil || v.List("optimizers")[0] != "adam" {
			t.Errorf("Parse(%s=adam) = %v, %v", name, v, err)
		}
	}
}

// In JSON every numeric parameter has both bounds, 0 included; other kinds
// have none.
func TestParamJSONBounds(t *testing.T) {
	for _, tc := range []struct {
		p      Param
		bounds bool
	}{
		{Param{Name: "lr", Kind: Float, Default: 0.1, Min: 0, Max: 10}, true},
		{Param{Name: "shift", Kind: Int, Default: 0, Min: -5, Max: 0}, true},
		{Param{Name: "n", Kind: Int, Default: 3, Min: 1, Max: 9}, true},
		{Param{Name: "bn", Kind: Bool, Default: false}, false},
		{Param{Name: "opt", Kind: Enum, Default: "a", Choices: []string{"a", "b"}}, false},
	} {
		b, err := json.Marshal(tc.p)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		lo, hasMin := m["min"]
		hi, hasMax := m["max"]
		if hasMin != tc.bounds || hasMax != tc.bounds {
			t.Errorf("%s: %s: min/max present %v/%v, want %v", tc.p.Name, b, hasMin, hasMax, tc.bounds)
			continue
		}
		if tc.bounds && (lo != tc.p.Min || hi != tc.p.Max) {
			t.Errorf("%s: %s: bounds %v…%v, want %v…%v", tc.p.Name, b, lo, hi, tc.p.Min, tc.p.Max)
		}
		if m["name"] != tc.p.Name || m["type"] != tc.p.Kind.String() {
			t.Errorf("%s: %s lost the other fields", tc.p.Name, b)
		}
	}
}

// TestReach: a size's range is the interval the experiment accepts with
// the other values as they are; other parameters keep the schema's range.
func TestReach(t *testing.T) {
	e := &Experiment{
		Name: "cost",
		Params: Schema{
			{Name: "steps", Kind: Int, Default: 10, Min: 1, Max: 5000, Step: 2, Log: true},
			{Name: "width", Kind: Int, Default: 4, Min: 1, Max: 64, Step: 1},
			{Name: "seed", Kind: Int, Default: 1, Min: 0, Max: 100, Step: 1},
		},
		Validate: func(v Values) error {
			if v.Int("steps")*v.Int("width") > 8552 {
				return Invalid([]string{"steps", "width"}, "rule.cost.time", "too long")
			}
			if v.Int("width") < 2 {
				return Invalid([]string{"width"}, "rule.cost.narrow", "too narrow")
			}
			return nil
		},
		Sizes: []string{"steps", "width"},
	}
	v := e.Params.Defaults()
	for _, tc := range []struct {
		name     string
		steps    int
		wlo, whi int
	}{
		{"steps", 10, 1, 2138},
		{"steps", 4000, 1, 2138}, // refused itself: found from Min
		{"width", 10, 2, 64},
		{"seed", 10, 0, 100},
	} {
		v["steps"] = tc.steps
		if lo, hi := e.Reach(v, tc.name); lo != tc.wlo || hi != tc.whi {
			t.Errorf("Reach(%s) at steps=%d = %d…%d, want %d…%d", tc.name, tc.steps, lo, hi, tc.wlo, tc.whi)
		}
	}
}
