package cli

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nnlab/nnlab/tui/store"
	"github.com/nnlab/nnlab/tui/store/pgtest"
	"github.com/nnlab/nnlab/tui/workshop"
)

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	db, err := store.OpenSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	l, _, _ := db.LearnerByName(ctx, "지민")
	db.AddEvents(ctx, []workshop.Event{{Learner: l.ID, At: time.Now(), Kind: "lesson", Lesson: "conv"},
		{Learner: l.ID, At: time.Now(), Kind: "quiz", Cell: "conv_params", OK: true},
		{Learner: l.ID, At: time.Now(), Kind: "exercise", Lesson: "conv", Cell: "k-same", Detail: "=set pad to 1"}})
	db.Close()
	code, out, errOut := runIn("", "report", "--data", dir, "--json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0]["name"] != "지민" || rows[0]["quiz_right"] != 1.0 {
		t.Fatalf("--json: %d %q %q", code, out, errOut)
	}
	code, out, _ = runIn("", "report", "--data", dir, "--csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(recs) != 2 || recs[0][0] != "name" || recs[1][0] != "지민" {
		t.Fatalf("--csv: %d %v %q", code, err, out)
	}
	if code, out, _ = runIn("", "report", "--data", dir); code != 0 || !strings.Contains(out, "지민") {
		t.Errorf("text: %d %q", code, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--data", filepath.Join(dir, "nope")}, "no workshop database"},
		{[]string{"report", "--data", dir, "--json", "--csv"}, "not both"},
		{[]string{"serve", "--addr", "nowhere"}, "--addr must be HOST:PORT"},
		{[]string{"serve", "--idle-timeout", "1m"}, "at least 2m"},
		{[]string{"serve", "--max-sessions", "0"}, "--max-sessions must be a whole number from 1"},
		{[]string{"serve", "--instructor-key", filepath.Join(dir, "missing.pub")}, "cannot read"},
		{[]string{"serve", "--quiz-seed", "x"}, "--quiz-seed must be"},
	} {
		code, out, errOut := runIn("", tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
	bad := filepath.Join(dir, "bad.pub")
	os.WriteFile(bad, []byte("not a key\n"), 0o600)
	if code, _, e := runIn("", "serve", "--instructor-key", bad); code != 2 || !strings.Contains(e, "holds no public key") {
		t.Errorf("a file without keys: %d %q", code, e)
	}
}

// Files named on serve's command line are read only when they are regular
// files of a bounded size: /dev/zero and a named pipe are refused at once,
// with one line and exit 2.
func TestServeFileFlags(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "nnlab.db"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--data", data, "--instructor-key", "/dev/zero"}, "--instructor-key: cannot read \"/dev/zero\": a device, not a regular file"},
		{[]string{"serve", "--data", data, "--instructor-key", fifo}, "a named pipe, not a regular file"},
		{[]string{"serve", "--data", data, "--host-key", "/dev/zero"}, "--host-key: host key \"/dev/zero\": a device, not a regular file"},
		{[]string{"serve", "--data", data, "--host-key", fifo}, "a named pipe, not a regular file"},
		{[]string{"serve", "--data", data, "--host-key", dir}, "a folder, not a regular file"},
		{[]string{"serve", "--data", dir, "--host-key", filepath.Join(dir, "hk")}, "--data: " + strconv.Quote(filepath.Join(dir, "nnlab.db")) + ": not a workshop database: a named pipe"},
		{[]string{"serve", "--login-grace", "0"}, "--login-grace must be a duration from 1s to 10m"},
		{[]string{"serve", "--login-grace", strings.Repeat("9", 100_000)}, "--login-grace must be a duration from 1s to 10m"},
	} {
		code, out, errOut := runIn("", tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 || len(errOut) > 300 {
			t.Errorf("%.80v: code %d, stdout %q, stderr %.300q; want exit 2 and one line with %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

// report only reads: a foreign SQLite file is refused (exit 2) and left as
// it was; a database from a newer nnlab is refused too.
func TestReportReadOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, store.DBFile)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('mine')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	os.Chmod(path, 0o644)
	before, _ := os.ReadFile(path)
	code, out, errOut := runIn("", "report", "--data", dir)
	if code != 2 || out != "" || !strings.Contains(errOut, "not a workshop database") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("a foreign database: code %d, %q %q", code, out, errOut)
	}
	after, _ := os.ReadFile(path)
	info, _ := os.Stat(path)
	entries, _ := os.ReadDir(dir)
	if string(before) != string(after) || info.Mode().Perm() != 0o644 || len(entries) != 1 {
		t.Errorf("the foreign database was changed (mode %v, %d files)", info.Mode(), len(entries))
	}
}

// A name that starts like a formula reaches a spreadsheet as text.
func TestReportCSVInjection(t *testing.T) {
	dir := t.TempDir()
	db, err := store.OpenSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// (A tab or CR is made a space before the CSV: names are shown on one line.)
	for _, name := range []string{`=HYPERLINK("http://evil","x")`, "+1", "-2", "@SUM(A1)", "\tx", "plain"} {
		db.LearnerByName(ctx, name)
	}
	db.Close()
	code, out, _ := runIn("", "report", "--data", dir, "--csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(recs) != 7 {
		t.Fatalf("--csv: %d %v %q", code, err, out)
	}
	for _, r := range recs[1:] {
		if c := r[0][0]; strings.ContainsRune("=+-@\t\r", rune(c)) {
			t.Errorf("a name cell starts with %q: %q", c, r[0])
		}
		if strings.ContainsAny(r[0][:1], "=+-@") || len(r[0]) > 1 && strings.ContainsAny(r[0][1:2], "=+-@") && r[0][0] != '\'' {
			t.Errorf("name %q not neutralised", r[0])
		}
	}
}

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx", "ann": "ann", "": "", "a=b": "a=b"} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// report --exercises: per exercise, learners passed and tried, attempts,
// the median time to pass, the most common failing hint, in text, JSON
// and CSV; and --db's bad input is one line and exit status 2.
func TestReportExercises(t *testing.T) {
	dir := t.TempDir()
	db, err := store.OpenSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t0 := time.Now().Add(-time.Hour)
	ann, _, _ := db.LearnerByName(ctx, "ann")
	bo, _, _ := db.LearnerByName(ctx, "bo")
	db.AddEvents(ctx, []workshop.Event{
		{Learner: ann.ID, At: t0, Kind: "cell", Lesson: "conv", Cell: "k-same"},
		{Learner: ann.ID, At: t0.Add(time.Minute), Kind: "exercise", Lesson: "conv", Cell: "k-same", Detail: "set pad to 1, so that the output keeps the input's size"},
		{Learner: ann.ID, At: t0.Add(2 * time.Minute), Kind: "exercise", Lesson: "conv", Cell: "k-same", OK: true},
		{Learner: bo.ID, At: t0, Kind: "exercise", Lesson: "conv", Cell: "k-same", Detail: "set pad to 1, so that the output keeps the input's size"},
	})
	db.Close()
	code, out, errOut := runIn("", "report", "--data", dir, "--exercises", "--json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0]["learners_passed"] != 1.0 || rows[0]["learners_tried"] != 2.0 ||
		rows[0]["attempts"] != 3.0 || rows[0]["median_seconds_to_pass"] != 120.0 || rows[0]["common_failing_hint"] != "set pad to 1, so that the output keeps the input's size" {
		t.Fatalf("--exercises --json: %d %q %q", code, out, errOut)
	}
	code, out, _ = runIn("", "report", "--data", dir, "--exercises", "--csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(recs) != 2 || recs[0][5] != "median_seconds_to_pass" || recs[1][5] != "120" {
		t.Fatalf("--exercises --csv: %d %v %q", code, err, out)
	}
	if code, out, _ = runIn("", "report", "--data", dir, "--exercises"); code != 0 || !strings.Contains(out, "conv/k-same") || !strings.Contains(out, "the output keeps the input's size") {
		t.Errorf("--exercises: %d %q", code, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--db", "mysql://x"}, "--db must be a PostgreSQL URL"},
		{[]string{"report", "--db", "postgres://x/y", "--data", dir}, "not both"},
		{[]string{"serve", "--db", "sqlite:x.db"}, "--db must be a PostgreSQL URL"},
	} {
		code, out, errOut := runIn("", tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
	// No server there: one line.
	code, out, errOut = runIn("", "report", "--db", "postgres://nnlab@127.0.0.1:1/nnlab?connect_timeout=2")
	if code == 0 || out != "" || !strings.Contains(errOut, "cannot connect") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("an unreachable --db: code %d, %q %q", code, out, errOut)
	}
}

// report --db reads a PostgreSQL workshop.
func TestReportPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no PostgreSQL")
	}
	url := pgtest.Start(t).NewDB(t)
	ctx := context.Background()
	db, err := store.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	l, _, _ := db.LearnerByName(ctx, "지민")
	db.AddEvents(ctx, []workshop.Event{{Learner: l.ID, At: time.Now(), Kind: "quiz", Cell: "conv_params", OK: true}})
	db.Close()
	code, out, errOut := runIn("", "report", "--db", url, "--json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0]["name"] != "지민" || rows[0]["quiz_right"] != 1.0 {
		t.Fatalf("--db --json: %d %q %q", code, out, errOut)
	}
}

// The minutes a learner spent print in one precision, the same in text,
// JSON and CSV (they read 4.05, 4.05 seconds' worth 243 and 4.1).
func TestReportMinutesAgree(t *testing.T) {
	dir := t.TempDir()
	db, err := store.OpenSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ana, _, _ := db.LearnerByName(ctx, "ana")
	t0 := time.Now().Add(-time.Hour)
	var evs []workshop.Event
	for _, s := range []int{0, 120, 243} { // 243 s of work: 4.05 minutes
		evs = append(evs, workshop.Event{Learner: ana.ID, At: t0.Add(time.Duration(s) * time.Second), Kind: "lesson", Lesson: "conv"})
	}
	db.AddEvents(ctx, evs)
	db.Close()
	_, js, _ := runIn("", "report", "--data", dir, "--json")
	_, csvOut, _ := runIn("", "report", "--data", dir, "--csv")
	_, text, _ := runIn("", "report", "--data", dir)
	recs, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("--csv: %v %q", err, csvOut)
	}
	col := slices.Index(recs[0], "minutes_spent")
	if !strings.Contains(js, `"minutes_spent":4.0,`) && !strings.Contains(js, `"minutes_spent":4.1,`) {
		t.Fatalf("--json: no minutes with one decimal: %s", js)
	}
	want := recs[1][col]
	if !strings.Contains(js, `"minutes_spent":`+want+",") || !regexp.MustCompile(`\s`+regexp.QuoteMeta(want)+`\s`).MatchString(text) {
		t.Errorf("minutes differ: CSV %s, JSON %s, text %q", want, js, text)
	}
}
