package serve

import (
	"context"
	"log"
	"sync"
	"time"

	"github.com/nnlab/nnlab/tui/store"
	"github.com/nnlab/nnlab/tui/workshop"
)

// What a learner's activity may cost the store.
const (
	// flushEvery is how often the server writes the events of all its
	// sessions, in one transaction.
	flushEvery = 200 * time.Millisecond
	// focusHold is how long a cell's focus is held back: a focus that
	// another follows within it (Tab, Tab, Tab…) is never written.
	focusHold = time.Second
	// eventRate and eventBurst bound the events one session writes: on
	// average eventRate a second, eventBurst at once; beyond, they are
	// dropped (and counted in the log).
	eventRate  = 5.0
	eventBurst = 30.0
)

// recorder writes the server's events: the sessions hand it theirs, and
// every flushEvery it stores what it holds in one transaction.
type recorder struct {
	store store.Store
	log   *log.Logger

	mu      sync.Mutex
	pending []workshop.Event
	stop    chan struct{}
	done    chan struct{}
}

func newRecorder(s store.Store, l *log.Logger) *recorder {
	r := &recorder{store: s, log: l, stop: make(chan struct{}), done: make(chan struct{})}
	go r.run()
	return r
}

func (r *recorder) add(e workshop.Event) {
	r.mu.Lock()
	r.pending = append(r.pending, e)
	r.mu.Unlock()
}

func (r *recorder) run() {
	defer close(r.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.flush()
		case <-r.stop:
			r.flush()
			return
		}
	}
}

// flush stores what is pending.
func (r *recorder) flush() {
	r.mu.Lock()
	evs := r.pending
	r.pending = nil
	r.mu.Unlock()
	if len(evs) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.store.AddEvents(ctx, evs); err != nil {
		r.log.Printf("cannot record %d events: %v", len(evs), err)
	}
}

// close writes what is pending and stops.
func (r *recorder) close() {
	close(r.stop)
	<-r.done
}

// session is the recorder of one learner's session.
func (r *recorder) session(learner int64) *sessionRecorder {
	return &sessionRecorder{r: r, learner: learner, tokens: eventBurst, last: time.Now()}
}

// sessionRecorder coalesces and bounds one session's events: a focus is
// held back for focusHold and replaced by the next focus; the rest go to
// the recorder, at most eventRate a second on average.
type sessionRecorder struct {
	r       *recorder
	learner int64

	mu      sync.Mutex
	held    *workshop.Event // a focus not yet written
	timer   *time.Timer
	tokens  float64
	last    time.Time
	dropped int
	closed  bool
}

// record takes one event of the session's learner.
func (s *sessionRecorder) record(e workshop.Event) {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.Learner = s.learner
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if e.Kind == workshop.KindCell {
		if s.held == nil {
			s.timer = time.AfterFunc(focusHold, s.release)
		}
		s.held = &e
		return
	}
	s.releaseLocked()
	switch e.Kind {
	case workshop.KindConnect, workshop.KindDisconnect: // always: they say who is online
		s.r.add(e)
	default:
		if s.take(e.At) {
			s.r.add(e)
		}
	}
}

// take spends a token of the session's bucket.
func (s *sessionRecorder) take(now time.Time) bool {
	s.tokens = min(eventBurst, s.tokens+now.Sub(s.last).Seconds()*eventRate)
	s.last = now
	if s.tokens < 1 {
		if s.dropped == 0 {
			s.r.log.Printf("learner %d: more than %.0f events a second: dropping the excess", s.learner, eventRate)
		}
		s.dropped++
		return false
	}
	s.tokens--
	return true
}

func (s *sessionRecorder) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releaseLocked()
}

// releaseLocked writes the focus held back, if any.
func (s *sessionRecorder) releaseLocked() {
	if s.held == nil {
		return
	}
	e := *s.held
	s.held = nil
	s.timer.Stop()
	if s.take(e.At) {
		s.r.add(e)
	}
}

// close writes what the session held back; later events are ignored.
func (s *sessionRecorder) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releaseLocked()
	s.closed = true
	if s.dropped > 0 {
		s.r.log.Printf("learner %d: %d events dropped in this session (over %.0f a second)", s.learner, s.dropped, eventRate)
	}
}
