package cnn

import (
	"runtime"
	"testing"
	"time"
)

// conv_speed times in the CPU time of the thread that runs the convolution,
// so that waiting for a core on a busy machine is not counted: a run that
// sleeps 30 ms costs next to nothing on that clock (on systems whose thread
// clock nnlab reads; elsewhere the clock is the wall clock).
func TestCPUClockSkipsWaiting(t *testing.T) {
	now, done := cpuClock()
	defer done()
	t0 := now()
	time.Sleep(30 * time.Millisecond)
	waited := now() - t0
	t1 := now()
	for x := 0.0; now()-t1 < 5*time.Millisecond; x++ {
	}
	worked := now() - t1
	switch runtime.GOOS {
	case "linux", "darwin", "freebsd":
		if waited > 5*time.Millisecond {
			t.Errorf("30 ms asleep counted as %v of CPU time", waited)
		}
	default:
		if waited < 30*time.Millisecond {
			t.Errorf("30 ms asleep counted as %v on the wall clock", waited)
		}
	}
	if worked < 5*time.Millisecond || worked > time.Second {
		t.Errorf("5 ms of work counted as %v", worked)
	}
}
