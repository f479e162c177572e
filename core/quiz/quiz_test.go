package quiz

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/nnlab/nnlab/core/experiments"
)

// Every generated question's spec, run through its experiment, gives its
// answer: the generators' closed forms agree with core's computations.
func TestSpecsReproduceAnswers(t *testing.T) {
	reg := experiments.Registry()
	n := 3000
	if testing.Short() {
		n = 300
	}
	qs, err := Generate(experiments.Registry(), Options{Seed: 7, Count: n})
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range qs {
		e, err := reg.Get(q.Experiment)
		if err != nil {
			t.Fatalf("question %d (%s): %v", i, q.Kind, err)
		}
		v, err := e.Parse(q.Spec)
		if err != nil {
			t.Errorf("question %d (%s level %d): spec %v: %v", i, q.Kind, q.Level, q.Spec, err)
			continue
		}
		r, err := e.Execute(context.Background(), v, nil)
		if err != nil {
			t.Errorf("question %d (%s): %v", i, q.Kind, err)
			continue
		}
		s, ok := r.Scalar(q.Key)
		if !ok {
			t.Errorf("question %d (%s): %s has no %q", i, q.Kind, q.Experiment, q.Key)
			continue
		}
		// Counts agree exactly; real answers (the optimizer kinds) to the
		// last few bits, the closed form and the experiment rounding apart.
		if s.Value != q.Answer && !(q.Answer != math.Trunc(q.Answer) && math.Abs(s.Value-q.Answer) <= 1e-12*math.Abs(q.Answer)) {
			t.Errorf("question %d (%s level %d): %s %v gives %s = %v, the generator %v", i, q.Kind, q.Level, q.Experiment, q.Spec, q.Key, s.Value, q.Answer)
		}
		if len(q.Steps) < 2 || q.Prompt.ID == "" {
			t.Errorf("question %d (%s): no prompt or worked solution", i, q.Kind)
		}
		for _, sl := range q.Slips {
			if sl.Value == q.Answer || math.IsNaN(sl.Value) {
				t.Errorf("question %d (%s): slip %s gives the answer itself", i, q.Kind, sl.ID)
			}
		}
	}
}

// Every kind is asked at every level, and the level changes the question.
func TestKindsAndLevels(t *testing.T) {
	for _, k := range Kinds() {
		seen := map[int]bool{}
		for level := MinLevel; level <= MaxLevel; level++ {
			q := k.Draw(experiments.Registry(), 1, 0, level)
			if q.Kind != k.ID || q.Level != level || q.Experiment != k.Experiment {
				t.Errorf("%s level %d: got kind %s level %d experiment %s", k.ID, level, q.Kind, q.Level, q.Experiment)
			}
			seen[len(q.Steps)] = true
		}
		_ = seen
	}
}

// The same seed gives the same questions; another seed, others.
func TestSeeded(t *testing.T) {
	a, _ := Generate(experiments.Registry(), Options{Seed: 42, Count: 50})
	b, _ := Generate(experiments.Registry(), Options{Seed: 42, Count: 50})
	c, _ := Generate(experiments.Registry(), Options{Seed: 43, Count: 50})
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	jc, _ := json.Marshal(c)
	if string(ja) != string(jb) {
		t.Error("the same seed gave different questions")
	}
	if string(ja) == string(jc) {
		t.Error("seeds 42 and 43 gave the same questions")
	}
	// A question does not depend on how many are asked.
	d, _ := Generate(experiments.Registry(), Options{Seed: 42, Count: 10})
	if !reflect.DeepEqual(a[:10], d) {
		t.Error("the first 10 of 50 questions differ from 10 questions")
	}
}

// Whole models against torchvision's published counts (reference.md).
func TestModelsAgainstTorchvision(t *testing.T) {
	want := map[string]int64{"resnet18": 11689512, "resnet34": 21797672, "resnet50": 25557032, "resnet101": 44549160, "resnet152": 60192808}
	for _, m := range resnets {
		got, _, _, _ := resnetParams(m.bottleneck, m.blocks)
		if got != want[m.name] {
			t.Errorf("%s: %d parameters, torchvision %d", m.name, got, want[m.name])
		}
	}
	if got := googlenetParams(); got != 6624904 {
		t.Errorf("googlenet: %d parameters, torchvision 6,624,904", got)
	}
}

func TestGenerateRefuses(t *testing.T) {
	for _, o := range []Options{{Count: 0}, {Count: MaxCount + 1}, {Count: 1, Level: 4}, {Count: 1, Kinds: []string{"nope"}}} {
		if _, err := Generate(experiments.Registry(), o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func BenchmarkGenerate1000(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(experiments.Registry(), Options{Seed: 1, Count: 1000}); err != nil {
			b.Fatal(err)
		}
	}
}

// Questions an author fixes: a given layer, block or model.
func TestBuildFixed(t *testing.T) {
	for _, tc := range []struct {
		kind  string
		spec  map[string]string
		level int
		key   string
		want  float64
	}{
		{"conv_params", map[string]string{"h": "224", "w": "224", "cin": "3", "cout": "64", "k": "7", "stride": "2", "pad": "3", "bias": "false"}, 1, "", 9408},
		{"conv_out", map[string]string{"h": "224", "w": "224", "cin": "3", "cout": "64", "k": "7", "stride": "2", "pad": "3"}, 2, "", 112},
		{"conv_macs", map[string]string{"h": "224", "w": "224", "cin": "3", "cout": "64", "k": "7", "stride": "2", "pad": "3"}, 2, "", 118013952},
		{"model", map[string]string{"model": "resnet50"}, 1, "", 25557032},
		{"stage", map[string]string{"model": "resnet50"}, 3, "layer3.params", 7098368},
		{"inception", map[string]string{}, 1, "params", 163696},
		{"block", map[string]string{"kind": "bottleneck", "in": "256", "width": "64"}, 2, "", 70400},
		{"receptive_field", map[string]string{"n": "3"}, 1, "", 7},
	} {
		k, ok := Lookup(tc.kind)
		if !ok {
			t.Fatalf("no kind %s", tc.kind)
		}
		q, err := k.Build(experiments.Registry(), tc.spec, tc.level, tc.key)
		if err != nil || q.Answer != tc.want {
			t.Errorf("%s %v: answer %v (%v), want %v", tc.kind, tc.spec, q.Answer, err, tc.want)
		}
	}
	for _, tc := range []struct {
		kind, key string
		spec      map[string]string
		level     int
	}{
		{"stage", "", map[string]string{"model": "googlenet"}, 1},
		{"conv_params", "macs", map[string]string{}, 1},
		{"conv_params", "", map[string]string{"k": "99"}, 1},
		{"conv_params", "", map[string]string{}, 4},
		{"model", "", map[string]string{"model": "resnet50", "shortcut": "c"}, 1},
	} {
		k, _ := Lookup(tc.kind)
		if _, err := k.Build(experiments.Registry(), tc.spec, tc.level, tc.key); err == nil {
			t.Errorf("%s %v key %q level %d: no error", tc.kind, tc.spec, tc.key, tc.level)
		}
	}
}
