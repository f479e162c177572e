package tui

import (
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
