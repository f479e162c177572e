package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func runLessons(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Main(&Env{Ctx: context.Background(), Stdout: &o, Stderr: &e, Experiments: experiments.Registry()}, args)
	return code, o.String(), e.String()
}

const goodLesson = `---
id: mine
title: 내 수업
lang: ko
order: 9
summary: A test lesson.
minutes: 3
---

# Mine

Weights: {{ conv(bias=false).params | int }}; the cell gives {{ #c.out_h }}.

` + "```nnlab" + `
id: c
experiment: conv
params: {k: 3, pad: 1, stride: 1}
tweak: [k]
show: [out_h, notes]
caption: A 3×3 convolution.
` + "```" + `

` + "```nnlab-quiz\nid: q\nkinds: [conv_params, conv_out]\ncount: 2\n```\n"

func oneSpaced(s string) string { return strings.Join(strings.Fields(s), " ") }

func writeFile(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLessonsList(t *testing.T) {
	code, out, errOut := runLessons("lessons")
	if !strings.Contains(oneSpaced(out), "welcome en Welcome to nnlab 1 2 5") || !strings.Contains(out, "exercises") {
		t.Fatalf("code %d, out %q, err %q", code, out, errOut)
	}
	dir := t.TempDir()
	writeFile(t, dir, "mine.md", goodLesson)
	writeFile(t, dir, "broken.md", strings.Replace(goodLesson, "k: 3", "k: 99", 1))
	code, out, errOut = runLessons("lessons", "--json", "--lessons", dir)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	var mine map[string]any
	for _, r := range rows {
		if r["id"] == "mine" {
			mine = r
		}
	}
	if mine == nil || mine["title"] != "내 수업" || mine["cells"] != 1.0 || mine["exercises"] != 1.0 || mine["lang"] != "ko" {
		t.Errorf("rows %v", rows)
	}
	// The broken file is reported, and the others are still listed.
	if code != 1 || !strings.Contains(errOut, "broken.md:17:") || !strings.Contains(errOut, "k must be a whole number from 1 to 15, got 99") ||
		!strings.Contains(errOut, "nnlab lessons: 1 problem in 1 lesson file") {
		t.Errorf("code %d, stderr %q", code, errOut)
	}
}

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.md", goodLesson)
	code, out, errOut := runLessons("check", good)
	if code != 0 || errOut != "" || out != "ok: 1 lesson file, 1 cell, 1 exercise, 2 values checked\n" {
		t.Fatalf("good: code %d, out %q, err %q", code, out, errOut)
	}
	bad := writeFile(t, dir, "bad.md", strings.Replace(strings.Replace(goodLesson, "out_h, notes", "out_h, nope", 1), "#c.out_h", "#c.nada", 1))
	code, out, errOut = runLessons("check", dir)
	wantOut := bad + `:12:68: cell c (conv) has no result key "nada"; its keys: out_h, out_w, params, macs` + "\n" +
		bad + `:19:15: show: conv has no output "nope"; outputs: out_h, out_w, params, macs, scalars, notes` + "\n"
	if code != 1 || out != wantOut || errOut != "nnlab check: 2 problems in 1 of 2 lesson files\n" {
		t.Fatalf("bad: code %d\nout %q\nwant %q\nerr %q", code, out, wantOut, errOut)
	}
	broken := writeFile(t, dir, "broken.md", "no front matter\n")
	code, out, _ = runLessons("check", broken)
	if code != 1 || !strings.HasPrefix(out, broken+":1:1: a lesson starts with front matter") {
		t.Fatalf("broken: code %d, out %q", code, out)
	}
	for _, args := range [][]string{{"check"}, {"check", filepath.Join(dir, "missing.md")}, {"check", t.TempDir()}} {
		if code, out, errOut := runLessons(args...); code != 2 || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: code %d, out %q, err %q", args, code, out, errOut)
		}
	}
}

func TestCheckBuiltinLessons(t *testing.T) {
	if code, out, errOut := runLessons("check", "../../lessons/en", "../../lessons/ko"); code != 0 {
		t.Fatalf("code %d\n%s%s", code, out, errOut)
	}
}

func TestRenderCommand(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "mine.md", goodLesson)
	code, out, errOut := runLessons("render", p, "--width", "50")
	for _, want := range []string{"내 수업 · ko · 3분", "Weights: 9,408; the cell gives 224.", "── 셀 c · conv ──", "값: k=3 stride=1 pad=1",
		"출력 높이  224  px", "퀴즈 — 노트북에서 z를 눌러"} {
		if !strings.Contains(out, want) {
			t.Errorf("render lacks %q", want)
		}
	}
	cellPart, _, _ := strings.Cut(out, "퀴즈") // the quiz's questions may name parameters
	if code != 0 || errOut != "" || strings.Contains(cellPart, "파라미터") {
		t.Fatalf("code %d, err %q, out:\n%s", code, errOut, out)
	}
	// By id from a folder, which replaces nothing; a failing value is shown
	// as ? and reported.
	writeFile(t, dir, "mine.md", strings.Replace(goodLesson, "#c.out_h", "#c.nada", 1))
	code, out, errOut = runLessons("render", "mine", "--lessons", dir, "--lang", "en")
	if code != 1 || !strings.Contains(out, "the cell gives ?.") || !strings.Contains(errOut, `no result key "nada"`) ||
		!strings.Contains(errOut, "lesson mine has no en version; showing ko") {
		t.Fatalf("code %d, err %q, out:\n%s", code, errOut, out)
	}
	for _, tc := range []struct{ args []string }{
		{[]string{"render"}},
		{[]string{"render", "nope"}},
		{[]string{"render", "welcome", "--lang", "fr"}},
		{[]string{"render", "welcome", "--width", "10"}},
		{[]string{"render", filepath.Join(dir, "missing.md")}},
	} {
		if code, out, errOut := runLessons(tc.args...); code != 2 || out != "" || !strings.HasPrefix(errOut, "nnlab render: ") {
			t.Errorf("%v: code %d, out %q, err %q", tc.args, code, out, errOut)
		}
	}
}

// TestRenderCellTexts: values in a cell's caption and exercise task are
// computed; one that fails shows as ? and is reported.
func TestRenderCellTexts(t *testing.T) {
	lesson := strings.Replace(goodLesson, "caption: A 3×3 convolution.", `caption: 'A 3×3 convolution: {{ conv(bias=false).params | int }} weights, {{ #c.out_h }} rows.'
exercise:
  task: >
    Make the output {{ conv(k=5 pad=2).out_h }} rows
    high ({{ #c.nada }} now).
  goal: out_h > 300`, 1)
	p := writeFile(t, t.TempDir(), "mine.md", lesson)
	code, out, errOut := runLessons("render", p, "--width", "100")
	for _, want := range []string{"A 3×3 convolution: 9,408 weights, 224 rows.", "연습: Make the output 112 rows high (? now).", "목표: 출력 높이 300 초과"} {
		if !strings.Contains(oneSpaced(out), want) {
			t.Errorf("render lacks %q", want)
		}
	}
	if strings.Contains(out, "{{") {
		t.Errorf("a value is left as written:\n%s", out)
	}
	if code != 1 || !strings.Contains(errOut, p+`:24:17: cell c (conv) has no result key "nada"`) || !strings.Contains(errOut, "render: 1 problem in "+p) {
		t.Fatalf("code %d, err %q, out:\n%s", code, errOut, out)
	}
}

func TestEnvLang(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "en"},
		{map[string]string{"LANG": "ko_KR.UTF-8"}, "ko"},
		{map[string]string{"LANG": "en_US.UTF-8"}, "en"},
		{map[string]string{"LANG": "ko_KR.UTF-8", "LC_ALL": "C"}, "en"},
		{map[string]string{"LANG": "C", "LC_MESSAGES": "ko_KR"}, "ko"},
	} {
		if got := tui.LocaleLang(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }); got != tc.want {
			t.Errorf("%v: got %s, want %s", tc.env, got, tc.want)
		}
	}
}

// TestRenderGolden pins `nnlab render welcome` in both languages at two
// widths. Run with -update after changing the welcome lessons or the layout.
func TestRenderGolden(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		for _, width := range []int{60, 100} {
			t.Run(fmt.Sprintf("%s-%d", lang, width), func(t *testing.T) {
				code, out, errOut := runLessons("render", "welcome", "--lang", lang, "--width", fmt.Sprint(width))
				if code != 0 || errOut != "" {
					t.Fatalf("code %d, stderr %q", code, errOut)
				}
				golden := filepath.Join("testdata", fmt.Sprintf("render-welcome-%s-%d.golden", lang, width))
				if *update {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./tui/cli -run TestRenderGolden -update)", err)
				}
				if out != string(want) {
					t.Errorf("render differs from %s (rerun with -update if intended):\n%s", golden, out)
				}
			})
		}
	}
}

// TestRenderedWidth renders every built-in lesson at three widths: no line
// may be wider than the width.
func TestRenderedWidth(t *testing.T) {
	reg := experiments.Registry()
	lib, _ := lessons.Load(reg, "") // broken lessons are the lessons package's tests' concern
	env := &Env{Ctx: context.Background(), Experiments: reg}
	rn := lessons.NewRunner()
	for _, l := range lib.All() {
		for _, width := range []int{60, 80, 100} {
			out, _ := renderLesson(env, rn, l, width)
			for i, line := range strings.Split(out, "\n") {
				if w := ansi.StringWidth(line); w > width {
					t.Errorf("%s at width %d: line %d is %d wide: %q", l.Path, width, i+1, w, line)
				}
			}
		}
	}
}

func TestFitWidth(t *testing.T) {
	long := strings.Repeat("가나다라마바사", 10) + " " + strings.Repeat("x", 70) + "   \n\n\n\n" +
		"a" + strings.Repeat("         --", 8) + "\nend  "
	out := fitWidth(long, 30)
	for _, line := range strings.Split(out, "\n") {
		if ansi.StringWidth(line) > 30 || strings.HasSuffix(line, " ") {
			t.Errorf("line %q is %d wide", line, ansi.StringWidth(line))
		}
	}
	if strings.Contains(out, "\n\n\n") || !strings.HasSuffix(out, "\nend\n") {
		t.Errorf("got %q", out)
	}
	if got := strings.ReplaceAll(out, "\n", ""); !strings.Contains(got, strings.Repeat("가나다라마바사", 10)) {
		t.Errorf("text was lost: %q", got)
	}
}

// A rendered lesson's words come from the message catalog in its language.
func TestRenderWordsInEveryLanguage(t *testing.T) {
	for _, lang := range lessons.Languages {
		w := wordsIn(lang)
		for _, s := range []string{w.cell, w.values, w.tweak, w.exercise, w.goal, w.quiz, w.minutes, w.failed, w.report.LogScale, w.report.Minimum} {
			if s == "" || strings.HasPrefix(s, "render.") || strings.HasPrefix(s, "report.") {
				t.Errorf("%s: render word %q", lang, s)
			}
		}
	}
}

// A --lessons folder that cannot be read is bad input, as a bad path is for
// check: one line on stderr, status 2, nothing on stdout.
func TestLessonsDirMissing(t *testing.T) {
	file := writeFile(t, t.TempDir(), "mine.md", goodLesson)
	for _, args := range [][]string{
		{"lessons", "--lessons", "/nonexistent"},
		{"lessons", "--json", "--lessons", "/nonexistent"},
		{"lessons", "--lessons", file},
		{"lessons", "--lessons="},
		{"render", "welcome", "--lessons", "/nonexistent"},
	} {
		code, out, errOut := runLessons(args...)
		if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "--lessons") {
			t.Errorf("%v: code %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// At the smallest width honoured, no line of any experiment's report at
// its defaults, nor of any built-in lesson in any language, is wider than
// the width (display width: a Korean syllable counts two); narrower widths
// are refused with one line.
func TestSmallestWidth(t *testing.T) {
	reg := experiments.Registry()
	width := fmt.Sprint(MinWidth)
	for _, e := range reg.All() {
		var o, errOut bytes.Buffer
		code := Main(&Env{Ctx: context.Background(), Stdout: &o, Stderr: &errOut, Experiments: reg}, []string{"run", e.Name, "--width", width})
		if code != 0 {
			t.Errorf("run %s: code %d, %s", e.Name, code, errOut.String())
		}
		for i, line := range strings.Split(o.String(), "\n") {
			if w := ansi.StringWidth(line); w > MinWidth {
				t.Errorf("run %s --width %d: line %d is %d wide: %q", e.Name, MinWidth, i+1, w, line)
			}
		}
	}
	lib, _ := lessons.Load(reg, "")
	for _, l := range lib.All() {
		code, out, errOut := runLessons("render", l.ID, "--lang", l.Lang, "--width", width)
		if code != 0 {
			t.Errorf("render %s (%s): code %d, %s", l.ID, l.Lang, code, errOut)
		}
		for i, line := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(line); w > MinWidth {
				t.Errorf("render %s (%s) --width %d: line %d is %d wide: %q", l.ID, l.Lang, MinWidth, i+1, w, line)
			}
		}
	}
	for _, args := range [][]string{{"run", "conv", "--width", fmt.Sprint(MinWidth - 1)}, {"render", "welcome", "--width", "30"}} {
		code, out, errOut := runLessons(args...)
		if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, fmt.Sprintf("from %d to 1000", MinWidth)) {
			t.Errorf("%v: code %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if code, out, _ := runLessons("run", "--help"); code != 0 || !strings.Contains(out, fmt.Sprintf("%d to 1000", MinWidth)) {
		t.Errorf("run --help does not give the smallest width: %q", out)
	}
}

// fold breaks whatever report.Fit leaves too wide.
func TestFold(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("─", 100),
		"                               | |            |" + strings.Repeat(" |", 20),
		strings.Repeat("가", 60) + " x",
	} {
		for _, line := range strings.Split(fold(s, MinWidth), "\n") {
			if w := ansi.StringWidth(line); w > MinWidth {
				t.Errorf("fold(%q): line %q is %d wide", s, line, w)
			}
		}
	}
}

// TestRenderPlain: nnlab render shows no markdown markers (glamour's notty
// style kept "#", "**", "`"), and a shaded surface comes with its key.
func TestRenderPlain(t *testing.T) {
	dir := t.TempDir()
	src := strings.Replace(goodLesson, "Weights:", "Some **bold**, *emphasis* and `code`.\n\n## A section\n\nWeights:", 1)
	src = strings.Replace(src, "```nnlab-quiz", "```nnlab\nid: v\nexperiment: optimize\nparams: {optimizers: sgd, lr: 0.4, steps: 20}\nshow: [surface]\n```\n\n```nnlab-quiz", 1)
	p := writeFile(t, dir, "mine.md", src)
	code, out, errOut := runLessons("render", p, "--width", "70")
	if code != 0 || errOut != "" {
		t.Fatalf("code %d, err %q, out:\n%s", code, errOut, out)
	}
	prose, _, _ := strings.Cut(out, "── ")
	for _, marker := range []string{"#", "**", "*", "`"} {
		if strings.Contains(prose, marker) {
			t.Errorf("marker %q in:\n%s", marker, prose)
		}
	}
	for _, want := range []string{"  Mine\n", "Some bold, emphasis and code.", "  A section\n", "낮음 [ .,:;-=~] 높음"} {
		if !strings.Contains(out, want) {
			t.Errorf("render lacks %q:\n%s", want, out)
		}
	}
}
