package quiz

import (
	"errors"
	"testing"

	"github.com/nnlab/nnlab/core/experiments"
)

func TestRound(t *testing.T) {
	k, _ := Lookup("conv_params")
	q, err := k.Build(experiments.Registry(), map[string]string{"cin": "3", "cout": "64", "k": "7", "stride": "2", "pad": "3", "bias": "false"}, 1, "")
	if err != nil {
		t.Fatal(err)
	}
	r := NewRound([]Question{q, q, q, q})
	if _, err := r.Answer("lots"); err == nil || r.At != 0 {
		t.Fatalf("garbage: err %v, at %d", err, r.At)
	}
	var ae *AnswerError
	if _, err := r.Answer("nine thousand-ish"); !errors.As(err, &ae) {
		t.Errorf("garbage gives %T, want *AnswerError", err)
	}
	for _, tc := range []struct {
		typed   string
		verdict Verdict
		slip    string
	}{
		{"9,408", Exact, ""},
		{"9.4k", Rounded, ""},
		{"9472", Wrong, "bias_added"},
		{"1344", Wrong, "k_not_squared"},
	} {
		f, err := r.Answer(tc.typed)
		if err != nil || f.Verdict != tc.verdict || (tc.slip != "" && (!f.SlipFound || f.Slip.ID != tc.slip)) {
			t.Errorf("%q: %v %v slip %v %q; want %v %q", tc.typed, f.Verdict, err, f.SlipFound, f.Slip.ID, tc.verdict, tc.slip)
		}
	}
	if !r.Done() || r.Right != 2 || r.Best != 2 || r.Streak != 0 || len(r.Mistakes) != 2 {
		t.Errorf("round: done %v right %d best %d streak %d mistakes %d", r.Done(), r.Right, r.Best, r.Streak, len(r.Mistakes))
	}
	if _, err := r.Answer("1"); err == nil {
		t.Error("a finished round took an answer")
	}
}
