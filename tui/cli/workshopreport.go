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

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/tui/report"
	"github.com/nnlab/nnlab/tui/store"
	"github.com/nnlab/nnlab/tui/workshop"
)

// reportCmd is nnlab report: what a workshop's learners did, read from its
// store (not package report, which lays out an experiment's result).
func reportCmd() command {
	var (
		data, db                 string
		exercises, asJSON, asCSV bool
	)
	return command{
		name: "report",
		summary: "A workshop's report, per learner: lessons visited, exercises passed, quiz scores, time spent; or per exercise (--exercises).\n" +
			"It only reads: safe while the server runs, and on a database it may not write.",
		flags: []flagSpec{
			textFlag(&data, "data", "DIR", "the workshop's data directory (default ./nnlab-workshop)"),
			postgresFlag(&db, "the workshop's PostgreSQL database (postgres://USER@HOST/DB), as given to nnlab serve"),
			switchFlag(&exercises, "exercises", "per exercise: learners passed and tried, attempts, median time to pass, most common failing hint"),
			switchFlag(&asJSON, "json", "print an array of objects"),
			switchFlag(&asCSV, "csv", "print CSV with a header row"),
		},
		run: func(env *Env, p call) error {
			if len(p.pos) > 0 {
				return usagef("report: takes no arguments, got %s", experiment.Echo(p.pos[0]))
			}
			if asJSON && asCSV {
				return usagef("report: choose --json or --csv, not both")
			}
			st, err := openReport(env, p, data, db)
			if err != nil {
				return err
			}
			defer st.Close()
			c, err := store.Report(env.Ctx, st, time.Now())
			if err != nil {
				return err
			}
			if c.Damaged > 0 {
				fmt.Fprintf(env.Stderr, "nnlab report: left out %d damaged rows of activity (a field missing or of the wrong type)\n", c.Damaged)
			}
			if exercises {
				return exerciseReport(env, c.Exercises, asJSON, asCSV)
			}
			switch {
			case asJSON:
				if c.Learners == nil {
					return writeJSON(env.Stdout, []any{})
				}
				return writeJSON(env.Stdout, c.Learners)
			case asCSV:
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
func openReport(env *Env, p call, data, url string) (store.Store, error) {
	if p.given("db") {
		if p.given("data") {
			return nil, usagef("report: choose --data or --db, not both")
		}
		db, err := store.OpenPostgresReadOnly(env.Ctx, url)
		if errors.Is(err, store.ErrNotWorkshop) {
			return nil, usageError{"report: --db: " + strings.TrimPrefix(err.Error(), "store: ")}
		}
		if err != nil {
			return nil, errors.New("report: --db: " + strings.TrimPrefix(err.Error(), "store: "))
		}
		return db, nil
	}
	dir := "nnlab-workshop"
	if p.given("data") {
		dir = data
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
func exerciseReport(env *Env, exs []workshop.ExerciseReport, asJSON, asCSV bool) error {
	switch {
	case asJSON:
		if exs == nil {
			exs = []workshop.ExerciseReport{}
		}
		return writeJSON(env.Stdout, exs)
	case asCSV:
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
