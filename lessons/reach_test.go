package lessons

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nnlab/nnlab/core/experiment"
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
	files, err := BuiltinFiles()
	if err != nil {
		t.Fatal(err)
	}
	reg := fullRegistry()
	for path, src := range files {
		if !strings.HasSuffix(path, ".md") {
			continue
		}
		l, err := Parse(path, src, reg)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range l.Cells() {
			if c.Exercise == nil || c.Experiment.Heavy != nil {
				continue
			}
			if typed(c.Exercise) {
				continue
			}
			if !reachable(t, c, 10, 20000) {
				t.Errorf("%s: exercise %s cannot be passed with +/− from the lesson's values (within 10 presses per value); fix a step or tell the learner to press e and type the value", path, c.ID)
			}
		}
	}
}

// typed reports whether the exercise tells the learner to type a value.
func typed(ex *Exercise) bool {
	texts := []string{ex.Task}
	for _, h := range ex.Hints {
		texts = append(texts, h.Text)
	}
	for _, s := range texts {
		if strings.Contains(s, "press e") || strings.Contains(s, "e를 눌러") {
			return true
		}
	}
	return false
}

// reachable searches the values reachable from c's by at most maxPresses
// +/− presses per value, visiting at most limit of them.
func reachable(t *testing.T, c *Cell, maxPresses, limit int) bool {
	t.Helper()
	var tweak []experiment.Param
	for _, name := range c.Tweak {
		p, _ := c.Experiment.Params.Lookup(name)
		if p.Kind != experiment.List {
			tweak = append(tweak, p)
		}
	}
	key := func(v experiment.Values) string {
		var b strings.Builder
		for _, p := range tweak {
			fmt.Fprintf(&b, "%s=%s ", p.Name, p.Format(v[p.Name]))
		}
		return b.String()
	}
	type state struct {
		v       experiment.Values
		presses map[string]int
	}
	seen := map[string]bool{key(c.Params): true}
	queue := []state{{c.Params.Clone(), map[string]int{}}}
	deadline := time.Now().Add(20 * time.Second)
	for n := 0; len(queue) > 0 && n < limit && time.Now().Before(deadline); n++ {
		s := queue[0]
		queue = queue[1:]
		if c.Experiment.Check(s.v) == nil {
			r, err := c.Experiment.Execute(t.Context(), s.v, nil)
			if err == nil {
				if ok, _ := c.Exercise.Goal.Eval(r, s.v); ok {
					return true
				}
			}
		}
		for _, p := range tweak {
			if s.presses[p.Name] >= maxPresses {
				continue
			}
			for _, dir := range []int{+1, -1} {
				v := s.v.Clone()
				v[p.Name] = p.Nudge(v[p.Name], dir)
				if k := key(v); !seen[k] {
					seen[k] = true
					pr := map[string]int{}
					for k, n := range s.presses {
						pr[k] = n
					}
					pr[p.Name]++
					queue = append(queue, state{v, pr})
				}
			}
		}
	}
	return false
}
