package lessons

import (
	"strings"
	"testing"
)

// exerciseSrc is a cell with an exercise; its texts are given in YAML.
func exerciseSrc(texts string) string {
	return cellSrc("id: a\nexperiment: quad\ntweak: [lr]\n" + texts)
}

func TestCellTextParseErrors(t *testing.T) {
	ex := func(s string) string { return "exercise:\n  goal: loss < 0.01\n" + s }
	for _, tc := range []struct {
		name string
		src  string
		want []string
	}{
		// Every kind of text.
		{"caption", exerciseSrc("caption: Loss {{ «foo().x }}."), []string{`unknown experiment "foo"; known: `}},
		{"task", exerciseSrc(ex("  task: 손실을 {{ quad().loss | «X }} 아래로")), []string{`unknown format "X"`}},
		{"hint text", exerciseSrc(ex("  task: T\n  hints:\n    - when: lr > 1\n      text: Try {{ quad(«kk=3).loss }}.")), []string{`quad has no parameter "kk"; parameters: steps, lr`}},
		{"explain", exerciseSrc(ex("  task: T\n  explain: Because {{«#nope.loss}}.")), []string{`no cell "nope" in this lesson; cells: a`}},

		// YAML's own syntax gets in the way without quotes.
		{"comment", exerciseSrc("caption: Because «{{ #a.loss }}."), []string{`this {{ is cut short: in a text without quotes, YAML reads " #" as the start of a comment`}},
		{"starts with {{", exerciseSrc("caption: «{{ quad().loss }}"), []string{"caption must be text, not a list or mapping; YAML reads a text that starts with { as a mapping: put the text in quotes"}},
		{"starts with {{ and goes on", exerciseSrc("«caption: {{ quad().loss }} is the loss"), []string{"YAML: did not find expected key (a text that starts with { must be in quotes)"}},

		// The grammar and messages of prose.
		{"bad parameter value", exerciseSrc("caption: A {{ quad(steps=«abc).loss }}"), []string{"steps must be a whole number"}},
		{"rule across parameters", exerciseSrc("caption: A {{ quad«(surface=ridge lr=2).loss }}"), []string{"lr must be at most 1 on ridge"}},
		{"never closed", exerciseSrc("caption: A «{{ quad().loss"), []string{"this {{ is never closed"}},
		{"no key", exerciseSrc("caption: A {{ quad()« }}"), []string{"expected .key"}},
		{"two in one text", exerciseSrc("caption: '{{ «foo().x }} and {{ «bar().y }}'"), []string{`unknown experiment "foo"`, `unknown experiment "bar"`}},

		// Quoted scalars: exact columns past quotes and escapes.
		{"double-quoted", exerciseSrc(`caption: "\u00e9\t\"q\" {{ quad().loss | «.f }}"`), []string{`unknown format ".f"`}},
		{"single-quoted", exerciseSrc(`caption: 'it''s {{ «foo().x }}'`), []string{`unknown experiment "foo"`}},
		{"flow mapping", exerciseSrc(ex(`  task: T
  hints: [{text: "{{ «#b.loss }}"}]`)), []string{`no cell "b"`}},

		// Scalars over several lines: the line and column of each part.
		{"literal", exerciseSrc(ex("  task: |\n    First line.\n    Then {{ «foo().x }}.")), []string{`unknown experiment "foo"`}},
		{"folded", exerciseSrc(ex("  task: T\n  explain: >\n    One\n    two {{ quad().loss | «X }}\n\n    three {{ «#z.q }}")), []string{`unknown format "X"`, `no cell "z"`}},
		{"plain over lines", exerciseSrc(ex("  task: Get it\n    down {{ «foo().x }}")), []string{`unknown experiment "foo"`}},
		{"value across a fold", exerciseSrc(ex("  task: >-\n    Get {{ quad().loss\n    | «X }} now")), []string{`unknown format "X"`}},
		{"double-quoted over lines", exerciseSrc(ex("  task: \"a \\\n    b {{ «foo().x }}\"")), []string{`unknown experiment "foo"`}},
		{"indented cell", frontMatter + "\n   ```nnlab\n   id: a\n   experiment: quad\n   caption: x {{ «nope().x }}\n   ```\n", []string{`unknown experiment "nope"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, at := unmark(frontMatter + tc.src)
			if strings.HasPrefix(tc.src, frontMatter) {
				src, at = unmark(tc.src)
			}
			_, list := parseString(t, src)
			wantErrors(t, list, at, tc.want)
		})
	}
}

func TestCellTextValues(t *testing.T) {
	src, at := unmark(frontMatter + "See «{{ #a.big | int }}.\n" + exerciseSrc(`caption: "«{{ quad().big | M }} \u00e9"
exercise:
  task: >
    Below
    «{{ #a.loss | .2f }} please
  goal: loss < 0.01
  hints:
    - when: lr > 1
      text: 'It''s «{{ #a.loss | % }}.'
    - text: |
        Fallback.
          «{{ quad(lr=1 steps=9).loss | .1f }}
  explain: 한글 «{{ quad().big | int }}`))
	l, list := parseString(t, src)
	if list != nil {
		t.Fatal(list)
	}
	values := l.Values()
	if len(values) != len(at) {
		t.Fatalf("got %d values, want %d", len(values), len(at))
	}
	for i, in := range values {
		if in.Line != at[i].line || in.Col != at[i].col {
			t.Errorf("value %d %s at %d:%d, want %d:%d", i, in.Src, in.Line, in.Col, at[i].line, at[i].col)
		}
	}
	c, _ := l.Cell("a")
	ex := c.Exercise
	if c.Caption != "{{ quad().big | M }} é" || ex.Task != "Below {{ #a.loss | .2f }} please" || ex.Hints[0].Text != "It's {{ #a.loss | % }}." ||
		ex.Hints[1].Text != "Fallback.\n  {{ quad(lr=1 steps=9).loss | .1f }}" || ex.Explain != "한글 {{ quad().big | int }}" {
		t.Fatalf("texts are not kept as written: %q %q %q %q %q", c.Caption, ex.Task, ex.Hints[0].Text, ex.Hints[1].Text, ex.Explain)
	}

	rn := NewRunner()
	for _, tc := range []struct{ text, want string }{
		{c.Caption, "25.6M é"},
		{ex.Task, "Below 0.17 please"},
		{ex.Hints[0].Text, "It's 16.7%."},
		{ex.Hints[1].Text, "Fallback.\n  0.1"},
		{ex.Explain, "한글 25,557,032"},
	} {
		got, err := rn.ResolveText(t.Context(), l, tc.text)
		if err != nil || got != tc.want {
			t.Errorf("ResolveText(%q) = %q, %v; want %q", tc.text, got, err, tc.want)
		}
	}

	// Cached values are not computed again.
	runs := quadRuns.Load()
	for range 3 {
		if _, err := rn.ResolveText(t.Context(), l, ex.Explain); err != nil {
			t.Fatal(err)
		}
	}
	if quadRuns.Load() != runs {
		t.Error("ResolveText ran quad again")
	}
}

func TestResolveTextErrors(t *testing.T) {
	src, at := unmark(frontMatter + exerciseSrc(`caption: A {{ quad().«nope }}, {{ «fails().x | int }} and {{ quad().big | int }}.
exercise:
  task: |
    Same as prose:
    {{ #a.«nada }}
  goal: loss < 0.01`))
	l, list := parseString(t, src)
	if list != nil {
		t.Fatal(list)
	}
	c, _ := l.Cell("a")
	got, err := NewRunner().ResolveText(t.Context(), l, c.Caption)
	if got != "A ?, ? and 25,557,032." {
		t.Errorf("got %q", got)
	}
	errs := errorList(t, err)
	wantErrors(t, errs, at[:2], []string{`quad has no result key "nope"`, "fails failed: fails: it broke"})
	got, err = NewRunner().ResolveText(t.Context(), l, c.Exercise.Task)
	if got != "Same as prose:\n?" {
		t.Errorf("got %q", got)
	}
	wantErrors(t, errorList(t, err), at[2:], []string{`cell a (quad) has no result key "nada"`})

	// A text without values comes back as is, with no work (not even a
	// runner); one that is not the lesson's is an error.
	var none *Runner
	if got, err := none.ResolveText(t.Context(), l, "Plain { text }."); got != "Plain { text }." || err != nil {
		t.Errorf("got %q, %v", got, err)
	}
	if got, err := NewRunner().ResolveText(t.Context(), l, "Not {{ quad().big }}"); got != "Not {{ quad().big }}" || err == nil ||
		!strings.Contains(err.Error(), "t.md: \"Not {{ quad().big }}\" is not a text of a cell of this lesson") {
		t.Errorf("got %q, %v", got, err)
	}
}

// BenchmarkResolveText measures a text whose values are cached, as a view
// resolving it on every draw would.
func BenchmarkResolveText(b *testing.B) {
	l := must(Parse("b.md", []byte(frontMatter+exerciseSrc("caption: 'Loss {{ #a.loss | .3f }} of {{ quad(lr=0.5).big | M }}.'")), testRegistry()))
	c, _ := l.Cell("a")
	rn := NewRunner()
	ctx := b.Context()
	for b.Loop() {
		if _, err := rn.ResolveText(ctx, l, c.Caption); err != nil {
			b.Fatal(err)
		}
	}
}
