package tui

import (
	"sort"
	"strings"
	"time"

	"github.com/nnlab/nnlab/tui/workshop"
)

// Activity is one thing a learner did, for a workshop's live view and its
// report: a lesson opened, a cell focused or run, an exercise judged, a
// quiz question answered (workshop.Event; the server fills in who).
type Activity = workshop.Event

// paramsText is a cell's values as a run's event keeps them ("beta=0.9
// lr=0.1"; "" for the lesson's own values).
func paramsText(p map[string]string) string {
	names := make([]string, 0, len(p))
	for n := range p {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		names[i] = n + "=" + p[n]
	}
	return strings.Join(names, " ")
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
