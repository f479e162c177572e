package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/muesli/termenv"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/report"
)

var lessonsDirFlag = flagSpec{name: "lessons", value: "DIR", help: "also load the lessons in DIR (same id and lang replaces a built-in one)"}

// lessonsDir is the --lessons folder, checked: a folder that cannot be read
// is bad input (one line, exit 2), as a bad path is for check, rather than
// a list of the built-in lessons and a status of 1.
func lessonsDir(p parsed) (string, error) {
	dir, ok := p.flags["lessons"]
	if !ok {
		return "", nil
	}
	if dir == "" {
		return "", usagef("--lessons needs a folder")
	}
	info, err := os.Stat(dir)
	if err != nil {
		return "", usagef("--lessons: %v", err)
	}
	if !info.IsDir() {
		return "", usagef("--lessons: %q is not a folder", dir)
	}
	f, err := os.Open(dir)
	if err == nil {
		_, err = f.ReadDir(1)
		f.Close()
	}
	if err != nil && err != io.EOF {
		return "", usagef("--lessons: %v", err)
	}
	return dir, nil
}

func lessonsCmd() command {
	return command{
		name: "lessons",
		summary: "List the lessons: id, language, title, number of cells and exercises.\n" +
			"Problems in lesson files are printed on stderr, and the status is then 1.",
		flags: []flagSpec{{name: "json", help: "print the list as JSON"}, lessonsDirFlag},
		run: func(env *Env, p parsed) error {
			if len(p.pos) > 0 {
				return usagef("lessons: takes no arguments, got %s", experiment.Echo(p.pos[0]))
			}
			dir, err := lessonsDir(p)
			if err != nil {
				return err
			}
			lib, loadErr := lessons.Load(env.Experiments, dir)
			type row struct {
				ID        string `json:"id"`
				Lang      string `json:"lang"`
				Title     string `json:"title"`
				Order     int    `json:"order"`
				Minutes   int    `json:"minutes"`
				Summary   string `json:"summary"`
				Cells     int    `json:"cells"`
				Exercises int    `json:"exercises"`
				Path      string `json:"path"`
			}
			rows := []row{}
			for _, l := range lib.All() {
				rows = append(rows, row{l.ID, l.Lang, l.Title, l.Order, l.Minutes, l.Summary, len(l.Cells()), l.Exercises(), l.Path})
			}
			if p.has("json") {
				if err := writeJSON(env.Stdout, rows); err != nil {
					return err
				}
			} else {
				t := experiment.Table{Columns: []experiment.Column{{Name: "id"}, {Name: "lang"}, {Name: "title"},
					{Name: "cells", Align: experiment.Right}, {Name: "exercises", Align: experiment.Right}, {Name: "minutes", Align: experiment.Right}}}
				for _, r := range rows {
					t.Rows = append(t.Rows, experiment.Row{Cells: []any{r.ID, r.Lang, r.Title, r.Cells, r.Exercises, r.Minutes}})
				}
				fmt.Fprintln(env.Stdout, report.Table(t, report.Options{Width: 200}))
			}
			return problems(env, loadErr, "lessons")
		},
	}
}

// problems prints each lesson problem on stderr and returns an error that
// summarizes them, or nil when there are none.
func problems(env *Env, err error, cmd string) error {
	if err == nil {
		return nil
	}
	var list lessons.ErrorList
	if !errors.As(err, &list) {
		return err
	}
	files := map[string]bool{}
	for _, e := range list {
		fmt.Fprintln(env.Stderr, e.Error())
		files[e.Path] = true
	}
	return fmt.Errorf("%s: %s in %s (nnlab check FILE shows them for one file)", cmd, plural(len(list), "problem"), plural(len(files), "lesson file"))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func checkCmd() command {
	return command{
		name: "check",
		args: "PATH…",
		summary: "Validate lesson files and run every cell and value in them.\n" +
			"A PATH may be a folder: its .md files (README.md excepted) are checked.\n" +
			"Prints one line per problem (file:line:column: message); exits 1 if there is any.",
		run: func(env *Env, p parsed) error {
			if len(p.pos) == 0 {
				return usagef("check: name lesson files or folders, e.g. nnlab check lessons/en")
			}
			var files []string
			for _, path := range p.pos {
				found, err := lessonFiles(path)
				if err != nil {
					return usagef("check: %v", err)
				}
				files = append(files, found...)
			}
			rn := lessons.NewRunner()
			var all lessons.ErrorList
			bad := map[string]bool{}
			cells, exercises, values := 0, 0, 0
			for _, path := range files {
				src, err := lessons.ReadFile(path)
				if err == nil {
					var l *lessons.Lesson
					if l, err = lessons.Parse(path, src, env.Experiments); err == nil {
						cells, exercises, values = cells+len(l.Cells()), exercises+l.Exercises(), values+len(l.Values())
						err = lessons.Check(env.Ctx, l, rn)
					}
				}
				if err == nil {
					continue
				}
				bad[path] = true
				var list lessons.ErrorList
				if !errors.As(err, &list) {
					list = lessons.ErrorList{{Path: path, Msg: err.Error()}}
				}
				for _, e := range list {
					fmt.Fprintln(env.Stdout, e.Error())
				}
				all = append(all, list...)
			}
			if env.Ctx.Err() != nil {
				return env.Ctx.Err()
			}
			if len(all) > 0 {
				return fmt.Errorf("check: %s in %d of %s", plural(len(all), "problem"), len(bad), plural(len(files), "lesson file"))
			}
			fmt.Fprintf(env.Stdout, "ok: %s, %s, %s, %s checked\n", plural(len(files), "lesson file"),
				plural(cells, "cell"), plural(exercises, "exercise"), plural(values, "value"))
			return nil
		},
	}
}

// lessonFiles is path itself when it is a file, else the lesson files under
// it, in order.
func lessonFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var out []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if p == path && err != nil {
			return err
		}
		if err == nil && !d.IsDir() && lessons.IsLessonFile(p) {
			out = append(out, p) // a bad entry is reported when it is read
		}
		return nil
	})
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("no lesson files (.md) in %s", path)
	}
	return out, err
}

func renderCmd() command {
	return command{
		name: "render",
		args: "LESSON",
		summary: "Print a lesson as a static notebook: its prose with the values computed,\n" +
			"each cell's output at the lesson's values, and the exercises' tasks and goals.\n" +
			"LESSON is a lesson id (nnlab lessons lists them) or the path of a lesson file.",
		flags: []flagSpec{
			{name: "width", value: "N", help: widthHelp},
			{name: "lang", value: "ko|en", help: "language (default: from $LANG; ko if it starts with ko, else en)"},
			lessonsDirFlag,
		},
		run: func(env *Env, p parsed) error {
			if len(p.pos) != 1 {
				return usagef("render: name one lesson, e.g. nnlab render welcome (nnlab lessons lists them)")
			}
			width, err := widthFlag("render", p, 80)
			if err != nil {
				return err
			}
			lang, ok := p.flags["lang"]
			if !ok {
				lang = tui.LocaleLang(env.lookupEnv())
			} else if !slices.Contains(lessons.Languages, lang) {
				return usagef("render: --lang must be one of %s, got %s", strings.Join(lessons.Languages, ", "), experiment.Echo(lang))
			}
			dir, err := lessonsDir(p)
			if err != nil {
				return err
			}
			l, err := findLesson(env, p.pos[0], lang, dir)
			if err != nil {
				return err
			}
			out, problems := renderLesson(env, lessons.NewBudgetRunner(lessons.LessonBudget), l, width)
			fmt.Fprint(env.Stdout, out)
			if len(problems) > 0 {
				for _, e := range problems {
					fmt.Fprintln(env.Stderr, e.Error())
				}
				return fmt.Errorf("render: %s in %s", plural(len(problems), "problem"), l.Path)
			}
			return nil
		},
	}
}

// findLesson reads a lesson file when arg names one, else looks the id up
// among the loaded lessons.
func findLesson(env *Env, arg, lang, dir string) (*lessons.Lesson, error) {
	if strings.HasSuffix(arg, ".md") || strings.ContainsRune(arg, os.PathSeparator) {
		src, err := lessons.ReadFile(arg)
		if err != nil {
			return nil, usagef("render: %s: %v", arg, err)
		}
		l, err := lessons.Parse(arg, src, env.Experiments)
		if err != nil {
			return nil, problems(env, err, "render")
		}
		return l, nil
	}
	lib, loadErr := lessons.Load(env.Experiments, dir)
	l, ok := lib.Lookup(arg, lang)
	if !ok {
		if loadErr != nil {
			_ = problems(env, loadErr, "render")
		}
		return nil, usagef("render: no lesson %s%s; lessons: %s", experiment.Echo(arg), didYouMean(arg, lib.IDs()), strings.Join(lib.IDs(), ", "))
	}
	if l.Lang != lang {
		fmt.Fprintf(env.Stderr, "nnlab render: lesson %s has no %s version; showing %s\n", arg, lang, l.Lang)
	}
	return l, nil
}

// lessonWords are the few fixed words a rendered lesson shows.
type lessonWords struct {
	cell, values, tweak, exercise, goal, quiz, minutes, failed string
	report                                                     report.Words
}

// wordsIn is the words of a rendered lesson in lang, from the catalog.
func wordsIn(lang string) lessonWords {
	m := func(id string) string { return locale.Msg(lang, "render."+id) }
	return lessonWords{m("cell"), m("values"), m("tweak"), m("exercise"), m("goal"), m("quiz"), locale.Msg(lang, "minutes"), m("failed"), report.WordsIn(lang)}
}

// margin indents everything that is not prose, matching glamour's margin.
const margin = "  "

// renderLesson lays out lesson l for a plain terminal width columns wide,
// running its cells and values with rn, and returns the problems met
// (values or cells that failed).
func renderLesson(env *Env, rn *lessons.Runner, l *lessons.Lesson, width int) (string, []error) {
	w := wordsIn(l.Lang)
	var errs []error
	inner := width - len(margin)
	md, err := tui.NewProseRenderer(width, "notty", termenv.Ascii) // the notebook's NO_COLOR prose: no markdown markers
	if err != nil {
		return "", []error{err}
	}
	var parts []string
	text := func(s string) { parts = append(parts, indent(report.Wrap(s, inner))) }
	text(fmt.Sprintf("%s · %s · "+w.minutes+"\n%s", l.Title, l.Lang, l.Minutes, l.Summary))
	for _, b := range l.Blocks {
		switch b := b.(type) {
		case *lessons.Prose:
			src, err := rn.ResolveProse(env.Ctx, l, b)
			var list lessons.ErrorList
			if errors.As(err, &list) {
				for _, e := range list {
					errs = append(errs, e)
				}
			}
			out, err := md.Render(src)
			if err != nil {
				errs = append(errs, err)
			}
			parts = append(parts, out)
		case *lessons.Cell:
			parts = append(parts, renderCell(env, rn, l, b, inner, w, &errs))
		case *lessons.QuizBlock:
			qs, err := b.Questions(l.ID, 0)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			lines := []string{w.quiz}
			for i, q := range qs {
				lines = append(lines, fmt.Sprintf("%d. %s", i+1, locale.QuizText(l.Lang, q.Prompt)))
			}
			text(strings.Join(lines, "\n"))
		}
	}
	return fitWidth(strings.Join(parts, "\n\n"), width), errs
}

// renderCell lays out cell c of lesson l: a header, its values, its caption,
// its output at the lesson's values and its exercise's task and goal (hints
// and explanation are left for the live notebook). The values in the
// caption and task are computed; those that fail show as ? and join errs.
func renderCell(env *Env, rn *lessons.Runner, l *lessons.Lesson, c *lessons.Cell, width int, w lessonWords, errs *[]error) string {
	resolve := func(s string) string {
		out, err := rn.ResolveText(env.Ctx, l, s)
		var list lessons.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				*errs = append(*errs, e)
			}
		} else if err != nil {
			*errs = append(*errs, err)
		}
		return out
	}
	var b strings.Builder
	head := fmt.Sprintf("── %s %s · %s ", w.cell, c.ID, c.Experiment.Name)
	b.WriteString(head + strings.Repeat("─", max(width-report.Width(head), 2)) + "\n")
	defaults := c.Experiment.Params.Defaults()
	var vals []string
	for _, prm := range c.Experiment.Params {
		v := prm.Format(c.Params[prm.Name])
		if slices.Contains(c.Tweak, prm.Name) || v != prm.Format(defaults[prm.Name]) {
			vals = append(vals, prm.Name+"="+v)
		}
	}
	if len(vals) > 0 {
		b.WriteString(report.Wrap(w.values+": "+strings.Join(vals, " "), width) + "\n")
	}
	if len(c.Tweak) > 0 {
		b.WriteString(report.Wrap(w.tweak+": "+strings.Join(c.Tweak, ", "), width) + "\n")
	}
	if c.Caption != "" {
		b.WriteString(report.Wrap(resolve(c.Caption), width) + "\n")
	}
	if pr := c.Predict; pr != nil { // asked before the outputs, as the notebook asks before the run
		b.WriteString(report.Wrap(locale.Msg(l.Lang, "render.predict")+": "+resolve(pr.Ask), width) + "\n")
	}
	b.WriteString("\n")
	r, err := rn.RunCell(env.Ctx, c)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("cell %s: %w", c.ID, err))
		b.WriteString(report.Wrap(w.failed+": "+err.Error(), width) + "\n")
	} else {
		r = locale.Result(l.Lang, r)
		b.WriteString(strings.TrimRight(report.Show(r, c.Show, report.Options{Width: width, Words: w.report}), "\n") + "\n")
	}
	if ex := c.Exercise; ex != nil {
		b.WriteString("\n" + report.Wrap(w.exercise+": "+resolve(ex.Task), width) + "\n")
		b.WriteString(report.Wrap(w.goal+": "+tui.GoalText(l.Lang, ex.Goal, r, c.Experiment), width) + "\n")
	}
	b.WriteString(strings.Repeat("─", width))
	return indent(b.String())
}

func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = margin + l
		}
	}
	return strings.Join(lines, "\n")
}

// fitWidth is the final pass over a rendered lesson: no trailing spaces, no
// runs of blank lines, and no line wider than width columns (wider ones —
// long unbroken words, code, CJK runs glamour does not break — are wrapped).
func fitWidth(s string, width int) string {
	var out []string
	blank := false
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, " ")
		if line == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, strings.Split(fold(line, width), "\n")...)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n") + "\n"
}
