package lessons

import (
	"errors"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nnlab/nnlab/core/conv"
	"github.com/nnlab/nnlab/core/experiment"
)

// FuzzParse feeds Parse arbitrary files: it must never panic, and what it
// returns must be consistent — a lesson whose values point into their
// prose or cell text and into the file, quizzes that generate their
// questions, or positioned errors inside the file.
func FuzzParse(f *testing.F) {
	for _, s := range seedBlocks(f) {
		f.Add(s)
	}
	for _, s := range []string{
		frontMatter + "A {{ quad(lr=0.5 optimizer=sgd,adam).loss | .3f }} {{ #a.loss }}\n" + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nshow: [loss]\nexercise:\n  task: T\n  goal: loss < 1 and lr > 0 or steps == 3\n  hints:\n    - when: lr > 1\n      text: x\n    - text: y"),
		frontMatter + "```nnlab-quiz\nq\n```\n````\n```nnlab\n````\n",
		frontMatter + "```nnlab-quiz\nid: q\nkinds: [conv_params, conv_out]\ncount: 3\nlevel: 2\npass: 3\nquestions:\n  - kind: model\n    spec: {model: resnet50}\n    key: params\n  - kind: conv_params\n    spec: {cin: 64, cout: 96, groups: 4}\n    level: 3\n```\n",
		frontMatter + "  ```nnlab-quiz\n  id: a\n  questions: [{kind: stage, spec: {model: googlenet}}, {kind: nope}]\n  count: 25\n  ```\n" + cellSrc("id: a\nexperiment: conv"),
		frontMatter + "   ```nnlab\n   id: a\n   experiment: conv\n   params: {k: 3, h: \"8\"}\n   ```\n",
		"---\nid: [\n---\n{{",
		"---\n---\n```nnlab\n&a x: *a\n```",
		frontMatter + "{{ conv1x1(k=4).saving | .2e }} {{ #.x }} {{ x(}} {{ conv(k=).x }}",
		frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\ncaption: \"\\u00e9 {{ #a.loss }}\"\nexercise:\n  task: >\n    T {{ quad(lr=1).loss\n    | .2f }}\n  goal: loss < 1\n  hints:\n    - text: 'it''s {{#a.big}}'\n  explain: |\n    E\n      {{ quad().big | M }}"),
		frontMatter + cellSrc("id: a\nexperiment: quad\ncaption: x {{ #a.loss }}\nexercise:\n  task: {{ quad().loss }}\n  explain: \"a \\\n  {{ quad().big }}\""),
	} {
		f.Add(s)
	}
	reg := experiment.NewRegistry(append(conv.Experiments(), fakeExperiments()[0])...)
	f.Fuzz(func(t *testing.T, src string) {
		l, err := Parse("f.md", []byte(src), reg)
		nlines := strings.Count(src, "\n") + 1
		if err != nil {
			if l != nil {
				t.Fatal("a lesson and an error")
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v is not a non-empty ErrorList", err)
			}
			for _, e := range list {
				if e.Path != "f.md" || e.Line < 1 || e.Line > nlines || e.Col < 1 || e.Msg == "" {
					t.Fatalf("bad position: %q (file has %d lines)", e.Error(), nlines)
				}
			}
			return
		}
		if l == nil || l.ID == "" {
			t.Fatal("no lesson and no error")
		}
		for _, b := range l.Blocks {
			if b.SourceLine() < 1 || b.SourceLine() > nlines {
				t.Fatalf("block at line %d of %d", b.SourceLine(), nlines)
			}
			if p, ok := b.(*Prose); ok {
				for _, in := range p.Values {
					if in.Start < 0 || in.End > len(p.Text) || p.Text[in.Start:in.End] != in.Src {
						t.Fatalf("value %q not at [%d,%d) of %q", in.Src, in.Start, in.End, p.Text)
					}
				}
			}
			if q, ok := b.(*QuizBlock); ok {
				if qs, err := q.Questions(l.ID, 0); err != nil || len(qs) != q.Count+len(q.Fixed) || len(qs) == 0 || len(qs) > MaxQuizQuestions {
					t.Fatalf("quiz %s gives %d questions, %v", q.ID, len(qs), err)
				}
			}
			if c, ok := b.(*Cell); ok {
				if err := c.Experiment.Check(c.Params); err != nil {
					t.Fatalf("cell %s has invalid values: %v", c.ID, err)
				}
				for _, tx := range c.texts {
					for _, in := range tx.values {
						if in.Start < 0 || in.End > len(tx.text) || tx.text[in.Start:in.End] != in.Src || in.Line < 1 || in.Line > nlines || in.Col < 1 {
							t.Fatalf("value %q not at [%d,%d) of %q, or at %d:%d", in.Src, in.Start, in.End, tx.text, in.Line, in.Col)
						}
					}
				}
			}
		}
	})
}

// FuzzParseCond: conditions never panic, and a parsed one reads the same
// names back when printed and parsed again.
func FuzzParseCond(f *testing.F) {
	for _, s := range []string{"loss < 1e-6", "a>=-2 and b != .5 or c == 3", "x <", "1e", "a < 1e+", "& |", "손실 < 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := ParseCond(src)
		if err != nil {
			var ce *CondError
			if !errors.As(err, &ce) || ce.Col < 0 || ce.Col > len([]rune(src)) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		again, err := ParseCond(c.String())
		if err != nil || len(again.Compares()) != len(c.Compares()) {
			t.Fatalf("%q does not parse back: %v", src, err)
		}
		_, _ = c.Eval(&experiment.Result{}, experiment.Values{})
	})
}

// FuzzRender is the path of a lesson file to the screen: Parse, then each
// prose block through glamour and the reflow, as nnlab render and the
// notebook do. Whatever Parse accepts must render on a 64 MB stack (Go's
// default is 1 GB: a deeper recursion is a fatal, unrecoverable error) and
// within 10 s.
func FuzzRender(f *testing.F) {
	for _, s := range seedBlocks(f) {
		f.Add(s)
	}
	for _, s := range []string{
		strings.Repeat("*", 40) + "a" + strings.Repeat("*", 40),
		strings.Repeat(">", 20) + " a",
		nestedList(20),
		strings.Repeat("- ", 20) + "a",
		strings.Repeat("[", 300),
		strings.Repeat("*a _b ", 20) + "x" + strings.Repeat(" b_ a*", 20),
		"> - 1. > * " + strings.Repeat("a", 300) + "\n```\n" + strings.Repeat("b", 3000) + "\n```\n| a | b |\n|---|---|\n| `x` | **y** |",
	} {
		f.Add(frontMatter + s + "\n")
	}
	reg := fullRegistry()
	f.Fuzz(func(t *testing.T, src string) {
		defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
		l, err := Parse("f.md", []byte(src), reg)
		if err != nil {
			return
		}
		within(t, 10*time.Second, "render", func() string { return renderProse(t, l, 40) })
	})
}

// maxSeed is the largest seed seedBlocks gives, in bytes.
const maxSeed = 1024

// seedBlocks cuts the built-in lessons into small seeds: each file's front
// matter with one block of its body — a paragraph, a cell, a quiz or a
// diagram — at most maxSeed bytes, each block once. Whole files (up to
// 30 KB) as seeds made the fuzzer spend its time minimising what it found
// in them (minutes at 0 executions a second) instead of executing.
func seedBlocks(t testing.TB) []string {
	files, err := BuiltinFiles()
	if err != nil {
		t.Fatal(err)
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		lines := strings.Split(string(files[p]), "\n")
		end := 1
		for end < len(lines) && strings.TrimSpace(lines[end]) != "---" {
			end++
		}
		front := strings.Join(lines[:min(end+1, len(lines))], "\n") + "\n"
		var blocks []string
		var para []string
		flush := func() {
			if len(para) > 0 {
				blocks = append(blocks, strings.Join(para, "\n"))
				para = nil
			}
		}
		for i := end + 1; i < len(lines); i++ {
			if fc, ok := openFence(lines[i]); ok {
				flush()
				j := i + 1
				for j < len(lines) && !fc.closes(lines[j]) {
					j++
				}
				blocks = append(blocks, strings.Join(lines[i:min(j+1, len(lines))], "\n"))
				i = j
				continue
			}
			if strings.TrimSpace(lines[i]) == "" {
				flush()
				continue
			}
			para = append(para, lines[i])
		}
		flush()
		for _, b := range blocks {
			s := front + "\n" + b + "\n"
			if len(s) <= maxSeed && !seen[b] {
				seen[b] = true
				out = append(out, s)
			}
		}
	}
	return out
}
