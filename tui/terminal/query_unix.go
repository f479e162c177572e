//go:build unix

package terminal

import (
	"errors"
	"os"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// Questions are what Ask writes: OSC 11 (the background colour; terminals
// that do not know it ignore it), then a cursor-position report, which
// every terminal answers after it has answered the first, if at all.
const Questions = "\x1b]11;?\x1b\\" + "\x1b[6n"

// ErrNotAsked is returned when the terminal could not be asked: not a
// terminal, or nnlab runs in the background of its shell (reading would
// stop it).
var ErrNotAsked = errors.New("terminal: not asked")

// Ask writes Questions to out and reads the replies from in, in raw mode
// (no echo, no line buffering), until the cursor report arrives or timeout
// passes; the terminal's modes are restored before it returns, whatever
// happens. in and out are the terminal (standard input and output).
func Ask(in, out *os.File, timeout time.Duration) (Replies, error) {
	fd := int(in.Fd())
	if !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) || !foreground(fd) {
		return Replies{}, ErrNotAsked
	}
	old, err := term.MakeRaw(in.Fd())
	if err != nil {
		return Replies{}, ErrNotAsked
	}
	defer term.Restore(in.Fd(), old) //nolint:errcheck // nothing better to do
	if _, err := out.WriteString(Questions); err != nil {
		return Replies{}, err
	}
	deadline := time.Now().Add(timeout)
	var buf []byte
	chunk := make([]byte, 256)
	for len(buf) < 4096 {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left.Milliseconds())+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			break
		}
		if fds[0].Revents&(unix.POLLERR|unix.POLLHUP|unix.POLLNVAL) != 0 && fds[0].Revents&unix.POLLIN == 0 {
			break
		}
		k, err := unix.Read(fd, chunk)
		if err == unix.EINTR || err == unix.EAGAIN {
			continue
		}
		if err != nil || k <= 0 {
			break
		}
		buf = append(buf, chunk[:k]...)
		if r := parseReplies(buf); r.Cursor || r.Interrupt {
			return r, nil
		}
	}
	return parseReplies(buf), nil
}

// foreground reports whether this process's group owns the terminal:
// reading it from the background would stop the process (SIGTTIN).
func foreground(fd int) bool {
	pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	if err != nil {
		return false
	}
	return pgrp == unix.Getpgrp()
}
