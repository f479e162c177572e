//go:build linux || darwin || freebsd

package cnn

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// cpuClock returns a clock of the CPU time the calling thread has used, and
// a function to call when done with it; the goroutine stays on its thread
// until then, so that the clock follows it. Time the thread spends waiting
// for a core, on a machine busy with other work, is not counted. Where the
// thread's clock cannot be read, the clock is the wall clock.
func cpuClock() (now func() time.Duration, done func()) {
	runtime.LockOSThread()
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		runtime.UnlockOSThread()
		return wallClock()
	}
	return func() time.Duration {
		unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
		return time.Duration(ts.Nano())
	}, runtime.UnlockOSThread
}
