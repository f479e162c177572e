package state

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// What takes state.json's place and is not a file — a named pipe (which
// hung the start while it held the lock), a folder — is moved aside like
// any other file that is not state, and a fresh state starts.
func TestStateFileNotRegular(t *testing.T) {
	for name, mk := range map[string]func(path string) error{
		"a named pipe": func(p string) error { return syscall.Mkfifo(p, 0o644) },
		"a folder":     func(p string) error { return os.Mkdir(p, 0o755) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := mk(filepath.Join(dir, FileName)); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			var notice string
			var err error
			go func() { _, notice, err = Open(dir); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Open hung")
			}
			if err != nil {
				t.Fatal(err)
			}
			want := "progress file was " + name + ", not a regular file: kept it as " + FileName + ".corrupt-"
			if !strings.HasPrefix(notice, want) || !strings.HasSuffix(notice, " and started afresh") {
				t.Errorf("notice %q, want %q…", notice, want)
			}
			if aside, _ := filepath.Glob(filepath.Join(dir, FileName+".corrupt-*")); len(aside) != 1 {
				t.Errorf("not moved aside: %v", dirNames(t, dir))
			}
		})
	}
}

// A well-formed file of years of use (here 8.9 MB: 1,640 lessons of
// one's own, each with its cells' values) is read; a larger one than
// MaxFileSize is called too large, not unreadable.
func TestLargeStateFile(t *testing.T) {
	f := file{Version: version, Lessons: map[string]*Lesson{}}
	for i := range 1640 {
		l := &Lesson{Visited: true, Params: map[string]map[string]string{}}
		for c := range 20 {
			l.Params[fmt.Sprintf("cell-%d", c)] = map[string]string{"lr": "0.1", "momentum": "0.9", "optimizers": "sgd,momentum,nesterov,adam", "steps": "100", "surface": "rosenbrock", "x0": "-1.5", "y0": "2", "seed": "12345"}
		}
		f.Lessons[fmt.Sprintf("my-lesson-%04d", i)] = l
	}
	b, _ := json.MarshalIndent(f, "", "  ")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, FileName), b, 0o644)
	s, notice, err := Open(dir)
	if err != nil || notice != "" || !s.Lesson("my-lesson-1639").Visited {
		t.Fatalf("a %.1f MB file: %q, %v", float64(len(b))/1e6, notice, err)
	}
	t.Logf("read a %.1f MB state file", float64(len(b))/1e6)

	big := filepath.Join(t.TempDir(), FileName)
	os.WriteFile(big, append(b, make([]byte, MaxFileSize)...), 0o644)
	_, notice, err = Open(filepath.Dir(big))
	if err != nil || !strings.HasPrefix(notice, "progress file was too large (") || !strings.Contains(notice, "more than the 32 MiB nnlab reads") {
		t.Errorf("a file over the cap: %q, %v", notice, err)
	}
}

// In a folder where nothing may be written the notebook runs all the same,
// with what the file holds, saving nothing, and says so.
func TestReadOnlyStateDir(t *testing.T) {
	dir := t.TempDir()
	s, _, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Visit("conv", time.Now())
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, lockName)) // as a first start in that folder finds it
	before := dirNames(t, dir)
	os.Chmod(dir, 0o555)
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	if os.Geteuid() == 0 { // root writes whatever the modes: make it immutable
		if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
			t.Skipf("running as root, and chattr +i fails: %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
	}
	s, notice, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := "cannot save progress in " + dir + " (permission denied): this session's progress will not be kept"; notice != want {
		t.Errorf("notice %q, want %q", notice, want)
	}
	if !s.Lesson("conv").Visited {
		t.Error("the file's progress was not read")
	}
	s.Visit("momentum", time.Now())
	if err := s.Save(); err != nil {
		t.Errorf("save: %v", err)
	}
	if after := dirNames(t, dir); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("the folder changed: %v → %v", before, after)
	}
}
