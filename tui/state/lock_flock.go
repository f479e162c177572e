//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package state

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockWait is how long a save waits for another nnlab's save to finish
// before giving up: saves take milliseconds, so this is a stuck process.
var lockWait = 10 * time.Second

// lockFile takes the advisory lock (flock) on the file at path, creating
// it, waiting up to lockWait. The lock goes with the process, so a killed
// nnlab never leaves it held; the file itself stays.
//
// The wait is the kernel's (a blocking flock, so waiters take turns rather
// than poll); after lockWait the caller is told, and the lock, if it ever
// comes, is let go at once.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	fd := int(f.Fd())
	release := func() {
		syscall.Flock(fd, syscall.LOCK_UN)
		f.Close()
	}
	done := make(chan error, 1)
	go func() {
		for {
			err := syscall.Flock(fd, syscall.LOCK_EX)
			if err != syscall.EINTR {
				done <- err
				return
			}
		}
	}()
	timer := time.NewTimer(lockWait)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			f.Close()
			return nil, err
		}
		return release, nil
	case <-timer.C:
		go func() {
			if <-done == nil {
				release()
			} else {
				f.Close()
			}
		}()
		return nil, fmt.Errorf("another nnlab has held the lock on %s for %v", path, lockWait)
	}
}
