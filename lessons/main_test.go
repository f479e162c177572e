package lessons

import (
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/convnet"
)

// TestMain shortens the training cells' runs under -short (and so under
// the race detector, which CI runs with -short): their results then hold
// every output key but not what the nets learn, which the run without
// -short checks.
func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Setenv(convnet.QuickEnv, "1")
	}
	os.Exit(m.Run())
}

// sharedRunner caches runs across tests: TestBuiltinLessonsPass runs every
// cell, and claims about a cell's values read its cached result.
var sharedRunner = NewRunner()

// quickErrors drops, from Check's error, what a shortened training run
// cannot decide: whether a goal already holds at a training cell's
// values (a few steps learn nothing either way).
func quickErrors(err error) error {
	var list ErrorList
	if !convnet.Quick() || !errors.As(err, &list) {
		return err
	}
	var kept ErrorList
	for _, e := range list {
		if !strings.Contains(e.Msg, "the goal already holds") {
			kept = append(kept, e)
		}
	}
	return kept.Err()
}
