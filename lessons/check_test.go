package lessons

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []string
	}{
		{"passes", frontMatter + "Loss {{ #a.loss | .2f }}.\n" + cellSrc("id: a\nexperiment: quad\nshow: [loss, curve, table, scalars, notes]\ntweak: [lr]\nexercise:\n  task: T\n  goal: loss < 0.01 and lr <= 10\n  hints:\n    - when: steps < 10\n      text: x"), nil},
		{"unknown show", frontMatter + cellSrc("id: a\nexperiment: quad\nshow: [loss, «nope]"), []string{`show: quad has no output "nope"; outputs: loss, sgd.final_loss, big, table, curve, scalars, notes`}},
		{"unknown goal name", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: loss < 0.01 and «nope > 1"), []string{`"nope" is neither a result key of quad nor a parameter; result keys: loss, sgd.final_loss, big`}},
		{"unknown hint name", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: loss < 0.01\n  hints:\n    - when: '«nope > 1'\n      text: x"), []string{`"nope" is neither a result key`}},
		{"goal already holds", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: «loss < 1 and steps == 50"), []string{"the goal already holds at the cell's own values, so the exercise passes untouched; here loss = 0.1667, steps = 50"}},
		{"cell fails", frontMatter + "Text.\n\n«```nnlab\nid: a\nexperiment: fails\n```\n", []string{"cell a: fails: it broke"}},
		{"cell crashes", frontMatter + "Text.\n\n«```nnlab\nid: a\nexperiment: fails\nparams: {x: 2}\n```\n", []string{"cell a: fails crashed: boom"}},
		{"value key", frontMatter + "A {{ quad().«nope }}.\n", []string{`quad has no result key "nope"`}},
		{"value keys in cell texts", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\ncaption: 'Loss {{ #a.«nope }}'\nexercise:\n  task: Below {{ quad(lr=2).loss | .2f }}\n  goal: loss < 0.01\n  hints:\n    - when: lr > 1\n      text: |\n        Big: {{ quad().«big2 | M }}\n  explain: \"{{ «fails().x }}\""),
			[]string{`cell a (quad) has no result key "nope"; its keys: loss, sgd.final_loss, big`, `quad has no result key "big2"`, "fails failed: fails: it broke"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, at := unmark(tc.src)
			l, list := parseString(t, src)
			if list != nil {
				t.Fatal(list)
			}
			wantErrors(t, errorList(t, Check(t.Context(), l, nil)), at, tc.want)
		})
	}
}

func TestCheckTimeouts(t *testing.T) {
	defer func(c, b time.Duration) { CheckTimeout, InlineBudget = c, b }(CheckTimeout, InlineBudget)
	CheckTimeout, InlineBudget = 20*time.Millisecond, 2*time.Millisecond
	src, at := unmark(frontMatter + "Slow {{ «slow(ms=10).done }}, fine {{ #a.done }}.\n\n«```nnlab\nid: a\nexperiment: slow\nparams: {ms: 100000}\ncaption: 'Slow {{ «slow(ms=11).done }}, fine {{ #a.done }}'\n```\n")
	l, list := parseString(t, src)
	if list != nil {
		t.Fatal(list)
	}
	start := time.Now()
	err := Check(t.Context(), l, nil)
	if time.Since(start) > 5*time.Second {
		t.Fatal("Check did not stop the slow cell")
	}
	// The value from the failed cell is not run again.
	wantErrors(t, errorList(t, err), at, []string{"inline values must take under 2ms", "cell a: slow did not finish within 20ms", "inline values must take under 2ms"})
}

func TestRunnerCaches(t *testing.T) {
	reg := testRegistry()
	quad := must(reg.Get("quad"))
	rn := NewRunner()
	v := quad.Params.Defaults()
	before := quadRuns.Load()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := rn.Run(t.Context(), quad, v.Clone()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := quadRuns.Load() - before; n != 1 {
		t.Errorf("eight identical runs ran %d times", n)
	}
	v2 := v.Clone()
	v2["lr"] = 0.2
	must(rn.Run(t.Context(), quad, v2))
	if n := quadRuns.Load() - before; n != 2 {
		t.Errorf("a different value did not run: %d runs", n)
	}
	if k := RunKey(quad, v); k != "quad(steps=50 lr=0.1 surface=bowl optimizers=sgd bias=false)" {
		t.Errorf("RunKey = %q", k)
	}

	// A run stopped by its context is not remembered.
	slow := must(reg.Get("slow"))
	sv := slow.Params.Defaults()
	sv["ms"] = 50
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := rn.Run(ctx, slow, sv); err == nil {
		t.Fatal("a cancelled run succeeded")
	}
	if _, err := rn.Run(t.Context(), slow, sv); err != nil {
		t.Fatalf("the cancelled run was remembered: %v", err)
	}
}

func TestLoad(t *testing.T) {
	reg := fullRegistry()
	lib, err := Load(reg, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := lib.Get("welcome", "ko"); !ok {
		t.Fatal("no Korean welcome lesson")
	}
	en, ok := lib.Get("welcome", "en")
	if !ok || en.Path != "lessons/en/00-welcome.md" {
		t.Fatalf("English welcome: %v", en)
	}

	dir := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	meta := func(id, lang, title string, order int) string {
		return "---\nid: " + id + "\ntitle: " + title + "\nlang: " + lang + "\norder: " + string(rune('0'+order)) + "\nsummary: S\nminutes: 1\n---\n\nText.\n"
	}
	write("mine/welcome.md", meta("welcome", "en", "My welcome", 0))
	write("mine/extra.md", meta("extra", "ko", "추가", 9))
	write("mine/broken.md", "---\nid: broken\n")
	write("mine/again.md", meta("extra", "ko", "Again", 9))
	write("README.md", "# not a lesson")
	write("notes.txt", "not a lesson")
	lib, err = Load(reg, dir)
	list := errorList(t, err)
	if len(list) != 2 || !strings.HasSuffix(list[0].Path, "broken.md") || !strings.Contains(list[1].Msg, "lesson extra (ko) is also defined in") {
		t.Fatalf("got errors %v", list)
	}
	if l, _ := lib.Get("welcome", "en"); l.Title != "My welcome" {
		t.Errorf("the folder's lesson did not replace the built-in one: %q", l.Title)
	}
	if l, _ := lib.Get("welcome", "ko"); !strings.HasPrefix(l.Path, BuiltinPrefix) {
		t.Errorf("the Korean built-in lesson was replaced: %s", l.Path)
	}
	if l, ok := lib.Lookup("extra", "en"); !ok || l.Lang != "ko" {
		t.Errorf("Lookup falls back to any language: %v", l)
	}
	if l, ok := lib.Lookup("welcome", "fr"); !ok || l.Lang != FallbackLang {
		t.Errorf("Lookup falls back to %s: %v", FallbackLang, l)
	}
	if _, ok := lib.Lookup("nope", "en"); ok {
		t.Error("found a missing lesson")
	}
	var got []string
	for _, l := range lib.List("ko") {
		got = append(got, l.ID+"/"+l.Lang)
	}
	if len(got) < 2 || got[0] != "welcome/ko" || got[len(got)-1] != "extra/ko" { // by order: 0 … 9
		t.Errorf("List(ko) = %v", got)
	}
	if ids := lib.IDs(); len(ids) != len(got) || ids[0] != "welcome" || ids[len(ids)-1] != "extra" {
		t.Errorf("IDs = %v", ids)
	}

	_, err = Load(reg, filepath.Join(dir, "missing"))
	if list := errorList(t, err); len(list) != 1 || list[0].Line != 0 || !strings.Contains(list[0].Error(), "missing") {
		t.Errorf("a missing folder: %v", err)
	}
}

// TestBuiltinLessonsPass runs every cell and value of every built-in lesson.
func TestBuiltinLessonsPass(t *testing.T) {
	reg := fullRegistry()
	files, err := BuiltinFiles()
	if err != nil || len(files) == 0 {
		t.Fatalf("%d files, %v", len(files), err)
	}
	rn := sharedRunner
	for path, src := range files {
		l, err := Parse(path, src, reg)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if !strings.HasPrefix(path, BuiltinPrefix+l.Lang+"/") {
			t.Errorf("%s: lang %s does not match its folder", path, l.Lang)
		}
		if err := quickErrors(Check(t.Context(), l, rn)); err != nil {
			t.Errorf("%v", err)
		}
	}
}

// TestBuiltinLessonsInEveryLanguage: every built-in lesson exists in
// Korean and English.
func TestBuiltinLessonsInEveryLanguage(t *testing.T) {
	files, _ := BuiltinFiles()
	ids := map[string][]string{}
	for path, src := range files {
		if l, err := Parse(path, src, fullRegistry()); err == nil {
			ids[l.ID] = append(ids[l.ID], l.Lang)
		}
	}
	for id, langs := range ids {
		if len(langs) != len(Languages) {
			t.Errorf("lesson %s exists in %v; every built-in lesson should exist in %v", id, langs, Languages)
		}
	}
}
