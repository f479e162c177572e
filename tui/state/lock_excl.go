//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// lockWait is how long a save waits for another nnlab's save to finish
// before giving up; staleLock is the age after which a lock file is taken to
// be left by a killed process and removed.
var lockWait = 10 * time.Second

const staleLock = 30 * time.Second

// lockFile takes the lock by creating the file at path exclusively, waiting
// up to lockWait; unlock removes it. Where flock is missing, this is the
// portable lock; one older than staleLock is removed (saves take
// milliseconds).
func lockFile(path string) (unlock func(), err error) {
	deadline := time.Now().Add(lockWait)
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if fi, err := os.Stat(path); err == nil && time.Since(fi.ModTime()) > staleLock {
			os.Remove(path)
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("another nnlab has held the lock %s for %v", path, lockWait)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
