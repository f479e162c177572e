package cli

import (
	"os"
	"testing"

	"github.com/nnlab/nnlab/core/convnet"
)

// TestMain makes training runs short: these tests run every experiment and
// render every lesson to check their text, not what the nets learn.
func TestMain(m *testing.M) {
	os.Setenv(convnet.QuickEnv, "1")
	os.Exit(m.Run())
}
