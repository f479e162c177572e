package lessons

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/assets"
	"github.com/nnlab/nnlab/core/experiment"
)

func TestParseGood(t *testing.T) {
	src := frontMatter + `# Title

Loss {{ quad(lr=0.5 steps=10).loss | .3f }} and {{ #demo.big | int }}.

` + "```text\n{{ quad().big | M }} in a diagram\n```" + `

  ` + "```nnlab" + `
  id: demo
  experiment: quad
  params:
    lr: 0.2
    optimizer: [sgd, adam]
    bias: yes
  tweak: [lr, optimizer, steps]
  show: [loss, curve, notes]
  caption: Try it.
  exercise:
    task: Get the loss down.
    goal: "loss < 0.01 or bias == 1 and steps <= 20"
    hints:
      - when: lr > 5
        text: Too big.
      - text: Keep going.
    explain: Because.
  ` + "```" + `

` + "````markdown\n```nnlab\nnot: a cell\n```\n````" + `

` + "```nnlab-quiz\n" + `id: q
kinds: [conv_params, conv_out]
count: 2
level: 2
pass: 3
questions:
  - kind: model
    spec: {model: resnet50}
    key: params
  - kind: conv_params
    spec:
      cin: 64
      cout: 128
      k: 3
      groups: 2
      bias: false
    level: 3
` + "```\n"
	l, list := parseString(t, src)
	if list != nil {
		t.Fatal(list)
	}
	if l.ID != "test" || l.Title != "A test" || l.Lang != "en" || l.Order != 1 || l.Summary != "For tests." || l.Minutes != 5 {
		t.Errorf("meta %+v", l.Meta)
	}
	if len(l.Blocks) != 4 {
		t.Fatalf("got %d blocks: %#v", len(l.Blocks), l.Blocks)
	}
	p := l.Blocks[0].(*Prose)
	if p.Line != 9 || !strings.HasPrefix(p.Text, "# Title") || len(p.Values) != 3 {
		t.Fatalf("prose %+v", p)
	}
	v := p.Values[0]
	if v.Exp.Name != "quad" || v.Params.Float("lr") != 0.5 || v.Params.Int("steps") != 10 || v.Key != "loss" || v.Format != ".3f" ||
		v.Line != 11 || v.Col != 6 || p.Text[v.Start:v.End] != v.Src || v.Src != "{{ quad(lr=0.5 steps=10).loss | .3f }}" {
		t.Errorf("value %+v", v)
	}
	if w := p.Values[1]; w.CellID != "demo" || w.Key != "big" || w.Exp != nil {
		t.Errorf("cell reference %+v", w)
	}
	c := l.Blocks[1].(*Cell)
	if c.ID != "demo" || c.Experiment.Name != "quad" || c.Line != 17 || c.Caption != "Try it." {
		t.Errorf("cell %+v", c)
	}
	want := experiment.Values{"steps": 50, "lr": 0.2, "surface": "bowl", "optimizers": []string{"sgd", "adam"}, "bias": true}
	if !reflect.DeepEqual(c.Params, want) {
		t.Errorf("params %v, want %v", c.Params, want)
	}
	if !reflect.DeepEqual(c.Tweak, []string{"lr", "optimizers", "steps"}) || !reflect.DeepEqual(c.Show, []string{"loss", "curve", "notes"}) {
		t.Errorf("tweak %v show %v", c.Tweak, c.Show)
	}
	ex := c.Exercise
	if ex == nil || ex.Task != "Get the loss down." || ex.Explain != "Because." || len(ex.Hints) != 2 || ex.Hints[1].When != nil || ex.Hints[0].Text != "Too big." {
		t.Fatalf("exercise %+v", ex)
	}
	if got := ex.Goal.Names(); !reflect.DeepEqual(got, []string{"loss", "bias", "steps"}) {
		t.Errorf("goal names %v", got)
	}
	if p := l.Blocks[2].(*Prose); !strings.Contains(p.Text, "not: a cell") || p.Line != 37 {
		t.Errorf("a fence inside a markdown fence is prose: %+v", p)
	}
	q := l.Blocks[3].(*QuizBlock)
	wantFixed := []FixedQuestion{
		{Kind: "model", Spec: map[string]string{"model": "resnet50"}, Key: "params"},
		{Kind: "conv_params", Spec: map[string]string{"cin": "64", "cout": "128", "k": "3", "groups": "2", "bias": "false"}, Level: 3},
	}
	if q.ID != "q" || !reflect.DeepEqual(q.Kinds, []string{"conv_params", "conv_out"}) || q.Count != 2 || q.Level != 2 || q.Pass != 3 ||
		!reflect.DeepEqual(q.Fixed, wantFixed) || q.Line != 43 || !strings.HasPrefix(q.Text, "id: q\nkinds:") || !strings.HasSuffix(q.Text, "level: 3") {
		t.Errorf("quiz %+v", q)
	}
	qs, err := q.Questions(l.ID, 0)
	if err != nil || len(qs) != 4 || qs[0].Kind != "model" || qs[0].Key != "params" || qs[1].Answer != 64/2*128*9 ||
		qs[2].Kind != "conv_params" || qs[3].Kind != "conv_out" || qs[2].Level != 2 || q.PassMark(len(qs)) != 3 {
		t.Errorf("questions %+v, %v", qs, err)
	}
	if len(l.Cells()) != 1 || l.Exercises() != 2 {
		t.Errorf("%d cells, %d exercises", len(l.Cells()), l.Exercises())
	}
}

func TestParseErrors(t *testing.T) {
	fm := func(lines string) string { return "---\n" + lines + "\n---\n\nText.\n" }
	for _, tc := range []struct {
		name string
		src  string
		want []string
	}{
		// Front matter.
		{"no front matter", "«# Title\n", []string{"starts with front matter"}},
		{"front matter unclosed", "«---\nid: a\n", []string{"never closed"}},
		{"front matter empty", "«---\n---\n", []string{"front matter is empty"}},
		{"fields missing", "«---\nid: a\ntitle: T\nlang: en\n---\n", []string{"lacks order, summary, minutes"}},
		{"bad id", fm("id: «Bad_ID\ntitle: T\nlang: en\norder: 1\nsummary: S\nminutes: 5"), []string{"id must be lower-case"}},
		{"bad lang", fm("id: a\ntitle: T\nlang: «fr\norder: 1\nsummary: S\nminutes: 5"), []string{`lang must be ko or en, got "fr"`}},
		{"order not a number", fm("id: a\ntitle: T\nlang: en\norder: «one\nsummary: S\nminutes: 5"), []string{`order must be a whole number from 0 to 1000000, got "one"`}},
		{"minutes zero", fm("id: a\ntitle: T\nlang: en\norder: 1\nsummary: S\nminutes: «0"), []string{"minutes must be a whole number from 1"}},
		{"title a list", fm("id: a\ntitle: «[x]\nlang: en\norder: 1\nsummary: S\nminutes: 5"), []string{"title must be text"}},
		{"empty summary", fm("id: a\ntitle: T\nlang: en\norder: 1\nsummary:« \nminutes: 5"), []string{"summary is empty"}},
		{"unknown field", fm("id: a\ntitle: T\nlang: en\norder: 1\nsummary: S\nminutes: 5\n«author: me"), []string{`unknown front matter field "author"`}},
		{"field twice", fm("id: a\ntitle: T\nlang: en\norder: 1\nsummary: S\nminutes: 5\n«id: b"), []string{"id is given twice"}},
		{"front matter YAML", fm("id: a\n«title: [T\nlang: en"), []string{"YAML: did not find expected ',' or ']'"}},
		{"front matter not a mapping", fm("«- a"), []string{"front matter must be a mapping"}},
		{"not UTF-8", frontMatter + "ok\n«\xff\n", []string{"not UTF-8"}},

		// Cells.
		{"unknown experiment", frontMatter + cellSrc("id: a\nexperiment: «convv"), []string{`unknown experiment "convv"; known: `}},
		{"unknown parameter", frontMatter + cellSrc("id: a\nexperiment: conv\nparams:\n  «kk: 3"), []string{`conv has no parameter "kk"; parameters: h, w, cin`}},
		{"invalid value", frontMatter + cellSrc("id: a\nexperiment: conv\nparams:\n  k: «abc"), []string{`k must be a whole number from 1 to 15, got "abc"`}},
		{"value out of range", frontMatter + cellSrc("id: a\nexperiment: conv\nparams:\n  stride: «0"), []string{"stride must be a whole number from 1 to 8, got 0"}},
		{"value a mapping", frontMatter + cellSrc("id: a\nexperiment: conv\nparams:\n  k: «{a: 1}"), []string{"k must be a single value"}},
		{"parameter twice via alias", frontMatter + cellSrc("id: a\nexperiment: quad\nparams:\n  optimizers: sgd\n  «optimizer: adam"), []string{"parameter optimizers is already set at line 15"}},
		{"params not a mapping", frontMatter + cellSrc("id: a\nexperiment: conv\nparams: «[k]"), []string{"params must be a mapping"}},
		{"rule across parameters", frontMatter + cellSrc("id: a\nexperiment: quad\n«params:\n  surface: ridge\n  lr: 2"), []string{"quad: lr must be at most 1 on ridge"}},
		{"rule in core", frontMatter + cellSrc("id: a\nexperiment: conv1x1\n«params:\n  k: 4"), []string{"k must be odd"}},
		{"unknown tweak", frontMatter + cellSrc("id: a\nexperiment: conv\ntweak: [k, «zz]"), []string{`tweak: conv has no parameter "zz"`}},
		{"tweak twice", frontMatter + cellSrc("id: a\nexperiment: conv\ntweak: [k, «k]"), []string{`"k" is already in tweak`}},
		{"tweak not a list", frontMatter + cellSrc("id: a\nexperiment: conv\ntweak: «k"), []string{"tweak must be a list"}},
		{"show not a list", frontMatter + cellSrc("id: a\nexperiment: conv\nshow: «out_h"), []string{"show must be a list"}},
		{"show twice", frontMatter + cellSrc("id: a\nexperiment: conv\nshow: [out_h, «out_h]"), []string{`"out_h" is already in show`}},
		{"unknown cell field", frontMatter + cellSrc("id: a\nexperiment: conv\n«tweaks: [k]"), []string{`unknown cell field "tweaks"; known: id, experiment`}},
		{"caption two lines", frontMatter + cellSrc("id: a\nexperiment: conv\ncaption: «|\n  one\n  two"), []string{"caption must be one line"}},
		{"cell lacks id", frontMatter + "\n«```nnlab\nexperiment: conv\n```\n", []string{"the cell lacks id"}},
		{"empty cell", frontMatter + "\n«```nnlab\n```\n", []string{"empty cell"}},
		{"cell not a mapping", frontMatter + "\n```nnlab\n«- a\n```\n", []string{"cell must be a mapping"}},
		{"bad cell id", frontMatter + cellSrc("id: «a.b\nexperiment: conv"), []string{"cell id must be letters"}},
		{"duplicate cell id", frontMatter + cellSrc("id: a\nexperiment: conv") + cellSrc("id: «a\nexperiment: conv"), []string{`cell id "a" is already used by the cell at line 11`}},
		{"unclosed cell", frontMatter + "\n«```nnlab\nid: a\nexperiment: conv\n", []string{"this nnlab fence is never closed"}},
		{"cell YAML", frontMatter + cellSrc("id: a\nexperiment: conv\n«  k: 3"), []string{"YAML: mapping values are not allowed"}},
		{"cell YAML tab", frontMatter + cellSrc("id: a\n«\texperiment: conv"), []string{"YAML: found a tab character that violates indentation"}},
		{"alias", frontMatter + cellSrc("id: a\nexperiment: conv\nparams:\n  h: «&x 8\n  w: *x"), []string{"anchors and aliases are not supported"}},
		{"unknown fence", frontMatter + "\n```«nnlab-cell\nid: a\n```\n", []string{`unknown fence "nnlab-cell"`}},
		{"unknown diagram", frontMatter + "\n```nnlab-diagram\n  «inceptoin\n```\n", []string{`no diagram "inceptoin"; diagrams: `}},
		{"empty diagram", frontMatter + "\n«```nnlab-diagram\n\n```\n", []string{"an empty diagram fence"}},
		{"two diagrams", frontMatter + "\n```nnlab-diagram\ninception\n«googlenet\n```\n", []string{"names one diagram"}},
		{"indented cell", frontMatter + "\n   ```nnlab\n   id: a\n   experiment: «convv\n   ```\n", []string{`unknown experiment "convv"`}},

		// Exercises and conditions.
		{"goal = for ==", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: loss «= 1"), []string{"'=' is not a comparison; write =="}},
		{"goal quoted", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: \"loss < «abc\""), []string{"expected a number after <"}},
		{"goal number first", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: «5 > loss"), []string{"expected a name, got the number 5"}},
		{"goal &&", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: loss < 1 «&& lr > 0"), []string{`write "and"`}},
		{"goal block scalar", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: «>\n    loss <"), []string{"goal: expected a number after <"}},
		{"goal on an enum", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: loss < 1 and «surface == 1"), []string{"surface is a enum parameter, not a number"}},
		{"hint when broken", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: loss < 1\n  hints:\n    - when: lr >«> 1\n      text: x"), []string{"expected a number after >"}},
		{"exercise without tweak", frontMatter + cellSrc("id: a\nexperiment: quad\n«exercise:\n  task: T\n  goal: loss < 1"), []string{"an exercise needs something the learner can change"}},
		{"exercise with an empty tweak", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: []\n«exercise:\n  task: T\n  goal: loss < 1"), []string{"an exercise needs something the learner can change"}},
		{"exercise lacks goal", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  «task: T"), []string{"the exercise lacks goal"}},
		{"exercise a list", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise: «[T]"), []string{"exercise must be a mapping"}},
		{"hint after the fallback", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: loss < 1\n  hints:\n    - text: any\n    - «when: lr > 1\n      text: never"), []string{"this hint is never shown: the hint at line 19"}},
		{"hint lacks text", frontMatter + cellSrc("id: a\nexperiment: quad\ntweak: [lr]\nexercise:\n  task: T\n  goal: loss < 1\n  hints:\n    - «when: lr > 1"), []string{"the hint lacks text"}},

		// Inline values.
		{"value unknown experiment", frontMatter + "A {{ «foo().x }}.\n", []string{`unknown experiment "foo"`}},
		{"value unclosed", frontMatter + "A «{{ conv().params\n", []string{"this {{ is never closed"}},
		{"value bad format", frontMatter + "A {{ conv().params | «X }}.\n", []string{`unknown format "X"`}},
		{"value bad parameter value", frontMatter + "A {{ conv(k=«abc).params }}.\n", []string{`k must be a whole number from 1 to 15, got "abc"`}},
		{"value unknown parameter", frontMatter + "A {{ conv(«kk=3).params }}.\n", []string{`conv has no parameter "kk"`}},
		{"value parameter twice", frontMatter + "A {{ quad(optimizers=sgd «optimizer=adam).loss }}.\n", []string{"optimizers is given twice"}},
		{"value rule", frontMatter + "A {{ conv1x1«(k=4).saving }}.\n", []string{"k must be odd"}},
		{"value without parentheses", frontMatter + "A {{ conv«.params }}.\n", []string{"expected ( after conv"}},
		{"value without key", frontMatter + "A {{ conv()«}}.\n", []string{"expected .key"}},
		{"value empty key", frontMatter + "A {{ conv().« }}.\n", []string{"expected a result key"}},
		{"value trailing text", frontMatter + "A {{ conv().params «extra }}.\n", []string{`unexpected "extra "`}},
		{"value empty", frontMatter + "A {{ «}}.\n", []string{"expected an experiment name or #cell-id"}},
		{"value unknown cell", frontMatter + "A {{ «#nope.x }}.\n", []string{`no cell "nope" in this lesson; the lesson has no cells`}},
		{"value in Korean", frontMatter + "한국어 문장 {{ «foo().x }}.\n", []string{`unknown experiment "foo"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, at := unmark(tc.src)
			_, list := parseString(t, src)
			wantErrors(t, list, at, tc.want)
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	src, at := unmark("---\nid: a\ntitle: T\nlang: «xx\norder: 1\nsummary: S\nminutes: 5\n---\n\nSee {{ «nope().x }}.\n" +
		cellSrc("id: a\nexperiment: conv\nparams:\n  k: «0\ntweak: [«zz]") + cellSrc("id: b\nexperiment: «nope"))
	_, list := parseString(t, src)
	wantErrors(t, list, at, []string{"lang must be", `unknown experiment "nope"`, "k must be", `no parameter "zz"`, `unknown experiment "nope"`})
	if !strings.HasPrefix(list.Error(), "t.md:4:7: lang must be ko or en") || strings.Count(list.Error(), "\n") != 4 {
		t.Errorf("ErrorList prints as %q", list.Error())
	}
}

func TestParseCRLFAndBOM(t *testing.T) {
	src := "\ufeff" + strings.ReplaceAll(frontMatter+cellSrc("id: a\nexperiment: conv\nparams:\n  k: 0"), "\n", "\r\n")
	_, list := parseString(t, src)
	if len(list) != 1 || list[0].Line != 15 || list[0].Col != 6 {
		t.Fatalf("got %v", list)
	}
}

func TestErrorFormat(t *testing.T) {
	for _, tc := range []struct {
		e    Error
		want string
	}{
		{Error{"a.md", 3, 7, "bad"}, "a.md:3:7: bad"},
		{Error{"a.md", 3, 0, "bad"}, "a.md:3: bad"},
		{Error{"dir", 0, 0, "unreadable"}, "dir: unreadable"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	if ErrorList(nil).Err() != nil {
		t.Error("an empty list is not an error")
	}
}

// TestParseDiagram checks that a diagram fence becomes a text block of its
// own holding the diagram in the lesson's language.
func TestParseDiagram(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		src := strings.Replace(frontMatter, "lang: en", "lang: "+lang, 1) + "Before {{ quad().big | M }}.\n\n```nnlab-diagram\ninception\n```\n\nAfter {{ quad().big | M }}.\n"
		l, list := parseString(t, src)
		if list != nil {
			t.Fatal(list)
		}
		if len(l.Blocks) != 3 {
			t.Fatalf("%s: %d blocks", lang, len(l.Blocks))
		}
		d := must(assets.Diagram("inception", lang))
		p := l.Blocks[1].(*Prose)
		if p.Text != "```text\n"+d+"\n```" || len(p.Values) != 0 || p.Line != 11 {
			t.Errorf("%s: diagram block %+v", lang, p)
		}
		if after := l.Blocks[2].(*Prose); after.Line != 15 || after.Values[0].Line != 15 {
			t.Errorf("%s: the prose after the diagram starts at line %d", lang, after.Line)
		}
	}
}

// Escape and control sequences in any part of a lesson are refused, where
// they are (a title that clears the screen, prose that writes the
// clipboard through OSC 52).
func TestControlCharactersRefused(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line, col int
	}{
		{"title", strings.Replace(frontMatter, "title: A test", "title: A test\x1b[2J\x1b]0;pwned\x07", 1), 3, 14},
		{"prose", frontMatter + "\nSome \x1b]52;c;aGk=\x07 text.\n", 10, 6},
		{"bel", frontMatter + "\nding\x07\n", 10, 5},
		{"c1", frontMatter + "\nx\u009b2J\n", 10, 2},
		{"lone CR", frontMatter + "\nover\rwrite\r\n", 10, 5}, // CRLF ends a line; a lone CR is a control
		{"CR in front matter", "---\n\r\r0\n---", 2, 1},       // found by FuzzParse: YAML made it line 4 of 3
	} {
		_, err := Parse("t.md", []byte(tc.src), testRegistry())
		want := fmt.Sprintf("t.md:%d:%d: control character", tc.line, tc.col)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", tc.name, err, want)
		}
	}
}

// Control characters written as YAML escapes — in front matter or in any
// field of a cell or a quiz — are refused as the decoded text holds them,
// at the text that holds them: an OSC 52 clipboard write in a title, a C1
// CSI, \u001b, \x1b, \e, a lone \r.
func TestControlEscapesInYAMLRefused(t *testing.T) {
	cell := func(field string) string {
		return frontMatter + "\n```nnlab\nid: c\nexperiment: quad\ntweak: [lr]\n" + field + "\n```\n"
	}
	for _, tc := range []struct{ name, src string }{
		{"title OSC 52", strings.Replace(frontMatter, "title: A test", `title: «"A\e]52;c;cHduZWQ=\aB"`, 1)},
		{"title C1 CSI", strings.Replace(frontMatter, "title: A test", `title: «"\x9b2J"`, 1)},
		{"summary \\u001b", strings.Replace(frontMatter, "summary: For tests.", `summary: «"x\u001b[2Jy"`, 1)},
		{"summary \\x1b", strings.Replace(frontMatter, "summary: For tests.", `summary: «"it's \x1b"`, 1)},
		{"lone CR", strings.Replace(frontMatter, "title: A test", `title: «"over\rwrite"`, 1)},
		{"caption", cell(`caption: «"\e[31mred"`)},
		{"task", cell("exercise:\n  task: «\"\\e]0;title\\a\"\n  goal: lr < 1")},
		{"hint", cell("exercise:\n  task: Do it.\n  goal: lr < 1\n  hints:\n    - text: «\"\\x07\"")},
		{"explain", cell("exercise:\n  task: Do it.\n  goal: lr < 1\n  explain: «\"\\u009d8;;x\\u009c\"")},
		{"a key", cell(`«"\e": 1`)},
		{"quiz", frontMatter + quizSrc(`id: «"q\e"`+"\nkinds: [conv_out]\ncount: 1")},
	} {
		src, at := unmark(tc.src)
		l, list := parseString(t, src)
		if l != nil {
			t.Errorf("%s: parsed", tc.name)
			continue
		}
		wantErrors(t, list, at, []string{"(written as a YAML escape)"})
	}
}
