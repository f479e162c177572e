package serve

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Bounds on what one client may ask of the server. A window size is the
// client's word, not a memory budget: the app lays out and renders
// width×height cells, so both are clamped where they enter, in the pty
// request and every window change, before anything reads them.
const (
	MinWidth, MaxWidth   = 10, 1000
	MinHeight, MaxHeight = 5, 500
	// maxTerm is the longest TERM a pty request may name (the longest in
	// ncurses' terminfo database is 37 bytes).
	maxTerm = 64
	// maxEnv and maxEnvBytes bound the environment a session may set:
	// variables, and bytes of one request (name and value).
	maxEnv, maxEnvBytes = 64, 1024
	// maxChannels is how many sessions one connection may have open at
	// once (a learner needs one).
	maxChannels = 4
)

// clamp is v within [lo, hi]; 0 stays 0: RFC 4254 §6.2 makes a zero
// dimension unknown (the app then lays out at its default, 80×24).
func clamp(v uint32, lo, hi uint32) uint32 {
	if v == 0 {
		return 0
	}
	return min(max(v, lo), hi)
}

// clampWindow clamps the columns and rows that start b (a window-change
// payload, or a pty request's after its TERM) in place; false when b is too
// short to hold them.
func clampWindow(b []byte) bool {
	if len(b) < 8 {
		return false
	}
	binary.BigEndian.PutUint32(b[0:4], clamp(binary.BigEndian.Uint32(b[0:4]), MinWidth, MaxWidth))
	binary.BigEndian.PutUint32(b[4:8], clamp(binary.BigEndian.Uint32(b[4:8]), MinHeight, MaxHeight))
	return true
}

// unknownSize reports a window change with a zero dimension, which
// RFC 4254 says to ignore.
func unknownSize(b []byte) bool {
	return binary.BigEndian.Uint32(b[0:4]) == 0 || binary.BigEndian.Uint32(b[4:8]) == 0
}

// requestFilter checks and clamps the requests on one session channel
// before the SSH library reads them (RFC 4254 §6.2–6.7). Window changes
// before the session starts are answered here, and only the last is passed
// on after the shell request: the library queues one size for the app, and
// would stop reading the channel's requests at a second.
type requestFilter struct {
	env     int    // environment variables accepted
	started bool   // the shell (or exec) request was passed on
	size    []byte // the last window change before the start, clamped
}

// pass decides on req: the requests to hand the library in its place (none
// when req is answered here).
func (f *requestFilter) pass(req *gossh.Request) []*gossh.Request {
	refuse := func() []*gossh.Request {
		if req.WantReply {
			req.Reply(false, nil)
		}
		return nil
	}
	switch req.Type {
	case "pty-req":
		if len(req.Payload) < 4 {
			return refuse()
		}
		n := binary.BigEndian.Uint32(req.Payload)
		if n > maxTerm || len(req.Payload) < 4+int(n)+8 {
			return refuse()
		}
		p := append([]byte(nil), req.Payload...)
		clampWindow(p[4+n:])
		req.Payload = p
	case "window-change":
		p := append([]byte(nil), req.Payload...)
		if !clampWindow(p) {
			return refuse()
		}
		req.Payload = p
		if unknownSize(p) { // ignored, as RFC 4254 says
			if req.WantReply {
				req.Reply(true, nil)
			}
			return nil
		}
		if !f.started {
			f.size = p
			if req.WantReply {
				req.Reply(true, nil)
			}
			return nil
		}
	case "env":
		if f.env >= maxEnv || len(req.Payload) > maxEnvBytes {
			return refuse()
		}
		f.env++
	case "shell", "exec": // the library starts the handler, which reads the sizes
		if !f.started && f.size != nil {
			f.started = true
			return []*gossh.Request{req, {Type: "window-change", Payload: f.size}}
		}
		f.started = true
	}
	return []*gossh.Request{req}
}

// boundedChannel is a session channel whose requests pass a requestFilter.
type boundedChannel struct{ gossh.NewChannel }

func (c boundedChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		var f requestFilter
		for req := range reqs {
			for _, r := range f.pass(req) {
				out <- r
			}
		}
	}()
	return ch, out, nil
}

// sessionChannel opens a session channel as the SSH library does, with its
// requests bounded and at most maxChannels of them open on a connection.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	if a := admissionOf(ctx); a != nil {
		if a.channels.Add(1) > maxChannels {
			a.channels.Add(-1)
			nc.Reject(gossh.ResourceShortage, fmt.Sprintf("at most %d sessions per connection", maxChannels))
			return
		}
		defer a.channels.Add(-1)
	}
	ssh.DefaultSessionHandler(srv, conn, boundedChannel{nc}, ctx)
}

// resizeEvery is the shortest time between two window sizes handed to a
// session's app: each one lays out and renders the screen anew.
const resizeEvery = 50 * time.Millisecond

// windowed is a session whose window changes are always read, as they come:
// the app gets the latest size, at most one every resizeEvery, so a flood
// of resizes neither stops the session's requests nor queues renders.
type windowed struct {
	ssh.Session
	sizes chan ssh.Window
}

// newWindowed starts reading sess's window changes; sess must have a pty.
// It reads until the library closes them, with the channel.
func newWindowed(sess ssh.Session) windowed {
	_, in, _ := sess.Pty()
	w := windowed{Session: sess, sizes: make(chan ssh.Window, 1)}
	go func() {
		var next *ssh.Window
		var wait <-chan time.Time // until the next size may go; nil: at once
		for {
			select {
			case win, ok := <-in:
				if !ok {
					return
				}
				if win.Width > 0 && win.Height > 0 { // zero: unknown (the pty request's)
					next = &win
				}
			case <-wait:
				wait = nil
			}
			if next != nil && wait == nil {
				select { // replace a size the app has not taken yet
				case <-w.sizes:
				default:
				}
				w.sizes <- *next
				next, wait = nil, time.After(resizeEvery)
			}
		}
	}()
	return w
}

func (w windowed) Pty() (ssh.Pty, <-chan ssh.Window, bool) {
	pty, _, ok := w.Session.Pty()
	return pty, w.sizes, ok
}
