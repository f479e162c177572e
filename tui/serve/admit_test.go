package serve

import (
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// closedByServer waits (up to 10 s) for the server to close c: a read ends.
func closedByServer(t *testing.T, c net.Conn) bool {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := io.Copy(io.Discard, c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false
	}
	return true
}

// sshConn logs in over a fresh connection and opens nothing (ssh -N).
func sshConn(t *testing.T, addr string) (*gossh.Client, net.Conn) {
	t.Helper()
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	cfg := &gossh.ClientConfig{User: "idle", Auth: []gossh.AuthMethod{gossh.PublicKeys(newKey(t))}, HostKeyCallback: gossh.InsecureIgnoreHostKey()}
	c, chans, reqs, err := gossh.NewClientConn(raw, addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return gossh.NewClient(c, chans, reqs), raw
}

// Connections that never become sessions are closed after the login grace:
// one that sends nothing, one that stops after its banner, one logged in
// without a channel (ssh -N), one whose session asks for no pty and no
// shell. A learner in the app stays.
func TestLoginGrace(t *testing.T) {
	const grace = 500 * time.Millisecond
	s, addr, _ := testServer(t, func(c *Config) { c.LoginGrace = grace })
	learner := dial(t, addr, "alice", newKey(t), true)
	learner.named("alice")

	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	banner, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer banner.Close()
	banner.Write([]byte("SSH-2.0-stalled\r\n"))
	_, noChannel := sshConn(t, addr)
	client, noPty := sshConn(t, addr)
	if _, _, err := client.OpenChannel("session", nil); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]net.Conn{"silent": silent, "after its banner": banner, "without a channel": noChannel, "without a pty": noPty} {
		if !closedByServer(t, c) {
			t.Errorf("a connection %s was held past the login grace", name)
		}
	}
	// The server counts a connection out as its handler ends, after the close.
	for deadline := time.Now().Add(10 * time.Second); s.pending.Load() != 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.pending.Load(); n != 0 {
		t.Errorf("%d connections still counted as logging in", n)
	}
	// The learner, in the app the whole time, is still served.
	learner.send("\r")
	learner.waitFor("nnlab · Welcome to nnlab")
}

// At most MaxPending connections are on their way into the app at once:
// more are refused at once, and a learner gets in when they are gone.
func TestPendingConnectionsCapped(t *testing.T) {
	const most = 5
	s, addr, _ := testServer(t, func(c *Config) { c.MaxPending, c.LoginGrace = most, time.Minute })
	var held []net.Conn
	for range most {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.pending.Load() < most && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	for i := range 20 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if !closedByServer(t, c) {
			t.Fatalf("connection %d over the cap was held", most+i+1)
		}
		c.Close()
	}
	if n := s.pending.Load(); n != most {
		t.Errorf("%d connections pending, want %d", n, most)
	}
	for _, c := range held {
		c.Close()
	}
	for s.pending.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	l := dial(t, addr, "alice", newKey(t), true)
	l.named("alice")
}

// One connection may hold at most maxChannels sessions.
func TestChannelsPerConnection(t *testing.T) {
	_, addr, _ := testServer(t, nil)
	client, _ := sshConn(t, addr)
	for i := range maxChannels {
		if _, _, err := client.OpenChannel("session", nil); err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
	}
	_, _, err := client.OpenChannel("session", nil)
	if oc, ok := err.(*gossh.OpenChannelError); !ok || oc.Reason != gossh.ResourceShortage {
		t.Errorf("session %d: %v, want a resource shortage", maxChannels+1, err)
	}
}

// Connections that never become sessions leave nothing behind once the
// login grace has closed them: the server's goroutines and heap come back
// to where they were.
func TestStalledConnectionsLeaveNothing(t *testing.T) {
	const grace = 300 * time.Millisecond
	s, addr, _ := testServer(t, func(c *Config) { c.LoginGrace, c.MaxPending = grace, 200 })
	// One of each first, so that what a first connection sets up once
	// (the SSH library's tables) is in the baseline.
	_, warm := sshConn(t, addr)
	closedByServer(t, warm)
	time.Sleep(100 * time.Millisecond)
	g0, h0 := runtime.NumGoroutine(), heapMB()
	var conns []net.Conn
	for i := range 100 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			c.Write([]byte("SSH-2.0-stalled\r\n"))
		}
		conns = append(conns, c)
	}
	for range 20 {
		client, c := sshConn(t, addr)
		client.OpenChannel("session", nil) // and no pty, no shell
		conns = append(conns, c)
	}
	gMid, hMid := runtime.NumGoroutine(), heapMB()
	for i, c := range conns {
		if !closedByServer(t, c) {
			t.Fatalf("connection %d was held past the login grace", i)
		}
		c.Close()
	}
	deadline := time.Now().Add(10 * time.Second)
	for (runtime.NumGoroutine() > g0+2 || s.pending.Load() > 0) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	g1, h1 := runtime.NumGoroutine(), heapMB()
	t.Logf("goroutines %d before, %d with 120 stalled connections, %d after; heap %.1f MB, %.1f MB, %.1f MB", g0, gMid, g1, h0, hMid, h1)
	if g1 > g0+2 || s.pending.Load() != 0 {
		t.Errorf("%d goroutines left (%d before), %d connections pending", g1, g0, s.pending.Load())
	}
	if h1-h0 > 8 {
		t.Errorf("the heap grew by %.1f MB", h1-h0)
	}
}
