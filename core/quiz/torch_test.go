package quiz

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/nnlab/nnlab/core/experiments"
)

// The optimizer kinds' answers against PyTorch (testdata/optim_quiz.json,
// made by gen_optim_quiz.py with torch 1.13): SGD momentum's long-run step
// on a constant gradient, Adam's first step with its bias correction and,
// from its state, without; and the stability limits, at which torch's SGD
// (plain, heavy ball, Nesterov) converges 3 % below and diverges 3 % above.
func TestOptimizerKindsAgainstTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/optim_quiz.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		MomentumStep []struct {
			LR, Momentum, Dampening float64
			EffectiveLR             float64 `json:"effective_lr"`
		} `json:"momentum_step"`
		AdamStep []struct {
			G, LR, Beta1, Beta2    float64
			Corrected, Uncorrected float64
		} `json:"adam_step"`
		AdagradRate []struct {
			LR    float64
			G     []float64
			EffLR float64 `json:"eff_lr"`
			Theta float64
		} `json:"adagrad_rate"`
		MomentumLimit []struct {
			A, B, Momentum float64
			Method         string
			Limit          float64
			Below, Above   float64
		} `json:"momentum_limit"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.MomentumStep) == 0 || len(ref.AdamStep) == 0 || len(ref.MomentumLimit) == 0 {
		t.Fatal("empty fixture")
	}
	s := func(x float64) string { return fmt.Sprint(x) }
	build := func(kind string, spec map[string]string, key string) Question {
		t.Helper()
		k, _ := Lookup(kind)
		q, err := k.Build(experiments.Registry(), spec, 1, key)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	close := func(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }
	for _, r := range ref.MomentumStep {
		q := build("momentum_step", map[string]string{"optimizers": "momentum", "lr": s(r.LR), "momentum": s(r.Momentum), "dampening": s(r.Dampening)}, "")
		if !close(q.Answer, r.EffectiveLR, 1e-9) {
			t.Errorf("momentum_step lr %v μ %v d %v: %v, torch's long-run step %v", r.LR, r.Momentum, r.Dampening, q.Answer, r.EffectiveLR)
		}
	}
	for _, r := range ref.AdamStep {
		spec := map[string]string{"g": s(r.G), "lr": s(r.LR), "beta1": s(r.Beta1), "beta2": s(r.Beta2), "eps": "1e-08"}
		if q := build("adam_step", spec, "step1_corrected"); !close(q.Answer, r.Corrected, 1e-9) {
			t.Errorf("adam_step %v: corrected %v, torch %v", spec, q.Answer, r.Corrected)
		}
		if q := build("adam_step", spec, "step1_uncorrected"); !close(q.Answer, r.Uncorrected, 1e-9) {
			t.Errorf("adam_step %v: uncorrected %v, torch's state gives %v", spec, q.Answer, r.Uncorrected)
		}
	}
	for _, r := range ref.AdagradRate {
		spec := map[string]string{"lr": s(r.LR), "n": s(float64(len(r.G)))}
		for i, g := range r.G {
			spec[fmt.Sprintf("g%d", i+1)] = s(g)
		}
		if q := build("adagrad_rate", spec, ""); !close(q.Answer, r.EffLR, 1e-12) {
			t.Errorf("adagrad_rate %v: %v, torch's state gives %v", spec, q.Answer, r.EffLR)
		}
		// The experiment that reproduces the answer steps the weight as torch does.
		e, _ := experiments.Registry().Get("adagrad_steps")
		v, err := e.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Execute(t.Context(), v, nil)
		if err != nil {
			t.Fatal(err)
		}
		if th, _ := res.Scalar("theta"); !close(th.Value, r.Theta, 1e-12) {
			t.Errorf("adagrad_steps %v: θ %v, torch %v", spec, th.Value, r.Theta)
		}
	}
	key := map[string]string{"gd": "gd.max_lr", "heavy_ball": "momentum.max_lr", "nesterov": "nesterov.max_lr"}
	for _, r := range ref.MomentumLimit {
		q := build("momentum_limit", map[string]string{"a": s(r.A), "b": s(r.B), "momentum": s(r.Momentum)}, key[r.Method])
		if !close(q.Answer, r.Limit, 1e-12) {
			t.Errorf("%s on %v·x² + %v·y², μ %v: the quiz's limit %v, the fixture's %v", r.Method, r.A, r.B, r.Momentum, q.Answer, r.Limit)
		}
		if !(r.Below < 1e-3 && r.Above > 1e3) {
			t.Errorf("%s on %v·x² + %v·y², μ %v: torch ends at distance %g below the limit and %g above; want convergence below, divergence above", r.Method, r.A, r.B, r.Momentum, r.Below, r.Above)
		}
	}
}
