package experimenttest

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
)

// LoadJSON reads the JSON file at path into v: a reference fixture
// (testdata/*.json, made by the gen_*.py script beside it). It fails the
// test if the file cannot be read or decoded.
func LoadJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}

// Corner is e's defaults with every whole-number parameter at its minimum,
// or with atMax at its maximum: a corner of its schema, where a test runs
// it to find what overflows, panics or goes non-finite.
func Corner(e *experiment.Experiment, atMax bool) experiment.Values {
	v := e.Params.Defaults()
	for _, p := range e.Params {
		if p.Kind == experiment.Int {
			v[p.Name] = int(p.Min)
			if atMax {
				v[p.Name] = int(p.Max)
			}
		}
	}
	return v
}

// Named returns the experiment called name among exps. It fails the test,
// listing the known names, if there is none.
func Named(tb testing.TB, exps []*experiment.Experiment, name string) *experiment.Experiment {
	tb.Helper()
	e, err := experiment.NewRegistry(exps...).Get(name)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// Run applies the name=value overrides to e's defaults (Parse) and runs it
// (Execute) with progress, which may be nil. It fails the test if either
// step fails or if the Result or its JSON payload does not encode as JSON:
// every experiment's payload must be encodable.
func Run(tb testing.TB, e *experiment.Experiment, overrides map[string]string, progress experiment.Progress) *experiment.Result {
	tb.Helper()
	v, err := e.Parse(overrides)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := e.Execute(tb.Context(), v, progress)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := json.Marshal(r); err != nil {
		tb.Fatalf("%s: the result does not encode: %v", e.Name, err)
	}
	if _, err := json.Marshal(r.JSON); err != nil {
		tb.Fatalf("%s: the JSON payload does not encode: %v", e.Name, err)
	}
	return r
}

// Scalar returns the value of r's scalar key; it fails the test if r has none.
func Scalar(tb testing.TB, r *experiment.Result, key string) float64 {
	tb.Helper()
	s, ok := r.Scalar(key)
	if !ok {
		tb.Fatalf("%s: no scalar %q", r.Experiment, key)
	}
	return s.Value
}

// StrictScalar is Scalar that also fails the test if the value is NaN or
// ±Inf or the scalar has no label.
func StrictScalar(tb testing.TB, r *experiment.Result, key string) float64 {
	tb.Helper()
	v := Scalar(tb, r, key)
	if s, _ := r.Scalar(key); !finite(v) || s.Label == "" {
		tb.Fatalf("%s: scalar %q = %v, label %q", r.Experiment, key, v, s.Label)
	}
	return v
}

// CheckFinite reports a test error for every NaN or ±Inf number in r and in
// its JSON payload, each with its path (e.g. Result.Charts[loss].Series[sgd].Y[3],
// JSON.Runs[2].Loss[7]; elements with a Key or Name are shown by it), and
// one if r or its payload does not encode as JSON.
//
// It walks what encoding/json would encode: exported fields not tagged
// `json:"-"`, through pointers, interfaces, slices, arrays and maps.
func CheckFinite(tb testing.TB, r *experiment.Result) {
	tb.Helper()
	w := walker{report: func(path string, f float64) {
		tb.Helper()
		tb.Errorf("%s: %s = %v", r.Experiment, path, f)
	}, seen: map[uintptr]bool{}}
	w.walk("Result", reflect.ValueOf(r))
	w.walk("JSON", reflect.ValueOf(r.JSON))
	if _, err := json.Marshal(r); err != nil {
		tb.Errorf("%s: the result does not encode: %v", r.Experiment, err)
	}
	if _, err := json.Marshal(r.JSON); err != nil {
		tb.Errorf("%s: the JSON payload does not encode: %v", r.Experiment, err)
	}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// walker visits every float reachable from a value and reports those that
// are not finite.
type walker struct {
	report func(path string, f float64)
	seen   map[uintptr]bool // pointers already walked, against cycles
}

func (w walker) walk(path string, v reflect.Value) {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); !finite(f) {
			w.report(path, f)
		}
	case reflect.Interface:
		if !v.IsNil() {
			w.walk(path, v.Elem())
		}
	case reflect.Pointer:
		if v.IsNil() || w.seen[v.Pointer()] {
			return
		}
		w.seen[v.Pointer()] = true
		w.walk(path, v.Elem())
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			w.walk(path+"."+f.Name, v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			w.walk(path+"["+elemName(v.Index(i), i)+"]", v.Index(i))
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
		})
		for _, k := range keys {
			w.walk(path+"["+fmt.Sprint(k)+"]", v.MapIndex(k))
		}
	}
}

// elemName names the i-th element of a list by its Key or Name field when
// it is a struct with a non-empty one, else by its index.
func elemName(v reflect.Value, i int) string {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return strconv.Itoa(i)
		}
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		for _, name := range []string{"Key", "Name"} {
			if f := v.FieldByName(name); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
				return f.String()
			}
		}
	}
	return strconv.Itoa(i)
}
