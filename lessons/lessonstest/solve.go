// Package lessonstest helps tests drive lessons as a learner does.
package lessonstest

import (
	"context"
	"strings"
	"time"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/lessons"
)

// Press is one +/− key on a cell's tweakable value Tweak[Param].
type Press struct {
	Param int // index into the cell's Tweak
	Dir   int // +1 or −1
}

// Solve finds the fewest +/− presses (at most maxPresses on each value,
// visiting at most limit value sets) after which c's exercise passes, from
// the lesson's values — a breadth-first search over what a learner can
// reach with the keys.
func Solve(ctx context.Context, c *lessons.Cell, maxPresses, limit int) ([]Press, bool) {
	type state struct {
		v       experiment.Values
		presses []Press
		count   map[int]int
	}
	key := func(v experiment.Values) string {
		var b strings.Builder
		for _, name := range c.Tweak {
			p, _ := c.Experiment.Params.Lookup(name)
			b.WriteString(name + "=" + p.Format(v[name]) + " ")
		}
		return b.String()
	}
	seen := map[string]bool{key(c.Params): true}
	queue := []state{{c.Params.Clone(), nil, map[int]int{}}}
	deadline := time.Now().Add(20 * time.Second)
	for n := 0; len(queue) > 0 && n < limit && time.Now().Before(deadline); n++ {
		s := queue[0]
		queue = queue[1:]
		if c.Experiment.Check(s.v) == nil {
			if r, err := c.Experiment.Execute(ctx, s.v, nil); err == nil {
				if ok, _ := c.Exercise.Goal.Eval(r, s.v); ok {
					return s.presses, true
				}
			}
		}
		for i, name := range c.Tweak {
			p, _ := c.Experiment.Params.Lookup(name)
			if p.Kind == experiment.List || s.count[i] >= maxPresses {
				continue
			}
			for _, dir := range []int{+1, -1} {
				v := s.v.Clone()
				v[name] = p.Nudge(v[name], dir)
				if k := key(v); !seen[k] {
					seen[k] = true
					count := map[int]int{}
					for k, n := range s.count {
						count[k] = n
					}
					count[i]++
					queue = append(queue, state{v, append(append([]Press(nil), s.presses...), Press{i, dir}), count})
				}
			}
		}
	}
	return nil, false
}

// Typed reports whether an exercise tells the learner to type a value (e)
// rather than reach it with +/−.
func Typed(ex *lessons.Exercise) bool {
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
