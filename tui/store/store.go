// Package store keeps a workshop — its learners, their state, their
// events, the instructor's notices and the servers running — behind one
// small interface, Store, with two implementations: the embedded SQLite
// database of one server (OpenSQLite, the default) and PostgreSQL, which
// several servers share (OpenPostgres). Each has its own migrations
// (package migrations). Feed keeps a class up to date from a store.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/nnlab/nnlab/tui/workshop"
)

// Store is where a workshop keeps what it knows. It is safe for
// concurrent use, by several processes too.
type Store interface {
	// LearnerByKey finds or creates the learner with key (an SSH key's
	// fingerprint, "key:SHA256:…"); a new one has no name yet.
	LearnerByKey(ctx context.Context, key string) (workshop.Learner, error)
	// LearnerByName finds the learner who came without a key under name
	// (matched by workshop.FoldName), or creates them; found tells which.
	LearnerByName(ctx context.Context, name string) (l workshop.Learner, found bool, err error)
	// Rename gives learner id the name (workshop.CleanName of it), as the
	// learner's own, and records a "name" event. A learner without a key
	// is found by their name: a name another such learner has is
	// ErrNameTaken.
	Rename(ctx context.Context, id int64, name string) error
	// Learners is the learners with the given ids, or every learner when
	// none is given, by id; damaged counts the rows left out or repaired.
	Learners(ctx context.Context, ids ...int64) (ls []workshop.Learner, damaged int, err error)

	// LoadState is learner id's saved state (nil when none yet).
	LoadState(ctx context.Context, id int64) ([]byte, error)
	// UpdateState replaces learner id's state with what merge makes of the
	// state saved now (nil when none), the read, merge and write
	// serialised against every other update of that learner's state, in
	// any process.
	UpdateState(ctx context.Context, id int64, merge func(saved []byte) ([]byte, error)) error

	// AddEvents stores events in one transaction; their IDs increase in
	// the order they become visible, so a reader that read up to ID n
	// misses nothing by reading after n next.
	AddEvents(ctx context.Context, evs []workshop.Event) error
	// Events is at most limit events with IDs after after, by ID; damaged
	// counts the rows among them left out, and last is the highest ID read
	// (after when none): read after it next.
	Events(ctx context.Context, after int64, limit int) (evs []workshop.Event, damaged int, last int64, err error)

	// AddNotice stores what the instructor sends the room.
	AddNotice(ctx context.Context, n workshop.Notice) error
	// Notices is the notices with IDs after after, by ID; after < 0 reads
	// none but tells the last ID.
	Notices(ctx context.Context, after int64) (ns []workshop.Notice, last int64, err error)

	// Beat notes that server is running at at; Live is the servers that
	// did since since.
	Beat(ctx context.Context, server string, at time.Time) error
	Live(ctx context.Context, since time.Time) ([]string, error)

	Close() error
}

// ErrNameTaken is a name another learner without a key already has.
var ErrNameTaken = workshop.ErrNameTaken

// ErrNotWorkshop is a database that is not a workshop's (or one of a newer
// nnlab).
var ErrNotWorkshop = errors.New("not a workshop database")

// notWorkshopError says why a database is not a workshop's.
type notWorkshopError struct {
	why          string
	empty, older bool // without tables; an older schema of nnlab's
}

func (e *notWorkshopError) Error() string { return "not a workshop database: " + e.why }
func (e *notWorkshopError) Unwrap() error { return ErrNotWorkshop }
