package lessons

import (
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/quiz"
)

// A cell's predict mapping: its fields, their values, each error at its
// place; a key no result has is caught by Check.
func TestParsePredict(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []string
	}{
		{"valid", frontMatter + cellSrc("id: a\nexperiment: quad\npredict:\n  ask: How low?\n  key: loss\n  tolerance: 0.2\n  explain: 'Loss {{ #a.loss | .2f }}'"), nil},
		{"not a mapping", frontMatter + cellSrc("id: a\nexperiment: quad\npredict: «loss"), []string{"predict must be a mapping of ask, key, tolerance, explain"}},
		{"unknown field", frontMatter + cellSrc("id: a\nexperiment: quad\npredict:\n  ask: How low?\n  key: loss\n  «goal: loss < 1"), []string{`unknown predict field "goal"; known: ask, key, tolerance, explain`}},
		{"lacks ask and key", frontMatter + cellSrc("id: a\nexperiment: quad\npredict:\n  ««tolerance: 0.1"), []string{"predict lacks ask", "predict lacks key"}},
		{"bad tolerance", frontMatter + cellSrc("id: a\nexperiment: quad\npredict:\n  ask: How low?\n  key: loss\n  tolerance: «2"), []string{`predict: tolerance is a relative error from 0 to 1 (0.1: within 10 %), got "2"`}},
		{"bad key", frontMatter + cellSrc("id: a\nexperiment: quad\npredict:\n  ask: How low?\n  key: «loss and more"), []string{`predict: key is a result key such as momentum.rate, got "loss and more"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, at := unmark(tc.src)
			l, list := parseString(t, src)
			if tc.want == nil {
				if list != nil {
					t.Fatal(list)
				}
				if c := l.Cells()[0]; c.Predict == nil || c.Predict.Tolerance != 0.2 || l.Exercises() != 1 {
					t.Errorf("predict %+v, exercises %d", c.Predict, l.Exercises())
				}
				return
			}
			wantErrors(t, list, at, tc.want)
		})
	}
	src, at := unmark(frontMatter + cellSrc("id: a\nexperiment: quad\npredict:\n  ask: How low?\n  key: «nope"))
	l, list := parseString(t, src)
	if list != nil {
		t.Fatal(list)
	}
	wantErrors(t, errorList(t, Check(t.Context(), l, nil)), at, []string{`predict: quad has no result "nope" to predict; result keys: loss, sgd.final_loss, big`})
}

// Judge grades a guess within the tolerance, or at the precision typed
// when the tolerance is 0, as a quiz answer is graded.
func TestPredictJudge(t *testing.T) {
	r := &experiment.Result{}
	r.AddScalar("rate", "rate", 0.7071, "")
	for _, tc := range []struct {
		typed string
		tol   float64
		right bool
	}{
		{"0.7", 0.02, true}, {"0.69", 0.02, false}, {"0.5", 0.1, false}, {"0.71", 0, true}, {"0.7", 0, false}, {"0.7071", 0, true},
	} {
		a, err := quiz.ParseAnswer(tc.typed)
		if err != nil {
			t.Fatal(err)
		}
		p := &Predict{Key: "rate", Tolerance: tc.tol}
		actual, right, err := p.Judge(r, a)
		if err != nil || actual != 0.7071 || right != tc.right {
			t.Errorf("%s within %v: %v %v %v, want right %v", tc.typed, tc.tol, actual, right, err, tc.right)
		}
	}
	if _, _, err := (&Predict{Key: "nope"}).Judge(r, quiz.Answer{Value: 1, Step: 1}); err == nil {
		t.Error("a missing key judged without an error")
	}
}
