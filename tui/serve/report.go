package serve

import (
	"context"
	"sort"
	"time"

	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui"
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
	rows, err := db.sql.QueryContext(ctx, `SELECT l.id, l.name, l.key, e.id, e.at, e.kind, e.lesson, e.cell, e.ok, e.detail
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
	damaged := 0
	for rows.Next() {
		// Any column may hold anything in a hand-edited database: each is
		// read as it is and checked (row), never assumed.
		var raw [10]any
		ptrs := make([]any, len(raw))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return tui.Class{}, err
		}
		ev, ok := readRow(raw)
		if !ok {
			damaged++
			if ev.id == 0 {
				continue // not even the learner is known
			}
		}
		id := ev.id
		r := learners[id]
		if r == nil {
			r = &tui.LearnerReport{Name: ev.name, Key: ev.key, Visited: []string{}}
			learners[id], visited[id], passed[id] = r, map[string]bool{}, map[exKey]bool{}
			order = append(order, id)
		}
		if !ok || !ev.hasEvent {
			continue
		}
		t := time.UnixMilli(ev.at)
		if p, seen := last[id]; seen && t.Sub(p) <= idleGap {
			r.Seconds += int64(t.Sub(p).Seconds())
		}
		last[id], r.Last = t, t
		switch ev.kind {
		case "lesson":
			r.Lesson, r.Cell = ev.lesson, ""
			if !visited[id][ev.lesson] {
				visited[id][ev.lesson] = true
				r.Visited = append(r.Visited, ev.lesson)
			}
		case "cell", "run":
			r.Lesson, r.Cell = ev.lesson, ev.cell
		case "exercise":
			k := exKey{ev.lesson, ev.cell}
			a := exs[k]
			if a == nil {
				a = &exAcc{passed: map[int64]bool{}, tried: map[int64]bool{}, hints: map[string]int{}}
				exs[k] = a
				exOrder = append(exOrder, k)
			}
			a.attempts++
			a.tried[id] = true
			r.Attempts++
			if ev.ok {
				a.passed[id] = true
				if !passed[id][k] {
					passed[id][k] = true
					r.Passed++
				}
				if r.Failing == ev.lesson+"/"+ev.cell {
					r.Failing, r.FailingTimes = "", 0
				}
			} else {
				if ev.detail != "" {
					a.hints[ev.detail]++
				}
				if f := ev.lesson + "/" + ev.cell; r.Failing == f {
					r.FailingTimes++
				} else if !passed[id][k] {
					r.Failing, r.FailingTimes = f, 1
				}
			}
		case "quiz":
			r.QuizAnswered++
			if ev.ok {
				r.QuizRight++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return tui.Class{}, err
	}
	c := tui.Class{Damaged: damaged}
	for _, id := range order {
		r := learners[id]
		r.Minutes = tui.MinutesOf(r.Seconds)
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

// row is one row of the report's query, checked.
type row struct {
	id                         int64 // the learner; 0 when unknown
	name, key                  string
	hasEvent                   bool // false: a learner without events
	at                         int64
	kind, lesson, cell, detail string
	ok                         bool
}

// readRow checks one row of the report's query (learner id, name, key,
// event id, at, kind, lesson, cell, ok, detail) as the database returned
// it: ok is false when a field is missing (NULL) or of the wrong type. The
// texts are made fit to show (lessons.OneLine).
func readRow(raw [10]any) (r row, ok bool) {
	id, okID := raw[0].(int64)
	if !okID || id == 0 {
		return row{}, false
	}
	r.id = id
	name, okName := text(raw[1])
	key, okKey := text(raw[2])
	r.name, r.key = lessons.OneLine(name), lessons.OneLine(key)
	if r.name == "" {
		r.name = "?"
	}
	if raw[3] == nil { // a learner without events (the LEFT JOIN)
		return r, okName && okKey
	}
	at, okAt := raw[4].(int64)
	kind, okKind := text(raw[5])
	lesson, ok1 := textOrNull(raw[6])
	cell, ok2 := textOrNull(raw[7])
	detail, ok3 := textOrNull(raw[9])
	var okOK bool
	switch v := raw[8].(type) {
	case int64:
		r.ok, okOK = v != 0, true
	case bool:
		r.ok, okOK = v, true
	case nil:
		okOK = true
	}
	if !(okName && okKey && okAt && okKind && ok1 && ok2 && ok3 && okOK) {
		return r, false
	}
	r.hasEvent, r.at = true, at
	r.kind, r.lesson, r.cell, r.detail = kind, lessons.OneLine(lesson), lessons.OneLine(cell), lessons.OneLine(detail)
	return r, true
}

// text is a TEXT (or BLOB) value; false for NULL or another type.
func text(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	}
	return "", false
}

// textOrNull is text, with NULL read as "".
func textOrNull(v any) (string, bool) {
	if v == nil {
		return "", true
	}
	return text(v)
}
