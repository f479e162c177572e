package cli

import (
	"strings"
	"testing"
)

// TestGlobalFlagsBeforeCommand: the notebook's flags are global — they may
// come before any command (nnlab --lang en open residual) and are not
// refused as unknown by a command that has no use for them.
func TestGlobalFlagsBeforeCommand(t *testing.T) {
	for _, args := range [][]string{
		{"--lang", "ko", "experiments"},
		{"--theme", "light", "experiments"},
		{"--lang=en", "experiments", "--json"},
		{"experiments", "--lang", "en"},
	} {
		code, _, stderr := run(args...)
		if code != 0 || strings.Contains(stderr, "unknown flag") {
			t.Errorf("nnlab %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	if code, _, stderr := run("--bogus", "lessons"); code != 2 || !strings.Contains(stderr, "unknown flag --bogus") {
		t.Errorf("an unknown flag before a command: exit %d: %s", code, stderr)
	}
}
