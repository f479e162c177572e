package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTmuxEndToEnd drives the real binary in tmux as a learner would: open
// the momentum lesson, raise the learning rate, rerun, and read the changed
// result off the screen.
func TestTmuxEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "nnlab")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	sock := filepath.Join(dir, "tmux.sock")
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	cmd := "NO_COLOR=1 " + bin + " open momentum --lang en --theme dark --state-dir " + filepath.Join(dir, "state")
	tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "e2e", cmd)
	t.Cleanup(func() { exec.Command("tmux", "-S", sock, "kill-server").Run() })
	screen := func() string { return tmux("capture-pane", "-p", "-t", "e2e") }
	waitFor := func(what string, ok func(string) bool) string {
		deadline := time.Now().Add(60 * time.Second) // generous: CI machines are busy
		for {
			s := screen()
			if ok(s) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; screen:\n%s", what, s)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	lrRe := regexp.MustCompile(`lr = ([0-9.e+-]+)`)
	waitFor("the lesson", func(s string) bool { return strings.Contains(s, "Gradient momentum") })
	tmux("send-keys", "-t", "e2e", "Tab") // to the first cell
	s := waitFor("the first cell to run", func(s string) bool { return strings.Contains(s, "ran in") && lrRe.MatchString(s) })
	before := lrRe.FindStringSubmatch(s)[1]
	// lr is the first cell's first parameter, selected on focus: raise it, rerun.
	tmux("send-keys", "-t", "e2e", "+")
	tmux("send-keys", "-t", "e2e", "Enter")
	after := waitFor("the raised learning rate", func(s string) bool {
		m := lrRe.FindStringSubmatch(s)
		return m != nil && m[1] != before && strings.Contains(s, "ran in")
	})
	if !strings.Contains(after, "*") {
		t.Errorf("a changed value should be marked with *:\n%s", after)
	}
	tmux("send-keys", "-t", "e2e", "q")
	time.Sleep(300 * time.Millisecond)
	if b, err := os.ReadFile(filepath.Join(dir, "state", "state.json")); err != nil || !strings.Contains(string(b), `"lr"`) {
		t.Errorf("the changed lr was not remembered: %v\n%s", err, b)
	}
}
