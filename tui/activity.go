package tui

import "time"

// Activity is one thing a learner did, for a workshop's live view and its
// report: a lesson opened, a cell focused or run, an exercise judged, a
// quiz question answered.
type Activity struct {
	At     time.Time
	Kind   string // "lesson", "cell", "run", "exercise", "quiz"
	Lesson string
	Cell   string // a cell or quiz id; for "quiz", the question's kind
	OK     bool   // an exercise passed, a quiz answer right
	Detail string // why an exercise failed (its hint), a quiz question's kind
}

// record reports an activity to the session's listener, if it has one.
// Listeners must return at once (a server queues what it stores).
func (c *Common) record(a Activity) {
	if c.activity == nil {
		return
	}
	if a.At.IsZero() {
		a.At = time.Now()
	}
	c.activity(a)
}
