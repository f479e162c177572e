package untrusted

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// ReadRegular reads a file named from outside — a lesson, a key, a progress
// file: only a regular file (a symbolic link is followed to one), opened
// without blocking, and at most limit bytes of it, so that a named pipe, a
// device (/dev/zero) or a huge file can neither hang nor exhaust nnlab.
// The error says without the path what is wrong: a *TooLargeError, a
// *NotRegularError, or the file system's error (see FileProblem).
func ReadRegular(path string, limit int64) ([]byte, error) {
	info, err := os.Stat(path) // follows links: a broken one or a loop fails here
	if err != nil {
		return nil, fileError{err}
	}
	if !info.Mode().IsRegular() {
		return nil, &NotRegularError{info.Mode()}
	}
	// Non-blocking, in case a pipe took the file's place since the Stat.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fileError{err}
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, fileError{err}
	}
	if !info.Mode().IsRegular() {
		return nil, &NotRegularError{info.Mode()}
	}
	if info.Size() > limit {
		return nil, &TooLargeError{Size: info.Size(), Limit: limit}
	}
	src, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fileError{err}
	}
	if int64(len(src)) > limit {
		return nil, &TooLargeError{Size: int64(len(src)), Limit: limit}
	}
	return src, nil
}

// TooLargeError is a file over the size read.
type TooLargeError struct{ Size, Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the file is %s, more than the %s read", ByteSize(e.Size), ByteSize(e.Limit))
}

// ByteSize is n bytes in the largest binary unit that keeps it ≥ 1
// (3 significant digits: 8.9 MiB, 256 KiB, 100 bytes).
func ByteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.3g MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.3g KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// NotRegularError is a path that is not a regular file.
type NotRegularError struct{ Mode fs.FileMode }

func (e *NotRegularError) Error() string { return e.Kind() + ", not a regular file" }

// Kind says what the path is: a folder, a named pipe, a socket, a device
// or something else.
func (e *NotRegularError) Kind() string {
	switch m := e.Mode; {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "something else"
}

// fileError words an error of the file system without the path, which the
// caller names.
type fileError struct{ err error }

func (e fileError) Error() string { return FileProblem(e.err) }
func (e fileError) Unwrap() error { return e.err }

// FileProblem is an error of the file system as one line without the path
// (the caller names it).
func FileProblem(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, syscall.ELOOP):
		return "a symbolic link loop (or a chain of links too long to follow)"
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist (or is a symbolic link to nothing)"
	case errors.As(err, &pe):
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}
