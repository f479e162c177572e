package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nnlab/nnlab/tui/workshop"
)

func openSQLite(dir string) (*sqlStore, error) {
	s, err := OpenSQLite(dir)
	if err != nil {
		return nil, err
	}
	return s.(*sqlStore), nil
}

func openSQLiteRO(dir string) (*sqlStore, error) {
	s, err := OpenSQLiteReadOnly(dir)
	if err != nil {
		return nil, err
	}
	return s.(*sqlStore), nil
}

func TestSchemaVersion(t *testing.T) {
	dir := t.TempDir()
	db, err := openSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	db.db.Exec("PRAGMA user_version = 99")
	db.Close()
	if _, err := openSQLite(dir); err == nil {
		t.Error("a database from a newer nnlab was opened")
	}
}

// workshopDB makes a workshop database in a fresh directory with one
// learner and one event, closed again.
func workshopDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db, err := openSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	l, err := db.LearnerByKey(ctx, "key:A")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Rename(ctx, l.ID, "ann"); err != nil {
		t.Fatal(err)
	}
	if err := db.AddEvents(ctx, []workshop.Event{{Learner: l.ID, At: time.Now(), Kind: "lesson", Lesson: "conv"}}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// snapshot is every file in dir with its mode and content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, _ := e.Info()
		var b []byte
		if info.Mode().IsRegular() {
			b, _ = os.ReadFile(filepath.Join(dir, e.Name()))
		}
		out[e.Name()] = info.Mode().String() + " " + string(b)
	}
	return out
}

// The report writes nothing: no migration, no journal mode, no chmod. (A
// reader of a database in WAL mode, as a workshop's is, shares its -shm
// index with the server, and SQLite makes it and an empty -wal when they
// are missing: that much of the folder may change, nothing of the file.)
func TestOpenReadOnlyChangesNothing(t *testing.T) {
	dir := workshopDB(t)
	path := filepath.Join(dir, DBFile)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	db, err := openSQLiteRO(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Report(context.Background(), db, time.Now())
	if err != nil || len(c.Learners) != 1 || c.Learners[0].Name != "ann" {
		t.Fatalf("report %+v, %v", c, err)
	}
	if _, err := db.LearnerByKey(context.Background(), "key:B"); err == nil {
		t.Error("a read-only database took a write")
	}
	db.Close()
	if after := snapshot(t, dir); after[DBFile] != before[DBFile] || len(after[DBFile+"-wal"]) > len("-rw-r--r-- ") {
		t.Errorf("the report changed the database:\nbefore %v\nafter %v", keys(before), keys(after))
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+" "+v[:10])
	}
	sort.Strings(out)
	return out
}

// A database the reader may not write (a file of mode 0444 in a folder of
// mode 0555) is read all the same.
func TestOpenReadOnlyOnReadOnlyFile(t *testing.T) {
	dir := workshopDB(t)
	path := filepath.Join(dir, DBFile)
	os.Chmod(path, 0o444)
	os.Chmod(dir, 0o555)
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	if os.Geteuid() == 0 { // root writes whatever the modes: make both immutable
		if out, err := exec.Command("chattr", "+i", path, dir).CombinedOutput(); err != nil {
			t.Skipf("running as root, and chattr +i fails: %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", path, dir).Run() })
	}
	db, err := openSQLiteRO(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if c, err := Report(context.Background(), db, time.Now()); err != nil || len(c.Learners) != 1 {
		t.Fatalf("report %+v, %v", c, err)
	}
}

// What is not a workshop's database is refused, untouched.
func TestOpenReadOnlyRefuses(t *testing.T) {
	foreign := func(dir string) {
		db, err := sql.Open("sqlite", filepath.Join(dir, DBFile))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec("CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('mine')"); err != nil {
			t.Fatal(err)
		}
	}
	for name, tc := range map[string]struct {
		make func(dir string)
		want string
	}{
		"foreign": {foreign, "without nnlab's tables"},
		"text": {func(dir string) {
			os.WriteFile(filepath.Join(dir, DBFile), []byte("just some notes, not SQLite at all, long enough to be read as a header....................................................."), 0o644)
		}, "not an SQLite file"},
		"newer": {func(dir string) {
			db, _ := openSQLite(dir)
			db.db.Exec("PRAGMA user_version = 99")
			db.Close()
		}, "newer than this nnlab's"},
		"folder": {func(dir string) { os.Mkdir(filepath.Join(dir, DBFile), 0o755) }, "a folder, not a regular file"},
		"pipe":   {func(dir string) { syscall.Mkfifo(filepath.Join(dir, DBFile), 0o644) }, "a named pipe"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			tc.make(dir)
			before := snapshot(t, dir)
			db, err := openSQLiteRO(dir)
			if err == nil {
				db.Close()
				t.Fatal("opened")
			}
			if !errors.Is(err, ErrNotWorkshop) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want ErrNotWorkshop saying %q", err, tc.want)
			}
			if after := snapshot(t, dir); after[DBFile] != before[DBFile] {
				t.Errorf("the refused file was changed: %v → %v", keys(before), keys(after))
			}
		})
	}
}

// A hand-edited database may hold NULLs and values of the wrong type
// anywhere: the report leaves those rows out and counts them, never panics.
func TestReportDamagedRows(t *testing.T) {
	db, err := openSQLite(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// As someone might with the sqlite3 shell: the tables again, without
	// their constraints.
	_, err = db.db.Exec(`DROP TABLE events; DROP TABLE states; DROP TABLE learners;
		CREATE TABLE learners (id INTEGER PRIMARY KEY, key, name, created, fold, named);
		CREATE TABLE states (learner INTEGER PRIMARY KEY, data, updated);
		CREATE TABLE events (id INTEGER PRIMARY KEY, learner, at, kind, lesson, cell, ok, detail);
		INSERT INTO learners VALUES (1, 'key:A', 'ann', 0, NULL, 1), (2, NULL, NULL, NULL, NULL, NULL), (3, 'key:C', 'cy'||char(8238)||'evil', 0, NULL, 'x');
		INSERT INTO events VALUES
			(1, 1, 1000, 'lesson', 'conv', '', 0, ''),
			(2, 1, NULL, 'lesson', 'x', '', 0, ''),
			(3, 1, 2000, NULL, NULL, NULL, NULL, NULL),
			(4, 1, 'soon', 'quiz', '', '', 1, ''),
			(5, 1, 3000, 'exercise', 'conv', 'k', NULL, NULL),
			(6, 1, 4000, 'quiz', NULL, NULL, 1, NULL),
			(7, 2, 1000, 'lesson', 'conv', '', 0, ''),
			(8, 3, 1000, 'exercise', 'conv', 'k', 'yes', x'00');`)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Report(context.Background(), db, time.UnixMilli(5000))
	if err != nil {
		t.Fatal(err)
	}
	// Left out: events 2, 3, 4 (at NULL, kind NULL, at text) and 8 (ok
	// is text); learners 2 (no key, no name: shown as "?") and 3 (named
	// is text) are shown and counted.
	if c.Damaged != 6 {
		t.Errorf("damaged rows: %d, want 6", c.Damaged)
	}
	byName := map[string]workshop.LearnerReport{}
	for _, l := range c.Learners {
		byName[l.Name] = l
	}
	ann := byName["ann"]
	if len(ann.Visited) != 1 || ann.Attempts != 1 || ann.QuizAnswered != 1 || ann.QuizRight != 1 {
		t.Errorf("ann: %+v", ann)
	}
	if _, ok := byName["cyevil"]; !ok || len(c.Learners) != 3 {
		t.Errorf("learners: %+v", c.Learners)
	}
}

// The server writes only into a workshop's database (or a new or empty
// one): another program's SQLite file, a text file, a pipe or a folder in
// its place is refused before anything is written.
func TestOpenDBRefusesForeign(t *testing.T) {
	for name, mk := range map[string]func(path string){
		"foreign": func(p string) {
			db, _ := sql.Open("sqlite", p)
			db.Exec("CREATE TABLE notes(x TEXT)")
			db.Close()
		},
		"text":   func(p string) { os.WriteFile(p, []byte(strings.Repeat("notes ", 100)), 0o644) },
		"pipe":   func(p string) { syscall.Mkfifo(p, 0o644) },
		"folder": func(p string) { os.Mkdir(p, 0o755) },
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, DBFile)
		mk(path)
		before := snapshot(t, dir)
		if db, err := openSQLite(dir); !errors.Is(err, ErrNotWorkshop) {
			if db != nil {
				db.Close()
			}
			t.Errorf("%s: %v, want ErrNotWorkshop", name, err)
		}
		if after := snapshot(t, dir); after[DBFile] != before[DBFile] {
			t.Errorf("%s: the file was changed", name)
		}
	}
	// An empty file is a new database.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, DBFile), nil, 0o600)
	db, err := openSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// A database of the first schema (before names were matched folded) is
// brought up to date: its learners without a key are found by their name
// in any case.
func TestMigrateFromVersion1(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(sqliteMigrations[0] + `; PRAGMA user_version = 1;
		INSERT INTO learners VALUES (1, 'name:Ji-woo Kim', 'Ji-woo Kim', 0), (2, 'key:SHA256:x', 'root', 0);
		INSERT INTO events VALUES (1, 1, 1000, 'lesson', 'conv', '', 0, '');`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenSQLiteReadOnly(dir); err == nil || !strings.Contains(err.Error(), "older than this nnlab's") {
		t.Errorf("report on an old schema: %v", err)
	}
	s, err := OpenSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	l, found, err := s.LearnerByName(ctx, "ji-woo kim")
	if err != nil || !found || l.ID != 1 || !l.Named {
		t.Errorf("the learner of before: %+v %v %v", l, found, err)
	}
	if k, _ := s.LearnerByKey(ctx, "key:SHA256:x"); k.Named || k.Name != "root" {
		t.Errorf("a key's learner of before is asked their name: %+v", k)
	}
}
