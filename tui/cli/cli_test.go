package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiments"
)

func fakeRegistry() *experiment.Registry {
	return experiment.NewRegistry(&experiment.Experiment{
		Name:    "square",
		Summary: "squares a number",
		Params: experiment.Schema{
			{Name: "x", Kind: experiment.Float, Default: 3.0, Min: -10, Max: 10, Step: 1, Help: "the number"},
		},
		Run: func(ctx context.Context, v experiment.Values, p experiment.Progress) (*experiment.Result, error) {
			x := v.Float("x")
			r := &experiment.Result{JSON: map[string]float64{"square": x * x}}
			r.AddScalar("square", "x squared", x*x, "")
			return r, nil
		},
	})
}

func run(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Main(&Env{Ctx: context.Background(), Stdout: &o, Stderr: &e, Experiments: fakeRegistry()}, args)
	return code, o.String(), e.String()
}

func TestRunJSON(t *testing.T) {
	code, out, errOut := run("run", "square", "x=-4", "--json")
	if code != 0 || errOut != "" {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	var got struct {
		Square  float64            `json:"square"`
		Outputs map[string]float64 `json:"outputs"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Square != 16 || got.Outputs["square"] != 16 || len(got.Outputs) != 1 {
		t.Fatalf("got %q (%v)", out, err)
	}
}

// TestJSONOutputsEveryKey walks every experiment: each key --keys prints
// is in --json's "outputs" with the value the report shows, so the keys
// that exercise goals and quiz answers name are what a script reads (nnlab
// run conv1x1 --json had no saved.params, the key a quiz answer names).
func TestJSONOutputsEveryKey(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every experiment at its defaults")
	}
	keyRE := regexp.MustCompile(`\[([A-Za-z0-9_.]+)\]\s*$`)
	for _, e := range experiments.Registry().All() {
		var keys []string
		for _, l := range strings.Split(string(runReal(t, "run", e.Name, "--keys", "--width", "200")), "\n") {
			if m := keyRE.FindStringSubmatch(l); m != nil {
				keys = append(keys, m[1])
			}
		}
		var got struct {
			Outputs map[string]*float64 `json:"outputs"`
		}
		if err := json.Unmarshal(runReal(t, "run", e.Name, "--json"), &got); err != nil {
			t.Errorf("%s --json: %v", e.Name, err)
			continue
		}
		if len(keys) == 0 || len(got.Outputs) != len(keys) {
			t.Errorf("%s: --keys prints %d keys, --json's outputs has %d", e.Name, len(keys), len(got.Outputs))
		}
		for _, k := range keys {
			if _, ok := got.Outputs[k]; !ok {
				t.Errorf("%s: --keys prints %s, --json's outputs lacks it", e.Name, k)
			}
		}
	}
}

// A quiz answer is the value of its key in nnlab run's --json outputs, with
// the question's spec.
func TestQuizAnswersAreOutputs(t *testing.T) {
	_, js, _ := runIn("", "quiz", "--json", "--seed", "21", "--count", "40", "--lang", "en")
	var qs []struct {
		Kind, Experiment, Key string
		Spec                  map[string]string
		Answer, Tolerance     float64
	}
	if err := json.Unmarshal([]byte(js), &qs); err != nil || len(qs) != 40 {
		t.Fatalf("%v: %d questions", err, len(qs))
	}
	for _, q := range qs {
		args := []string{"run", q.Experiment, "--json"}
		for k, v := range q.Spec {
			args = append(args, k+"="+v)
		}
		var got struct {
			Outputs map[string]float64 `json:"outputs"`
		}
		if err := json.Unmarshal(runReal(t, args...), &got); err != nil {
			t.Fatalf("nnlab %v: %v", args, err)
		}
		v, ok := got.Outputs[q.Key]
		if !ok || math.Abs(v-q.Answer) > math.Max(q.Tolerance*math.Abs(q.Answer), 1e-9*math.Abs(q.Answer)) {
			t.Errorf("%s: nnlab %v: outputs[%s] = %v (present %v), the answer is %v", q.Kind, args, q.Key, v, ok, q.Answer)
		}
	}
}

func TestRunText(t *testing.T) {
	code, out, _ := run("run", "--keys", "square", "x=2")
	if code != 0 || !strings.Contains(out, "x squared") || !strings.Contains(out, "[square]") || !strings.Contains(out, "x=2") {
		t.Fatalf("code %d, out %q", code, out)
	}
}

func TestBadUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"run"}, "name an experiment"},
		{[]string{"run", "cube"}, `unknown experiment "cube"; experiments: square`},
		{[]string{"run", "square", "x"}, `expected name=value, got "x"`},
		{[]string{"run", "square", "x=1", "x=2"}, "x is given twice"},
		{[]string{"run", "square", "x=NaN"}, "x must be a number from -10 to 10, got NaN"},
		{[]string{"run", "square", "x=11"}, "x must be a number from -10 to 10, got 11"},
		{[]string{"run", "square", "y=1"}, `unknown parameter "y" (did you mean x?); known: x`},
		{[]string{"run", "square", "--width", "5"}, "--width must be a whole number from 44 to 1000"},
		{[]string{"run", "square", "--width"}, "--width needs a value"},
		{[]string{"run", "square", "--json=yes"}, "--json takes no value"},
		{[]string{"run", "square", "--frob"}, "unknown flag --frob"},
		{[]string{"experiments", "extra"}, "takes no arguments"},
	} {
		code, out, errOut := run(tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want exit 2, one line containing %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

func TestNegativeNumberIsAValue(t *testing.T) {
	if code, _, e := run("run", "square", "x=-3"); code != 0 {
		t.Fatalf("x=-3: %s", e)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"run", "--help"}, {"help", "run"}, {"experiments", "-h"}} {
		code, out, errOut := run(args...)
		if code != 0 || errOut != "" || !strings.Contains(out, "Usage: nnlab") {
			t.Errorf("%v: code %d, out %q, err %q", args, code, out, errOut)
		}
	}
}

func TestExperimentsList(t *testing.T) {
	_, out, _ := run("experiments")
	if !strings.Contains(out, "square — squares a number") || !strings.Contains(out, "-10…10") {
		t.Fatalf("got %q", out)
	}
	_, out, _ = run("experiments", "--json")
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil || got[0]["name"] != "square" {
		t.Fatalf("got %q (%v)", out, err)
	}
	params := got[0]["params"].([]any)
	if params[0].(map[string]any)["type"] != "float" {
		t.Fatalf("type not named: %v", params[0])
	}
}

func TestSummary(t *testing.T) {
	code, out, errOut := run("summary", "resnet18", "--json")
	var s struct {
		TotalParams int64 `json:"total_params"`
		MACs        int64 `json:"macs"`
		Layers      []any `json:"layers"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &s) != nil || s.TotalParams != 11689512 || len(s.Layers) == 0 {
		t.Fatalf("code %d, err %q, got %+v", code, errOut, s)
	}
	if s.MACs < 1.80e9 || s.MACs > 1.82e9 {
		t.Errorf("resnet18 MACs %d, want ≈1.81e9 (torchvision)", s.MACs)
	}
	code, out, _ = run("summary", "resnet50", "--input", "3x224x224")
	if code != 0 || !strings.Contains(out, "25,557,032") || !strings.Contains(out, "Total mult-adds (G)") {
		t.Fatalf("text summary: %q", out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"summary"}, "name one model"},
		{[]string{"summary", "vgg16"}, `unknown model "vgg16"`},
		{[]string{"summary", "resnet18", "--input", "3x"}, "input must be CxHxW"},
		{[]string{"summary", "googlenet", "--input", "3x8x8"}, "output would be empty"},
		{[]string{"summary", "resnet18", "--depth", "0"}, "--depth must be a whole number from 1 to"},
	} {
		code, out, errOut := run(tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, errOut := run("--version")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "nnlab ") || strings.Count(out, "\n") != 1 {
		t.Fatalf("--version: code %d, out %q, err %q", code, out, errOut)
	}
}

// The shell asks cobra for completions through its hidden __complete
// command; the scripts themselves are tried in a real bash in e2e_test.go.
func TestCompletions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
		not  string
	}{
		{[]string{"__complete", "ru"}, "run", "open"},
		{[]string{"__complete", "run", ""}, "square", ""},
		{[]string{"__complete", "run", "square", ""}, "x=", ""},
		{[]string{"__complete", "run", "square", "x=1", ""}, "", "x="},
		{[]string{"__complete", "summary", "google"}, "googlenet", "resnet18"},
		{[]string{"__complete", "open", "mom"}, "momentum", "residual"}, // the built-in lessons need the real experiments
	} {
		var o bytes.Buffer
		reg := fakeRegistry()
		if tc.args[1] == "open" {
			reg = experiments.Registry()
		}
		code := Main(&Env{Ctx: context.Background(), Stdout: &o, Stderr: io.Discard, Experiments: reg}, tc.args)
		out := o.String()
		var lines []string
		for _, l := range strings.Split(out, "\n") {
			word, _, _ := strings.Cut(l, "\t")
			lines = append(lines, word)
		}
		if code != 0 || (tc.want != "" && !slices.Contains(lines, tc.want)) || (tc.not != "" && slices.Contains(lines, tc.not)) {
			t.Errorf("%v: code %d, got %q; want %q and not %q", tc.args, code, out, tc.want, tc.not)
		}
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		if code, out, _ := run("completion", shell); code != 0 || !strings.Contains(out, "nnlab") {
			t.Errorf("completion %s: code %d", shell, code)
		}
	}
}

// A parameter given under its name and an alias is refused with one line
// naming both spellings, whatever the map order.
func TestRunAliasGivenTwice(t *testing.T) {
	for range 10 {
		var o, e bytes.Buffer
		code := Main(&Env{Ctx: context.Background(), Stdout: &o, Stderr: &e, Experiments: experiments.Registry()},
			[]string{"run", "adaptive", "opt=adam", "optimizer=sgd", "optimizers=rmsprop"})
		msg := e.String()
		if code != 2 || o.Len() != 0 || strings.Count(msg, "\n") != 1 ||
			!strings.Contains(msg, "opt, optimizer, optimizers") {
			t.Fatalf("code %d, stdout %q, stderr %q", code, o.String(), msg)
		}
	}
}

// experiments --json gives every numeric parameter both bounds, 0 included.
func TestExperimentsJSONBounds(t *testing.T) {
	var o, e bytes.Buffer
	if code := Main(&Env{Ctx: context.Background(), Stdout: &o, Stderr: &e, Experiments: experiments.Registry()},
		[]string{"experiments", "--json"}); code != 0 {
		t.Fatalf("code %d, stderr %q", code, e.String())
	}
	var all []struct {
		Name   string
		Params []map[string]any
	}
	if err := json.Unmarshal(o.Bytes(), &all); err != nil {
		t.Fatal(err)
	}
	zero := 0
	for _, ex := range all {
		for _, p := range ex.Params {
			if p["type"] != "int" && p["type"] != "float" {
				continue
			}
			lo, okLo := p["min"].(float64)
			hi, okHi := p["max"].(float64)
			if !okLo || !okHi || lo > hi {
				t.Errorf("%s.%s: min %v, max %v", ex.Name, p["name"], p["min"], p["max"])
			}
			if lo == 0 {
				zero++
			}
		}
	}
	if zero == 0 {
		t.Error("no parameter has a lower bound of 0: the test no longer covers omitempty")
	}
}

// A mistyped command, experiment, parameter, choice or lesson gets cobra's
// suggestions, one line and exit 2; the command list names every command.
func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"rnu", "optimize"}, `nnlab: unknown command "rnu" (did you mean run?); commands: check, completion, experiments, lessons, notebook, open, quiz, render, report, run, serve, summary`},
		{[]string{"rendr", "momentum"}, `unknown command "rendr" (did you mean render?)`},
		{[]string{"frobnicate"}, `unknown command "frobnicate"; commands: check, completion,`},
		{[]string{"run", "optimze"}, `nnlab run: unknown experiment "optimze" (did you mean optimize?); experiments: adagrad_steps,`},
		{[]string{"run", "conv", "grops=2"}, `unknown parameter "grops" (did you mean groups?)`},
		{[]string{"run", "optimize", "optimizers=sdg"}, `"sdg" is not one of sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamw (did you mean sgd?)`},
		{[]string{"render", "momentm"}, `nnlab render: no lesson "momentm" (did you mean momentum?)`},
	} {
		code, out, errOut := runIn("", tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want exit 2, one line containing %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

// A parameter none of the chosen optimizers reads is said so on stderr,
// one line naming the one meant, and the run runs.
func TestIgnoredParamWarning(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "optimize", "optimizers=rmsprop", "momentum=0.5", "steps=5"},
			"nnlab run: optimize: momentum is SGD's momentum μ (optimizers momentum and nesterov), which rmsprop does not use: RMSprop's momentum is rmsprop_momentum; the run goes on without it\n"},
		{[]string{"run", "optimize", "optimizers=adam", "rho=0.5", "steps=5"},
			"nnlab run: optimize: rho is Adadelta's ρ, which adam does not use: Adam has no ρ (its average of g² decays by beta2); the run goes on without it\n"},
		{[]string{"run", "adaptive", "optimizers=rmsprop", "beta2=0.9", "steps=5"},
			"nnlab run: adaptive: beta2 is Adam's decay of the average of g², which rmsprop does not use: RMSprop's average of g² decays by alpha; the run goes on without it\n"},
		{[]string{"run", "optimize", "optimizers=momentum", "momentum=0.5", "steps=5"}, ""},
	} {
		code, out, errOut := runIn("", tc.args...)
		if code != 0 || errOut != tc.want || !strings.Contains(out, "final loss") && !strings.Contains(out, "held-out") {
			t.Errorf("%v: code %d, stderr %q, want %q; stdout %.80q", tc.args, code, errOut, tc.want, out)
		}
	}
}
