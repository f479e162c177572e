package quiz

import (
	"fmt"
	"github.com/nnlab/nnlab/core/catalog"
	"github.com/nnlab/nnlab/core/experiment"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
)

// Question is one generated question. Everything a view shows is here, in
// no language: the prompt and each step of the worked solution are message
// ids with their arguments (tui/locale has their words), numbers are
// numbers.
type Question struct {
	Kind  string `json:"kind"`
	Level int    `json:"level"`
	// Experiment and Spec reproduce the answer: `nnlab run EXPERIMENT
	// key=value…` with Spec's keys, then the scalar Key of its result.
	Experiment string            `json:"experiment"`
	Spec       map[string]string `json:"spec"`
	Key        string            `json:"key"`
	Answer     float64           `json:"answer"`
	// Tolerance is the relative error graded as right (0: the exact count).
	Tolerance float64 `json:"tolerance"`
	// Choices are the answers a question that asks to pick one takes
	// (which layer is larger: 1 or 2); nil when the answer is a number.
	Choices []int  `json:"choices,omitempty"`
	Prompt  Text   `json:"-"`
	Steps   []Text `json:"-"`
	// Slips are the numbers that common mistakes give, for explaining a
	// wrong answer.
	Slips []Slip `json:"-"`
}

// Text is a message id and the values that fill its {1}, {2}, …
type Text struct {
	ID   string
	Args []any
}

func text(id string, args ...any) Text { return Text{ID: id, Args: args} }

// Count is an integer printed with grouped digits (25,557,032).
type Count int64

// Kind is a kind of question: it draws a spec of its experiment at a
// level, and builds the question from a spec's checked values.
type Kind struct {
	ID         string
	Experiment string
	// Keys are the result keys its questions may ask for.
	Keys  []string
	draw  func(r *rand.Rand, level int) map[string]any
	build func(v experiment.Values, level int, key string) Question
}

// Kinds lists every kind of question, in the order lessons introduce them.
func Kinds() []Kind { return slices.Clone(kinds) }

// KindIDs lists the kinds' ids.
func KindIDs() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.ID
	}
	return out
}

// Levels a question can be asked at: the level changes the sizes and how
// many steps the solution has.
const (
	MinLevel = 1
	MaxLevel = 3
)

// MaxCount is the most questions one call generates.
const MaxCount = 10000

// Options choose what Generate draws.
type Options struct {
	Seed  uint64
	Count int
	Kinds []string // "" or empty: every kind, in turn
	Level int      // 0: levels 1, 2, 3 in turn
}

// Generate draws o.Count questions. The same options give the same
// questions on every machine: question i depends only on the seed, i, its
// kind and its level.
func Generate(o Options) ([]Question, error) {
	if o.Count < 1 || o.Count > MaxCount {
		return nil, fmt.Errorf("quiz: count must be from 1 to %d, got %d", MaxCount, o.Count)
	}
	if o.Level != 0 && (o.Level < MinLevel || o.Level > MaxLevel) {
		return nil, fmt.Errorf("quiz: level must be %d, %d or %d, got %d", MinLevel, MinLevel+1, MaxLevel, o.Level)
	}
	ks, err := lookup(o.Kinds)
	if err != nil {
		return nil, err
	}
	out := make([]Question, o.Count)
	for i := range out {
		k := ks[i%len(ks)]
		level := o.Level
		if level == 0 {
			level = MinLevel + (i/len(ks))%MaxLevel
		}
		out[i] = k.Draw(o.Seed, uint64(i), level)
	}
	return out, nil
}

// Draw makes question number i of seed at level.
func (k Kind) Draw(seed, i uint64, level int) Question {
	r := rand.New(rand.NewPCG(seed, i*1_000_003+uint64(level)))
	sp := map[string]string{}
	for name, v := range k.draw(r, level) {
		sp[name] = fmt.Sprint(v)
	}
	q, err := k.make(sp, level, "", false)
	if err != nil { // a generator drew a spec its experiment refuses: a bug, caught by the tests
		panic(fmt.Sprintf("quiz: %s drew %v: %v", k.ID, sp, err))
	}
	return q
}

// Build makes the question of kind k about spec (the experiment's
// parameters as name=value; those left out keep their defaults), at level
// (1 to 3; it picks what is asked when key is ""), asking for result key.
// Lessons use it for questions an author fixed.
func (k Kind) Build(spec map[string]string, level int, key string) (Question, error) {
	return k.make(spec, level, key, true)
}

// make builds a question; validate runs the experiment's own rules too
// (drawn specs keep them by construction, which the tests check, and
// validating a whole model's shapes for each drawn question would cost
// more than drawing it).
func (k Kind) make(spec map[string]string, level int, key string, validate bool) (Question, error) {
	if level < MinLevel || level > MaxLevel {
		return Question{}, fmt.Errorf("quiz: level must be %d, %d or %d, got %d", MinLevel, MinLevel+1, MaxLevel, level)
	}
	if key != "" && !slices.Contains(k.Keys, key) {
		return Question{}, fmt.Errorf("quiz: %s questions ask for %s, not %q", k.ID, strings.Join(k.Keys, " or "), key)
	}
	e, err := registry().Get(k.Experiment)
	if err != nil {
		return Question{}, err
	}
	v, err := e.Params.Parse(spec)
	if err != nil {
		return Question{}, fmt.Errorf("%s: %w", e.Name, err)
	}
	if validate {
		if err := e.Check(v); err != nil {
			return Question{}, err
		}
	}
	q := k.build(v, level, key)
	if q.Prompt.ID == "" {
		return Question{}, fmt.Errorf("quiz: %s questions are not about %s", k.ID, specText(spec))
	}
	q.Kind, q.Level, q.Experiment, q.Spec = k.ID, level, k.Experiment, spec
	// A slip that gives the answer, or the same number as an earlier slip,
	// explains nothing.
	var slips []Slip
	for _, s := range q.Slips {
		if s.Value != q.Answer && !slices.ContainsFunc(slips, func(o Slip) bool { return o.Value == s.Value }) {
			slips = append(slips, s)
		}
	}
	q.Slips = slips
	return q, nil
}

// Lookup finds a kind by id.
func Lookup(id string) (Kind, bool) {
	i := slices.IndexFunc(kinds, func(k Kind) bool { return k.ID == id })
	if i < 0 {
		return Kind{}, false
	}
	return kinds[i], true
}

var registry = sync.OnceValue(catalog.Registry)

// specText prints a spec as name=value pairs in name order.
func specText(spec map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(spec)) {
		parts = append(parts, k+"="+spec[k])
	}
	return strings.Join(parts, " ")
}

func lookup(ids []string) ([]Kind, error) {
	if len(ids) == 0 {
		return kinds, nil
	}
	var out []Kind
	for _, id := range ids {
		i := slices.IndexFunc(kinds, func(k Kind) bool { return k.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("quiz: unknown kind %q; kinds: %s", id, strings.Join(KindIDs(), ", "))
		}
		out = append(out, kinds[i])
	}
	return out, nil
}

// pick returns one of xs.
func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

// String prints c with grouped digits.
func (c Count) String() string { return experiment.Group(int64(c)) }
