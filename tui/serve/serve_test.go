package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/store"
)

// testServer starts a server on a free loopback port; it stops with the
// test.
func testServer(t testing.TB, tweak func(*Config)) (*Server, string, context.CancelFunc) {
	t.Helper()
	lib, err := lessons.Load(experiments.Registry(), "")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := Config{Addr: "127.0.0.1:0", DataDir: filepath.Join(dir, "data"), HostKey: filepath.Join(dir, "host"), Library: lib, MaxSessions: 10, Log: testLog{t}}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := s.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("the server did not stop")
		}
	})
	return s, addr.String(), cancel
}

// client is an SSH session with a pty, as a terminal would open it.
type client struct {
	t    testing.TB
	sess *gossh.Session
	conn *gossh.Client
	in   interface{ Write([]byte) (int, error) }
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func newKey(t testing.TB) gossh.Signer {
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

// dial connects as user with key (nil: keyboard-interactive, no key) and,
// with pty, asks for an 80×24 terminal and the app.
func dial(t testing.TB, addr, user string, key gossh.Signer, pty bool, env ...string) *client {
	t.Helper()
	return dialSized(t, addr, user, key, pty, 80, 24, env...)
}

// dialSized is dial with a pty (when pty) of cols × rows.
func dialSized(t testing.TB, addr, user string, key gossh.Signer, pty bool, cols, rows int, env ...string) *client {
	t.Helper()
	auth := []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })}
	if key != nil {
		auth = []gossh.AuthMethod{gossh.PublicKeys(key)}
	}
	conn, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: user, Auth: auth, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		sess.Setenv(k, v)
	}
	c := &client{t: t, sess: sess, conn: conn, done: make(chan struct{})}
	sess.Stdout = writerFunc(func(b []byte) (int, error) { c.mu.Lock(); defer c.mu.Unlock(); return c.out.Write(b) })
	sess.Stderr = sess.Stdout
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.in = in
	if pty {
		if err := sess.RequestPty("xterm-256color", rows, cols, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { sess.Wait(); close(c.done) }()
	t.Cleanup(func() { sess.Close(); conn.Close() })
	return c
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// text is everything the client received so far, escape sequences removed.
func (c *client) text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ansi.Strip(c.out.String())
}

// waitFor waits until the client has received what.
func (c *client) waitFor(what string) {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(c.text(), what) {
		if time.Now().After(deadline) {
			c.t.Fatalf("timed out waiting for %q; received:\n%s", what, c.text())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// named answers the name prompt of a key's new owner with name, and
// waits for the lesson list.
func (c *client) named(name string) {
	c.t.Helper()
	c.waitFor("nnlab knows you by your SSH key")
	c.send(name + "\r")
	c.waitFor("Gradient momentum")
}

func (c *client) send(s string) {
	if _, err := c.in.Write([]byte(s)); err != nil {
		c.t.Fatal(err)
	}
}

// closed waits until the server ends the session.
func (c *client) closed(within time.Duration) bool {
	select {
	case <-c.done:
		return true
	case <-time.After(within):
		return false
	}
}

func TestLearnerSessionRecorded(t *testing.T) {
	s, addr, _ := testServer(t, nil)
	key := newKey(t)
	c := dial(t, addr, "alice", key, true)
	c.named("Alice")
	c.send("\r") // open the first lesson
	c.waitFor("nnlab · Welcome to nnlab")
	c.send("\t")
	c.waitFor("▸")
	c.send("\r") // the cell asks for a prediction first: an empty one runs it
	c.waitFor("enter runs the cell")
	c.send("\r")
	c.waitFor("ran without a prediction")
	c.send("+") // a fast cell reruns at once, and its exercise is judged
	c.waitFor("not yet")
	c.send("\x1b") // back to the lessons
	time.Sleep(300 * time.Millisecond)
	c.send("z")
	c.waitFor("Question 1 of 10")
	c.send("12\r")
	c.waitFor("the answer is")
	ctx := context.Background()
	deadline := time.Now().Add(5 * time.Second)
	for {
		cl, err := store.Report(ctx, s.store, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(cl.Learners) == 1 && cl.Learners[0].QuizAnswered == 1 && len(cl.Learners[0].Visited) == 1 && cl.Learners[0].Attempts == 1 {
			if !strings.HasPrefix(cl.Learners[0].Key, "key:SHA256:") || cl.Learners[0].Name != "Alice" {
				t.Errorf("learner %+v", cl.Learners[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the activity was not recorded: %+v", cl.Learners)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The same key again finds the same progress: back in the lesson read
	// last, with the value changed there.
	c.sess.Close()
	c2 := dial(t, addr, "alice", key, true)
	c2.waitFor("nnlab · Welcome to nnlab")
	c2.waitFor("k = 8*")
}

func TestKeylessLearnerTypesAName(t *testing.T) {
	_, addr, _ := testServer(t, nil)
	c := dial(t, addr, "guest", nil, true, "LANG=ko_KR.UTF-8")
	c.waitFor("이름")
	c.send("\r") // empty: refused
	c.waitFor("1자에서 40자")
	c.send("지민\r")
	c.waitFor("레슨")
}

func TestGuards(t *testing.T) {
	_, addr, _ := testServer(t, func(c *Config) { c.MaxSessions = 1 })
	key := newKey(t)
	// No pty: one line, and the session ends.
	np := dial(t, addr, "bob", key, false)
	if !np.closed(5*time.Second) || !strings.Contains(np.text(), "needs a terminal") {
		t.Errorf("a client without a pty got %q", np.text())
	}
	a := dial(t, addr, "a", key, true)
	a.named("a")
	b := dial(t, addr, "b", newKey(t), true)
	if !b.closed(5*time.Second) || !strings.Contains(b.text(), "The room is full") {
		t.Errorf("a learner over the limit got %q", b.text())
	}
}

func TestIdleTimeout(t *testing.T) {
	_, addr, _ := testServer(t, func(c *Config) { c.IdleTimeout = 2 * time.Second })
	c := dial(t, addr, "sleepy", newKey(t), true)
	c.waitFor("SSH key")
	c.waitFor("this session closes in")
	if !c.closed(10 * time.Second) {
		t.Fatal("an idle session was not closed")
	}
}

func TestGracefulShutdown(t *testing.T) {
	s, addr, stop := testServer(t, func(c *Config) { c.ShutdownGrace = 200 * time.Millisecond })
	key := newKey(t)
	c := dial(t, addr, "alice", key, true)
	c.named("Alice")
	c.send("\r")
	c.waitFor("nnlab · Welcome to nnlab")
	t0 := time.Now()
	stop()
	if !c.closed(6 * time.Second) {
		t.Fatal("the session outlived the shutdown")
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	if !strings.Contains(c.text(), "shutting down") {
		t.Errorf("the client was not told: %q", c.text())
	}
	// The progress was saved: the visit is in the learner's state.
	db, err := store.OpenSQLite(s.cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	data, err := db.LoadState(context.Background(), 1)
	if err != nil || !strings.Contains(string(data), `"visited":true`) {
		t.Errorf("the learner's progress was not saved: %s %v", data, err)
	}
	// And the session's end is recorded before the store closes.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		evs, _, _, err := db.Events(context.Background(), 0, 100)
		if err == nil && len(evs) > 0 && evs[len(evs)-1].Kind == "disconnect" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the last event is not the session's end: %+v %v", evs, err)
		}
	}
}

func TestInstructorSeesTheClass(t *testing.T) {
	teacher := newKey(t)
	_, addr, _ := testServer(t, func(c *Config) { c.InstructorKeys = []gossh.PublicKey{teacher.PublicKey()} })
	in := dial(t, addr, "teacher", teacher, true)
	in.waitFor("No learner has connected yet")
	l := dial(t, addr, "alice", newKey(t), true)
	l.named("alice")
	in.waitFor("alice")
	l.send("\r")
	l.waitFor("nnlab · Welcome to nnlab")
	in.waitFor("welcome")
}

// testLog sends the server's log to the test's.
type testLog struct{ t testing.TB }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
func TestKeylessIsNotInstructor(t *testing.T) {
	teacher := newKey(t)
	_, addr, _ := testServer(t, func(c *Config) { c.InstructorKeys = []gossh.PublicKey{teacher.PublicKey()} })
	c := dial(t, addr, "guest", nil, true)
	c.waitFor("SSH key")
}
