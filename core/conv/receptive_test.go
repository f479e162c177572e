package conv

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
)

// bruteField follows output position 0 back through the stack, taking
// every input position each tap touches, and measures the span.
func bruteField(stack []Tap) int {
	lo, hi := 0, 0
	for i := len(stack) - 1; i >= 0; i-- {
		t := stack[i]
		lo, hi = lo*t.Stride, hi*t.Stride+(t.K-1)*t.Dilation
	}
	return hi - lo + 1
}

func TestReceptiveFieldAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		stack := make([]Tap, 1+r.IntN(maxTaps))
		for i := range stack {
			stack[i] = Tap{K: 1 + r.IntN(7), Stride: 1 + r.IntN(3), Dilation: 1 + r.IntN(3)}
		}
		got, jump := ReceptiveField(stack)
		if want := bruteField(stack); got != want {
			t.Fatalf("%v: receptive field %d, brute force %d", stack, got, want)
		}
		p := 1
		for _, s := range stack {
			p *= s.Stride
		}
		if jump != p {
			t.Fatalf("%v: jump %d, want %d", stack, jump, p)
		}
	}
	// Two 3×3 convolutions see 5×5, three see 7×7 (VGG's argument).
	if r, _ := ReceptiveField([]Tap{{3, 1, 1}, {3, 1, 1}, {3, 1, 1}}); r != 7 {
		t.Errorf("three 3×3: %d, want 7", r)
	}
}

func TestCompareExperiment(t *testing.T) {
	e := compareExperiment()
	for _, tc := range []struct {
		set  map[string]string
		want float64
	}{
		{map[string]string{"k1": "3", "k2": "5"}, 2},
		{map[string]string{"k1": "3", "k2": "3"}, 0},
		{map[string]string{"k1": "3", "k2": "3", "groups2": "64", "measure": "macs"}, 1},
		{map[string]string{"k1": "3", "k2": "3", "stride1": "2", "measure": "macs"}, 2},
		{map[string]string{"k1": "3", "k2": "3", "stride1": "2", "measure": "params"}, 0},
	} {
		v, err := e.Parse(tc.set)
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.Execute(context.Background(), v, nil)
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := r.Scalar("larger"); s.Value != tc.want {
			t.Errorf("%v: larger %v, want %v", tc.set, s.Value, tc.want)
		}
	}
	if _, err := e.Parse(map[string]string{"cin1": "3", "groups1": "2"}); err == nil {
		t.Error("groups that do not divide c_in were accepted")
	}
	_ = experiment.KindScalar
}
