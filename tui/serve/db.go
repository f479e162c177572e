package serve

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"github.com/nnlab/nnlab/lessons"
)

// DBFile is the database inside the data directory.
const DBFile = "nnlab.db"

// migrations bring the schema from version i to i+1; PRAGMA user_version
// holds the version reached. Append only: a released migration never
// changes.
var migrations = []string{
	`CREATE TABLE learners (
		id      INTEGER PRIMARY KEY,
		key     TEXT NOT NULL UNIQUE, -- "key:SHA256:…" or "name:…"
		name    TEXT NOT NULL,
		created INTEGER NOT NULL      -- unix ms
	);
	CREATE TABLE states (
		learner INTEGER PRIMARY KEY REFERENCES learners(id),
		data    BLOB NOT NULL,        -- the learner's state, as state.json holds it
		updated INTEGER NOT NULL
	);
	CREATE TABLE events (
		id      INTEGER PRIMARY KEY,
		learner INTEGER NOT NULL REFERENCES learners(id),
		at      INTEGER NOT NULL,     -- unix ms
		kind    TEXT NOT NULL,        -- lesson, cell, run, exercise, quiz, connect, disconnect
		lesson  TEXT NOT NULL DEFAULT '',
		cell    TEXT NOT NULL DEFAULT '',
		ok      INTEGER NOT NULL DEFAULT 0,
		detail  TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX events_learner_at ON events(learner, at);`,
}

// DB is a workshop's data: learners, their progress and their activity.
// It is safe for concurrent use; every change is one transaction.
type DB struct {
	sql *sql.DB
}

// OpenDB opens (creating it if needed) the database in dir, in WAL mode so
// that `nnlab report` can read while the server writes, and migrates it.
// What is there already must be a workshop's database (or an empty one):
// anything else — another program's SQLite file, a file that is not SQLite,
// one of a newer nnlab, a pipe or a folder — is an error wrapping
// ErrNotWorkshop, found before anything is written.
func OpenDB(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("serve: cannot create the data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, DBFile)
	if err := checkExisting(path); err != nil {
		return nil, fmt.Errorf("serve: %q: %w", path, err)
	}
	dsn := fileURI(path) + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	s, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("serve: cannot open %s: %w", path, err)
	}
	db := &DB{sql: s}
	if err := db.migrate(context.Background()); err != nil {
		s.Close()
		return nil, fmt.Errorf("serve: %s: %w", path, err)
	}
	// Learners' names and activity: readable by the server's user only.
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(f); err == nil {
			os.Chmod(f, 0o600)
		}
	}
	return db, nil
}

// ErrNotWorkshop is a file that is not a workshop's database (or one of a
// newer nnlab).
var ErrNotWorkshop = errors.New("not a workshop database")

// OpenReadOnly opens the workshop database in dir for reading only, as
// `nnlab report` does: no migration, no change of its journal mode or
// permissions, and it works on a file the reader cannot write. A path that
// is not a regular file, a file that is not an nnlab database, or one of a
// schema newer than this nnlab's is an error wrapping ErrNotWorkshop.
func OpenReadOnly(dir string) (*DB, error) {
	path := filepath.Join(dir, DBFile)
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("serve: no workshop database %q: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("serve: %q is %w", path, &notWorkshopError{why: (&lessons.NotRegularError{Mode: info.Mode()}).Error()})
	}
	db, err := openChecked(path, "mode=ro")
	if err != nil && isReadOnlyDir(err) {
		// A database in WAL mode is read with its -shm index, which SQLite
		// makes beside it when missing; in a folder the reader may not
		// write it cannot. Without a -wal file no server has the database
		// open (a server keeps one while it runs), so it is read as
		// immutable: no index, no locks.
		if _, werr := os.Stat(path + "-wal"); errors.Is(werr, fs.ErrNotExist) {
			db, err = openChecked(path, "mode=ro&immutable=1")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("serve: %q: %w", path, err)
	}
	return db, nil
}

// openChecked opens path with the URI parameters params and checks that it
// is a workshop database (checkSchema).
func openChecked(path, params string) (*DB, error) {
	s, err := sql.Open("sqlite", fileURI(path)+"?"+params+"&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	db := &DB{sql: s}
	if err := db.checkSchema(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	return db, nil
}

// isReadOnlyDir is SQLite's error for a database it cannot read without
// writing beside it (SQLITE_READONLY_DIRECTORY, SQLITE_CANTOPEN).
func isReadOnlyDir(err error) bool {
	var e interface{ Code() int }
	if errors.As(err, &e) {
		switch e.Code() {
		case 1544, 14: // SQLITE_READONLY_DIRECTORY, SQLITE_CANTOPEN
			return true
		}
	}
	return false
}

// notWorkshopError says why a file is not a workshop database.
type notWorkshopError struct {
	why          string
	empty, older bool // an SQLite file without tables; an older schema of nnlab's
}

func (e *notWorkshopError) Error() string { return "not a workshop database: " + e.why }
func (e *notWorkshopError) Unwrap() error { return ErrNotWorkshop }

// checkSchema checks, without writing, that the database is nnlab's at the
// schema this nnlab knows.
func (db *DB) checkSchema(ctx context.Context) error {
	var v int
	if err := db.sql.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		if strings.Contains(err.Error(), "file is not a database") {
			return &notWorkshopError{why: "not an SQLite file"}
		}
		return err
	}
	if v > len(migrations) {
		return &notWorkshopError{why: fmt.Sprintf("its schema version is %d, newer than this nnlab's (%d): use a newer nnlab", v, len(migrations))}
	}
	var tables, ours int
	err := db.sql.QueryRowContext(ctx, "SELECT count(*), count(CASE WHEN name IN ('learners', 'states', 'events') THEN 1 END) FROM sqlite_master WHERE type = 'table'").Scan(&tables, &ours)
	if err != nil {
		return err
	}
	if v == 0 || ours != 3 {
		return &notWorkshopError{why: "an SQLite file without nnlab's tables: another program's database, not a workshop's", empty: v == 0 && tables == 0}
	}
	if v < len(migrations) {
		return &notWorkshopError{why: fmt.Sprintf("its schema version is %d, older than this nnlab's (%d): start nnlab serve on it once to bring it up to date", v, len(migrations)), older: true}
	}
	return nil
}

// checkExisting checks, reading only, that the file at path (if any) is a
// workshop's database of a schema this nnlab knows or can bring up to date,
// or an empty database.
func checkExisting(path string) error {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return &notWorkshopError{why: (&lessons.NotRegularError{Mode: info.Mode()}).Error()}
	}
	if info.Size() == 0 {
		return nil
	}
	s, err := sql.Open("sqlite", fileURI(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer s.Close()
	db := &DB{sql: s}
	err = db.checkSchema(context.Background())
	var nw *notWorkshopError
	if errors.As(err, &nw) && nw.older { // migrate brings it up to date
		return nil
	}
	if errors.As(err, &nw) && nw.empty {
		return nil
	}
	return err
}

// fileURI is path as an SQLite file: URI ('%', '?' and '#' escaped).
func fileURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

func (db *DB) migrate(ctx context.Context) error {
	var v int
	if err := db.sql.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("the database is at schema version %d, newer than this nnlab knows (%d): use a newer nnlab", v, len(migrations))
	}
	for ; v < len(migrations); v++ {
		tx, err := db.sql.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Learner finds or creates the learner with key, naming it name when new.
func (db *DB) Learner(ctx context.Context, key, name string) (int64, error) {
	var id int64
	err := db.sql.QueryRowContext(ctx, "SELECT id FROM learners WHERE key = ?", key).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	_, err = db.sql.ExecContext(ctx, "INSERT INTO learners(key, name, created) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING", key, name, time.Now().UnixMilli())
	if err != nil {
		return 0, err
	}
	err = db.sql.QueryRowContext(ctx, "SELECT id FROM learners WHERE key = ?", key).Scan(&id)
	return id, err
}

// Event records one thing a learner did.
func (db *DB) Event(ctx context.Context, learner int64, at time.Time, kind, lesson, cell string, ok bool, detail string) error {
	_, err := db.sql.ExecContext(ctx, "INSERT INTO events(learner, at, kind, lesson, cell, ok, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
		learner, at.UnixMilli(), kind, lesson, cell, ok, detail)
	return err
}

// LoadState is a learner's saved state (nil when none yet).
func (db *DB) LoadState(ctx context.Context, learner int64) ([]byte, error) {
	var data []byte
	err := db.sql.QueryRowContext(ctx, "SELECT data FROM states WHERE learner = ?", learner).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return data, err
}

// SaveState replaces a learner's state with what merge makes of the state
// saved now (nil when none), in one transaction, so that two sessions of one
// learner never lose each other's changes.
func (db *DB) SaveState(ctx context.Context, learner int64, merge func(saved []byte) ([]byte, error)) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var saved []byte
	err = tx.QueryRowContext(ctx, "SELECT data FROM states WHERE learner = ?", learner).Scan(&saved)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	data, err := merge(saved)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO states(learner, data, updated) VALUES (?, ?, ?) ON CONFLICT(learner) DO UPDATE SET data = excluded.data, updated = excluded.updated",
		learner, data, time.Now().UnixMilli())
	if err != nil {
		return err
	}
	return tx.Commit()
}
