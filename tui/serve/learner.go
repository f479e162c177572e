package serve

import (
	"context"
	"time"

	"github.com/nnlab/nnlab/tui"
	"github.com/nnlab/nnlab/tui/state"
	"github.com/nnlab/nnlab/tui/workshop"
)

// learnerSession is one session's learner: their id in the store, their
// progress (backed by the store) and where their activity goes.
type learnerSession struct {
	srv   *Server
	ctx   context.Context
	id    int64
	store *state.Store
	rec   *sessionRecorder
}

// open opens learner l's progress.
func (l *learnerSession) open(lr workshop.Learner) error {
	ctx, cancel := context.WithTimeout(l.ctx, 10*time.Second)
	defer cancel()
	data, err := l.srv.store.LoadState(ctx, lr.ID)
	if err != nil {
		return err
	}
	st := l.srv.store
	id := lr.ID
	store, notice := state.NewBacked(data, state.BackendFunc(func(merge func([]byte) ([]byte, error)) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return st.UpdateState(ctx, id, merge)
	}))
	if notice != "" {
		l.srv.log.Printf("learner %d: %s", id, notice)
	}
	l.id, l.store = id, store
	l.rec = l.srv.rec.session(id)
	return nil
}

// loginByKey finds (or makes) the learner with an SSH key's fingerprint.
func (l *learnerSession) loginByKey(fingerprint string) (workshop.Learner, error) {
	ctx, cancel := context.WithTimeout(l.ctx, 10*time.Second)
	defer cancel()
	lr, err := l.srv.store.LearnerByKey(ctx, "key:"+fingerprint)
	if err != nil {
		return lr, err
	}
	if err := l.open(lr); err != nil {
		return lr, err
	}
	l.connected()
	return lr, nil
}

// loginByName is the login of a learner without a key: by the name typed,
// matched whatever its case, spacing or Unicode form.
func (l *learnerSession) loginByName(name string) (tui.Login, error) {
	ctx, cancel := context.WithTimeout(l.ctx, 10*time.Second)
	defer cancel()
	lr, found, err := l.srv.store.LearnerByName(ctx, name)
	if err != nil {
		l.srv.log.Printf("login by name: %v", err)
		return tui.Login{}, err
	}
	if err := l.open(lr); err != nil {
		l.srv.log.Printf("learner %d: %v", lr.ID, err)
		return tui.Login{}, err
	}
	l.connected()
	return tui.Login{Store: l.store, Name: lr.Name, Again: found}, nil
}

// rename gives the learner the name they typed.
func (l *learnerSession) rename(name string) (string, error) {
	ctx, cancel := context.WithTimeout(l.ctx, 10*time.Second)
	defer cancel()
	if err := l.srv.store.Rename(ctx, l.id, name); err != nil {
		if err != workshop.ErrNameTaken {
			l.srv.log.Printf("learner %d: rename: %v", l.id, err)
		}
		return "", err
	}
	return workshop.CleanName(name), nil
}

// connected records the session's start (on this server, so that its
// learner shows online while the server runs).
func (l *learnerSession) connected() {
	l.rec.record(workshop.Event{Kind: workshop.KindConnect, Detail: l.srv.id})
}

// record stores an activity (coalesced and bounded: recorder.go); it
// returns at once, and does nothing before login.
func (l *learnerSession) record(a tui.Activity) {
	if r := l.rec; r != nil {
		r.record(a)
	}
}

// end records the session's end, and what it still held back.
func (l *learnerSession) end() {
	if r := l.rec; r != nil {
		r.record(workshop.Event{Kind: workshop.KindDisconnect, Detail: l.srv.id})
		r.close()
	}
}
