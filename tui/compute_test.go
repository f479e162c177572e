package tui

import (
	"context"
	"strings"
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
			release, err := acquireAll(context.Background(), func() { waited.Add(1) }, false, nil, heavy, shared)
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
	full.tryAcquire(&holder{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := acquireAll(ctx, func() {}, false, nil, full); err == nil {
		t.Error("a cancelled wait took a slot")
	}
	if n := full.held(1); n != 1 {
		t.Errorf("slots held after a failed wait: %d", n)
	}
	var none Slots
	if !none.tryAcquire(nil) || none.acquire(ctx, true, nil) != nil {
		t.Error("nil Slots limited a run")
	}
	none.release(nil)
}

// A run a key asked for takes the next free slot before the runs nnlab
// started by itself, whatever their order; each kind in its own order; a
// cancelled waiter is skipped; the last release frees the slot.
func TestSlotsServeAskedRunsFirst(t *testing.T) {
	s := NewSlots(1)
	first := &holder{}
	if !s.tryAcquire(first) {
		t.Fatal("a new slot is taken")
	}
	got := make(chan string, 8)
	queue := func(name string, asked bool, ctx context.Context) {
		before := waiters(s)
		go func() {
			h := &holder{}
			if err := s.acquire(ctx, asked, h); err != nil {
				got <- name + " cancelled"
				return
			}
			got <- name
			s.release(h)
		}()
		for waiters(s) == before { // in the queue before the next one comes
			time.Sleep(time.Millisecond)
		}
	}
	gone, cancel := context.WithCancel(context.Background())
	bg := context.Background()
	queue("auto1", false, bg)
	queue("auto2", false, bg)
	queue("cancelled", true, gone)
	queue("asked1", true, bg)
	queue("asked2", true, bg)
	cancel()
	if g := <-got; g != "cancelled cancelled" {
		t.Fatalf("first out: %s, want the cancelled wait", g)
	}
	s.release(first)
	var order []string
	for range 4 {
		order = append(order, <-got)
	}
	if want := "asked1 asked2 auto1 auto2"; strings.Join(order, " ") != want {
		t.Errorf("served %v, want %s", order, want)
	}
	if n := s.held(1); n != 0 {
		t.Errorf("%d slots held after every run released", n)
	}
}

// held reports how many of the n slots of s are taken.
func (s *slots) held(n int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return n - s.free
}

// waiters counts the runs waiting for s.
func waiters(s Slots) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue[0]) + len(s.queue[1])
}

// A run a key asked for, finding the slot held, asks the holder to step
// aside (once); nnlab's own runs do not, and a holder without a way to
// step aside is waited for.
func TestSlotsPreempt(t *testing.T) {
	s := NewSlots(1)
	var asked atomic.Int32
	h := &holder{preempt: func() { asked.Add(1) }}
	if !s.tryAcquire(h) {
		t.Fatal("a new slot is taken")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	auto := make(chan error, 1)
	go func() { auto <- s.acquire(ctx, false, &holder{}) }()
	for waiters(s) != 1 {
		time.Sleep(time.Millisecond)
	}
	if asked.Load() != 0 {
		t.Fatal("nnlab's own run preempted the holder")
	}
	key := make(chan error, 2)
	for range 2 {
		go func() { key <- s.acquire(ctx, true, &holder{}) }()
	}
	for waiters(s) != 3 {
		time.Sleep(time.Millisecond)
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("the holder was asked to step aside %d times, want once", n)
	}
	s.release(h) // it steps aside: the runs a key asked for come first
	if err := <-key; err != nil {
		t.Fatal(err)
	}
	select {
	case <-auto:
		t.Fatal("nnlab's own run went before a run a key asked for")
	default:
	}
	cancel()
}
