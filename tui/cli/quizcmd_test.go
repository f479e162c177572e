package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiments"
)

func runIn(stdin string, args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Main(&Env{Ctx: context.Background(), Stdin: strings.NewReader(stdin), Stdout: &o, Stderr: &e, Experiments: experiments.Registry()}, args)
	return code, o.String(), e.String()
}

// The same seed prints byte-identical questions, each with the fields the
// README documents, whose spec reproduces the answer with nnlab run.
func TestQuizJSON(t *testing.T) {
	_, a, _ := runIn("", "quiz", "--json", "--seed", "42", "--count", "20", "--lang", "en")
	_, b, _ := runIn("", "quiz", "--json", "--seed", "42", "--count", "20", "--lang", "en")
	if a != b || a == "" {
		t.Fatal("the same seed printed different questions")
	}
	var qs []map[string]any
	if err := json.Unmarshal([]byte(a), &qs); err != nil || len(qs) != 20 {
		t.Fatalf("%v: %d questions", err, len(qs))
	}
	for _, f := range []string{"prompt", "kind", "level", "experiment", "spec", "answer", "tolerance", "explanation"} {
		if _, ok := qs[0][f]; !ok {
			t.Errorf("a question has no %q: %v", f, qs[0])
		}
	}
	q := qs[3]
	args := []string{"run", q["experiment"].(string), "--json"}
	for k, v := range q["spec"].(map[string]any) {
		args = append(args, k+"="+v.(string))
	}
	if code, out, e := runIn("", args...); code != 0 || !strings.Contains(out, "{") {
		t.Errorf("nnlab %v: %d %s", args, code, e)
	}
	_, ko, _ := runIn("", "quiz", "--json", "--seed", "42", "--count", "20", "--lang", "ko")
	var kq []map[string]any
	json.Unmarshal([]byte(ko), &kq)
	if kq[0]["answer"] != qs[0]["answer"] || kq[0]["prompt"] == qs[0]["prompt"] {
		t.Error("Korean questions are not the same questions in other words")
	}
}

// --plain asks on stdin: a right answer, garbage (the question stays), a
// wrong one; the end of input ends it with the score, exit 0.
func TestQuizPlain(t *testing.T) {
	_, js, _ := runIn("", "quiz", "--json", "--seed", "7", "--count", "3", "--kind", "conv_params", "--level", "1")
	var qs []struct{ Answer float64 }
	json.Unmarshal([]byte(js), &qs)
	in := strings.Join([]string{jsonNumber(qs[0].Answer), "forty", "1"}, "\n") + "\n"
	code, out, errOut := runIn(in, "quiz", "--plain", "--seed", "7", "--count", "3", "--kind", "conv_params", "--level", "1", "--lang", "en")
	if code != 0 || errOut != "" {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"✓ exactly right", `not a number: "forty"`, "✗ not quite", "Formula:", "Score: 1 of 2 right", "To review:"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

func jsonNumber(f float64) string { b, _ := json.Marshal(f); return string(b) }

func TestQuizUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"quiz", "--count", "0"}, "--count must be a whole number from 1"},
		{[]string{"quiz", "--level", "4"}, "--level must be 1, 2 or 3"},
		{[]string{"quiz", "--kind", "conv,nope"}, `unknown kind "conv"`},
		{[]string{"quiz", "--seed", "-1"}, "--seed must be a whole number"},
		{[]string{"quiz", "--json", "--plain"}, "do not go together"},
		{[]string{"quiz", "extra"}, "takes no arguments"},
		{[]string{"quiz", "--lang", "fr", "--json"}, "language must be one of"},
	} {
		code, out, errOut := runIn("", tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
	code, out, _ := runIn("", "quiz", "--kinds")
	if code != 0 || !strings.Contains(out, "receptive_field") {
		t.Errorf("--kinds: %d %q", code, out)
	}
	// The notebook's quiz needs a terminal.
	if code, _, e := runIn("", "quiz", "--seed", "1"); code != 2 || !strings.Contains(e, "needs a terminal") {
		t.Errorf("quiz without a terminal: %d %q", code, e)
	}
}

// The optimizer kinds over many seeds: every question's spec, run with
// nnlab run, prints its key at the value the question grades against,
// within the question's tolerance (the report prints four significant
// digits), in the prompt's language too.
func TestQuizOptimizerAnswersReproducedByRun(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 5
	}
	for seed := 1; seed <= seeds; seed++ {
		_, js, _ := runIn("", "quiz", "--json", "--seed", fmt.Sprint(seed), "--count", "15", "--kind", "momentum_step,heavy_ball,momentum_limit,adagrad_rate,adam_step", "--lang", "ko")
		var qs []struct {
			Kind, Experiment, Key string
			Spec                  map[string]string
			Answer, Tolerance     float64
		}
		if err := json.Unmarshal([]byte(js), &qs); err != nil || len(qs) != 15 {
			t.Fatalf("seed %d: %v, %d questions", seed, err, len(qs))
		}
		for _, q := range qs {
			args := []string{"run", q.Experiment, "--keys"}
			for k, v := range q.Spec {
				args = append(args, k+"="+v)
			}
			code, out, e := runIn("", args...)
			if code != 0 {
				t.Fatalf("nnlab %v: %d %s", args, code, e)
			}
			got, ok := keyValue(out, q.Key)
			if !ok {
				t.Fatalf("nnlab %v prints no %s:\n%s", args, q.Key, out)
			}
			if math.Abs(got-q.Answer) > q.Tolerance*math.Abs(q.Answer) || q.Tolerance == 0 {
				t.Errorf("seed %d %s: nnlab %v prints %s = %v, the question's answer %v (tolerance %v)", seed, q.Kind, args, q.Key, got, q.Answer, q.Tolerance)
			}
		}
	}
}

// keyValue reads the number printed for key by nnlab run --keys: the line
// that ends in [key], its last field that is a number.
func keyValue(out, key string) (float64, bool) {
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasSuffix(strings.TrimSpace(line), "["+key+"]") {
			continue
		}
		f := strings.Fields(line)
		for i := len(f) - 2; i >= 0; i-- {
			if v, err := strconv.ParseFloat(strings.ReplaceAll(f[i], ",", ""), 64); err == nil {
				return v, true
			}
		}
	}
	return 0, false
}
