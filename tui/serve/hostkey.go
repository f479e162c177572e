package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"

	"github.com/nnlab/nnlab/internal/untrusted"
)

// MaxKeyFile is the largest key file read (an OpenSSH private key of RSA
// 16384 bits is 12.6 KiB; an authorized_keys file of a few hundred keys
// fits).
const MaxKeyFile = 256 << 10

// ReadHostKey reads the server's private host key at path (PEM, as
// ssh-keygen writes it), first making one (ed25519, mode 0600, with its
// .pub beside it) when there is none. A path that is not a regular file,
// too large or not a private key is an error naming it.
func ReadHostKey(path string) ([]byte, error) {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		if err := makeHostKey(path); err != nil {
			return nil, fmt.Errorf("serve: cannot make the host key %q: %w", path, err)
		}
	}
	b, err := untrusted.ReadRegular(path, MaxKeyFile)
	if err != nil {
		return nil, fmt.Errorf("serve: host key %q: %w", path, err)
	}
	if _, err := gossh.ParsePrivateKey(b); err != nil {
		return nil, fmt.Errorf("serve: host key %q is not an unencrypted SSH private key (%v)", path, err)
	}
	return b, nil
}

// makeHostKey writes a new ed25519 key to path, atomically: a temporary
// file, synced, renamed into place.
func makeHostKey(path string) error {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	sshPub, err := gossh.NewPublicKey(pub)
	if err != nil {
		return err
	}
	if err := writeAtomic(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return err
	}
	return writeAtomic(path+".pub", gossh.MarshalAuthorizedKey(sshPub), 0o644)
}

// writeAtomic writes b to path through a temporary file in its directory.
func writeAtomic(path string, b []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
