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
