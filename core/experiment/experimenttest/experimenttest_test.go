package experimenttest

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
)

// recorder is a testing.TB that records errors instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestCheckFinite(t *testing.T) {
	type run struct {
		Loss   []float64
		Byname map[string]float64
		hidden float64 // not encoded: not walked
	}
	r := &experiment.Result{Experiment: "demo", JSON: &struct {
		Runs []run   `json:"runs"`
		Skip float64 `json:"-"`
	}{Runs: []run{{Loss: []float64{1, math.Inf(1)}, Byname: map[string]float64{"b": math.NaN(), "a": 1}, hidden: math.NaN()}}, Skip: math.NaN()}}
	r.AddScalar("ok", "ok", 1, "")
	r.AddScalar("bad", "bad", math.NaN(), "")
	r.Charts = []experiment.Chart{{Key: "loss", Series: []experiment.Series{{Name: "sgd", Y: []float64{1, math.Inf(-1)}}}}}
	r.Tables = []experiment.Table{{Key: "t", Rows: []experiment.Row{{Cells: []any{"x", int64(1), math.NaN(), nil}}}}}

	rec := &recorder{TB: t}
	CheckFinite(rec, r)
	want := []string{
		"demo: Result.Scalars[bad].Value = NaN",
		"demo: Result.Charts[loss].Series[sgd].Y[1] = -Inf",
		"demo: Result.Tables[t].Rows[0].Cells[2] = NaN",
		"demo: JSON.Runs[0].Loss[1] = +Inf",
		"demo: JSON.Runs[0].Byname[b] = NaN",
	}
	if len(rec.errs) != len(want)+2 || !slices.Equal(rec.errs[:len(want)], want) {
		t.Errorf("errors:\n%q\nwant:\n%q and two encoding errors", rec.errs, want)
	}

	rec = &recorder{TB: t}
	CheckFinite(rec, &experiment.Result{Experiment: "clean", Scalars: []experiment.Scalar{{Key: "x", Value: 1}}, JSON: map[string][]float64{"y": {2}}})
	if len(rec.errs) != 0 {
		t.Errorf("a finite result: %q", rec.errs)
	}
}

func TestRunAndScalar(t *testing.T) {
	e := &experiment.Experiment{
		Name:   "demo",
		Params: experiment.Schema{{Name: "x", Kind: experiment.Float, Default: 1.0, Max: 10}},
		Run: func(_ context.Context, v experiment.Values, progress experiment.Progress) (*experiment.Result, error) {
			progress(1, 1, nil)
			r := &experiment.Result{JSON: map[string]float64{"x": v.Float("x")}}
			r.AddScalar("x", "x", v.Float("x"), "")
			return r, nil
		},
	}
	calls := 0
	r := Run(t, Named(t, []*experiment.Experiment{e}, "demo"), map[string]string{"x": "3"}, func(int, int, *experiment.Result) { calls++ })
	if calls != 1 || r.Experiment != "demo" {
		t.Errorf("progress calls %d, experiment %q", calls, r.Experiment)
	}
	if got := Scalar(t, r, "x"); got != 3 {
		t.Errorf("x = %v", got)
	}
	if got := StrictScalar(t, r, "x"); got != 3 {
		t.Errorf("strict x = %v", got)
	}
}
