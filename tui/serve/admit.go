package serve

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
)

// DefaultLoginGrace is how long a connection may take to reach the app (its
// key exchange, login, session and pty) before it is closed: OpenSSH's
// LoginGraceTime is 120 s; a workshop's learners connect in seconds.
const DefaultLoginGrace = 30 * time.Second

// admission follows one connection from its accept to its close. It is
// pending while no session of it runs the app — during the handshake and
// login, and again after its sessions end — and a connection pending for
// the login grace is closed, so that connections that never become
// learners (silent, stalled after the banner, ssh -N, a session without a
// pty) hold nothing for long. Pending connections are capped (maxPending).
type admission struct {
	srv      *Server
	conn     net.Conn
	channels atomic.Int32 // open session channels (sessionChannel)

	mu      sync.Mutex
	inApp   int  // sessions of this connection running the app
	pending bool // counted in srv.pending
	closed  bool
	timer   *time.Timer
}

type admissionKey struct{}

// admissionOf is the admission of the connection of ctx (nil when there is
// none, e.g. a server used without admit).
func admissionOf(ctx ssh.Context) *admission {
	a, _ := ctx.Value(admissionKey{}).(*admission)
	return a
}

// admit is the server's ConnCallback: it refuses a connection when
// maxPending connections are already pending, else follows it.
func (s *Server) admit(ctx ssh.Context, c net.Conn) net.Conn {
	if s.closing.Load() {
		return nil
	}
	for {
		n := s.pending.Load()
		if n >= int64(s.maxPending) {
			s.log.Printf("%s: refused: %d connections are already logging in (at most %d)", c.RemoteAddr(), n, s.maxPending)
			return nil
		}
		if s.pending.CompareAndSwap(n, n+1) {
			break
		}
	}
	a := &admission{srv: s, conn: c, pending: true}
	s.mu.Lock()
	s.admissions[a] = true
	s.mu.Unlock()
	a.mu.Lock()
	a.timer = time.AfterFunc(s.cfg.LoginGrace, a.expire)
	a.mu.Unlock()
	ctx.SetValue(admissionKey{}, a)
	return &admittedConn{Conn: c, a: a}
}

// enter notes that a session of the connection runs the app.
func (a *admission) enter() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inApp++
	a.timer.Stop()
	if a.pending {
		a.pending = false
		a.srv.pending.Add(-1)
	}
}

// leave notes that a session left the app; when it was the last, the
// connection is pending again and has the login grace to start another.
func (a *admission) leave() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inApp--
	if a.inApp == 0 && !a.closed {
		a.pending = true
		a.srv.pending.Add(1)
		a.timer.Reset(a.srv.cfg.LoginGrace)
	}
}

// expire closes the connection if it is still pending.
func (a *admission) expire() {
	a.mu.Lock()
	stale := a.inApp == 0 && !a.closed
	a.mu.Unlock()
	if stale {
		a.srv.log.Printf("%s: closed: no session reached the app within the login grace (%v)", a.conn.RemoteAddr(), a.srv.cfg.LoginGrace)
		a.conn.Close()
	}
}

// done is the end of the connection.
func (a *admission) done() {
	a.mu.Lock()
	if !a.closed {
		a.closed = true
		a.timer.Stop()
		if a.pending {
			a.pending = false
			a.srv.pending.Add(-1)
		}
	}
	a.mu.Unlock()
	a.srv.mu.Lock()
	delete(a.srv.admissions, a)
	a.srv.mu.Unlock()
}

// closeIfPending closes the connection unless a session of it runs the app
// (at shutdown, when the apps are told and closed).
func (a *admission) closeIfPending() {
	a.mu.Lock()
	pending := a.inApp == 0 && !a.closed
	a.mu.Unlock()
	if pending {
		a.conn.Close()
	}
}

// admittedConn is a followed connection: its close ends its admission.
type admittedConn struct {
	net.Conn
	a    *admission
	once sync.Once
}

func (c *admittedConn) Close() error {
	c.once.Do(c.a.done)
	return c.Conn.Close()
}
