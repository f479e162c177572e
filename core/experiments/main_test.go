package experiments

import (
	"os"
	"testing"

	"github.com/nnlab/nnlab/core/convnet"
)

// TestMain makes training runs short: these tests run every experiment to
// check what its result holds, not what it learns.
func TestMain(m *testing.M) {
	os.Setenv(convnet.QuickEnv, "1")
	os.Exit(m.Run())
}
