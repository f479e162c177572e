package quiz

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiments"
)

// A receptive-field slip is the receptive field of the same stack with the
// one thing it ignores set to 1, as the receptive_field experiment computes
// it: "dilation ignored" is the stack with every dilation 1 (the strides
// kept), "strides ignored" the stack with every stride 1 (the dilations
// kept).
func TestReceptiveFieldSlipsAreTheStackWithoutIt(t *testing.T) {
	e, err := experiments.Registry().Get("receptive_field")
	if err != nil {
		t.Fatal(err)
	}
	rfOf := func(spec map[string]string, zero string) float64 {
		t.Helper()
		sp := map[string]string{}
		for k, v := range spec {
			sp[k] = v
			if strings.HasPrefix(k, zero) {
				sp[k] = "1"
			}
		}
		v, err := e.Parse(sp)
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.Execute(context.Background(), v, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := r.Scalar("rf")
		return s.Value
	}
	qs, err := Generate(experiments.Registry(), Options{Seed: 3, Count: 300, Kinds: []string{"receptive_field"}, Level: 3})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, q := range qs {
		for _, sl := range q.Slips {
			var want float64
			switch sl.ID {
			case "dilation_ignored":
				want = rfOf(q.Spec, "d")
			case "strides_ignored":
				want = rfOf(q.Spec, "s")
			default:
				t.Fatalf("unexpected slip %s", sl.ID)
			}
			seen[sl.ID]++
			if sl.Value != want {
				t.Errorf("%v: slip %s = %v, the stack without it has rf %v", q.Spec, sl.ID, sl.Value, want)
			}
		}
	}
	if seen["dilation_ignored"] < 50 || seen["strides_ignored"] < 50 {
		t.Errorf("too few slips checked: %v", seen)
	}
}

// What a 1×1 reduction saves is asked as a difference; the lesson's saving
// is a ratio, and a ratio typed for the difference — to a digit or two —
// is explained as that slip.
func TestReduceSavingRatioSlip(t *testing.T) {
	k, _ := Lookup("reduce_saving")
	q, err := k.Build(experiments.Registry(), map[string]string{"h": "28", "w": "28", "cin": "192", "cout": "32", "k": "5", "reduce": "16"}, 2, "")
	if err != nil {
		t.Fatal(err)
	}
	if q.Answer != 120422400-12443648 {
		t.Fatalf("answer %v", q.Answer)
	}
	for _, typed := range []string{"9.7", "9.68", "10"} {
		a, _ := ParseAnswer(typed)
		if Grade(a, q.Answer, q.Tolerance) != Wrong {
			t.Fatalf("%s graded right", typed)
		}
		if s, ok := MatchSlip(a, q.Slips, q.Tolerance); !ok || s.ID != "ratio_not_difference" {
			t.Errorf("%s: slip %q %v, want ratio_not_difference", typed, s.ID, ok)
		}
	}
	a, _ := ParseAnswer("5")
	if s, ok := MatchSlip(a, q.Slips, q.Tolerance); ok {
		t.Errorf("5 matched slip %s", s.ID)
	}
}

// Prompts say what they count: a conv layer without bias is asked for its
// weights only; a ResNet is asked without a word of auxiliary classifiers,
// GoogLeNet with aux_logits=False; an inception module names the kernel of
// its "5×5" branch.
func TestPromptsSayWhatTheyCount(t *testing.T) {
	build := func(kind string, spec map[string]string, level int, key string) Question {
		t.Helper()
		k, _ := Lookup(kind)
		q, err := k.Build(experiments.Registry(), spec, level, key)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	if q := build("conv_params", map[string]string{"bias": "false"}, 1, ""); q.Prompt.ID != "quiz.conv_params.prompt_nobias" {
		t.Errorf("bias=false: prompt %s", q.Prompt.ID)
	}
	if q := build("conv_params", map[string]string{"bias": "true"}, 1, ""); q.Prompt.ID != "quiz.conv_params.prompt" {
		t.Errorf("bias=true: prompt %s", q.Prompt.ID)
	}
	if q := build("model", map[string]string{"model": "resnet50"}, 1, ""); q.Prompt.ID != "quiz.model.prompt" {
		t.Errorf("resnet50: prompt %s", q.Prompt.ID)
	}
	if q := build("model", map[string]string{"model": "googlenet"}, 1, ""); q.Prompt.ID != "quiz.model.prompt_googlenet" {
		t.Errorf("googlenet: prompt %s", q.Prompt.ID)
	}
	for k5, want := range map[string]string{"5": "quiz.inception.k5_true", "3": "quiz.inception.k5_other"} {
		q := build("inception", map[string]string{"k5": k5}, 3, "macs")
		if len(q.Prompt.Args) < 2 || q.Prompt.Args[1].(Text).ID != want {
			t.Errorf("k5=%s: prompt args %v, want the clause %s", k5, q.Prompt.Args, want)
		}
	}
}

// The ratio of Adam's uncorrected to its corrected first step does not
// depend on the gradient (but for ε), and its prompt gives none: its worked
// solution is the same whatever g the spec holds, up to the last digit of
// the result, so that no number appears in it that the learner was never
// given.
func TestAdamRatioSolutionWithoutG(t *testing.T) {
	k, _ := Lookup("adam_step")
	var first []Text
	for i, g := range []string{"0.01", "2", "40"} {
		q, err := k.Build(experiments.Registry(), map[string]string{"g": g, "beta1": "0.99", "beta2": "0.9999"}, 3, "step1_ratio")
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = q.Steps
			continue
		}
		n := len(q.Steps) - 1 // the result: the answer, ε included
		if !reflect.DeepEqual(q.Steps[:n], first[:len(first)-1]) {
			t.Errorf("g = %s: the ratio's solution %v differs from that at g = 0.01 %v", g, q.Steps, first)
		}
	}
}
