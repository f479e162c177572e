package quiz

import (
	"cmp"
	"slices"
	"time"

	"github.com/nnlab/nnlab/core/experiment"
)

// Box is where a kind of question stands in a learner's Leitner boxes: a
// right answer moves it up a box, a wrong one back to the first; the
// higher the box, the longer until the kind is due again, and the harder
// its practice questions (Practice). The learner's state keeps one per
// kind answered, as JSON.
type Box struct {
	Box   int       `json:"box"` // 1 … MaxBox
	Due   time.Time `json:"due"`
	Right int       `json:"right,omitempty"` // ≥ 0
	Wrong int       `json:"wrong,omitempty"` // ≥ 0
	At    time.Time `json:"at,omitzero"`     // when last answered
}

// MaxBox is the highest Leitner box.
const MaxBox = 5

// boxWait is how long a kind rests in each box before it is due again.
var boxWait = [MaxBox + 1]time.Duration{0, 0, 24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour, 16 * 24 * time.Hour}

// Answered is b after an answer at now: up one box when right, back to
// the first when wrong; due again after its new box's wait. The zero Box
// is a kind never answered, which starts in the first box.
func (b Box) Answered(right bool, now time.Time) Box {
	b.Box = max(b.Box, 1)
	if right {
		b.Box, b.Right = min(b.Box+1, MaxBox), b.Right+1
	} else {
		b.Box, b.Wrong = 1, b.Wrong+1
	}
	b.Due, b.At = now.Add(boxWait[b.Box]), now
	return b
}

// Order orders kinds for practice: those due at now first, lowest box
// (most often missed) first; then the never answered; then the rest by
// how soon they are due. box gives a kind's box, ok false for a kind never
// answered. Order also reports how many kinds are due.
func Order(kinds []string, box func(kind string) (Box, bool), now time.Time) (order []string, due int) {
	rank := func(k string) (group, inBox int, at time.Time) {
		b, ok := box(k)
		switch {
		case !ok:
			return 1, 0, time.Time{}
		case !b.Due.After(now):
			return 0, b.Box, b.Due
		}
		return 2, b.Box, b.Due
	}
	order = slices.Clone(kinds)
	slices.SortStableFunc(order, func(a, b string) int {
		ga, ba, ta := rank(a)
		gb, bb, tb := rank(b)
		return cmp.Or(cmp.Compare(ga, gb), cmp.Compare(ba, bb), ta.Compare(tb))
	})
	for _, k := range kinds {
		if g, _, _ := rank(k); g == 0 {
			due++
		}
	}
	return order, due
}

// practiceKinds is how many kinds one practice quiz draws from: the first
// of the practice order.
const practiceKinds = 5

// Practice draws n practice questions of seed about the experiments of reg:
// the first kinds of order (see Order) in turn, each at the level of its
// box — a harder question for a kind in a higher box, level 1 for one
// never answered.
func Practice(reg *experiment.Registry, seed uint64, order []string, box func(kind string) (Box, bool), n int) []Question {
	pool := order[:min(len(order), practiceKinds)]
	qs := make([]Question, 0, n)
	for i := range n {
		id := pool[i%len(pool)]
		k, _ := Lookup(id)
		b, _ := box(id)
		qs = append(qs, k.Draw(reg, seed, uint64(i), min(MaxLevel, max(MinLevel, b.Box))))
	}
	return qs
}
