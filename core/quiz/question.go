package quiz

import (
	"fmt"
	"github.com/nnlab/nnlab/core/experiment"
	"math/rand/v2"
	"slices"
	"strings"
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
	Prompt    Text    `json:"-"`
	Steps     []Text  `json:"-"`
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

// Kind is a kind of question: a generator for each of the three levels.
type Kind struct {
	ID         string
	Experiment string
	gen        func(r *rand.Rand, level int) Question
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
	q := k.gen(r, level)
	q.Kind, q.Level, q.Experiment = k.ID, level, k.Experiment
	// A slip that gives the answer, or the same number as an earlier slip,
	// explains nothing.
	var slips []Slip
	for _, s := range q.Slips {
		if s.Value != q.Answer && !slices.ContainsFunc(slips, func(o Slip) bool { return o.Value == s.Value }) {
			slips = append(slips, s)
		}
	}
	q.Slips = slips
	return q
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

// spec renders name=value pairs (values printed with %v).
func spec(kv ...any) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = fmt.Sprint(kv[i+1])
	}
	return m
}

// String prints c with grouped digits.
func (c Count) String() string { return experiment.Group(int64(c)) }
