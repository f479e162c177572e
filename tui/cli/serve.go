package cli

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/report"
	"github.com/nnlab/nnlab/tui/serve"
	"github.com/nnlab/nnlab/tui/store"
	"github.com/nnlab/nnlab/tui/workshop"
)

func serveCmd() command {
	return command{
		name: "serve",
		summary: "Serve nnlab to a workshop over SSH. Each learner runs `ssh -p PORT HOST` and gets the notebook,\n" +
			"their progress kept in one database; instructors' keys open a live view of the class.",
		flags: []flagSpec{
			{name: "addr", value: "HOST:PORT", help: "where to listen (default 127.0.0.1:23234; 0.0.0.0:23234 for a room)"},
			{name: "data", value: "DIR", help: "the workshop's database and host key (default ./nnlab-workshop)"},
			{name: "db", value: "URL", help: "keep the workshop in PostgreSQL (postgres://USER@HOST/DB), which several servers share, instead of DIR's SQLite"},
			{name: "host-key", value: "PATH", help: "the server's SSH host key, made on first start (default DATA/host_ed25519)"},
			{name: "lessons", value: "DIR", help: "also serve the lessons in DIR"},
			{name: "max-sessions", value: "N", help: "at most N learners at once (default 60)"},
			{name: "idle-timeout", value: "D", help: "close a session idle this long, warning a minute before (default 45m; 0 never)"},
			{name: "login-grace", value: "D", help: "close a connection that has not opened the app this long after connecting (default 30s)"},
			{name: "instructor-key", value: "PATH[,PATH…]", help: "public keys (authorized_keys format) that open the instructor's view"},
			{name: "quiz-seed", value: "N", help: "give the whole room the same practice quiz"},
			{name: "compute", value: "N", help: "computations at once across the server (default: the number of CPUs)"},
		},
		run: runServe,
	}
}

func runServe(env *Env, p parsed) error {
	if len(p.pos) > 0 {
		return usagef("serve: takes no arguments, got %s", experiment.Echo(p.pos[0]))
	}
	cfg := serve.Config{Addr: "127.0.0.1:23234", DataDir: "nnlab-workshop", MaxSessions: 60, IdleTimeout: 45 * time.Minute, Log: env.Stderr}
	if v, ok := p.flags["addr"]; ok {
		if _, port, err := splitHostPort(v); err != nil || port == "" {
			return usagef("serve: --addr must be HOST:PORT, e.g. 0.0.0.0:23234, got %s", experiment.Echo(v))
		}
		cfg.Addr = v
	}
	if v, ok := p.flags["data"]; ok {
		cfg.DataDir = v
	}
	if v, ok := p.flags["db"]; ok {
		if !store.IsPostgresURL(v) {
			return usagef("serve: --db must be a PostgreSQL URL, postgres://USER@HOST:PORT/DB, got %s", experiment.Echo(v))
		}
		cfg.DB = v
	}
	cfg.HostKey = filepath.Join(cfg.DataDir, "host_ed25519")
	if v, ok := p.flags["host-key"]; ok {
		cfg.HostKey = v
	}
	var err error
	if cfg.MaxSessions, err = intFlag(p, "max-sessions", cfg.MaxSessions, 1, 10000); err != nil {
		return err
	}
	if cfg.Compute, err = intFlag(p, "compute", 0, 1, 1024); err != nil {
		return err
	}
	if v, ok := p.flags["idle-timeout"]; ok {
		d, err := time.ParseDuration(v)
		if v == "0" {
			d, err = 0, nil
		}
		if err != nil || d < 0 || (d > 0 && d < 2*time.Minute) {
			return usagef("serve: --idle-timeout must be a duration of at least 2m (e.g. 30m, 1h) or 0 for never, got %s", experiment.Echo(v))
		}
		cfg.IdleTimeout = d
	}
	if v, ok := p.flags["login-grace"]; ok {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > 10*time.Minute {
			return usagef("serve: --login-grace must be a duration from 1s to 10m (e.g. 30s, 2m), got %s", experiment.Echo(v))
		}
		cfg.LoginGrace = d
	}
	if v, ok := p.flags["quiz-seed"]; ok {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n == 0 {
			return usagef("serve: --quiz-seed must be a whole number from 1 to %d, got %s", uint64(1<<64-1), experiment.Echo(v))
		}
		cfg.QuizSeed = n
	}
	if v, ok := p.flags["instructor-key"]; ok {
		for _, path := range strings.Split(v, ",") {
			keys, err := readKeys(path)
			if err != nil {
				return usageError{"serve: --instructor-key: " + err.Error()}
			}
			cfg.InstructorKeys = append(cfg.InstructorKeys, keys...)
		}
	}
	// The host key is read (or made) now, so that a bad one is a line
	// about the flag, before the lessons load.
	if cfg.HostKeyPEM, err = serve.ReadHostKey(cfg.HostKey); err != nil {
		return usageError{"serve: --host-key: " + strings.TrimPrefix(err.Error(), "serve: ")}
	}
	lib, lerr := lessons.Load(env.Experiments, p.flags["lessons"])
	if el, ok := lerr.(lessons.ErrorList); ok {
		cfg.LoadErrors = len(el)
		for _, e := range el {
			fmt.Fprintln(env.Stderr, e.Error())
		}
	}
	cfg.Library = lib
	s, err := serve.New(cfg)
	if errors.Is(err, store.ErrNotWorkshop) {
		flag := "--data"
		if cfg.DB != "" {
			flag = "--db"
		}
		return usageError{"serve: " + flag + ": " + strings.TrimPrefix(err.Error(), "store: ")}
	}
	if err != nil && cfg.DB != "" {
		return errors.New("serve: --db: " + strings.TrimPrefix(err.Error(), "store: "))
	}
	if err != nil {
		return err
	}
	addr, err := s.Listen()
	if err != nil {
		return err
	}
	where := "data in " + cfg.DataDir
	if cfg.DB != "" {
		where = "progress in PostgreSQL"
	}
	fmt.Fprintf(env.Stderr, "nnlab serve: learners connect with: ssh -p %d HOST (listening on %s; %s)\n", portOf(addr.String()), addr, where)
	return s.Serve(env.Ctx)
}

func splitHostPort(s string) (host, port string, err error) {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return "", "", fmt.Errorf("no port")
	}
	if _, err := strconv.ParseUint(s[i+1:], 10, 16); err != nil {
		return "", "", err
	}
	return s[:i], s[i+1:], nil
}

func portOf(addr string) int {
	_, p, _ := splitHostPort(addr)
	n, _ := strconv.Atoi(p)
	return n
}

func intFlag(p parsed, name string, def, lo, hi int) (int, error) {
	v, ok := p.flags[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, usagef("--%s must be a whole number from %d to %d, got %s", name, lo, hi, experiment.Echo(v))
	}
	return n, nil
}

// readKeys reads the public keys in an authorized_keys-style file: a
// regular file of at most serve.MaxKeyFile bytes.
func readKeys(path string) ([]gossh.PublicKey, error) {
	b, err := lessons.ReadRegular(path, serve.MaxKeyFile)
	if err != nil {
		return nil, fmt.Errorf("cannot read %q: %w", path, err)
	}
	var keys []gossh.PublicKey
	for rest := b; len(rest) > 0; {
		var k gossh.PublicKey
		k, _, _, rest, err = gossh.ParseAuthorizedKey(rest)
		if err != nil {
			break
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%q holds no public key (want lines like ssh-ed25519 AAAA… comment)", path)
	}
	return keys, nil
}

func reportCmd() command {
	return command{
		name: "report",
		summary: "A workshop's report, per learner: lessons visited, exercises passed, quiz scores, time spent; or per exercise (--exercises).\n" +
			"It only reads: safe while the server runs, and on a database it may not write.",
		flags: []flagSpec{
			{name: "data", value: "DIR", help: "the workshop's data directory (default ./nnlab-workshop)"},
			{name: "db", value: "URL", help: "the workshop's PostgreSQL database (postgres://USER@HOST/DB), as given to nnlab serve"},
			{name: "exercises", help: "per exercise: learners passed and tried, attempts, median time to pass, most common failing hint"},
			{name: "json", help: "print an array of objects"},
			{name: "csv", help: "print CSV with a header row"},
		},
		run: func(env *Env, p parsed) error {
			if len(p.pos) > 0 {
				return usagef("report: takes no arguments, got %s", experiment.Echo(p.pos[0]))
			}
			if p.has("json") && p.has("csv") {
				return usagef("report: choose --json or --csv, not both")
			}
			db, err := openReport(env, p)
			if err != nil {
				return err
			}
			defer db.Close()
			c, err := store.Report(env.Ctx, db, time.Now())
			if err != nil {
				return err
			}
			if c.Damaged > 0 {
				fmt.Fprintf(env.Stderr, "nnlab report: left out %d damaged rows of activity (a field missing or of the wrong type)\n", c.Damaged)
			}
			if p.has("exercises") {
				return exerciseReport(env, p, c.Exercises)
			}
			switch {
			case p.has("json"):
				if c.Learners == nil {
					return writeJSON(env.Stdout, []any{})
				}
				return writeJSON(env.Stdout, c.Learners)
			case p.has("csv"):
				w := csv.NewWriter(env.Stdout)
				// Every cell is neutralised (csvCell): a spreadsheet runs a
				// cell that starts with = + - @ as a formula.
				w.Write([]string{"name", "key", "lessons_visited", "exercises_passed", "exercise_attempts", "quiz_right", "quiz_answered", "minutes_spent", "last_activity"})
				for _, l := range c.Learners {
					w.Write([]string{csvCell(l.Name), csvCell(l.Key), csvCell(strings.Join(l.Visited, " ")), strconv.Itoa(l.Passed), strconv.Itoa(l.Attempts),
						strconv.Itoa(l.QuizRight), strconv.Itoa(l.QuizAnswered), l.Minutes.String(), lastText(l.Last)})
				}
				w.Flush()
				return w.Error()
			}
			t := experiment.Table{Columns: []experiment.Column{{Name: "learner"}, {Name: "lessons"}, {Name: "passed", Align: experiment.Right},
				{Name: "quiz", Align: experiment.Right}, {Name: "minutes", Align: experiment.Right}, {Name: "last activity"}}}
			for _, l := range c.Learners {
				t.Rows = append(t.Rows, experiment.Row{Cells: []any{l.Name, strings.Join(l.Visited, " "), int64(l.Passed),
					fmt.Sprintf("%d/%d", l.QuizRight, l.QuizAnswered), l.Minutes.String(), lastText(l.Last)}})
			}
			fmt.Fprintln(env.Stdout, report.Table(t, report.Options{Width: 200}))
			return nil
		},
	}
}

// openReport opens the workshop of --db or --data for reading only.
func openReport(env *Env, p parsed) (store.Store, error) {
	if v, ok := p.flags["db"]; ok {
		if _, data := p.flags["data"]; data {
			return nil, usagef("report: choose --data or --db, not both")
		}
		if !store.IsPostgresURL(v) {
			return nil, usagef("report: --db must be a PostgreSQL URL, postgres://USER@HOST:PORT/DB, got %s", experiment.Echo(v))
		}
		db, err := store.OpenPostgresReadOnly(env.Ctx, v)
		if errors.Is(err, store.ErrNotWorkshop) {
			return nil, usageError{"report: --db: " + strings.TrimPrefix(err.Error(), "store: ")}
		}
		if err != nil {
			return nil, errors.New("report: --db: " + strings.TrimPrefix(err.Error(), "store: "))
		}
		return db, nil
	}
	dir := "nnlab-workshop"
	if v, ok := p.flags["data"]; ok {
		dir = v
	}
	if _, err := os.Stat(filepath.Join(dir, store.DBFile)); err != nil {
		return nil, usagef("report: no workshop database in %q (%s); give the --data of nnlab serve", dir, store.DBFile)
	}
	db, err := store.OpenSQLiteReadOnly(dir)
	if errors.Is(err, store.ErrNotWorkshop) {
		return nil, usageError{"report: " + strings.TrimPrefix(err.Error(), "store: ")}
	}
	if err != nil {
		return nil, errors.New("report: " + strings.TrimPrefix(err.Error(), "store: "))
	}
	return db, nil
}

// exerciseReport prints the class's exercises: learners passed and tried,
// attempts, the median time to pass, the most common failing hint.
func exerciseReport(env *Env, p parsed, exs []workshop.ExerciseReport) error {
	switch {
	case p.has("json"):
		if exs == nil {
			exs = []workshop.ExerciseReport{}
		}
		return writeJSON(env.Stdout, exs)
	case p.has("csv"):
		w := csv.NewWriter(env.Stdout)
		w.Write([]string{"lesson", "cell", "learners_passed", "learners_tried", "attempts", "median_seconds_to_pass", "common_failing_hint"})
		for _, e := range exs {
			w.Write([]string{csvCell(e.Lesson), csvCell(e.Cell), strconv.Itoa(e.Passed), strconv.Itoa(e.Tried), strconv.Itoa(e.Attempts),
				strconv.FormatFloat(e.MedianSeconds, 'f', 0, 64), csvCell(e.CommonHint)})
		}
		w.Flush()
		return w.Error()
	}
	t := experiment.Table{Columns: []experiment.Column{{Name: "exercise"}, {Name: "passed", Align: experiment.Right}, {Name: "tried", Align: experiment.Right},
		{Name: "attempts", Align: experiment.Right}, {Name: "median min", Align: experiment.Right}, {Name: "most common failing hint"}}}
	for _, e := range exs {
		t.Rows = append(t.Rows, experiment.Row{Cells: []any{e.Lesson + "/" + e.Cell, int64(e.Passed), int64(e.Tried), int64(e.Attempts), e.MedianSeconds / 60, e.CommonHint}})
	}
	fmt.Fprintln(env.Stdout, report.Table(t, report.Options{Width: 1000}))
	return nil
}

// csvCell is a text cell that a spreadsheet shows as text: one that starts
// with =, +, -, @, a tab or a carriage return (which would start a formula)
// gets a ' before it, as OWASP's CSV-injection rule says.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func lastText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
