package lessons

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
)

// TestRunnerForgetsFailures: a run that fails for any reason — here the
// experiment's own error, as a busy machine's timeout would be — is not
// remembered: the next view computes the value again and gets it.
// ResolveProseNow fills in only the values already computed.
func TestRunnerForgetsFailures(t *testing.T) {
	var calls atomic.Int64
	flaky := &experiment.Experiment{
		Name:   "flaky",
		Params: experiment.Schema{{Name: "x", Kind: experiment.Int, Default: 1, Min: 0, Max: 10, Step: 1}},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if calls.Add(1) == 1 {
				return nil, errors.New("busy")
			}
			r := &experiment.Result{}
			r.AddScalar("answer", "Answer", 42, "")
			return r, nil
		},
	}
	l, err := Parse("t.md", []byte(frontMatter+"The answer is {{ flaky().answer }}.\n"), experiment.NewRegistry(flaky))
	if err != nil {
		t.Fatal(err)
	}
	p := l.Blocks[0].(*Prose)
	rn := NewRunner()
	if s, missing := rn.ResolveProseNow(l, p, "…"); s != "The answer is …." || missing != 1 {
		t.Errorf("before any run: %q, %d missing", s, missing)
	}
	if s, err := rn.ResolveProse(t.Context(), l, p); err == nil || s != "The answer is ?." {
		t.Fatalf("first view: %q, %v", s, err)
	}
	if s, missing := rn.ResolveProseNow(l, p, "…"); s != "The answer is …." || missing != 1 {
		t.Errorf("the failure was kept: %q, %d missing", s, missing)
	}
	if s, err := rn.ResolveProse(t.Context(), l, p); err != nil || s != "The answer is 42." {
		t.Fatalf("second view: %q, %v (the failed run was remembered)", s, err)
	}
	if s, missing := rn.ResolveProseNow(l, p, "…"); s != "The answer is 42." || missing != 0 {
		t.Errorf("after the run: %q, %d missing", s, missing)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d runs, want 2", n)
	}
}

// TestRunnerRunsAgainWhenTheGateStopsIt: a run whose gate cancels its
// context (it stepped aside for a run a learner asked for) is queued and
// run again, and the value comes out; a gate that refuses fails the run.
func TestRunnerRunsAgainWhenTheGateStopsIt(t *testing.T) {
	var runs, gates atomic.Int64
	e := &experiment.Experiment{
		Name:   "patient",
		Params: experiment.Schema{{Name: "x", Kind: experiment.Int, Default: 1, Min: 0, Max: 10, Step: 1}},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			runs.Add(1)
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			r := &experiment.Result{}
			r.AddScalar("answer", "Answer", 42, "")
			return r, nil
		},
	}
	l, err := Parse("t.md", []byte(frontMatter+"The answer is {{ patient().answer }}.\n"), experiment.NewRegistry(e))
	if err != nil {
		t.Fatal(err)
	}
	p := l.Blocks[0].(*Prose)
	rn := NewRunner()
	rn.Gate = func(ctx context.Context, heavy bool) (context.Context, func(), error) {
		run, stop := context.WithCancel(ctx)
		if gates.Add(1) == 1 {
			stop() // asked to step aside at once
		}
		return run, stop, nil
	}
	if s, err := rn.ResolveProse(t.Context(), l, p); err != nil || s != "The answer is 42." {
		t.Fatalf("%q, %v", s, err)
	}
	if r, g := runs.Load(), gates.Load(); r != 2 || g != 2 {
		t.Errorf("%d runs through %d gates, want 2 and 2", r, g)
	}
	// A run that fails on its own fails once, though the gate's release
	// ends its context (as the app's does).
	var failures atomic.Int64
	broken := &experiment.Experiment{
		Name:   "broken",
		Params: experiment.Schema{{Name: "x", Kind: experiment.Int, Default: 1, Min: 0, Max: 10, Step: 1}},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			failures.Add(1)
			return nil, errors.New("out of memory")
		},
	}
	lb, err := Parse("t.md", []byte(frontMatter+"The answer is {{ broken().answer }}.\n"), experiment.NewRegistry(broken))
	if err != nil {
		t.Fatal(err)
	}
	rn = NewRunner()
	rn.Gate = func(ctx context.Context, heavy bool) (context.Context, func(), error) {
		run, stop := context.WithCancel(ctx)
		return run, stop, nil
	}
	if _, err := rn.ResolveProse(t.Context(), lb, lb.Blocks[0].(*Prose)); err == nil || failures.Load() != 1 {
		t.Errorf("a failing run: %v after %d runs, want its error after 1", err, failures.Load())
	}
	rn = NewRunner()
	refused := errors.New("closed")
	rn.Gate = func(ctx context.Context, heavy bool) (context.Context, func(), error) { return nil, nil, refused }
	if _, err := rn.ResolveProse(t.Context(), l, p); err == nil {
		t.Error("a refusing gate let the run through")
	}
}
