package experiment

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Progress is called by long runs, from the running goroutine, with the work
// done so far out of total and, optionally, a partial result to show while
// the run goes on. It must return quickly.
type Progress func(done, total int, partial *Result)

// Experiment is one live computation that a lesson cell can run.
type Experiment struct {
	Name    string `json:"name"`
	Summary string `json:"summary"`
	Params  Schema `json:"params"`
	// Validate checks rules that tie parameters together (e.g. "nesterov
	// needs momentum > 0"). It runs after the schema's own checks. May be nil.
	Validate func(Values) error `json:"-"`
	// Heavy reports whether a run with these values is heavy — seconds of
	// work and up to the experiment's memory cap — so that views run one at
	// a time per learner. Nil means never.
	Heavy func(Values) bool `json:"-"`
	// Ignored names the given parameters (those set explicitly, by their
	// schema names) that a run with values v does not read — a parameter of
	// an optimizer that is not chosen — one line each, saying whose it is
	// and what may have been meant. The run still runs; views show the
	// lines as warnings. May be nil.
	Ignored func(v Values, given []string) []string `json:"-"`
	// Sizes are the Int parameters a run's cost grows with (steps, width,
	// batch …): whatever the other values, the values of each that the
	// experiment accepts form one interval, so that Reach can find its
	// ends — the range a view shows is then one the run can take.
	Sizes []string `json:"-"`
	// Run computes the result. It must honour ctx (checking it at least every
	// few milliseconds of work) and may call progress (which may be nil).
	Run func(ctx context.Context, v Values, progress Progress) (*Result, error) `json:"-"`
}

// IsHeavy reports whether running v is heavy (see Heavy).
func (e *Experiment) IsHeavy(v Values) bool { return e.Heavy != nil && e.Heavy(v) }

// Check validates v against the schema and the experiment's own rules.
// Errors are prefixed with the experiment's name (once).
func (e *Experiment) Check(v Values) error {
	if err := e.Params.Check(v); err != nil {
		return e.wrap(err)
	}
	if e.Validate != nil {
		if err := e.Validate(v); err != nil {
			return e.wrap(err)
		}
	}
	return nil
}

// wrap prefixes err with the experiment's name unless it already starts so.
func (e *Experiment) wrap(err error) error {
	if strings.HasPrefix(err.Error(), e.Name+": ") {
		return err
	}
	return fmt.Errorf("%s: %w", e.Name, err)
}

// Parse applies name=value overrides to the defaults and checks the result.
func (e *Experiment) Parse(overrides map[string]string) (Values, error) {
	v, err := e.Params.Parse(overrides)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.Name, err)
	}
	return v, e.Check(v)
}

// Execute checks v and runs the experiment. It never runs on invalid input.
func (e *Experiment) Execute(ctx context.Context, v Values, progress Progress) (*Result, error) {
	if err := e.Check(v); err != nil {
		return nil, err
	}
	if progress == nil {
		progress = func(int, int, *Result) {}
	}
	r, err := e.Run(ctx, v, progress)
	if err != nil {
		return nil, e.wrap(err)
	}
	r.Experiment = e.Name
	return r, nil
}

// Registry is a set of experiments by name.
type Registry struct {
	byName map[string]*Experiment
	order  []string
}

// NewRegistry builds a registry; names must be unique.
func NewRegistry(exps ...*Experiment) *Registry {
	r := &Registry{byName: map[string]*Experiment{}}
	for _, e := range exps {
		if _, dup := r.byName[e.Name]; dup {
			panic("experiment: duplicate name " + e.Name)
		}
		r.byName[e.Name] = e
		r.order = append(r.order, e.Name)
	}
	return r
}

// Get finds an experiment by name; the error lists the known names.
func (r *Registry) Get(name string) (*Experiment, error) {
	if e, ok := r.byName[name]; ok {
		return e, nil
	}
	names := append([]string(nil), r.order...)
	sort.Strings(names)
	return nil, &UnknownNameError{What: "experiment", Name: name, Known: names}
}

// All lists the experiments in registration order.
func (r *Registry) All() []*Experiment {
	out := make([]*Experiment, len(r.order))
	for i, n := range r.order {
		out[i] = r.byName[n]
	}
	return out
}

// Owned is a parameter that only some of a list's choices read (an
// optimizer's own hyperparameter): whose it is, the choices that read it,
// and, for a choice that does not, what plays its part there.
type Owned struct {
	Param, Whose string
	ReadBy       []string
	Instead      map[string]string
}

// Unread is the lines an Experiment's Ignored returns for a list
// parameter whose choices read their own parameters: one for each given
// parameter that none of chosen reads, saying whose it is and what may
// have been meant — "momentum is SGD's momentum μ (…), which rmsprop does
// not use: RMSprop's momentum is rmsprop_momentum".
func Unread(chosen []string, owned []Owned, given []string) []string {
	var out []string
	for _, p := range owned {
		if !slices.Contains(given, p.Param) || slices.ContainsFunc(chosen, func(o string) bool { return slices.Contains(p.ReadBy, o) }) {
			continue
		}
		verb := "do"
		if len(chosen) == 1 {
			verb = "does"
		}
		line := fmt.Sprintf("%s is %s, which %s %s not use", p.Param, p.Whose, strings.Join(chosen, " and "), verb)
		var meant []string
		for _, o := range chosen {
			if s, ok := p.Instead[o]; ok && !slices.Contains(meant, s) {
				meant = append(meant, s)
			}
		}
		if len(meant) > 0 {
			line += ": " + strings.Join(meant, "; ")
		}
		out = append(out, line)
	}
	return out
}

// Reach is the range of the Int parameter name over which e accepts v
// with only that parameter changed. For one of e.Sizes, whose accepted
// values form an interval, its ends are found by bisection from an
// accepted value (v's own, else the schema's Min): steps may reach 2,138
// where the schema allows 5,000, the rest being over the time bound. For
// any other parameter, or when no accepted value is found, it is the
// schema's [Min, Max].
func (e *Experiment) Reach(v Values, name string) (lo, hi int) {
	p, ok := e.Params.Lookup(name)
	if !ok || p.Kind != Int {
		return 0, 0
	}
	lo, hi = int(p.Min), int(p.Max)
	if !slices.Contains(e.Sizes, p.Name) {
		return lo, hi
	}
	w := v.Clone()
	accepts := func(n int) bool {
		w[p.Name] = n
		return e.Check(w) == nil
	}
	anchor := v.Int(p.Name)
	if !accepts(anchor) {
		if anchor, ok = lo, accepts(lo); !ok {
			return lo, hi
		}
	}
	// The largest accepted value: accepted at a, refused above b.
	if a, b := anchor, hi; !accepts(b) {
		for b-a > 1 {
			if m := a + (b-a)/2; accepts(m) {
				a = m
			} else {
				b = m
			}
		}
		hi = a
	}
	// The smallest: accepted at b, refused below a.
	if a, b := lo, anchor; !accepts(a) {
		for b-a > 1 {
			if m := a + (b-a)/2; accepts(m) {
				b = m
			} else {
				a = m
			}
		}
		lo = b
	}
	return lo, hi
}
