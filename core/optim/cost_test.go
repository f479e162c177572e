package optim

import (
	"errors"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
)

// optimize is bounded by its cost model: all eight optimizers × 10,000
// steps × 1,000 seeds under noise (7.9 s of CPU when it ran) is refused
// before it runs, with the rule's id; runs above HeavySeconds are heavy.
func TestOptimizeCostBound(t *testing.T) {
	e := optimizeExperiment()
	all := strings.Join(Names(), ",")
	for _, tc := range []struct {
		params       map[string]string
		valid, heavy bool
	}{
		{map[string]string{}, true, false}, // the defaults
		{map[string]string{"optimizers": all, "steps": "10000", "seeds": "1000", "noise": "1"}, false, true},
		{map[string]string{"optimizers": all, "steps": "10000", "seeds": "1000"}, true, false}, // seeds count only under noise
		{map[string]string{"optimizers": all, "steps": "10000", "seeds": "50", "noise": "1"}, true, true},
		{map[string]string{"optimizers": "adam,adamw", "steps": "10000", "seeds": "1000", "noise": "1"}, false, true},
		{map[string]string{"optimizers": "adam", "steps": "10000", "seeds": "1000", "noise": "1"}, true, true},
		{map[string]string{"optimizers": "sgd", "steps": "10000", "seeds": "1000", "noise": "1"}, true, true},
		{map[string]string{"optimizers": "sgd,momentum", "steps": "200", "seeds": "100", "noise": "1"}, true, false},
	} {
		v, err := e.Parse(tc.params)
		var inv *experiment.InvalidError
		if tc.valid != (err == nil) || !tc.valid && (!errors.As(err, &inv) || inv.Rule != "rule.optimize.time") {
			t.Errorf("%v: %v, want valid %v (or rule.optimize.time)", tc.params, err, tc.valid)
			continue
		}
		if !tc.valid {
			continue
		}
		if got := e.IsHeavy(v); got != tc.heavy {
			t.Errorf("%v: heavy %v, want %v", tc.params, got, tc.heavy)
		}
	}
}

// The model's arithmetic: per optimizer, steps × seeds × its step cost.
func TestRunSeconds(t *testing.T) {
	got := RunSeconds([]string{"sgd", "adam"}, 1000, 10)
	want := 1e-3 + 10*1000*(80+300)/1e9
	if got != want {
		t.Errorf("RunSeconds = %g, want %g", got, want)
	}
}
