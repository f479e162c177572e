package tui

import (
	"sort"
	"strings"
	"time"

	"github.com/nnlab/nnlab/tui/workshop"
)

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

// record reports what the learner did — a lesson opened, a cell focused or
// run, an exercise judged, a quiz question answered — to the session's
// listener, if it has one (a server's: it fills in who, and records it).
// Listeners must return at once (a server queues what it stores).
func (c *Common) record(a workshop.Event) {
	if c.activity == nil {
		return
	}
	if a.At.IsZero() {
		a.At = time.Now()
	}
	c.activity(a)
}
