package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/nnlab/nnlab/tui/store/pgtest"
)

// TestWorkshopLoad is the multi-server load test — a separate command, not
// part of the suite: NNLAB_LOAD_SECONDS=60 go test -run TestWorkshopLoad -v .
// (NNLAB_LOAD_SESSIONS, default 100). Two nnlab serve processes share one
// PostgreSQL (started by the test); the sessions, split between them, open
// a lesson and rerun its first cell with new values while timing keys that
// compute nothing (help on and off: keypress to the first byte of the new
// frame). Then one server is killed with SIGKILL mid-class: its learners
// reconnect to the other and must find the value of their last run.
func TestWorkshopLoad(t *testing.T) {
	secs, _ := strconv.Atoi(os.Getenv("NNLAB_LOAD_SECONDS"))
	if secs <= 0 {
		t.Skip("set NNLAB_LOAD_SECONDS to run the workshop load test")
	}
	n := 100
	if v, _ := strconv.Atoi(os.Getenv("NNLAB_LOAD_SESSIONS")); v > 0 {
		n = v
	}
	url := pgtest.Start(t).NewDB(t)
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	type server struct {
		cmd  *exec.Cmd
		addr string
		log  *bytes.Buffer
	}
	servers := make([]*server, 2)
	for i := range servers {
		port := freePort(t)
		s := &server{addr: fmt.Sprintf("127.0.0.1:%d", port), log: &bytes.Buffer{}}
		s.cmd = exec.Command(bin, "serve", "--addr", s.addr, "--db", url, "--data", filepath.Join(dir, fmt.Sprint("data", i)), "--max-sessions", strconv.Itoa(n), "--idle-timeout", "0")
		s.cmd.Stderr = s.log
		if err := s.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
		waitListening(t, s.addr)
		servers[i] = s
	}
	rss0 := []int64{rssKB(servers[0].cmd.Process.Pid), rssKB(servers[1].cmd.Process.Pid)}
	cpu0 := []time.Duration{cpuTime(servers[0].cmd.Process.Pid), cpuTime(servers[1].cmd.Process.Pid)}
	clients := make([]*loadClient, n)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i) * 20 * time.Millisecond) // a room arriving
			c := dialLoad(t, servers[i%2].addr, newSigner(t))
			clients[i] = c
			c.waitFor("knows you by your SSH key")
			// Each step again when its answer does not come (a key typed
			// while the app was busy, e.g. logging in, is not taken).
			c.step(fmt.Sprintf("learner %d\r", i), "Gradient momentum")
			c.step("\r", "nnlab · Welcome to nnlab")
			c.step("\t", "▸k = 7")
			c.step("\r", "enter runs the cell") // the prediction first: an empty one runs the cell
			c.step("\r", "ran without a prediction")
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	var mu sync.Mutex
	var lat []time.Duration
	start := time.Now()
	stop := start.Add(time.Duration(secs) * time.Second)
	killAt := stop.Add(-time.Duration(secs) * time.Second / 10) // mid-class: while the keys still come
	var killed time.Time
	var rssMid []int64
	go func() {
		time.Sleep(time.Until(start.Add(time.Duration(secs) * time.Second / 2)))
		rssMid = []int64{rssKB(servers[0].cmd.Process.Pid), rssKB(servers[1].cmd.Process.Pid)}
	}()
	cpu1 := make(chan []time.Duration, 1)
	go func() {
		time.Sleep(time.Until(killAt))
		cpu1 <- []time.Duration{cpuTime(servers[0].cmd.Process.Pid), cpuTime(servers[1].cmd.Process.Pid)}
		mu.Lock()
		killed = time.Now()
		mu.Unlock()
		servers[0].cmd.Process.Kill() // SIGKILL
	}()
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := mrand.New(mrand.NewPCG(uint64(i), 1))
			for k := 0; time.Now().Before(stop); k++ {
				if c.closed() {
					return
				}
				switch k % 3 {
				case 2: // a new value: the cell reruns at once, and its values are saved
					c.send([]string{"+", "-"}[rnd.IntN(2)])
				default: // help on and off: computes nothing; time the frame
					n0 := c.len()
					t0 := time.Now()
					c.send("?")
					for c.len() == n0 && time.Since(t0) < 2*time.Second && !c.closed() {
						time.Sleep(200 * time.Microsecond)
					}
					if !c.closed() {
						mu.Lock()
						lat = append(lat, time.Since(t0))
						mu.Unlock()
					}
				}
				time.Sleep(time.Duration(300+rnd.IntN(150)) * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	cpuAt := <-cpu1
	wall := killAt.Sub(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	t.Logf("%d sessions on 2 servers sharing PostgreSQL, %v of keys: %d help keys, keypress to frame p50 %v, p90 %v, p99 %v, max %v",
		n, wall.Round(time.Second), len(lat), q(0.5), q(0.9), q(0.99), lat[len(lat)-1])
	for i := range servers {
		t.Logf("server %d: %.1f MB RSS per session (%d → %d MB with %d sessions); CPU %.1f s over %.1f s wall (%.0f%% of one core)",
			i, float64(rssMid[i]-rss0[i])/1024/float64(n/2), rss0[i]/1024, rssMid[i]/1024, n/2,
			(cpuAt[i] - cpu0[i]).Seconds(), wall.Seconds(), 100*(cpuAt[i]-cpu0[i]).Seconds()/wall.Seconds())
	}
	// The killed server's learners come back on the other: in their lesson,
	// with the value of their last run (each run's values are saved as it
	// starts; the value a learner saw last is the one to find).
	lost, back := 0, 0
	var ages []time.Duration
	for i := 0; i < n; i += 2 {
		c := clients[i]
		want, at := c.lastK()
		c.close()
		d := dialLoad(t, servers[1].addr, c.key)
		d.waitFor("nnlab · Welcome to nnlab")
		d.send("\t")
		d.waitFor("▸k = ")
		got, _ := d.lastK()
		back++
		if got != want {
			lost++
			ages = append(ages, killed.Sub(at))
			t.Logf("learner %d: found k = %d, saw k = %d %v before the kill", i, got, want, killed.Sub(at).Round(time.Millisecond))
		}
		d.close()
	}
	t.Logf("after kill -9 of server 0: %d learners reconnected to server 1, %d found the value of their last run, %d did not %v", back, back-lost, lost, ages)
	if strings.Contains(servers[1].log.String(), "dropping") {
		t.Logf("server 1 dropped events: %s", servers[1].log.String())
	}
	if lost > 0 {
		t.Errorf("%d learners lost their last run", lost)
	}
}

// loadClient is one learner's SSH session with a pty.
type loadClient struct {
	t    *testing.T
	key  gossh.Signer
	conn *gossh.Client
	sess *gossh.Session
	in   interface{ Write([]byte) (int, error) }
	mu   sync.Mutex
	out  bytes.Buffer
	kAt  int       // how much of out lastK has read
	k    int       // the last k seen
	kT   time.Time // when it was seen
	done chan struct{}
}

var kRe = regexp.MustCompile(`▸k = (\d+)`)

func dialLoad(t *testing.T, addr string, key gossh.Signer) *loadClient {
	t.Helper()
	conn, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "learner", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	c := &loadClient{t: t, key: key, conn: conn, sess: sess, done: make(chan struct{})}
	sess.Stdout = writerFunc(func(b []byte) (int, error) { c.mu.Lock(); defer c.mu.Unlock(); return c.out.Write(b) })
	c.in, _ = sess.StdinPipe()
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { sess.Wait(); close(c.done) }()
	t.Cleanup(c.close)
	return c
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

func (c *loadClient) len() int { c.mu.Lock(); defer c.mu.Unlock(); return c.out.Len() }

func (c *loadClient) closed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

func (c *loadClient) close() { c.sess.Close(); c.conn.Close() }

func (c *loadClient) send(s string) { c.in.Write([]byte(s)) }

// lastK is the value of k the client saw last, and when it first saw it.
func (c *loadClient) lastK() (int, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	text := ansi.Strip(c.out.String()[c.kAt:])
	c.kAt = c.out.Len()
	if m := kRe.FindAllStringSubmatch(text, -1); len(m) > 0 {
		k, _ := strconv.Atoi(m[len(m)-1][1])
		if k != c.k {
			c.k, c.kT = k, time.Now()
		}
	}
	return c.k, c.kT
}

// step sends keys until the client has received what (four tries, 15 s
// each).
func (c *loadClient) step(keys, what string) {
	c.t.Helper()
	for try := 0; try < 4; try++ {
		c.send(keys)
		if c.wait(what, 15*time.Second) {
			return
		}
	}
	c.waitFor(what)
}

func (c *loadClient) wait(what string, within time.Duration) bool {
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		c.mu.Lock()
		ok := strings.Contains(ansi.Strip(c.out.String()), what)
		c.mu.Unlock()
		if ok {
			return true
		}
	}
	return false
}

func (c *loadClient) waitFor(what string) {
	c.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		c.mu.Lock()
		ok := strings.Contains(ansi.Strip(c.out.String()), what)
		c.mu.Unlock()
		if ok {
			c.lastK()
			return
		}
		if time.Now().After(deadline) {
			c.mu.Lock()
			c.t.Errorf("timed out waiting for %q; received:\n%s", what, ansi.Strip(c.out.String()))
			c.mu.Unlock()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func newSigner(t *testing.T) gossh.Signer {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitListening(t *testing.T, addr string) {
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		if i > 200 {
			t.Fatalf("the server on %s did not start", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// rssKB is a process's resident memory, in KiB (/proc/PID/status VmRSS).
func rssKB(pid int) int64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// cpuTime is a process's CPU time, user and system (/proc/PID/stat, in
// clock ticks of 10 ms).
func cpuTime(pid int) time.Duration {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+k) * 10 * time.Millisecond
}
