package serve

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nnlab/nnlab/tui"
)

func TestReport(t *testing.T) {
	db, err := OpenDB(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ann, _ := db.Learner(ctx, "key:A", "ann")
	bo, _ := db.Learner(ctx, "name:bo", "bo")
	cy, _ := db.Learner(ctx, "key:C", "cy")
	if again, _ := db.Learner(ctx, "key:A", "other"); again != ann {
		t.Fatal("the same key made a second learner")
	}
	ev := func(id int64, min int, kind, lesson, cell string, ok bool, detail string) {
		if err := db.Event(ctx, id, t0.Add(time.Duration(min)*time.Minute), kind, lesson, cell, ok, detail); err != nil {
			t.Fatal(err)
		}
	}
	ev(ann, 0, "lesson", "conv", "", false, "")
	ev(ann, 1, "cell", "conv", "k-same", false, "")
	ev(ann, 2, "exercise", "conv", "k-same", true, "")
	ev(ann, 3, "quiz", "", "conv_params", true, "")
	ev(ann, 4, "quiz", "", "conv_out", false, "")
	ev(bo, 0, "lesson", "conv", "", false, "")
	for i := 1; i <= 3; i++ {
		ev(bo, i, "exercise", "conv", "k-same", false, "set pad to 1")
	}
	ev(cy, 0, "lesson", "momentum", "", false, "")
	ev(cy, 1, "cell", "momentum", "ravine", false, "")
	c, err := db.Report(ctx, t0.Add(7*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Learners) != 3 || c.Learners[0].Name != "bo" || c.Learners[1].Name != "cy" || c.Learners[2].Name != "ann" {
		t.Fatalf("learners not stuck-first: %+v", c.Learners)
	}
	if c.Learners[0].Stuck != "failing conv/k-same" || c.Learners[1].Stuck != "idle in momentum/ravine" || c.Learners[2].Stuck != "" {
		t.Errorf("stuck: %q %q %q", c.Learners[0].Stuck, c.Learners[1].Stuck, c.Learners[2].Stuck)
	}
	a := c.Learners[2]
	if a.Passed != 1 || a.QuizRight != 1 || a.QuizAnswered != 2 || a.Seconds != 240 || len(a.Visited) != 1 {
		t.Errorf("ann: %+v", a)
	}
	if len(c.Exercises) != 1 || c.Exercises[0].Passed != 1 || c.Exercises[0].Tried != 2 || c.Exercises[0].Attempts != 4 || c.Exercises[0].CommonHint != "set pad to 1" {
		t.Errorf("exercises: %+v", c.Exercises)
	}
}

// Two sessions of one learner saving at once both keep their changes.
func TestSaveStateConcurrent(t *testing.T) {
	db, err := OpenDB(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	id, _ := db.Learner(ctx, "key:A", "ann")
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.SaveState(ctx, id, func(saved []byte) ([]byte, error) {
				return append(saved, byte('a'+i%26)), nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	data, _ := db.LoadState(ctx, id)
	if len(data) != 20 {
		t.Errorf("%d of 20 appends survived", len(data))
	}
}

func TestSchemaVersion(t *testing.T) {
	dir := t.TempDir()
	db, err := OpenDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	db.sql.Exec("PRAGMA user_version = 99")
	db.Close()
	if _, err := OpenDB(dir); err == nil {
		t.Error("a database from a newer nnlab was opened")
	}
}

// An SSH user name is shown to the instructor: no escapes, a bounded length.
func TestLearnerName(t *testing.T) {
	for in, want := range map[string]string{"alice": "alice", "\x1b]0;pwned\x07bob": "]0;pwnedbob", "": "?", strings.Repeat("가", 50): strings.Repeat("가", 40)} {
		if got := learnerName(in); got != want {
			t.Errorf("learnerName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Names keep nothing invisible that changes how they read: bidi overrides
// (U+202E shows what follows reversed), zero-width characters, private use.
func TestLearnerNameInvisible(t *testing.T) {
	for in, want := range map[string]string{
		"ann\u202Egnp.exe":   "anngnp.exe",
		"b\u200Bo\u200Db":    "bob",
		"\u2066cy\u2069":     "cy",
		"d\uE000an":          "dan",
		"e\u2028ve\tx":       "eve x",
		"\u202E\u200B\u2066": "?",
		"김\u200F민준":          "김민준",
	} {
		if got := learnerName(in); got != want {
			t.Errorf("learnerName(%q) = %q, want %q", in, got, want)
		}
	}
}

// workshopDB makes a workshop database in a fresh directory with one
// learner and one event, closed again.
func workshopDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db, err := OpenDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, err := db.Learner(ctx, "key:A", "ann")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Event(ctx, id, time.Now(), "lesson", "conv", "", false, ""); err != nil {
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
	db, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.Report(context.Background(), time.Now())
	if err != nil || len(c.Learners) != 1 || c.Learners[0].Name != "ann" {
		t.Fatalf("report %+v, %v", c, err)
	}
	if _, err := db.Learner(context.Background(), "key:B", "bo"); err == nil {
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
	db, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if c, err := db.Report(context.Background(), time.Now()); err != nil || len(c.Learners) != 1 {
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
			db, _ := OpenDB(dir)
			db.sql.Exec("PRAGMA user_version = 99")
			db.Close()
		}, "newer than this nnlab's"},
		"folder": {func(dir string) { os.Mkdir(filepath.Join(dir, DBFile), 0o755) }, "a folder, not a regular file"},
		"pipe":   {func(dir string) { syscall.Mkfifo(filepath.Join(dir, DBFile), 0o644) }, "a named pipe"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			tc.make(dir)
			before := snapshot(t, dir)
			db, err := OpenReadOnly(dir)
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
	db, err := OpenDB(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// As someone might with the sqlite3 shell: the tables again, without
	// their constraints.
	_, err = db.sql.Exec(`DROP TABLE events; DROP TABLE states; DROP TABLE learners;
		CREATE TABLE learners (id INTEGER PRIMARY KEY, key, name, created);
		CREATE TABLE states (learner INTEGER PRIMARY KEY, data, updated);
		CREATE TABLE events (id INTEGER PRIMARY KEY, learner, at, kind, lesson, cell, ok, detail);
		INSERT INTO learners VALUES (1, 'key:A', 'ann', 0), (2, NULL, NULL, NULL), (3, 'key:C', 'cy'||char(8238)||'evil', 0);
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
	c, err := db.Report(context.Background(), time.UnixMilli(5000))
	if err != nil {
		t.Fatal(err)
	}
	// Left out: events 2, 3, 4 (at NULL, kind NULL, at text), 7 (its
	// learner has no key) and 8 (ok is text); the learner row of 2 is one
	// of them.
	if c.Damaged != 5 {
		t.Errorf("damaged rows: %d, want 5", c.Damaged)
	}
	byName := map[string]tui.LearnerReport{}
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
		if db, err := OpenDB(dir); !errors.Is(err, ErrNotWorkshop) {
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
	db, err := OpenDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}
