package quiz

import (
	"slices"
	"testing"
	"time"

	"github.com/nnlab/nnlab/core/experiments"
)

// A right answer moves a kind up one box (at most MaxBox), a wrong one back
// to the first; it is due again after its new box's wait.
func TestBoxAnswered(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		from  Box
		right bool
		box   int
		wait  time.Duration
	}{
		{"never answered, right", Box{}, true, 2, 24 * time.Hour},
		{"never answered, wrong", Box{}, false, 1, 0},
		{"box 3, right", Box{Box: 3}, true, 4, 7 * 24 * time.Hour},
		{"the last box stays", Box{Box: MaxBox}, true, MaxBox, 16 * 24 * time.Hour},
		{"box 4, wrong", Box{Box: 4, Right: 3}, false, 1, 0},
	} {
		b := tc.from.Answered(tc.right, now)
		if b.Box != tc.box || !b.Due.Equal(now.Add(tc.wait)) || !b.At.Equal(now) {
			t.Errorf("%s: box %d due %v, want box %d due %v", tc.name, b.Box, b.Due.Sub(now), tc.box, tc.wait)
		}
		if tc.right && b.Right != tc.from.Right+1 || !tc.right && b.Wrong != tc.from.Wrong+1 {
			t.Errorf("%s: right %d wrong %d", tc.name, b.Right, b.Wrong)
		}
	}
}

// Practice asks first the kinds due (lowest box first), then the never
// answered, then the rest by how soon they are due; a kind's questions are
// harder in a higher box.
func TestPracticeOrder(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	boxes := map[string]Box{
		"conv_out":    {Box: 3, Due: now.Add(-time.Hour)},
		"conv_params": {Box: 1, Due: now},
		"conv_macs":   {Box: 4, Due: now.Add(time.Hour)},
		"block":       {Box: 2, Due: now.Add(time.Minute)},
	}
	box := func(k string) (Box, bool) { b, ok := boxes[k]; return b, ok }
	order, due := Order([]string{"block", "conv_macs", "model", "conv_out", "conv_params"}, box, now)
	if want := []string{"conv_params", "conv_out", "model", "block", "conv_macs"}; !slices.Equal(order, want) || due != 2 {
		t.Errorf("order %v, %d due; want %v, 2 due", order, due, want)
	}
	qs := Practice(experiments.Registry(), 1, order, box, 7)
	for i, q := range qs {
		b, _ := box(order[i%5])
		if q.Kind != order[i%5] || q.Level != min(MaxLevel, max(MinLevel, b.Box)) {
			t.Errorf("question %d: %s at level %d", i, q.Kind, q.Level)
		}
	}
}
