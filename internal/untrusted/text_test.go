package untrusted

import "testing"

// StripControls keeps tabs and newlines and drops what a terminal acts on:
// ESC, a C1 CSI, BEL (moved here with the function from lessons'
// TestControlCharactersRefused).
func TestStripControls(t *testing.T) {
	if got := StripControls("a\x1b[2Jb\tc\nd\u009be\x07"); got != "a[2Jb\tc\nde" {
		t.Errorf("StripControls: %q", got)
	}
}
