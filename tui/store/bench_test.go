package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/nnlab/nnlab/tui/store"
	"github.com/nnlab/nnlab/tui/store/pgtest"
	"github.com/nnlab/nnlab/tui/workshop"
)

// million is how many events the refresh benchmarks start from.
const million = 1_000_000

// fillSQL is the statement that adds a million events of 300 learners, as
// a room makes them (lessons, focus, runs, exercises, quiz answers).
const fillSQL = `INSERT INTO events(learner, at, kind, lesson, cell, ok, detail)
	SELECT 1 + n %% 300, %d + n * 10,
		CASE n %% 5 WHEN 0 THEN 'lesson' WHEN 1 THEN 'cell' WHEN 2 THEN 'run' WHEN 3 THEN 'exercise' ELSE 'quiz' END,
		'lesson' || (n / 100000), 'cell' || (n / 300 %% 20), %s, CASE n %% 3 WHEN 0 THEN 'raise beta' ELSE '' END
	FROM %s`

// cpu is the process's CPU time so far, user and system.
func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchRefresh times the instructor's refresh on s, filled with a million
// events: the 100 events a busy room adds in a second (added untimed), then
// the class read. It reports the server's CPU time beside the wall time
// (the database's own processes are not counted: for PostgreSQL they run
// apart).
func benchRefresh(b *testing.B, s store.Store) {
	ctx := context.Background()
	for i := range 300 {
		if _, err := s.LearnerByKey(ctx, fmt.Sprintf("key:%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	f := store.NewFeed(s)
	t0, c0 := time.Now(), cpu()
	if _, err := f.Class(ctx, time.Now()); err != nil {
		b.Fatal(err)
	}
	b.Logf("the first read of %d events: %v wall, %v CPU", million, time.Since(t0).Round(time.Millisecond), (cpu() - c0).Round(time.Millisecond))
	evs := make([]workshop.Event, 100)
	var spent time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for j := range evs {
			evs[j] = workshop.Event{Learner: int64(1 + j%300), At: time.Now(), Kind: workshop.KindRun, Lesson: "conv", Cell: "k", Detail: "k=3"}
		}
		if err := s.AddEvents(ctx, evs); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c0 := cpu()
		c, err := f.Class(ctx, time.Now())
		spent += cpu() - c0
		if err != nil || len(c.Learners) != 300 {
			b.Fatal(err, len(c.Learners))
		}
	}
	b.ReportMetric(float64(spent.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// BenchmarkRefreshSQLite: go test ./tui/store -run X -bench Refresh
func BenchmarkRefreshSQLite(b *testing.B) {
	dir := b.TempDir()
	s, err := store.OpenSQLite(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.DBFile))
	if err != nil {
		b.Fatal(err)
	}
	for i := range 300 {
		db.Exec("INSERT INTO learners(key, name, created, named) VALUES (?, ?, 0, 1)", fmt.Sprintf("key:%d", i), fmt.Sprintf("learner %d", i))
	}
	series := fmt.Sprintf("(WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < %d) SELECT n FROM c)", million-1)
	if _, err := db.Exec(fmt.Sprintf(fillSQL, time.Now().Add(-time.Hour).UnixMilli(), "n % 2", series)); err != nil {
		b.Fatal(err)
	}
	db.Close()
	benchRefresh(b, s)
}

// BenchmarkRefreshPostgres is BenchmarkRefreshSQLite on PostgreSQL.
func BenchmarkRefreshPostgres(b *testing.B) {
	url := pgtest.Start(b).NewDB(b)
	ctx := context.Background()
	s, err := store.OpenPostgres(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 300 {
		conn.Exec(ctx, "INSERT INTO learners(key, name, created, named) VALUES ($1, $2, 0, true)", fmt.Sprintf("key:%d", i), fmt.Sprintf("learner %d", i))
	}
	series := fmt.Sprintf("generate_series(0, %d) AS n", million-1)
	if _, err := conn.Exec(ctx, fmt.Sprintf(fillSQL, time.Now().Add(-time.Hour).UnixMilli(), "n % 2 = 0", series)); err != nil {
		b.Fatal(err)
	}
	conn.Close(ctx)
	benchRefresh(b, s)
}
