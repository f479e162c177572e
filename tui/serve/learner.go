package serve

import (
	"context"
	"time"

	"github.com/nnlab/nnlab/tui"
	"github.com/nnlab/nnlab/tui/state"
)

// learnerSession is one session's learner: their id in the database, their
// store (backed by the database) and where their activity goes.
type learnerSession struct {
	srv   *Server
	ctx   context.Context
	id    int64
	store *state.Store
}

// login finds or creates the learner with key and opens their store.
func (l *learnerSession) login(key, name string) error {
	ctx, cancel := context.WithTimeout(l.ctx, 10*time.Second)
	defer cancel()
	id, err := l.srv.db.Learner(ctx, key, name)
	if err != nil {
		return err
	}
	data, err := l.srv.db.LoadState(ctx, id)
	if err != nil {
		return err
	}
	db := l.srv.db
	store, notice := state.NewBacked(data, state.BackendFunc(func(merge func([]byte) ([]byte, error)) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return db.SaveState(ctx, id, merge)
	}))
	if notice != "" {
		l.srv.log.Printf("learner %s: %s", key, notice)
	}
	l.id, l.store = id, store
	return nil
}

// loginByName is the login of a learner without a key: by the name typed.
func (l *learnerSession) loginByName(name string) (*state.Store, error) {
	if err := l.login("name:"+name, name); err != nil {
		return nil, err
	}
	l.record(tui.Activity{Kind: "connect"})
	return l.store, nil
}

// record stores an activity; it returns at once (the write happens in a
// goroutine, one transaction each), and does nothing before login.
func (l *learnerSession) record(a tui.Activity) {
	if l.id == 0 {
		return
	}
	if a.At.IsZero() {
		a.At = time.Now()
	}
	id, db, log := l.id, l.srv.db, l.srv.log
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := db.Event(ctx, id, a.At, a.Kind, a.Lesson, a.Cell, a.OK, a.Detail); err != nil {
			log.Printf("learner %d: cannot record %s: %v", id, a.Kind, err)
		}
	}()
}
