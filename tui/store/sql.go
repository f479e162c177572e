package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/workshop"
)

// sqlStore is Store over database/sql; a dialect holds what differs
// between SQLite and PostgreSQL.
type sqlStore struct {
	db *sql.DB
	d  dialect
}

type dialect struct {
	postgres bool
}

// q is query with its ? placeholders as the driver wants them.
func (s *sqlStore) q(query string) string {
	if !s.d.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// eventsLockKey is the PostgreSQL advisory lock every transaction that
// adds events holds: identity values are drawn in the order the
// transactions then commit, so a reader never sees a later ID before an
// earlier one (SQLite has one writer at a time anyway).
const eventsLockKey = 0x6e6e6c6162 // "nnlab"

func (s *sqlStore) lockEvents(ctx context.Context, tx *sql.Tx) error {
	if !s.d.postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(eventsLockKey))
	return err
}

func (s *sqlStore) Close() error { return s.db.Close() }

const learnerCols = "id, key, name, named"

// scanLearner reads a learner row (learnerCols) as it is, checking every
// field: a damaged one (a hand edit) leaves the learner with the name "?"
// and ok false.
func scanLearner(rows interface{ Scan(...any) error }) (l workshop.Learner, ok bool, err error) {
	var raw [4]any
	if err := rows.Scan(&raw[0], &raw[1], &raw[2], &raw[3]); err != nil {
		return l, false, err
	}
	id, okID := raw[0].(int64)
	if !okID || id == 0 {
		return l, false, nil
	}
	key, okKey := text(raw[1])
	name, okName := text(raw[2])
	named, okNamed := boolean(raw[3])
	l = workshop.Learner{ID: id, Key: lessons.OneLine(key), Name: lessons.OneLine(name), Named: named}
	if !okName {
		l.Name = "?"
	}
	return l, okKey && okName && okNamed, nil
}

func (s *sqlStore) learnerWhere(ctx context.Context, where string, args ...any) (workshop.Learner, error) {
	l, _, err := scanLearner(s.db.QueryRowContext(ctx, s.q("SELECT "+learnerCols+" FROM learners WHERE "+where), args...))
	return l, err
}

func (s *sqlStore) LearnerByKey(ctx context.Context, key string) (workshop.Learner, error) {
	l, err := s.learnerWhere(ctx, "key = ?", key)
	if !errors.Is(err, sql.ErrNoRows) {
		return l, err
	}
	_, err = s.db.ExecContext(ctx, s.q("INSERT INTO learners(key, name, created) VALUES (?, '', ?) ON CONFLICT(key) DO NOTHING"), key, time.Now().UnixMilli())
	if err != nil {
		return l, err
	}
	return s.learnerWhere(ctx, "key = ?", key)
}

func (s *sqlStore) LearnerByName(ctx context.Context, name string) (workshop.Learner, bool, error) {
	clean, fold := workshop.CleanName(name), workshop.FoldName(name)
	if p := workshop.CheckName(clean); p != "" {
		return workshop.Learner{}, false, fmt.Errorf("store: a name must be 1 to %d letters, got %q", workshop.MaxName, clean)
	}
	l, err := s.learnerWhere(ctx, "fold = ? AND key LIKE 'name:%' ORDER BY id LIMIT 1", fold)
	if err == nil {
		return l, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return l, false, err
	}
	res, err := s.db.ExecContext(ctx, s.q("INSERT INTO learners(key, name, fold, named, created) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING"),
		"name:"+fold, clean, fold, true, time.Now().UnixMilli())
	if err != nil {
		return l, false, err
	}
	n, _ := res.RowsAffected()
	l, err = s.learnerWhere(ctx, "key = ?", "name:"+fold)
	return l, n == 0, err
}

func (s *sqlStore) Rename(ctx context.Context, id int64, name string) error {
	clean, fold := workshop.CleanName(name), workshop.FoldName(name)
	if p := workshop.CheckName(clean); p != "" {
		return fmt.Errorf("store: a name must be 1 to %d letters, got %q", workshop.MaxName, clean)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.lockEvents(ctx, tx); err != nil {
		return err
	}
	var key string
	if err := tx.QueryRowContext(ctx, s.q("SELECT key FROM learners WHERE id = ?"), id).Scan(&key); err != nil {
		return fmt.Errorf("store: learner %d: %w", id, err)
	}
	if strings.HasPrefix(key, "name:") {
		key = "name:" + fold
		var other int64
		err := tx.QueryRowContext(ctx, s.q("SELECT id FROM learners WHERE (key = ? OR (fold = ? AND key LIKE 'name:%')) AND id <> ? LIMIT 1"), key, fold, id).Scan(&other)
		if err == nil {
			return ErrNameTaken
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	now := time.Now().UnixMilli()
	if _, err := tx.ExecContext(ctx, s.q("UPDATE learners SET key = ?, name = ?, fold = ?, named = ? WHERE id = ?"), key, clean, fold, true, id); err != nil {
		if isUnique(err) {
			return ErrNameTaken
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q("INSERT INTO events(learner, at, kind, detail) VALUES (?, ?, ?, ?)"), id, now, workshop.KindName, clean); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		if isUnique(err) {
			return ErrNameTaken
		}
		return err
	}
	return nil
}

// isUnique is a unique constraint's violation, in either database.
func isUnique(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint") || strings.Contains(msg, "SQLSTATE 23505")
}

func (s *sqlStore) Learners(ctx context.Context, ids ...int64) ([]workshop.Learner, int, error) {
	query := "SELECT " + learnerCols + " FROM learners"
	args := make([]any, len(ids))
	if len(ids) > 0 {
		query += " WHERE id IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
		for i, id := range ids {
			args[i] = id
		}
	}
	rows, err := s.db.QueryContext(ctx, s.q(query+" ORDER BY id"), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []workshop.Learner
	damaged := 0
	for rows.Next() {
		l, ok, err := scanLearner(rows)
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			damaged++
		}
		if l.ID != 0 {
			out = append(out, l)
		}
	}
	return out, damaged, rows.Err()
}

func (s *sqlStore) LoadState(ctx context.Context, id int64) ([]byte, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, s.q("SELECT data FROM states WHERE learner = ?"), id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return data, err
}

func (s *sqlStore) UpdateState(ctx context.Context, id int64, merge func(saved []byte) ([]byte, error)) error {
	// SQLite: the transaction takes the database's write lock when it
	// begins (_txlock=immediate). PostgreSQL: the learner's row is made
	// first if missing, then locked (FOR UPDATE) until the commit.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now().UnixMilli()
	lock := ""
	if s.d.postgres {
		if _, err := tx.ExecContext(ctx, "INSERT INTO states(learner, data, updated) VALUES ($1, NULL, $2) ON CONFLICT (learner) DO NOTHING", id, now); err != nil {
			return err
		}
		lock = " FOR UPDATE"
	}
	var saved []byte
	err = tx.QueryRowContext(ctx, s.q("SELECT data FROM states WHERE learner = ?"+lock), id).Scan(&saved)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	data, err := merge(saved)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q("INSERT INTO states(learner, data, updated) VALUES (?, ?, ?) ON CONFLICT(learner) DO UPDATE SET data = excluded.data, updated = excluded.updated"),
		id, data, now)
	if err != nil {
		return err
	}
	return tx.Commit()
}

// eventCols is an event's columns but its ID.
const eventCols = 7

func (s *sqlStore) AddEvents(ctx context.Context, evs []workshop.Event) error {
	if len(evs) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.lockEvents(ctx, tx); err != nil {
		return err
	}
	const chunk = 500
	for len(evs) > 0 {
		n := min(len(evs), chunk)
		var b strings.Builder
		b.WriteString("INSERT INTO events(learner, at, kind, lesson, cell, ok, detail) VALUES ")
		args := make([]any, 0, n*eventCols)
		for i, e := range evs[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?)")
			args = append(args, e.Learner, e.At.UnixMilli(), e.Kind, e.Lesson, e.Cell, e.OK, e.Detail)
		}
		if _, err := tx.ExecContext(ctx, s.q(b.String()), args...); err != nil {
			return err
		}
		evs = evs[n:]
	}
	return tx.Commit()
}

func (s *sqlStore) Events(ctx context.Context, after int64, limit int) ([]workshop.Event, int, int64, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT id, learner, at, kind, lesson, cell, ok, detail FROM events WHERE id > ? ORDER BY id LIMIT ?"), after, limit)
	if err != nil {
		return nil, 0, after, err
	}
	defer rows.Close()
	var out []workshop.Event
	damaged, last := 0, after
	var raw [8]any
	ptrs := make([]any, len(raw))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		// Any column may hold anything in a hand-edited database: each is
		// read as it is and checked, never assumed.
		if err := rows.Scan(ptrs...); err != nil {
			return nil, 0, after, err
		}
		if id, ok := raw[0].(int64); ok {
			last = max(last, id)
		}
		e, ok := readEvent(raw)
		if !ok {
			damaged++
			continue
		}
		out = append(out, e)
	}
	return out, damaged, last, rows.Err()
}

// readEvent checks one event row (id, learner, at, kind, lesson, cell, ok,
// detail) as the database returned it: ok is false when a field is
// missing (NULL where it may not be) or of the wrong type. The texts are
// made fit to show (lessons.OneLine).
func readEvent(raw [8]any) (e workshop.Event, ok bool) {
	id, ok0 := raw[0].(int64)
	learner, ok1 := raw[1].(int64)
	at, ok2 := raw[2].(int64)
	kind, ok3 := text(raw[3])
	lesson, ok4 := textOrNull(raw[4])
	cell, ok5 := textOrNull(raw[5])
	okv, ok6 := boolean(raw[6])
	detail, ok7 := textOrNull(raw[7])
	if !(ok0 && ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) {
		return e, false
	}
	return workshop.Event{ID: id, Learner: learner, At: time.UnixMilli(at), Kind: kind, Lesson: lessons.OneLine(lesson), Cell: lessons.OneLine(cell),
		OK: okv, Detail: lessons.OneLine(detail)}, true
}

// text is a TEXT (or BLOB) value; false for NULL or another type.
func text(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	}
	return "", false
}

// textOrNull is text, with NULL read as "".
func textOrNull(v any) (string, bool) {
	if v == nil {
		return "", true
	}
	return text(v)
}

// boolean is a boolean column (an INTEGER in SQLite), NULL read as false.
func boolean(v any) (bool, bool) {
	switch v := v.(type) {
	case int64:
		return v != 0, true
	case bool:
		return v, true
	case nil:
		return false, true
	}
	return false, false
}

func (s *sqlStore) AddNotice(ctx context.Context, n workshop.Notice) error {
	if n.At.IsZero() {
		n.At = time.Now()
	}
	_, err := s.db.ExecContext(ctx, s.q("INSERT INTO notices(at, lesson, en, ko) VALUES (?, ?, ?, ?)"), n.At.UnixMilli(), n.Lesson, n.EN, n.KO)
	return err
}

func (s *sqlStore) Notices(ctx context.Context, after int64) ([]workshop.Notice, int64, error) {
	if after < 0 {
		var last int64
		err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM notices").Scan(&last)
		return nil, last, err
	}
	rows, err := s.db.QueryContext(ctx, s.q("SELECT id, at, lesson, en, ko FROM notices WHERE id > ? ORDER BY id"), after)
	if err != nil {
		return nil, after, err
	}
	defer rows.Close()
	var out []workshop.Notice
	last := after
	for rows.Next() {
		var n workshop.Notice
		var at int64
		if err := rows.Scan(&n.ID, &at, &n.Lesson, &n.EN, &n.KO); err != nil {
			return nil, after, err
		}
		n.At = time.UnixMilli(at)
		n.Lesson, n.EN, n.KO = lessons.OneLine(n.Lesson), lessons.OneLine(n.EN), lessons.OneLine(n.KO)
		out = append(out, n)
		last = n.ID
	}
	return out, last, rows.Err()
}

func (s *sqlStore) Beat(ctx context.Context, server string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q("INSERT INTO servers(id, beat) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET beat = excluded.beat"), server, at.UnixMilli())
	return err
}

func (s *sqlStore) Live(ctx context.Context, since time.Time) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT id FROM servers WHERE beat >= ?"), since.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// backfillFolds fills in the folded names a migration left empty (the
// fold is Go's to compute).
func (s *sqlStore) backfillFolds(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name FROM learners WHERE fold IS NULL")
	if err != nil {
		return err
	}
	type pending struct {
		id   int64
		fold string
	}
	var todo []pending
	for rows.Next() {
		var id int64
		var name sql.NullString
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, pending{id, workshop.FoldName(name.String)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range todo {
		if _, err := s.db.ExecContext(ctx, s.q("UPDATE learners SET fold = ? WHERE id = ?"), p.fold, p.id); err != nil {
			return err
		}
	}
	return nil
}
