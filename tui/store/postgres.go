package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/nnlab/nnlab/tui/store/migrations"
)

var postgresMigrations = migrations.For("postgres")

// migrateLockKey is the advisory lock under which a server migrates, so
// that servers starting at once migrate once.
const migrateLockKey = 0x6e6e6c61626d // "nnlabm"

// MaxPostgresConns bounds one process's connections to PostgreSQL
// (PostgreSQL's max_connections is 100 by default).
const MaxPostgresConns = 16

// OpenPostgres connects to the PostgreSQL database at url
// (postgres://USER@HOST:PORT/DB?…, or key=value pairs) and migrates it.
// The database must be nnlab's own: one with other tables and not
// nnlab's, or of a newer nnlab, is an error wrapping ErrNotWorkshop.
func OpenPostgres(ctx context.Context, url string) (Store, error) {
	return openPostgres(ctx, url, false)
}

// OpenPostgresReadOnly connects to a workshop's PostgreSQL database for
// reading only (every transaction read-only), as `nnlab report` does; a
// database at another schema than this nnlab's is an error wrapping
// ErrNotWorkshop.
func OpenPostgresReadOnly(ctx context.Context, url string) (Store, error) {
	return openPostgres(ctx, url, true)
}

func openPostgres(ctx context.Context, url string, readOnly bool) (Store, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: --db: %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	if readOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	cfg.RuntimeParams["application_name"] = "nnlab"
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(MaxPostgresConns)
	db.SetMaxIdleConns(MaxPostgresConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	where := fmt.Sprintf("PostgreSQL at %s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: cannot connect to %s: %w", where, err)
	}
	s := &sqlStore{db: db, d: dialect{postgres: true}}
	if readOnly {
		err = postgresCheckSchema(ctx, db)
	} else {
		err = postgresMigrate(ctx, db)
		if err == nil {
			err = s.backfillFolds(ctx)
		}
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", where, err)
	}
	return s, nil
}

// postgresVersion is the schema version of the database (-1 when nnlab's
// table of versions is missing), and how many other tables it has.
func postgresVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (version, others int, err error) {
	var exists bool
	if err := q.QueryRowContext(ctx, "SELECT to_regclass('nnlab_schema') IS NOT NULL").Scan(&exists); err != nil {
		return 0, 0, err
	}
	if !exists {
		err := q.QueryRowContext(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").Scan(&others)
		return -1, others, err
	}
	err = q.QueryRowContext(ctx, "SELECT version FROM nnlab_schema").Scan(&version)
	return version, 0, err
}

func postgresCheckSchema(ctx context.Context, db *sql.DB) error {
	v, _, err := postgresVersion(ctx, db)
	n := len(postgresMigrations)
	switch {
	case err != nil:
		return err
	case v < 0:
		return &notWorkshopError{why: "a PostgreSQL database without nnlab's tables"}
	case v > n:
		return &notWorkshopError{why: fmt.Sprintf("its schema version is %d, newer than this nnlab's (%d): use a newer nnlab", v, n)}
	case v < n:
		return &notWorkshopError{why: fmt.Sprintf("its schema version is %d, older than this nnlab's (%d): start nnlab serve on it once to bring it up to date", v, n), older: true}
	}
	return nil
}

func postgresMigrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrateLockKey)); err != nil {
		return err
	}
	v, others, err := postgresVersion(ctx, tx)
	if err != nil {
		return err
	}
	n := len(postgresMigrations)
	if v < 0 {
		if others > 0 {
			return &notWorkshopError{why: fmt.Sprintf("a PostgreSQL database with %d tables of another program's and none of nnlab's: give nnlab a database of its own (createdb)", others)}
		}
		if _, err := tx.ExecContext(ctx, "CREATE TABLE nnlab_schema (version INTEGER NOT NULL); INSERT INTO nnlab_schema VALUES (0)"); err != nil {
			return err
		}
		v = 0
	}
	if v > n {
		return &notWorkshopError{why: fmt.Sprintf("its schema version is %d, newer than this nnlab's (%d): use a newer nnlab", v, n)}
	}
	for ; v < n; v++ {
		if _, err := tx.ExecContext(ctx, postgresMigrations[v]); err != nil {
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE nnlab_schema SET version = $1", v+1); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// IsPostgresURL reports whether s names a PostgreSQL database
// (postgres:// or postgresql://).
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}
