package lessons

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/quiz"
)

// quizSrc is a quiz fence after a line of prose; its YAML starts at line 12
// after frontMatter.
func quizSrc(yaml string) string { return fmt.Sprintf("Text.\n\n```nnlab-quiz\n%s\n```\n", yaml) }

func TestParseQuizErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []string
	}{
		// The fence and its fields.
		{"empty quiz", frontMatter + "\n«```nnlab-quiz\n```\n", []string{"empty quiz: a quiz needs an id and questions"}},
		{"quiz not a mapping", frontMatter + quizSrc("«- conv_out"), []string{"quiz must be a mapping of id, kinds, count, level, pass, questions"}},
		{"quiz YAML", frontMatter + quizSrc("id: q\n«kinds: [conv_out\ncount: 1"), []string{"YAML: did not find expected ',' or ']'"}},
		{"unknown field", frontMatter + quizSrc("id: q\nkinds: [conv_out]\ncount: 1\n«kind: model"), []string{`unknown quiz field "kind"; known: id, kinds, count, level, pass, questions`}},
		{"field twice", frontMatter + quizSrc("id: q\nkinds: [conv_out]\ncount: 1\n«count: 2"), []string{"count is given twice"}},
		{"quiz lacks id", frontMatter + "Text.\n\n«```nnlab-quiz\nkinds: [conv_out]\ncount: 1\n```\n", []string{"the quiz lacks id"}},
		{"bad quiz id", frontMatter + quizSrc("id: «a.b\nkinds: [conv_out]\ncount: 1"), []string{`quiz id must be letters, digits, '-' and '_' (e.g. conv-quiz), got "a.b"`}},
		{"unknown kind", frontMatter + quizSrc("id: q\nkinds: [conv_out, «conv_param]\ncount: 2"), []string{`unknown quiz kind "conv_param"; kinds: momentum_step, heavy_ball, momentum_limit, adagrad_rate, adam_step, conv_params, conv_out, conv_macs, reduce_saving, receptive_field, feature_map_size, conv_pixel, compare, inception, block, stage, model`}},
		{"kind twice", frontMatter + quizSrc("id: q\nkinds: [conv_out, «conv_out]\ncount: 2"), []string{`"conv_out" is already in kinds`}},
		{"kinds empty", frontMatter + quizSrc("id: q\nkinds: «[]\ncount: 2"), []string{"kinds is empty; name the kinds of the drawn questions"}},
		{"kinds not a list", frontMatter + quizSrc("id: q\nkinds: «conv_out\ncount: 2"), []string{"kinds must be a list, e.g. kinds: [a, b]"}},
		{"count too large", frontMatter + quizSrc("id: q\nkinds: [conv_out]\ncount: «21"), []string{`count must be a whole number from 0 to 20, got "21"`}},
		{"count not a number", frontMatter + quizSrc("id: q\nkinds: [conv_out]\ncount: «three"), []string{`count must be a whole number from 0 to 20, got "three"`}},
		{"level 4", frontMatter + quizSrc("id: q\nkinds: [conv_out]\ncount: 2\nlevel: «4"), []string{`level must be a whole number from 1 to 3, got "4"`}},
		{"pass 0", frontMatter + quizSrc("id: q\nkinds: [conv_out]\ncount: 2\npass: «0"), []string{`pass must be a whole number from 1 to 20, got "0"`}},
		{"pass above the questions", frontMatter + quizSrc("id: q\nkinds: [conv_out]\ncount: 3\npass: «4"), []string{"pass must be from 1 to 3, the quiz's number of questions, got 4"}},
		{"count without kinds", frontMatter + quizSrc("id: q\n«count: 2"), []string{"count draws questions of the kinds in kinds, and there is no kinds: add kinds: [momentum_step, …]"}},
		{"kinds without count", frontMatter + quizSrc("id: q\n«kinds: [conv_out]"), []string{"kinds are drawn count times, and count is 0: add count: N (1 to 20), or remove kinds"}},
		{"kinds with count 0", frontMatter + quizSrc("id: q\n«kinds: [conv_out]\ncount: 0"), []string{"kinds are drawn count times, and count is 0"}},
		{"no question", frontMatter + "Text.\n\n«```nnlab-quiz\nid: q\n```\n", []string{"a quiz needs at least one question: kinds: […] with count: N to draw them, or questions: [{kind, spec}]"}},
		{"too many questions", frontMatter + "Text.\n\n«```nnlab-quiz\nid: q\nkinds: [conv_out]\ncount: 20\nquestions:\n  - kind: model\n```\n", []string{"a quiz asks at most 20 questions; this one asks 21 (20 drawn, 1 fixed)"}},
		{"level without drawn questions", frontMatter + quizSrc("id: q\n«level: 2\nquestions:\n  - kind: model"), []string{"level sets the level of drawn questions, and this quiz draws none"}},

		// Fixed questions.
		{"questions not a list", frontMatter + quizSrc("id: q\nquestions: «{kind: model}"), []string{"questions must be a list of {kind, spec, level, key}"}},
		{"question not a mapping", frontMatter + quizSrc("id: q\nquestions:\n  - «model"), []string{"question must be a mapping of kind, spec, level, key"}},
		{"unknown question field", frontMatter + quizSrc("id: q\nquestions:\n  - kind: model\n    «specs: {model: resnet50}"), []string{`unknown question field "specs"; known: kind, spec, level, key`}},
		{"question lacks kind", frontMatter + quizSrc("id: q\nquestions:\n  - «spec: {k: 3}"), []string{"the question lacks kind (kinds: momentum_step, heavy_ball"}},
		{"question unknown kind", frontMatter + quizSrc("id: q\nquestions:\n  - kind: «modle"), []string{`unknown quiz kind "modle"; kinds: momentum_step`}},
		{"question level", frontMatter + quizSrc("id: q\nquestions:\n  - kind: model\n    level: «0"), []string{`level must be a whole number from 1 to 3, got "0"`}},
		{"key not the kind's", frontMatter + quizSrc("id: q\nquestions:\n  - kind: conv_params\n    key: «macs"), []string{`conv_params questions ask for params, not "macs"`}},
		{"key among several", frontMatter + quizSrc("id: q\nquestions:\n  - kind: inception\n    key: «flops"), []string{`inception questions ask for out_channels, params or macs, not "flops"`}},
		{"spec not a mapping", frontMatter + quizSrc("id: q\nquestions:\n  - kind: conv_params\n    spec: «[k]"), []string{"spec must be a mapping of conv parameters to values, e.g. spec: {k: 3, cin: 64}"}},
		{"spec unknown parameter", frontMatter + quizSrc("id: q\nquestions:\n  - kind: conv_params\n    spec: {«kk: 3}"), []string{`conv has no parameter "kk"; parameters: h, w, cin`}},
		{"spec bad value", frontMatter + quizSrc("id: q\nquestions:\n  - kind: conv_params\n    spec:\n      cin: 64\n      k: «99"), []string{"k must be a whole number from 1 to 15, got 99"}},
		{"spec value a list", frontMatter + quizSrc("id: q\nquestions:\n  - kind: conv_params\n    spec: {k: «[3]}"), []string{"k must be a single value"}},
		{"spec parameter twice", frontMatter + quizSrc("id: q\nquestions:\n  - kind: conv_params\n    spec:\n      k: 3\n      «k: 5"), []string{"parameter k is already set at line 16"}},
		{"spec refused by its experiment", frontMatter + quizSrc("id: q\nquestions:\n  - kind: conv_params\n    «spec: {cin: 64, cout: 96, groups: 5}"), []string{"conv: in channels must be divisible by groups, got c_in=64, groups=5"}},
		{"spec refused by its kind", frontMatter + quizSrc("id: q\nquestions:\n  - kind: stage\n    «spec: {model: googlenet}"), []string{"stage questions are not about model=googlenet"}},
		{"spec left out: the defaults", frontMatter + quizSrc("id: q\nquestions:\n  - kind: model\n    level: 1\n  - kind: stage\n    key: layer2.params"), nil},
		// The test registry lacks the model experiment: core/quiz's refusal
		// is reported at the spec.
		{"second question", frontMatter + quizSrc("id: q\nquestions:\n  - kind: model\n  - kind: model\n    «spec: {model: resnet51}"), []string{`model: model must be one of googlenet, googlenet-paper, resnet18`}},

		// Ids across cells and quizzes.
		{"quiz id of a cell", frontMatter + cellSrc("id: a\nexperiment: conv") + quizSrc("id: «a\nkinds: [conv_out]\ncount: 1"), []string{`quiz id "a" is already used by the cell at line 11; cells and quizzes need ids of their own`}},
		{"cell id of a quiz", frontMatter + quizSrc("id: a\nkinds: [conv_out]\ncount: 1") + cellSrc("id: «a\nexperiment: conv"), []string{`cell id "a" is already used by the quiz at line 11`}},
		{"two quizzes", frontMatter + quizSrc("id: a\nkinds: [conv_out]\ncount: 1") + quizSrc("id: «a\nkinds: [conv_out]\ncount: 1"), []string{`quiz id "a" is already used by the quiz at line 11`}},
		{"unclosed quiz", frontMatter + "\n«```nnlab-quiz\nid: q\nkinds: [conv_out]\ncount: 1\n", []string{"this nnlab-quiz fence is never closed"}},
		{"indented quiz", frontMatter + "\n  ```nnlab-quiz\n  id: q\n  kinds: [«conv]\n  count: 1\n  ```\n", []string{`unknown quiz kind "conv"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, at := unmark(tc.src)
			if tc.want == nil { // a valid quiz
				if _, list := parseString(t, src); list != nil {
					t.Fatal(list)
				}
				return
			}
			_, list := parseString(t, src)
			wantErrors(t, list, at, tc.want)
		})
	}
}

// TestParseQuizExample: when the lesson's registry has the kind's
// experiment and the experiment takes the spec, a spec the kind refuses is
// answered with one it asks about.
func TestParseQuizExample(t *testing.T) {
	src, at := unmark(frontMatter + quizSrc("id: q\nquestions:\n  - kind: model\n    «spec: {model: googlenet-paper}"))
	_, err := Parse("t.md", []byte(src), fullRegistry())
	wantErrors(t, errorList(t, err), at, []string{"model questions are not about model=googlenet-paper; a model question's spec is like {model: resnet"})

	// With the experiment at hand, a bad value is pointed at.
	src, at = unmark(frontMatter + quizSrc("id: q\nquestions:\n  - kind: model\n    spec: {model: «resnet51}"))
	_, err = Parse("t.md", []byte(src), fullRegistry())
	wantErrors(t, errorList(t, err), at, []string{`model must be one of googlenet, googlenet-paper, resnet18`})
}

// TestQuizSpecAliases: spec names are the experiment's, aliases read as
// the parameter they stand for.
func TestQuizSpecCanonical(t *testing.T) {
	l, list := parseString(t, frontMatter+quizSrc("id: q\nquestions:\n  - kind: conv_out\n    spec: {h: 32, w: 32, k: 3, stride: 2, pad: 1}\n    level: 2"))
	if list != nil {
		t.Fatal(list)
	}
	q := l.Blocks[1].(*QuizBlock)
	qs, err := q.Questions(l.ID, 0)
	if err != nil || len(qs) != 1 || qs[0].Answer != 16 || qs[0].Level != 2 || !reflect.DeepEqual(qs[0].Spec, q.Fixed[0].Spec) {
		t.Fatalf("%+v, %v", qs, err)
	}
	if q.Pass != 0 || q.PassMark(1) != 1 {
		t.Errorf("pass %d, mark %d", q.Pass, q.PassMark(1))
	}
}

// TestQuizQuestionsPerAttempt: drawn questions change with the attempt and
// stay the same for the same attempt; fixed ones come first every time.
func TestQuizQuestionsPerAttempt(t *testing.T) {
	l, list := parseString(t, frontMatter+quizSrc("id: q\nkinds: [conv_params, conv_macs]\ncount: 4\nquestions:\n  - kind: model\n    spec: {model: resnet50}"))
	if list != nil {
		t.Fatal(list)
	}
	q := l.Blocks[1].(*QuizBlock)
	a0, a0again, a1 := must(q.Questions(l.ID, 0)), must(q.Questions(l.ID, 0)), must(q.Questions(l.ID, 1))
	if len(a0) != 5 || !reflect.DeepEqual(a0, a0again) || reflect.DeepEqual(a0[1:], a1[1:]) || !reflect.DeepEqual(a0[0], a1[0]) {
		t.Errorf("attempt 0 %+v\nattempt 1 %+v", a0, a1)
	}
	// Levels in turn: one round of the kinds at level 1, then level 2.
	for i, want := range []int{1, 1, 2, 2} {
		if a0[1+i].Level != want {
			t.Errorf("drawn question %d at level %d, want %d", i, a0[1+i].Level, want)
		}
	}
}

func TestCheckQuiz(t *testing.T) {
	l, list := parseString(t, frontMatter+quizSrc("id: q\nkinds: [conv_out, receptive_field]\ncount: 2\nquestions:\n  - kind: block\n    spec: {kind: basic, in: 64, width: 64}"))
	if list != nil {
		t.Fatal(list)
	}
	if err := Check(t.Context(), l, nil); err != nil {
		t.Fatal(err)
	}
	// A quiz built by hand, past the parser's checks, is reported by Check.
	l.Blocks = append(l.Blocks, &QuizBlock{ID: "hand", Kinds: []string{"nope"}, Count: 1, Line: 20})
	err := errorList(t, Check(t.Context(), l, nil))
	if len(err) != 1 || err[0].Line != 20 || err[0].Col != 1 || !strings.HasPrefix(err[0].Msg, `quiz hand: quiz: unknown kind "nope"; kinds: momentum_step`) {
		t.Errorf("got %v", err)
	}
}

// TestReadmeListsEveryKind: the quiz section of README.md names every kind
// with its experiment and keys.
func TestReadmeListsEveryKind(t *testing.T) {
	readme := string(must(os.ReadFile("README.md")))
	for _, k := range quiz.Kinds() {
		i := strings.Index(readme, "| `"+k.ID+"` | `"+k.Experiment+"` | ")
		if i < 0 {
			t.Errorf("README.md has no row for kind %s (experiment %s)", k.ID, k.Experiment)
			continue
		}
		row, _, _ := strings.Cut(readme[i:], "\n")
		for _, key := range k.Keys {
			if !strings.Contains(row, "`"+key+"`") && !strings.Contains(row, "…") {
				t.Errorf("README.md's row for %s lacks key %s: %s", k.ID, key, row)
			}
		}
	}
}

// TestBuiltinQuizzes: the topic lessons 3 to 7 end with a quiz of three to
// five questions, and every lesson's quizzes are the same fences in every
// language.
func TestBuiltinQuizzes(t *testing.T) {
	files, _ := BuiltinFiles()
	fences := map[string]map[string][]string{} // lesson id → lang → quiz fence texts
	for path, src := range files {
		l, err := Parse(path, src, fullRegistry())
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, q := range l.quizzes() {
			texts = append(texts, q.Text)
		}
		if fences[l.ID] == nil {
			fences[l.ID] = map[string][]string{}
		}
		fences[l.ID][l.Lang] = texts
		if l.Order < 3 || l.Order > 7 {
			continue
		}
		q, ok := l.Blocks[len(l.Blocks)-1].(*QuizBlock)
		if !ok {
			t.Errorf("%s does not end with a quiz", path)
			continue
		}
		if n := q.Count + len(q.Fixed); n < 3 || n > 5 {
			t.Errorf("%s: quiz %s asks %d questions, want 3 to 5", path, q.ID, n)
		}
	}
	for id, byLang := range fences {
		for _, lang := range Languages[1:] {
			if !reflect.DeepEqual(byLang[lang], byLang[Languages[0]]) {
				t.Errorf("lesson %s: the quizzes in %s differ from those in %s:\n%q\n%q", id, lang, Languages[0], byLang[lang], byLang[Languages[0]])
			}
		}
	}
}
