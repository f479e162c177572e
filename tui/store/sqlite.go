package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/store/migrations"
)

// DBFile is the SQLite database inside a workshop's data directory.
const DBFile = "nnlab.db"

// sqliteMigrations bring the schema from version i to i+1; PRAGMA
// user_version holds the version reached.
var sqliteMigrations = migrations.For("sqlite")

// OpenSQLite opens (creating it if needed) the workshop database in dir,
// in WAL mode so that `nnlab report` can read while the server writes, and
// migrates it. What is there already must be a workshop's database (or an
// empty one): anything else — another program's SQLite file, a file that
// is not SQLite, one of a newer nnlab, a pipe or a folder — is an error
// wrapping ErrNotWorkshop, found before anything is written.
func OpenSQLite(dir string) (Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: cannot create the data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, DBFile)
	if err := checkExisting(path); err != nil {
		return nil, fmt.Errorf("store: %q: %w", path, err)
	}
	dsn := fileURI(path) + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: cannot open %s: %w", path, err)
	}
	s := &sqlStore{db: db}
	ctx := context.Background()
	if err := sqliteMigrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	if err := s.backfillFolds(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	// Learners' names and activity: readable by the server's user only.
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(f); err == nil {
			os.Chmod(f, 0o600)
		}
	}
	return s, nil
}

// OpenSQLiteReadOnly opens the workshop database in dir for reading only,
// as `nnlab report` does: no migration, no change of its journal mode or
// permissions, and it works on a file the reader cannot write. A path that
// is not a regular file, a file that is not an nnlab database, or one of a
// schema other than this nnlab's is an error wrapping ErrNotWorkshop.
func OpenSQLiteReadOnly(dir string) (Store, error) {
	path := filepath.Join(dir, DBFile)
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("store: no workshop database %q: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("store: %q is %w", path, &notWorkshopError{why: (&lessons.NotRegularError{Mode: info.Mode()}).Error()})
	}
	s, err := openChecked(path, "mode=ro")
	if err != nil && isReadOnlyDir(err) {
		// A database in WAL mode is read with its -shm index, which SQLite
		// makes beside it when missing; in a folder the reader may not
		// write it cannot. Without a -wal file no server has the database
		// open (a server keeps one while it runs), so it is read as
		// immutable: no index, no locks.
		if _, werr := os.Stat(path + "-wal"); errors.Is(werr, fs.ErrNotExist) {
			s, err = openChecked(path, "mode=ro&immutable=1")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: %q: %w", path, err)
	}
	return s, nil
}

// openChecked opens path with the URI parameters params and checks that it
// is a workshop database (sqliteCheckSchema).
func openChecked(path, params string) (*sqlStore, error) {
	db, err := sql.Open("sqlite", fileURI(path)+"?"+params+"&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	if err := sqliteCheckSchema(context.Background(), db); err != nil {
		db.Close()
		return nil, err
	}
	return &sqlStore{db: db}, nil
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

// sqliteCheckSchema checks, without writing, that the database is nnlab's
// at the schema this nnlab knows.
func sqliteCheckSchema(ctx context.Context, db *sql.DB) error {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		if strings.Contains(err.Error(), "file is not a database") {
			return &notWorkshopError{why: "not an SQLite file"}
		}
		return err
	}
	n := len(sqliteMigrations)
	if v > n {
		return &notWorkshopError{why: fmt.Sprintf("its schema version is %d, newer than this nnlab's (%d): use a newer nnlab", v, n)}
	}
	var tables, ours int
	err := db.QueryRowContext(ctx, "SELECT count(*), count(CASE WHEN name IN ('learners', 'states', 'events') THEN 1 END) FROM sqlite_master WHERE type = 'table'").Scan(&tables, &ours)
	if err != nil {
		return err
	}
	if v == 0 || ours != 3 {
		return &notWorkshopError{why: "an SQLite file without nnlab's tables: another program's database, not a workshop's", empty: v == 0 && tables == 0}
	}
	if v < n {
		return &notWorkshopError{why: fmt.Sprintf("its schema version is %d, older than this nnlab's (%d): start nnlab serve on it once to bring it up to date", v, n), older: true}
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
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	err = sqliteCheckSchema(context.Background(), db)
	var nw *notWorkshopError
	if errors.As(err, &nw) && (nw.older || nw.empty) { // migrate brings it up to date
		return nil
	}
	return err
}

// fileURI is path as an SQLite file: URI ('%', '?' and '#' escaped).
func fileURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

func sqliteMigrate(ctx context.Context, db *sql.DB) error {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > len(sqliteMigrations) {
		return fmt.Errorf("the database is at schema version %d, newer than this nnlab knows (%d): use a newer nnlab", v, len(sqliteMigrations))
	}
	for ; v < len(sqliteMigrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqliteMigrations[v]); err != nil {
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
