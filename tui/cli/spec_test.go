package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/nnlab/nnlab/core/experiments"
)

func runReal(t *testing.T, args ...string) []byte {
	t.Helper()
	var o, e bytes.Buffer
	if code := Main(&Env{Ctx: context.Background(), Stdout: &o, Stderr: &e, Experiments: experiments.Registry()}, args); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, e.String())
	}
	return o.Bytes()
}

// The command lines the README and the issue give, with the JSON they promise.
func TestDocumentedJSON(t *testing.T) {
	got := runReal(t, "run", "conv", "h=224", "w=224", "cin=3", "cout=64", "k=7", "stride=2", "pad=3", "dilation=1", "groups=1", "bias=false", "--json")
	if string(got) != `{"out_h":112,"out_w":112,"params":9408,"macs":118013952,"outputs":{"out_h":112,"out_w":112,"params":9408,"macs":118013952}}`+"\n" {
		t.Errorf("conv: %s", got)
	}

	var opt struct {
		Runs []struct {
			Optimizer  string       `json:"optimizer"`
			Trajectory [][2]float64 `json:"trajectory"`
			Loss       []float64    `json:"loss"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(runReal(t, "run", "optimize", "optimizer=adam", "lr=0.1", "steps=60", "surface=quadratic", "a=0.1", "b=2", "x0=-5", "y0=-2", "--json"), &opt); err != nil {
		t.Fatal(err)
	}
	if len(opt.Runs) != 1 || opt.Runs[0].Optimizer != "adam" || len(opt.Runs[0].Trajectory) != 61 || len(opt.Runs[0].Loss) != 61 ||
		opt.Runs[0].Trajectory[0] != [2]float64{-5, -2} || opt.Runs[0].Loss[0] != 0.1*25+2*4 {
		t.Errorf("optimize: %+v", opt.Runs)
	}
	if err := json.Unmarshal(runReal(t, "run", "optimize", "optimizers=sgd,momentum,adam", "--json"), &opt); err != nil || len(opt.Runs) != 3 {
		t.Errorf("optimizers=sgd,momentum,adam: %d runs (%v)", len(opt.Runs), err)
	}

	var res map[string]struct {
		Loss          []float64 `json:"loss"`
		Accuracy      *float64  `json:"accuracy"`
		GradNormInit  []float64 `json:"grad_norm_init"`
		GradNormFinal []float64 `json:"grad_norm_final"`
	}
	if err := json.Unmarshal(runReal(t, "run", "residual", "depth=30", "width=32", "batch=128", "steps=200", "lr=0.05", "seed=1", "--json"), &res); err != nil {
		t.Fatal(err)
	}
	for _, net := range []string{"plain", "residual"} {
		n := res[net]
		// 30 blocks of two layers, plus the input and output layers.
		if len(n.Loss) != 200 || n.Accuracy == nil || len(n.GradNormInit) != 62 || len(n.GradNormFinal) != 62 {
			t.Errorf("%s: %d losses, accuracy %v, %d/%d gradient norms", net, len(n.Loss), n.Accuracy, len(n.GradNormInit), len(n.GradNormFinal))
		}
		// Input side first: the plain net's first layer has the smallest gradient.
		if net == "plain" && n.GradNormInit[0] >= n.GradNormInit[len(n.GradNormInit)-1] {
			t.Errorf("plain grad norms not input side first: %v … %v", n.GradNormInit[0], n.GradNormInit[len(n.GradNormInit)-1])
		}
	}
}

// TestFeatureMapCLI runs the command line: --json holds input
// (28×28, pixel/255) and output (the map) as nested arrays; a bad value or
// a --data directory without Fashion-MNIST's files is one line, exit 2.
func TestFeatureMapCLI(t *testing.T) {
	var fm struct {
		Input, Output [][]float64
		OutH          int `json:"out_h"`
	}
	if err := json.Unmarshal(runReal(t, "run", "feature_map", "image=7", "kernel=edge_x", "stride=2", "padding=1", "dilation=1", "--json"), &fm); err != nil {
		t.Fatal(err)
	}
	if len(fm.Input) != 28 || len(fm.Input[0]) != 28 || fm.OutH != 14 || len(fm.Output) != 14 || len(fm.Output[13]) != 14 {
		t.Errorf("input %d rows, output %d rows (out_h %d)", len(fm.Input), len(fm.Output), fm.OutH)
	}
	for _, args := range [][]string{
		{"run", "feature_map", "kernel=emboss"},
		{"run", "feature_map", "stride=0"},
		{"run", "feature_map", "image=-1"},
		{"run", "feature_map", "--data", t.TempDir()},
	} {
		var o, e bytes.Buffer
		code := Main(&Env{Ctx: context.Background(), Stdout: &o, Stderr: &e, Experiments: experiments.Registry()}, args)
		if code != 2 || bytes.Count(e.Bytes(), []byte("\n")) != 1 || o.Len() != 0 {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want one line, exit 2", args, code, e.String(), o.String())
		}
	}
}
