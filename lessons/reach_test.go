package lessons_test

import (
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/lessons/lessonstest"
)

// TestExercisesReachableWithKeys: every exercise of the built-in lessons
// can be passed with the keys its cell offers — +/− on the values it lets
// the learner change, from the lesson's values — unless its task or hints
// tell the learner to type a value (press e). The search walks the grid of
// +/− presses breadth first, a few presses per value; cells whose runs
// train a network are left to their own tests (noisy_test, sgdtuned_test).
func TestExercisesReachableWithKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("searches the +/− grid of every exercise")
	}
	files, err := lessons.BuiltinFiles()
	if err != nil {
		t.Fatal(err)
	}
	reg := experiments.Registry()
	for path, src := range files {
		if !strings.HasSuffix(path, ".md") {
			continue
		}
		l, err := lessons.Parse(path, src, reg)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range l.Cells() {
			if c.Exercise == nil || c.Experiment.Heavy != nil {
				continue
			}
			if lessonstest.Typed(c.Exercise) {
				continue
			}
			if _, ok := lessonstest.Solve(t.Context(), c, 10, 20000); !ok {
				t.Errorf("%s: exercise %s cannot be passed with +/− from the lesson's values (within 10 presses per value); fix a step or tell the learner to press e and type the value", path, c.ID)
			}
		}
	}
}
