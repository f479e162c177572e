package locale

import (
	"fmt"
	"testing"
)

// TestModelSummaryTotalsInKorean: the totals under a model summary (Total
// params, Trainable params, …) read in Korean, like the rest of the table.
func TestModelSummaryTotalsInKorean(t *testing.T) {
	r := Result("ko", run(t, "model", map[string]string{"model": "resnet18"}))
	tb, ok := r.Table("summary")
	if !ok {
		t.Fatal("no summary table")
	}
	if len(tb.Footer) == 0 {
		t.Fatal("no totals")
	}
	for _, row := range tb.Footer {
		label := fmt.Sprint(row.Cells[0])
		for _, c := range label {
			if c >= 'a' && c <= 'z' {
				t.Errorf("total %q is in English", label)
				break
			}
		}
	}
}

// TestGoalLabel: a goal names a scalar by its label, shortened and in the
// middle of a sentence, in the learner's language.
func TestGoalLabel(t *testing.T) {
	r := run(t, "conv", nil)
	for _, tc := range []struct{ lang, name, want string }{
		{"en", "out_h", "output height"},
		{"ko", "out_h", "출력 높이"},
		{"en", "k", ""}, // a parameter reads as its name
	} {
		if got := GoalLabel(tc.lang, r, tc.name); got != tc.want {
			t.Errorf("GoalLabel(%s, %s) = %q, want %q", tc.lang, tc.name, got, tc.want)
		}
	}
}
