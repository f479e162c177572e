package serve

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestLoad is the workshop load test — a separate command, not part of the
// suite: NNLAB_LOAD_SECONDS=60 go test ./tui/serve -run TestLoad -v
// (NNLAB_LOAD_SESSIONS, default 50). Every session opens a lesson, then
// scrolls and reruns its cells; the test reports the server's memory per
// session and the keypress-to-frame times of keys that compute nothing
// (the help view, on and off), slowest first.
func TestLoad(t *testing.T) {
	secs, _ := strconv.Atoi(os.Getenv("NNLAB_LOAD_SECONDS"))
	if secs <= 0 {
		t.Skip("set NNLAB_LOAD_SECONDS to run the load test")
	}
	n := 50
	if v, _ := strconv.Atoi(os.Getenv("NNLAB_LOAD_SESSIONS")); v > 0 {
		n = v
	}
	var kmu sync.Mutex
	var keyTimes []time.Duration
	_, addr, _ := testServer(t, func(c *Config) {
		c.MaxSessions = n + 5
		c.Log = nil
		c.OnKey = func(d time.Duration) { kmu.Lock(); keyTimes = append(keyTimes, d); kmu.Unlock() }
	})
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = dial(t, addr, "learner"+strconv.Itoa(i), newKey(t), true)
	}
	for i, c := range clients {
		c.named(fmt.Sprintf("learner %d", i))
		c.send(string("\r"))
		_ = i
	}
	for _, c := range clients {
		c.waitFor(" · ") // in a lesson
	}
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	stop := time.Now().Add(time.Duration(secs) * time.Second)
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; time.Now().Before(stop); k++ {
				switch k % 10 {
				case 3:
					c.send("\t") // focus a cell
				case 6:
					c.send("+") // change a value
				case 7:
					c.send("\r") // and rerun it
				default: // help on and off (it always redraws, computes nothing): time the frame
					c.mu.Lock()
					n0 := c.out.Len()
					c.mu.Unlock()
					t0 := time.Now()
					c.send("?")
					for {
						c.mu.Lock()
						grown := c.out.Len() > n0
						c.mu.Unlock()
						if grown || time.Since(t0) > 2*time.Second {
							break
						}
						time.Sleep(200 * time.Microsecond)
					}
					mu.Lock()
					lat = append(lat, time.Since(t0))
					mu.Unlock()
				}
				time.Sleep(time.Duration(100+i%50) * time.Millisecond)
			}
		}()
	}
	time.Sleep(time.Duration(secs) * time.Second / 2)
	var during runtime.MemStats
	runtime.ReadMemStats(&during)
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] > lat[j] })
	perSession := float64(int64(during.HeapInuse+during.StackInuse)-int64(before.HeapInuse+before.StackInuse)) / float64(n) / (1 << 20)
	p := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
	over := sort.Search(len(lat), func(i int) bool { return lat[i] <= 16*time.Millisecond })
	kmu.Lock()
	sort.Slice(keyTimes, func(i, j int) bool { return keyTimes[i] > keyTimes[j] })
	t.Logf("server side, every key (%d): slowest Update+compose %v, p99 %v, p50 %v", len(keyTimes), keyTimes[0], keyTimes[len(keyTimes)/100], keyTimes[len(keyTimes)/2])
	kmu.Unlock()
	t.Logf("%d sessions for %d s: %.1f MB per session (heap+stacks, clients in the same process included); %d help keys: slowest %v, p99 %v, p90 %v, p50 %v; %d over 16 ms",
		n, secs, perSession, len(lat), lat[0], p(0.01), p(0.1), p(0.5), over)
}
