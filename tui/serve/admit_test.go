package serve

import (
	"io"
	"net"
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
	learner.waitFor("Gradient momentum")

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
	l.waitFor("Gradient momentum")
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
