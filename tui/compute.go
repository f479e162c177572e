package tui

import (
	"context"
	"sync"
)

// Slots bound how many computations run at once: a learner's session runs
// one heavy computation at a time (a training run), and a server shares
// one set of slots among all its sessions so that one learner's long
// training cannot starve the room. A nil Slots never limits.
//
// A run the learner asked for (a cell they ran or changed) is served
// before the runs nnlab starts by itself (a lesson's cells and values as
// it opens), each kind first come, first served, and it preempts those of
// nnlab's own runs that hold the slots it waits for and can start over
// (a cell's run steps aside and queues again). Opening lesson 6 queues
// about 24 s of training: a cell changed at once waited behind all of it.
type Slots = *slots

type slots struct {
	mu      sync.Mutex
	free    int
	queue   [2][]*waiter // [0] runs a key asked for, [1] nnlab's own
	holders []*holder    // the runs holding a slot
}

// holder is one run's hold on slots; preempt, when not nil, asks it to
// step aside (called at most once, with a slots' lock held: it must not
// block).
type holder struct {
	once    sync.Once
	preempt func()
}

// stop asks the run to step aside, once.
func (h *holder) stop() {
	if h.preempt != nil {
		h.once.Do(h.preempt)
	}
}

// waiter is a run waiting for a slot; release hands it the slot by
// closing ready.
type waiter struct {
	ready   chan struct{}
	granted bool
	h       *holder
}

// NewSlots makes n slots (n ≥ 1).
func NewSlots(n int) Slots { return &slots{free: max(1, n)} }

// tryAcquire takes a slot for h if one is free now. (A slot is free only
// while nobody waits: release hands slots to waiters first.)
func (s *slots) tryAcquire(h *holder) bool {
	if s == nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.free > 0 {
		s.free--
		s.holders = append(s.holders, h)
		return true
	}
	return false
}

// acquire waits for a slot or for ctx to end; a run a key asked for
// (asked) waits behind other such runs only.
func (s *slots) acquire(ctx context.Context, asked bool, h *holder) error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	if s.free > 0 {
		s.free--
		s.holders = append(s.holders, h)
		s.mu.Unlock()
		return nil
	}
	q := 1
	if asked {
		q = 0
		for _, x := range s.holders {
			x.stop()
		}
	}
	w := &waiter{ready: make(chan struct{}), h: h}
	s.queue[q] = append(s.queue[q], w)
	s.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	if w.granted { // handed the slot as the wait ended: pass it on
		s.mu.Unlock()
		s.release(h)
		return ctx.Err()
	}
	for i, x := range s.queue[q] {
		if x == w {
			s.queue[q] = append(s.queue[q][:i], s.queue[q][i+1:]...)
			break
		}
	}
	s.mu.Unlock()
	return ctx.Err()
}

// release ends h's hold: the slot goes to the first waiting run a key
// asked for, else to the first of nnlab's own, else is freed.
func (s *slots) release(h *holder) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.holders {
		if x == h {
			s.holders = append(s.holders[:i], s.holders[i+1:]...)
			break
		}
	}
	for q := range s.queue {
		if len(s.queue[q]) > 0 {
			w := s.queue[q][0]
			s.queue[q][0] = nil
			s.queue[q] = s.queue[q][1:]
			w.granted = true
			s.holders = append(s.holders, w.h)
			close(w.ready)
			return
		}
	}
	s.free++
}

// acquireAll takes a slot of each of slots in order, calling waiting once
// if any is not free at once; on failure it releases what it took. asked
// says whether a key of the learner's asked for this run (see Slots);
// preempt, if not nil, is how the run steps aside for one that was.
func acquireAll(ctx context.Context, waiting func(), asked bool, preempt func(), slots ...Slots) (release func(), err error) {
	h := &holder{preempt: preempt}
	var held []Slots
	release = func() {
		for i := len(held) - 1; i >= 0; i-- {
			held[i].release(h)
		}
	}
	told := false
	for _, s := range slots {
		if !s.tryAcquire(h) {
			if !told {
				waiting()
				told = true
			}
			if err := s.acquire(ctx, asked, h); err != nil {
				release()
				return func() {}, err
			}
		}
		held = append(held, s)
	}
	return release, nil
}

// acquireRun takes the slots a run needs (see Common.runSlots), as
// acquireAll does, and returns the context to run under: for a run nnlab
// started by itself (not asked) it is cancelled when the run should step
// aside, which steppedAside then tells. release ends the hold and that
// context.
func acquireRun(ctx context.Context, waiting func(), asked bool, slots ...Slots) (run context.Context, release func(), err error) {
	run, stop := context.WithCancel(ctx)
	var preempt func()
	if !asked {
		preempt = stop
	}
	held, err := acquireAll(ctx, waiting, asked, preempt, slots...)
	if err != nil {
		stop()
		return nil, func() {}, err
	}
	return run, func() { held(); stop() }, nil
}

// steppedAside reports whether a run under run (from acquireRun, before
// its release) failed with err because it was asked to step aside, not
// because ctx, its caller's, ended.
func steppedAside(ctx, run context.Context, err error) bool {
	return err != nil && run.Err() != nil && ctx.Err() == nil
}

// runSlots are the slots a run takes: the server's cap, after the
// session's one heavy slot for a heavy run (or for every run, in a
// server's session).
func (c *Common) runSlots(heavy bool) []Slots {
	if heavy || c.oneAtATime {
		return []Slots{c.heavy, c.shared}
	}
	return []Slots{c.shared}
}
