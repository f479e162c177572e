package tui

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// At most as many computations run at once as there are slots; the others
// wait (and say so), and a cancelled wait gives its place up.
func TestSlots(t *testing.T) {
	heavy, shared := NewSlots(1), NewSlots(2)
	var running, most atomic.Int32
	waited := atomic.Int32{}
	done := make(chan struct{})
	for range 6 {
		go func() {
			defer func() { done <- struct{}{} }()
			release, err := acquireAll(context.Background(), func() { waited.Add(1) }, heavy, shared)
			if err != nil {
				t.Error(err)
				return
			}
			n := running.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
			release()
		}()
	}
	for range 6 {
		<-done
	}
	if most.Load() != 1 {
		t.Errorf("%d heavy runs at once in one session", most.Load())
	}
	if waited.Load() == 0 {
		t.Error("no run waited")
	}
	full := NewSlots(1)
	full.tryAcquire()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := acquireAll(ctx, func() {}, full); err == nil {
		t.Error("a cancelled wait took a slot")
	}
	if len(full) != 1 {
		t.Errorf("slots held after a failed wait: %d", len(full))
	}
}
