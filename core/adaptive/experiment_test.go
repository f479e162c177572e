package adaptive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// The result carries every key the lesson refers to, and the headline values.
func TestExperimentDefaults(t *testing.T) {
	r := experimenttest.Run(t, Adaptive(), nil, nil)
	if r.Experiment != "adaptive" {
		t.Errorf("experiment name %q", r.Experiment)
	}
	for _, k := range []string{"initial_loss", "frequent_frequency", "rare_frequency", "frequent_updates", "rare_updates"} {
		experimenttest.Scalar(t, r, k)
	}
	for _, o := range OptimizerNames {
		for _, k := range []string{"lr", "diverged_step", "final_loss", "frequent_eff_lr", "rare_eff_lr",
			"eff_lr_ratio", "mean_eff_lr_ratio", "frequent_error", "rare_error"} {
			experimenttest.Scalar(t, r, o+"."+k)
		}
		if v := experimenttest.Scalar(t, r, o+".final_loss"); !(v < experimenttest.Scalar(t, r, "initial_loss")) {
			t.Errorf("%s final loss %v not below the initial %v", o, v, experimenttest.Scalar(t, r, "initial_loss"))
		}
	}
	if v := experimenttest.Scalar(t, r, "sgd.eff_lr_ratio"); v != 1 {
		t.Errorf("sgd.eff_lr_ratio = %v, want exactly 1", v)
	}
	if v := experimenttest.Scalar(t, r, "adagrad.eff_lr_ratio"); !(v > 1) {
		t.Errorf("adagrad.eff_lr_ratio = %v, want > 1", v)
	}
	if v := experimenttest.Scalar(t, r, "rare_frequency"); v != 0.01 {
		t.Errorf("rare_frequency = %v", v)
	}

	charts := map[string]experiment.Chart{}
	for _, c := range r.Charts {
		charts[c.Key] = c
	}
	if c := charts["loss"]; !c.LogY || len(c.Series) != 4 || len(c.Series[0].Y) != MaxRecorded+1 || c.Series[0].X[0] != 0 {
		t.Errorf("loss chart: %+v", c.Series)
	}
	if c := charts["eff_lr"]; len(c.Series) != 8 || !strings.HasPrefix(c.Series[1].Name, "sgd f8") {
		t.Errorf("eff_lr chart has %d series", len(c.Series))
	}
	bars := map[string]experiment.BarChart{}
	for _, b := range r.Bars {
		bars[b.Key] = b
	}
	for _, k := range []string{"eff_lr_final", "feature_error"} {
		b := bars[k]
		if len(b.Labels) != 8 || b.Labels[0] != "f1" || len(b.Groups) != 4 || len(b.Groups[2].Values) != 8 {
			t.Errorf("bars %s: %+v", k, b)
		}
	}
	if v := bars["feature_error"].Groups[1].Values[7]; v != experimenttest.Scalar(t, r, "adagrad.rare_error") {
		t.Errorf("adagrad f8 error bar %v ≠ scalar", v)
	}
	if len(r.Tables) != 1 || r.Tables[0].Key != "features" || len(r.Tables[0].Rows) != 8 || len(r.Tables[0].Columns) != 3+2*4 {
		t.Fatalf("features table: %+v", r.Tables)
	}
	if row := r.Tables[0].Rows[7].Cells; row[0] != "f8" || row[2] != int64(experimenttest.Scalar(t, r, "rare_updates")) ||
		row[3+4+3] != experimenttest.Scalar(t, r, "adam.rare_error") {
		t.Errorf("table row f8: %v", row)
	}
	checkFinite(t, r)

	// The JSON payload has the documented shape.
	raw, err := json.Marshal(r.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Steps    []int `json:"steps"`
		Features []struct {
			Frequency float64 `json:"frequency"`
			Updates   int     `json:"updates"`
		} `json:"features"`
		Runs []struct {
			Optimizer  string      `json:"optimizer"`
			Loss       []float64   `json:"loss"`
			EffLR      [][]float64 `json:"eff_lr"`
			FinalError []float64   `json:"final_error"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != MaxRecorded || len(p.Features) != 8 || p.Features[0].Frequency != 0.9 || len(p.Runs) != 4 {
		t.Fatalf("payload: %s", raw[:200])
	}
	for _, run := range p.Runs {
		if len(run.Loss) != len(p.Steps) || len(run.EffLR) != len(p.Steps) || len(run.EffLR[0]) != 8 || len(run.FinalError) != 8 {
			t.Errorf("payload run %s: %d losses, %d η rows", run.Optimizer, len(run.Loss), len(run.EffLR))
		}
	}
	if p.Runs[3].Optimizer != Adam || p.Runs[3].FinalError[7] != experimenttest.Scalar(t, r, "adam.rare_error") {
		t.Errorf("payload adam: %v", p.Runs[3].FinalError)
	}
}

// Every number in the result is finite, also when an optimizer diverges, and
// the divergence is reported as "diverged at step k".
func TestExperimentDivergence(t *testing.T) {
	r := experimenttest.Run(t, Adaptive(), map[string]string{"lr": "10", "optimizers": "sgd,adam"}, nil)
	k := experimenttest.Scalar(t, r, "sgd.diverged_step")
	if k <= 0 {
		t.Fatalf("sgd at lr 10 did not diverge")
	}
	if _, ok := r.Scalar("sgd.final_loss"); ok {
		t.Errorf("a diverged run reports a final loss")
	}
	want := fmt.Sprintf("sgd diverged at step %d", int(k))
	found := false
	for _, n := range r.Notes {
		found = found || strings.Contains(n, want)
	}
	if !found {
		t.Errorf("no note %q in %q", want, r.Notes)
	}
	checkFinite(t, r)
	if _, err := json.Marshal(r.JSON); err != nil {
		t.Error(err)
	}
}

// Other corners run and stay finite: logistic, binary values, one feature
// never seen, a single step, the largest sizes.
func TestExperimentCorners(t *testing.T) {
	for _, o := range []map[string]string{
		{"task": "logistic", "values": "binary"},
		{"p_min": "0.0001", "steps": "50", "batch": "1"},
		{"steps": "1", "features": "2", "p_min": "0.9"},
		{"features": "64", "steps": "300", "batch": "32", "optimizer": "adam"},
		{"noise": "0", "lr": "0.3", "optimizers": "adagrad,sgd"},
	} {
		r := experimenttest.Run(t, Adaptive(), o, nil)
		checkFinite(t, r)
		if _, err := json.Marshal(r.JSON); err != nil {
			t.Errorf("%v: %v", o, err)
		}
	}
}

// checkFinite is experimenttest.CheckFinite, and every point of a log-scale
// chart is positive.
func checkFinite(t *testing.T, r *experiment.Result) {
	t.Helper()
	experimenttest.CheckFinite(t, r)
	for _, c := range r.Charts {
		for _, s := range c.Series {
			for i, y := range s.Y {
				if c.LogY && y <= 0 {
					t.Errorf("chart %s series %s point %d = %v", c.Key, s.Name, i, y)
				}
			}
		}
	}
}

// Bad inputs are refused before anything runs, each with a message naming
// the parameter.
func TestExperimentBadInputs(t *testing.T) {
	e := Adaptive()
	for _, tc := range []struct {
		overrides map[string]string
		want      string
	}{
		{map[string]string{"p_min": "0.5", "p_max": "0.1"}, "p_min must be ≤ p_max"},
		{map[string]string{"p_min": "0"}, "p_min"},
		{map[string]string{"p_max": "1.5"}, "p_max"},
		{map[string]string{"features": "1"}, "features"},
		{map[string]string{"features": "65"}, "features"},
		{map[string]string{"steps": "0"}, "steps"},
		{map[string]string{"steps": "10001"}, "steps"},
		{map[string]string{"batch": "129"}, "batch"},
		{map[string]string{"lr": "-1"}, "lr"},
		{map[string]string{"lr": "NaN"}, "lr"},
		{map[string]string{"lr": "11"}, "lr"},
		{map[string]string{"eps": "-1e-9"}, "eps"},
		{map[string]string{"alpha": "1"}, "alpha"},
		{map[string]string{"beta1": "1"}, "beta1"},
		{map[string]string{"beta2": "1"}, "beta2"},
		{map[string]string{"noise": "-0.1"}, "noise"},
		{map[string]string{"task": "poisson"}, "task"},
		{map[string]string{"values": "ternary"}, "values"},
		{map[string]string{"optimizers": "sgd,lion"}, "optimizers"},
		{map[string]string{"optimizers": "sgd,sgd"}, "optimizers"},
		{map[string]string{"seed": "-1"}, "seed"},
		{map[string]string{"momentum": "0.9"}, "momentum"},
	} {
		_, err := e.Parse(tc.overrides)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "adaptive: ") {
			t.Errorf("%v: want an error naming %q, got %v", tc.overrides, tc.want, err)
		}
	}
	// Execute refuses values that bypassed Parse.
	v := e.Params.Defaults()
	v["p_min"], v["p_max"] = 0.5, 0.1
	if _, err := e.Execute(context.Background(), v, nil); err == nil {
		t.Error("Execute ran with p_min > p_max")
	}
}

// The schema's defaults are the package's defaults, and every default is valid.
func TestSchemaDefaults(t *testing.T) {
	e := Adaptive()
	if err := e.Check(e.Params.Defaults()); err != nil {
		t.Fatal(err)
	}
	if got := configFrom(e.Params.Defaults()); fmt.Sprint(got) != fmt.Sprint(DefaultConfig()) {
		t.Errorf("schema defaults %+v ≠ DefaultConfig %+v", got, DefaultConfig())
	}
	if len(Experiments()) != 2 || Experiments()[0].Name != "adaptive" || Experiments()[1].Name != "adagrad_steps" {
		t.Error("Experiments() should hold adaptive and adagrad_steps")
	}
}

// mean_expected_loss is expected_loss at seeds=1 and the mean of the
// single-seed expected losses of seeds seed … seed+seeds−1 otherwise.
func TestMeanExpectedLossOverSeeds(t *testing.T) {
	one := func(seed int) float64 {
		r := experimenttest.Run(t, Adaptive(), map[string]string{"optimizers": "sgd,adam", "seed": fmt.Sprint(seed)}, nil)
		e, m := experimenttest.Scalar(t, r, "adam.expected_loss"), experimenttest.Scalar(t, r, "adam.mean_expected_loss")
		if e != m {
			t.Errorf("seed %d, seeds=1: mean_expected_loss %v ≠ expected_loss %v", seed, m, e)
		}
		return e
	}
	want := (one(5) + one(6) + one(7)) / 3
	r := experimenttest.Run(t, Adaptive(), map[string]string{"optimizers": "sgd,adam", "seed": "5", "seeds": "3"}, nil)
	if got := experimenttest.Scalar(t, r, "adam.mean_expected_loss"); math.Abs(got-want) > 1e-15 {
		t.Errorf("seeds 5–7: mean_expected_loss %v, want %v", got, want)
	}
	if got, first := experimenttest.Scalar(t, r, "adam.expected_loss"), one(5); got != first {
		t.Errorf("seeds=3: expected_loss %v is not the first seed's %v", got, first)
	}
}

// The time bound refuses what ran for minutes (116 s of CPU at features 64,
// steps 10,000, batch 128, 100 seeds) and keeps the lesson's cells.
func TestTimeBound(t *testing.T) {
	e := Adaptive()
	for _, tc := range []struct {
		over map[string]string
		ok   bool
	}{
		{map[string]string{"features": "64", "steps": "10000", "batch": "128", "seeds": "100"}, false},
		{map[string]string{"features": "64", "steps": "10000", "batch": "128", "task": "logistic"}, true},
		{map[string]string{"features": "64", "steps": "10000", "batch": "1", "seeds": "100"}, false},
		{map[string]string{"seeds": "20"}, true},
		{map[string]string{"seeds": "100", "task": "logistic"}, true},
	} {
		_, err := e.Parse(tc.over)
		var ie *experiment.InvalidError
		if tc.ok && err != nil || !tc.ok && (!errors.As(err, &ie) || ie.Rule != "rule.adaptive.time") {
			t.Errorf("%v: %v", tc.over, err)
		}
	}
}
