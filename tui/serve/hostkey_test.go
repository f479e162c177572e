package serve

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// A missing host key is made (ed25519, mode 0600) and read back the same.
func TestReadHostKeyMakesOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "host_ed25519")
	pem, err := ReadHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.ParsePrivateKey(pem)
	if err != nil || k.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Fatalf("made %v, %v", k, err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the key's mode: %v, %v", info.Mode(), err)
	}
	again, err := ReadHostKey(path)
	if err != nil || string(again) != string(pem) {
		t.Errorf("read again: %v", err)
	}
}

// A host key that is not a regular file, too large or not a key is refused
// at once with a line naming it; nothing hangs on a pipe.
func TestReadHostKeyRefuses(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, MaxKeyFile+1), 0o600)
	text := filepath.Join(dir, "text")
	os.WriteFile(text, []byte("not a key\n"), 0o600)
	for path, want := range map[string]string{
		"/dev/zero": "a device, not a regular file",
		fifo:        "a named pipe, not a regular file",
		dir:         "a folder, not a regular file",
		big:         "more than the 256 KiB read",
		text:        "not an unencrypted SSH private key",
	} {
		_, err := ReadHostKey(path)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want an error naming it and saying %q", path, err, want)
		}
	}
}
