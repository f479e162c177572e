package tui

import "context"

// Slots bound how many computations run at once: a learner's session runs
// one heavy computation at a time (a training run), and a server shares
// one set of slots among all its sessions so that one learner's long
// training cannot starve the room. A nil Slots never limits.
type Slots chan struct{}

// NewSlots makes n slots (n ≥ 1).
func NewSlots(n int) Slots { return make(Slots, max(1, n)) }

// tryAcquire takes a slot if one is free now.
func (s Slots) tryAcquire() bool {
	if s == nil {
		return true
	}
	select {
	case s <- struct{}{}:
		return true
	default:
		return false
	}
}

// acquire waits for a slot or for ctx to end.
func (s Slots) acquire(ctx context.Context) error {
	if s == nil {
		return nil
	}
	select {
	case s <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s Slots) release() {
	if s != nil {
		<-s
	}
}

// acquireAll takes a slot of each of slots in order, calling waiting once
// if any is not free at once; on failure it releases what it took.
func acquireAll(ctx context.Context, waiting func(), slots ...Slots) (release func(), err error) {
	var held []Slots
	release = func() {
		for i := len(held) - 1; i >= 0; i-- {
			held[i].release()
		}
	}
	told := false
	for _, s := range slots {
		if !s.tryAcquire() {
			if !told {
				waiting()
				told = true
			}
			if err := s.acquire(ctx); err != nil {
				release()
				return func() {}, err
			}
		}
		held = append(held, s)
	}
	return release, nil
}
