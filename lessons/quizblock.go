package lessons

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/core/quiz"
)

// MaxQuizQuestions is the most questions one quiz fence may ask, drawn and
// fixed together.
const MaxQuizQuestions = 20

// quizFields are the fields of a quiz fence, in the order README.md gives
// them.
var quizFields = []string{"id", "kinds", "count", "level", "pass", "questions"}

// QuizExperiments are the experiments quiz questions are about: nnlab's
// own (core/experiments), whatever registry a lesson's cells were parsed
// with — a quiz asks what every learner's nnlab can reproduce.
func QuizExperiments() *experiment.Registry { return experiments.Registry() }

// knownKinds lists the quiz kinds, for messages.
func knownKinds() string { return strings.Join(quiz.KindIDs(), ", ") }

// quiz parses the ```nnlab-quiz fence whose opening fence is at index open
// and closing fence at index end (len(lines) when unclosed): its id, the
// kinds, count and level of its drawn questions, its pass mark and the
// questions an author fixed. Every fixed question is built once, so a spec
// its kind refuses is reported here, at the spec.
func (p *parser) quiz(open, end, indent int) *QuizBlock {
	q := &QuizBlock{Line: open + 1, Text: strings.Join(p.lines[open+1:end], "\n")}
	fenceAt := pos{open + 1, indent + 1}
	y := p.yamlAt(open+1, end, indent)
	root := y.parse()
	if root == nil {
		if len(y.e.list) == 0 {
			p.e.add(fenceAt, "empty quiz: a quiz needs an id and questions — kinds and count to draw them, or questions an author fixed")
		}
		return q
	}
	before := len(p.e.list)
	var kindsKey, countKey, levelKey *yaml.Node
	var passVal *yaml.Node
	seen := y.fields(root, "quiz", quizFields, func(key string, k, v *yaml.Node) {
		switch key {
		case "id":
			if s, ok := y.text(v, key); ok {
				if !cellIDPattern.MatchString(s) {
					y.errAt(v, "quiz id must be letters, digits, '-' and '_' (e.g. conv-quiz), got %q", s)
				}
				q.ID, q.idPos = s, y.at(v)
			}
		case "kinds":
			kindsKey = k
			y.names(v, key, func(s string, n *yaml.Node) {
				switch _, ok := quiz.Lookup(s); {
				case !ok:
					y.errAt(n, "unknown quiz kind %q; kinds: %s", s, knownKinds())
				case slices.Contains(q.Kinds, s):
					y.errAt(n, "%q is already in kinds", s)
				default:
					q.Kinds = append(q.Kinds, s)
				}
			})
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				y.errAt(v, "kinds is empty; name the kinds of the drawn questions, e.g. kinds: [conv_params, conv_out] (kinds: %s)", knownKinds())
			}
		case "count":
			countKey = k
			if n, ok := y.int(v, key, 0, MaxQuizQuestions); ok {
				q.Count = n
			}
		case "level":
			levelKey = k
			if n, ok := y.int(v, key, quiz.MinLevel, quiz.MaxLevel); ok {
				q.Level = n
			}
		case "pass":
			passVal = v
			if n, ok := y.int(v, key, 1, MaxQuizQuestions); ok {
				q.Pass = n
			}
		case "questions":
			if v.Kind != yaml.SequenceNode {
				y.errAt(v, "questions must be a list of {kind, spec, level, key}")
				return
			}
			for _, item := range v.Content {
				if f, ok := p.fixedQuestion(y, item); ok {
					q.Fixed = append(q.Fixed, f)
				}
			}
		}
	})
	if seen == nil {
		return q
	}
	if !seen["id"] {
		p.e.add(fenceAt, "the quiz lacks id (letters, digits, '-' and '_', unique among the lesson's cells and quizzes)")
	}
	if len(p.e.list) > before {
		return q // the rules across fields need every field read
	}
	total := q.Count + len(q.Fixed)
	switch {
	case q.Count > 0 && len(q.Kinds) == 0:
		y.errAt(countKey, "count draws questions of the kinds in kinds, and there is no kinds: add kinds: [%s, …] (kinds: %s)", quiz.KindIDs()[0], knownKinds())
	case len(q.Kinds) > 0 && q.Count == 0:
		y.errAt(kindsKey, "kinds are drawn count times, and count is 0: add count: N (1 to %d), or remove kinds", MaxQuizQuestions)
	case total == 0:
		p.e.add(fenceAt, "a quiz needs at least one question: kinds: […] with count: N to draw them, or questions: [{kind, spec}] an author fixed")
	case total > MaxQuizQuestions:
		p.e.add(fenceAt, "a quiz asks at most %d questions; this one asks %d (%d drawn, %d fixed)", MaxQuizQuestions, total, q.Count, len(q.Fixed))
	}
	if levelKey != nil && q.Count == 0 {
		y.errAt(levelKey, "level sets the level of drawn questions, and this quiz draws none; give each fixed question its own level")
	}
	if passVal != nil && total > 0 && q.Pass > total {
		y.errAt(passVal, "pass must be from 1 to %d, the quiz's number of questions, got %d", total, q.Pass)
	}
	return q
}

// fixedQuestion parses one entry of a quiz's questions: a kind, the spec of
// its experiment, a level and a result key. It builds the question to
// check that the kind accepts the spec; ok is false when anything is wrong
// (and reported).
func (p *parser) fixedQuestion(y *yamlDoc, item *yaml.Node) (f FixedQuestion, ok bool) {
	before := len(p.e.list)
	var kind quiz.Kind
	known := false
	var specKey, specVal, keyVal *yaml.Node
	seen := y.fields(item, "question", []string{"kind", "spec", "level", "key"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "kind":
			if s, ok := y.text(v, key); ok {
				if kind, known = quiz.Lookup(s); !known {
					y.errAt(v, "unknown quiz kind %q; kinds: %s", s, knownKinds())
				}
				f.Kind = s
			}
		case "spec":
			specKey, specVal = k, v
		case "level":
			if n, ok := y.int(v, key, quiz.MinLevel, quiz.MaxLevel); ok {
				f.Level = n
			}
		case "key":
			keyVal = v
			if s, ok := y.text(v, key); ok {
				f.Key = s
			}
		}
	})
	if seen == nil {
		return f, false
	}
	if !seen["kind"] {
		y.errAt(item, "the question lacks kind (kinds: %s)", knownKinds())
	}
	if !known {
		return f, false // spec and key depend on the kind
	}
	if f.Key != "" && !slices.Contains(kind.Keys, f.Key) {
		y.errAt(keyVal, "%s questions ask for %s, not %q", kind.ID, orList(kind.Keys), f.Key)
	}
	f.Spec = p.quizSpec(y, kind, specVal)
	if len(p.e.list) > before {
		return f, false
	}
	if _, err := kind.Build(QuizExperiments(), f.Spec, max(f.Level, quiz.MinLevel), f.Key); err != nil {
		at := item
		if specKey != nil {
			at = specKey
		}
		msg := strings.TrimPrefix(err.Error(), "quiz: ")
		if e, found := p.reg.Get(kind.Experiment); found == nil {
			if _, bad := e.Parse(f.Spec); bad == nil {
				// The experiment takes the spec; the kind does not ask
				// about it. Show one it does ask about.
				ex := kind.Draw(QuizExperiments(), 0, 0, max(f.Level, quiz.MinLevel)).Spec
				msg += fmt.Sprintf("; a %s question's spec is like {%s}", kind.ID, specList(ex))
			}
		}
		y.e.add(y.at(at), "%s", msg)
		return f, false
	}
	return f, true
}

// quizSpec reads a fixed question's spec: a mapping of the kind's
// experiment's parameters to single values. When the lesson's registry has
// the experiment, each name and value is checked against it here, to point
// at the one that is wrong; Kind.Build checks them all in any case.
func (p *parser) quizSpec(y *yamlDoc, kind quiz.Kind, v *yaml.Node) map[string]string {
	spec := map[string]string{}
	if v == nil || isNull(v) {
		return spec
	}
	if v.Kind != yaml.MappingNode {
		y.errAt(v, "spec must be a mapping of %s parameters to values, e.g. spec: {k: 3, cin: 64}", kind.Experiment)
		return spec
	}
	exp, err := p.reg.Get(kind.Experiment)
	if err != nil {
		exp = nil
	}
	var vals map[string]any
	if exp != nil {
		vals = exp.Params.Defaults()
	}
	set := map[string]*yaml.Node{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			y.errAt(k, "a parameter name must be a word")
			continue
		}
		name := k.Value
		if exp != nil {
			prm, found := exp.Params.Lookup(name)
			if !found {
				y.errAt(k, "%s has no parameter %q; parameters: %s", exp.Name, name, strings.Join(exp.Params.Names(), ", "))
				continue
			}
			name = prm.Name
		}
		if prev, dup := set[name]; dup {
			y.errAt(k, "parameter %s is already set at line %d", name, y.at(prev).line)
			continue
		}
		set[name] = k
		if val.Kind != yaml.ScalarNode || isNull(val) {
			y.errAt(val, "%s must be a single value", name)
			continue
		}
		if exp != nil {
			if err := exp.Params.Set(vals, name, val.Value); err != nil {
				y.errAt(val, "%v", err)
				continue
			}
		}
		spec[name] = val.Value
	}
	return spec
}

// specList prints a spec as "name: value" pairs in name order.
func specList(spec map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(spec)) {
		parts = append(parts, k+": "+spec[k])
	}
	return strings.Join(parts, ", ")
}

// orList joins items as "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// quizzes lists the lesson's quizzes in order.
func (l *Lesson) quizzes() []*QuizBlock {
	var out []*QuizBlock
	for _, b := range l.Blocks {
		if q, ok := b.(*QuizBlock); ok {
			out = append(out, q)
		}
	}
	return out
}
