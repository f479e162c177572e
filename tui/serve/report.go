package serve

import (
	"context"
	"github.com/nnlab/nnlab/tui"
	"sort"
	"time"
)

// idleGap is the longest gap between two events that still counts as time
// spent working; longer ones are breaks.
const idleGap = 5 * time.Minute

// stuckFails is how many failed attempts at one exercise in a row, without
// a pass, mark a learner as stuck.
const stuckFails = 3

// Report reads the class's report at time now from the events. It only
// reads, so it is safe while a server writes.
func (db *DB) Report(ctx context.Context, now time.Time) (tui.Class, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT l.id, l.name, l.key, e.at, e.kind, e.lesson, e.cell, e.ok, e.detail
		FROM learners l LEFT JOIN events e ON e.learner = l.id ORDER BY l.id, e.at, e.id`)
	if err != nil {
		return tui.Class{}, err
	}
	defer rows.Close()
	type exKey struct{ lesson, cell string }
	type exAcc struct {
		passed, tried map[int64]bool
		attempts      int
		hints         map[string]int
	}
	learners := map[int64]*tui.LearnerReport{}
	var order []int64
	exs := map[exKey]*exAcc{}
	var exOrder []exKey
	last := map[int64]time.Time{}
	visited := map[int64]map[string]bool{}
	passed := map[int64]map[exKey]bool{}
	for rows.Next() {
		var id int64
		var name, key string
		var at *int64
		var kind, lesson, cell, detail *string
		var ok *bool
		if err := rows.Scan(&id, &name, &key, &at, &kind, &lesson, &cell, &ok, &detail); err != nil {
			return tui.Class{}, err
		}
		r := learners[id]
		if r == nil {
			r = &tui.LearnerReport{Name: name, Key: key, Visited: []string{}}
			learners[id], visited[id], passed[id] = r, map[string]bool{}, map[exKey]bool{}
			order = append(order, id)
		}
		if at == nil {
			continue
		}
		t := time.UnixMilli(*at)
		if p, seen := last[id]; seen && t.Sub(p) <= idleGap {
			r.Seconds += int64(t.Sub(p).Seconds())
		}
		last[id], r.Last = t, t
		switch *kind {
		case "lesson":
			r.Lesson, r.Cell = *lesson, ""
			if !visited[id][*lesson] {
				visited[id][*lesson] = true
				r.Visited = append(r.Visited, *lesson)
			}
		case "cell", "run":
			r.Lesson, r.Cell = *lesson, *cell
		case "exercise":
			k := exKey{*lesson, *cell}
			a := exs[k]
			if a == nil {
				a = &exAcc{passed: map[int64]bool{}, tried: map[int64]bool{}, hints: map[string]int{}}
				exs[k] = a
				exOrder = append(exOrder, k)
			}
			a.attempts++
			a.tried[id] = true
			r.Attempts++
			if *ok {
				a.passed[id] = true
				if !passed[id][k] {
					passed[id][k] = true
					r.Passed++
				}
				if r.Failing == *lesson+"/"+*cell {
					r.Failing, r.FailingTimes = "", 0
				}
			} else {
				if *detail != "" {
					a.hints[*detail]++
				}
				if f := *lesson + "/" + *cell; r.Failing == f {
					r.FailingTimes++
				} else if !passed[id][k] {
					r.Failing, r.FailingTimes = f, 1
				}
			}
		case "quiz":
			r.QuizAnswered++
			if *ok {
				r.QuizRight++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return tui.Class{}, err
	}
	var c tui.Class
	for _, id := range order {
		r := learners[id]
		switch {
		case r.FailingTimes >= stuckFails:
			r.Stuck = "failing " + r.Failing
		case !r.Last.IsZero() && r.Cell != "" && now.Sub(r.Last) >= idleGap:
			r.Stuck = "idle in " + r.Lesson + "/" + r.Cell
		}
		c.Learners = append(c.Learners, *r)
	}
	sort.SliceStable(c.Learners, func(i, j int) bool {
		a, b := c.Learners[i], c.Learners[j]
		if (a.Stuck != "") != (b.Stuck != "") {
			return a.Stuck != ""
		}
		return a.Name < b.Name
	})
	for _, k := range exOrder {
		a := exs[k]
		e := tui.ExerciseReport{Lesson: k.lesson, Cell: k.cell, Passed: len(a.passed), Tried: len(a.tried), Attempts: a.attempts}
		best := 0
		for h, n := range a.hints {
			if n > best || (n == best && h < e.CommonHint) {
				e.CommonHint, best = h, n
			}
		}
		c.Exercises = append(c.Exercises, e)
	}
	return c, nil
}
