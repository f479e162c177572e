//go:build unix

package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBadFolderEntries: in a lessons folder, a named pipe, a link to a
// device, a link loop, a broken link and a link to a folder are each one
// error naming the entry, the walk goes on past them, and nothing hangs.
func TestBadFolderEntries(t *testing.T) {
	dir := t.TempDir()
	must0 := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must0(syscall.Mkfifo(filepath.Join(dir, "a-pipe.md"), 0o644))
	must0(os.Symlink("/dev/zero", filepath.Join(dir, "b-zero.md")))
	must0(os.Symlink("c-loop.md", filepath.Join(dir, "c-loop.md")))
	must0(os.Symlink("nothing", filepath.Join(dir, "d-broken.md")))
	must0(os.Mkdir(filepath.Join(dir, "e-folder.md"), 0o755))
	must0(os.Symlink("e-folder.md", filepath.Join(dir, "f-folder-link.md")))
	must0(os.WriteFile(filepath.Join(dir, "g-big.md"), []byte(strings.Repeat("x", MaxFileSize+1)), 0o644))
	good := strings.Replace(frontMatter, "id: test", "id: zz-last", 1) + "Text.\n"
	must0(os.WriteFile(filepath.Join(dir, "e-folder.md", "inner.md"), []byte(strings.Replace(good, "zz-last", "zz-inner", 1)), 0o644))
	must0(os.WriteFile(filepath.Join(dir, "z-last.md"), []byte(good), 0o644))

	type res struct {
		lib *Library
		err error
	}
	r := within(t, 20*time.Second, "Load", func() res { lib, err := Load(testRegistry(), dir); return res{lib, err} })
	for _, id := range []string{"zz-last", "zz-inner"} {
		if _, ok := r.lib.Get(id, "en"); !ok {
			t.Errorf("lesson %s after the bad entries was dropped", id)
		}
	}
	var list ErrorList
	if !errors.As(r.err, &list) {
		t.Fatalf("want an ErrorList, got %v", r.err)
	}
	want := map[string]string{
		"a-pipe.md":        "a named pipe, not a regular file",
		"b-zero.md":        "a device, not a regular file",
		"c-loop.md":        "a symbolic link loop",
		"d-broken.md":      "does not exist",
		"f-folder-link.md": "a folder, not a regular file",
		"g-big.md":         "over 262144 bytes",
	}
	for _, e := range list {
		if !strings.HasPrefix(e.Path, dir) {
			continue // the built-in lessons need experiments testRegistry lacks
		}
		name := filepath.Base(e.Path)
		if w, ok := want[name]; !ok || !strings.Contains(e.Msg, w) || strings.Contains(e.Error(), "\n") {
			t.Errorf("unexpected error %q", e.Error())
		}
		delete(want, name)
	}
	for name := range want {
		t.Errorf("no error for %s", name)
	}
}
