//go:build !(linux || darwin || freebsd)

package cnn

import "time"

// cpuClock is the wall clock here: this system's thread CPU clock is not
// read, so time spent waiting for a core counts too.
func cpuClock() (now func() time.Duration, done func()) { return wallClock() }
