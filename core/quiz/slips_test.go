package quiz

import (
	"context"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/catalog"
)

// A receptive-field slip is the receptive field of the same stack with the
// one thing it ignores set to 1, as the receptive_field experiment computes
// it: "dilation ignored" is the stack with every dilation 1 (the strides
// kept), "strides ignored" the stack with every stride 1 (the dilations
// kept).
func TestReceptiveFieldSlipsAreTheStackWithoutIt(t *testing.T) {
	e, err := catalog.Registry().Get("receptive_field")
	if err != nil {
		t.Fatal(err)
	}
	rfOf := func(spec map[string]string, zero string) float64 {
		t.Helper()
		sp := map[string]string{}
		for k, v := range spec {
			sp[k] = v
			if strings.HasPrefix(k, zero) {
				sp[k] = "1"
			}
		}
		v, err := e.Parse(sp)
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.Execute(context.Background(), v, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := r.Scalar("rf")
		return s.Value
	}
	qs, err := Generate(Options{Seed: 3, Count: 300, Kinds: []string{"receptive_field"}, Level: 3})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, q := range qs {
		for _, sl := range q.Slips {
			var want float64
			switch sl.ID {
			case "dilation_ignored":
				want = rfOf(q.Spec, "d")
			case "strides_ignored":
				want = rfOf(q.Spec, "s")
			default:
				t.Fatalf("unexpected slip %s", sl.ID)
			}
			seen[sl.ID]++
			if sl.Value != want {
				t.Errorf("%v: slip %s = %v, the stack without it has rf %v", q.Spec, sl.ID, sl.Value, want)
			}
		}
	}
	if seen["dilation_ignored"] < 50 || seen["strides_ignored"] < 50 {
		t.Errorf("too few slips checked: %v", seen)
	}
}
