package state

import (
	"encoding/json"
	"fmt"
)

// Backend keeps a learner's state somewhere other than a file: a workshop
// server's database. The Store is the same either way; only where Save
// writes differs.
type Backend interface {
	// Update replaces the saved state with what merge makes of it (nil
	// when nothing is saved yet), atomically: two sessions of one learner
	// saving at once both keep their changes.
	Update(merge func(saved []byte) ([]byte, error)) error
}

// BackendFunc is a function that is a Backend.
type BackendFunc func(merge func(saved []byte) ([]byte, error)) error

// Update calls f.
func (f BackendFunc) Update(merge func(saved []byte) ([]byte, error)) error { return f(merge) }

// NewBacked is the store of a learner whose state b keeps, starting from
// saved (nil for a new learner). Invalid entries in saved are dropped, as
// Open drops them; notice then says so.
func NewBacked(saved []byte, b Backend) (s *Store, notice string) {
	s = Memory()
	s.backend = b
	if saved == nil {
		return s, ""
	}
	f, dropped, err := parse(saved)
	if err != nil {
		return s, fmt.Sprintf("saved progress was unreadable (%v): started afresh", err)
	}
	s.data = *f
	if len(dropped) > 0 {
		notice = fmt.Sprintf("saved progress had %d invalid entries (%s): dropped them", len(dropped), summarize(dropped))
	}
	return s, notice
}

// saveBacked merges with what the backend holds and writes the result.
func (s *Store) saveBacked() error {
	err := s.backend.Update(func(saved []byte) ([]byte, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if saved != nil {
			if disk, _, err := parse(saved); err == nil {
				merge(&s.data, disk)
			}
		}
		return json.Marshal(s.data)
	})
	if err != nil {
		return fmt.Errorf("state: cannot save progress: %w", err)
	}
	return nil
}
