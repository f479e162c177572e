package serve

import (
	"encoding/binary"
	"runtime"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// windowPayload is a window-change request's payload (RFC 4254 §6.7).
func windowPayload(cols, rows uint32) []byte {
	return gossh.Marshal(struct{ Cols, Rows, W, H uint32 }{cols, rows, 0, 0})
}

// ptyPayload is a pty request's payload (RFC 4254 §6.2).
func ptyPayload(term string, cols, rows uint32) []byte {
	return gossh.Marshal(struct {
		Term             string
		Cols, Rows, W, H uint32
		Modes            string
	}{term, cols, rows, 0, 0, "\x00"})
}

func TestRequestFilterClampsWindows(t *testing.T) {
	size := func(p []byte) (uint32, uint32) { return binary.BigEndian.Uint32(p), binary.BigEndian.Uint32(p[4:]) }
	for _, tc := range []struct{ cols, rows, wantCols, wantRows uint32 }{
		{80, 24, 80, 24},
		{4294967295, 4294967295, MaxWidth, MaxHeight},
		{1 << 30, 1 << 30, MaxWidth, MaxHeight},
		{100, 1048576, 100, MaxHeight},
		{1, 1, MinWidth, MinHeight},
		{MaxWidth, MinHeight, MaxWidth, MinHeight},
	} {
		var f requestFilter
		out := f.pass(&gossh.Request{Type: "pty-req", Payload: ptyPayload("xterm", tc.cols, tc.rows)})
		if len(out) != 1 {
			t.Fatalf("pty %d×%d refused", tc.cols, tc.rows)
		}
		if c, r := size(out[0].Payload[4+len("xterm"):]); c != tc.wantCols || r != tc.wantRows {
			t.Errorf("pty %d×%d passed as %d×%d, want %d×%d", tc.cols, tc.rows, c, r, tc.wantCols, tc.wantRows)
		}
		f.pass(&gossh.Request{Type: "shell"})
		out = f.pass(&gossh.Request{Type: "window-change", Payload: windowPayload(tc.cols, tc.rows)})
		if len(out) != 1 {
			t.Fatalf("window change %d×%d refused", tc.cols, tc.rows)
		}
		if c, r := size(out[0].Payload); c != tc.wantCols || r != tc.wantRows {
			t.Errorf("window change %d×%d passed as %d×%d, want %d×%d", tc.cols, tc.rows, c, r, tc.wantCols, tc.wantRows)
		}
	}
}

// A zero dimension is unknown (RFC 4254 §6.2): a pty request keeps it (the
// app lays out at 80×24), a window change with one is ignored.
func TestRequestFilterZeroSize(t *testing.T) {
	var f requestFilter
	out := f.pass(&gossh.Request{Type: "pty-req", Payload: ptyPayload("xterm", 0, 0)})
	if len(out) != 1 || binary.BigEndian.Uint32(out[0].Payload[9:]) != 0 || binary.BigEndian.Uint32(out[0].Payload[13:]) != 0 {
		t.Fatalf("pty 0×0 passed as %v", out)
	}
	f.pass(&gossh.Request{Type: "shell"})
	for _, s := range [][2]uint32{{0, 0}, {0, 24}, {80, 0}} {
		if out := f.pass(&gossh.Request{Type: "window-change", Payload: windowPayload(s[0], s[1])}); out != nil {
			t.Errorf("window change %d×%d passed on", s[0], s[1])
		}
	}
}

func TestRequestFilterRefuses(t *testing.T) {
	var f requestFilter
	if out := f.pass(&gossh.Request{Type: "pty-req", Payload: ptyPayload(strings.Repeat("x", 65), 80, 24)}); out != nil {
		t.Error("a 65-byte TERM was passed on")
	}
	if out := f.pass(&gossh.Request{Type: "pty-req", Payload: []byte{0, 0, 0, 9, 'x'}}); out != nil {
		t.Error("a short pty request was passed on")
	}
	if out := f.pass(&gossh.Request{Type: "window-change", Payload: []byte{1, 2, 3}}); out != nil {
		t.Error("a short window change was passed on")
	}
	env := func(k, v string) *gossh.Request {
		return &gossh.Request{Type: "env", Payload: gossh.Marshal(struct{ K, V string }{k, v})}
	}
	if out := f.pass(env("BIG", strings.Repeat("v", maxEnvBytes))); out != nil {
		t.Error("a 1 KiB environment variable was passed on")
	}
	for i := range maxEnv {
		if out := f.pass(env("V", "x")); len(out) != 1 {
			t.Fatalf("environment variable %d refused", i+1)
		}
	}
	if out := f.pass(env("V", "x")); out != nil {
		t.Errorf("environment variable %d was passed on", maxEnv+1)
	}
}

// Window changes before the session starts are answered by the filter and
// only the last is passed on, after the shell request.
func TestRequestFilterHoldsEarlySizes(t *testing.T) {
	var f requestFilter
	f.pass(&gossh.Request{Type: "pty-req", Payload: ptyPayload("xterm", 80, 24)})
	for i := range 100 {
		if out := f.pass(&gossh.Request{Type: "window-change", Payload: windowPayload(uint32(81+i), 30)}); out != nil {
			t.Fatalf("early window change %d passed on", i)
		}
	}
	out := f.pass(&gossh.Request{Type: "shell"})
	if len(out) != 2 || out[0].Type != "shell" || out[1].Type != "window-change" || binary.BigEndian.Uint32(out[1].Payload) != 180 {
		t.Fatalf("after the shell: %v", out)
	}
}

// heapMB is the live heap after a collection, in MB.
func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// A client's window size is not a memory budget: sizes of 4,294,967,295
// columns (or 2³⁰ × 2³⁰, or 100 × 1,048,576) leave the server's heap where
// it was, and the app answering.
func TestHugeWindowChanges(t *testing.T) {
	_, addr, _ := testServer(t, nil)
	c := dial(t, addr, "alice", newKey(t), true)
	c.named("alice")
	before := heapMB()
	sizes := [][2]int{{4294967295, 24}, {80, 4294967295}, {1 << 30, 1 << 30}, {100, 1048576}, {4294967295, 4294967295}}
	for _, s := range sizes {
		if err := c.sess.WindowChange(s[1], s[0]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * resizeEvery) // each size reaches the app
	}
	c.send("\r") // open the first lesson: it is laid out at the largest size
	c.waitFor("nnlab · Welcome to nnlab")
	after := heapMB()
	t.Logf("server heap before the window changes %.1f MB, after %.1f MB", before, after)
	if after-before > 64 {
		t.Errorf("the heap grew by %.0f MB", after-before)
	}
	c.sess.WindowChange(24, 80)
	c.send("?")
	c.waitFor("press ? or esc to close")
}

// A client that does not know its size (OpenSSH with input not from a
// terminal sends 0×0) gets the app at its default 80×24, not "too small".
func TestUnknownWindowSize(t *testing.T) {
	_, addr, _ := testServer(t, nil)
	c := dialSized(t, addr, "alice", newKey(t), true, 0, 0)
	c.named("alice")
	c.sess.WindowChange(0, 0) // ignored
	c.send("\r")
	c.waitFor("nnlab · Welcome to nnlab")
}

// muteClient opens a session at the largest size whose output it never
// reads, and types ? (the help view, on and off: large frames) until the
// channel's window is full and the app's writes stop.
func muteClient(t *testing.T, addr string) {
	t.Helper()
	conn, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "mute", Auth: []gossh.AuthMethod{gossh.PublicKeys(newKey(t))}, HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.StdoutPipe(); err != nil { // never read
		t.Fatal(err)
	}
	in, _ := sess.StdinPipe()
	if err := sess.RequestPty("xterm-256color", MaxHeight, MaxWidth, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() {
		for range 2000 {
			if _, err := in.Write([]byte("?")); err != nil {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
}

// waitSessions waits until the server has n sessions in the app, up to d.
func waitSessions(s *Server, n int64, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if s.sessions.Load() == n {
			return true
		}
	}
	return s.sessions.Load() == n
}

// A client that reads nothing stops its app's writes once the channel's
// window is full, and the app with them: the idle timeout still ends the
// session (its app is closed under it, after stuckQuit).
func TestClientThatReadsNothingIdles(t *testing.T) {
	s, addr, _ := testServer(t, func(c *Config) { c.IdleTimeout = 2 * time.Second })
	muteClient(t, addr)
	if !waitSessions(s, 1, 10*time.Second) {
		t.Fatal("the session did not start")
	}
	if !waitSessions(s, 0, 2*time.Second+stuckQuit+10*time.Second) {
		t.Fatal("the session outlived the idle timeout")
	}
}

// … and a shutdown still ends every session within its 5 s.
func TestClientThatReadsNothingShutdown(t *testing.T) {
	s, addr, stop := testServer(t, nil)
	muteClient(t, addr)
	if !waitSessions(s, 1, 10*time.Second) {
		t.Fatal("the session did not start")
	}
	time.Sleep(time.Second) // its window fills
	stop()
	if !waitSessions(s, 0, 6*time.Second) {
		t.Fatal("the session outlived the shutdown")
	}
}
