package tui

import (
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
)

// Every kind of output can be drawn in the notebook.
func TestEveryOutputKindDrawn(t *testing.T) {
	for _, k := range experiment.OutputKinds() {
		if drawers[k] == nil {
			t.Errorf("no drawer for %s outputs", k)
		}
	}
}

// barLen is the length of the bar of the row that ends in value.
func barLen(t *testing.T, out, value string) int {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.HasSuffix(l, " "+value) {
			return strings.Count(l, "*") + strings.Count(l, "█")
		}
	}
	t.Fatalf("no bar of %s in\n%s", value, out)
	return 0
}

// A rerun of a cell draws its bars on the scale of the earlier drawing, so
// a bar of the same value keeps its length; so do pins, even once cleared.
func TestBarsKeepTheirScale(t *testing.T) {
	bars := func(vs ...float64) *experiment.Result {
		return &experiment.Result{Bars: []experiment.BarChart{{Key: "lr", Title: "rates", Labels: []string{"f1", "f8"}, Groups: []experiment.BarGroup{{Name: "sgd", Values: vs}}}}}
	}
	st := NewStyles(plainRenderer(), true)
	first := outputSpec{result: bars(0.05, 0.4), width: 60, height: 24, lang: "en"}.keepScales(outputSpec{})
	before := barLen(t, drawOutputs(first, st), "0.05")
	rerun := outputSpec{result: bars(0.05, 0.1), width: 60, height: 24, lang: "en"}.keepScales(first)
	if after := barLen(t, drawOutputs(rerun, st), "0.05"); after != before {
		t.Errorf("the bar of 0.05 is %d long after a rerun, %d before:\n%s", after, before, drawOutputs(rerun, st))
	}
	// A pin with larger values widens the scale; clearing it keeps it.
	pinned := outputSpec{result: bars(0.05, 0.1), pins: []pin{{result: bars(0.05, 0.8), label: "pin 1"}}, width: 60, height: 24, lang: "en"}.keepScales(rerun)
	withPin := barLen(t, drawOutputs(pinned, st), "0.05")
	cleared := outputSpec{result: bars(0.05, 0.1), width: 60, height: 24, lang: "en"}.keepScales(pinned)
	if got := barLen(t, drawOutputs(cleared, st), "0.05"); got != withPin || withPin >= before {
		t.Errorf("bar of 0.05: %d with the pin, %d once cleared, %d before the pin", withPin, got, before)
	}
}
