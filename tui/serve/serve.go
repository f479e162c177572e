// Package serve serves nnlab to a workshop over SSH: every learner who
// connects gets the full app in their own terminal (their own size, colours
// and language), their progress and activity are kept in a store (package
// store: the server's own SQLite database, or a PostgreSQL database that
// several servers share), and instructors get a live view of the class
// instead.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui"
	"github.com/nnlab/nnlab/tui/store"
)

// Config is what `nnlab serve` is told.
type Config struct {
	Addr       string
	HostKey    string // path; generated (ed25519, mode 0600) when missing
	HostKeyPEM []byte // the key, when the caller has read it (ReadHostKey)
	DataDir    string // the SQLite database's folder (without DB or Store)
	// DB is a PostgreSQL database's URL (postgres://…) that several
	// servers share; Store, when set, is used instead of either (and not
	// closed by the server).
	DB             string
	Store          store.Store
	Library        *lessons.Library
	LoadErrors     int
	MaxSessions    int
	IdleTimeout    time.Duration // 0: none
	InstructorKeys []gossh.PublicKey
	QuizSeed       uint64 // 0: each learner's own
	Compute        int    // computations at once across the server (0: the number of CPUs)
	Log            io.Writer
	// OnKey, when set, hears how long the app took to handle each key and
	// compose its frame (a load test's measure).
	OnKey func(time.Duration)
	// LoginGrace is how long a connection may take to reach the app
	// (default DefaultLoginGrace); MaxPending caps the connections on their
	// way there (default: MaxSessions, at least 10).
	LoginGrace time.Duration
	MaxPending int
	// ShutdownGrace is how long clients see the shutdown notice before
	// their sessions close (default 1 s; the whole shutdown takes at most
	// 5 s).
	ShutdownGrace time.Duration
}

// Server is a running workshop server.
type Server struct {
	cfg      Config
	id       string // this server among those sharing a store
	store    store.Store
	ownStore bool // opened here: closed at the end
	feed     *store.Feed
	rec      *recorder
	ssh      *ssh.Server
	log      *log.Logger
	slots    tui.Slots
	sessions atomic.Int64
	closing  atomic.Bool // shutting down: sessions end with the notice
	mu       sync.Mutex
	programs map[*tea.Program]bool  // true for a learner's (who hears the instructor's notices)
	ends     map[ssh.Session]func() // what to do at each session's end (program)
	ln       net.Listener

	maxPending int
	pending    atomic.Int64 // connections not (or no longer) in the app
	admissions map[*admission]bool
}

// New opens the database and prepares the SSH server; Serve starts it.
func New(cfg Config) (*Server, error) {
	if cfg.MaxSessions < 1 {
		return nil, fmt.Errorf("serve: --max-sessions must be at least 1, got %d", cfg.MaxSessions)
	}
	if cfg.Compute < 1 {
		cfg.Compute = runtime.NumCPU()
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = time.Second
	}
	if cfg.LoginGrace <= 0 {
		cfg.LoginGrace = DefaultLoginGrace
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = max(cfg.MaxSessions, 10)
	}
	if cfg.HostKeyPEM == nil {
		pem, err := ReadHostKey(cfg.HostKey)
		if err != nil {
			return nil, err
		}
		cfg.HostKeyPEM = pem
	}
	st, own := cfg.Store, false
	if st == nil {
		var err error
		if cfg.DB != "" {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			st, err = store.OpenPostgres(ctx, cfg.DB)
			cancel()
		} else {
			st, err = store.OpenSQLite(cfg.DataDir)
		}
		if err != nil {
			return nil, err
		}
		own = true
	}
	s := &Server{cfg: cfg, id: serverID(), store: st, ownStore: own, feed: store.NewFeed(st), log: log.New(cfg.Log, "nnlab serve: ", log.LstdFlags), slots: tui.NewSlots(cfg.Compute),
		programs: map[*tea.Program]bool{}, ends: map[ssh.Session]func(){}, maxPending: cfg.MaxPending, admissions: map[*admission]bool{}}
	s.rec = newRecorder(st, s.log)
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Addr),
		wish.WithHostKeyPEM(cfg.HostKeyPEM),
		// Any key is welcome (it names the learner), and so is a client
		// without one, who types a name instead.
		wish.WithPublicKeyAuth(func(ssh.Context, ssh.PublicKey) bool { return true }),
		wish.WithKeyboardInteractiveAuth(func(ssh.Context, gossh.KeyboardInteractiveChallenge) bool { return true }),
		wish.WithMiddleware(
			bm.MiddlewareWithProgramHandler(s.program, termenv.Ascii),
			s.guard,
		),
	)
	if err != nil {
		s.rec.close()
		s.closeStore()
		return nil, fmt.Errorf("serve: %w", err)
	}
	// No shell, no exec, no forwarding, no subsystems (sftp): only the app.
	srv.LocalPortForwardingCallback = nil
	srv.ReversePortForwardingCallback = nil
	srv.SubsystemHandlers = nil
	// Every connection must reach the app within the login grace, and every
	// session's requests are bounded (bounds.go).
	srv.ConnCallback = s.admit
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
	s.ssh = srv
	return s, nil
}

// Listen binds the address (so that a caller knows the port before Serve).
func (s *Server) Listen() (net.Addr, error) {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("serve: cannot listen on %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	return ln.Addr(), nil
}

// Serve accepts learners until ctx ends, then shuts down gracefully: every
// client is told, every learner's progress saved, within 5 seconds.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		if _, err := s.Listen(); err != nil {
			return err
		}
	}
	done := make(chan error, 1)
	go func() { done <- s.ssh.Serve(s.ln) }()
	watchCtx, stopWatch := context.WithCancel(context.Background())
	watched := make(chan struct{})
	go func() { s.watch(watchCtx); close(watched) }()
	finish := func() error {
		stopWatch()
		<-watched
		// The sessions' ends (guard records them as their programs return),
		// then what the sessions did, written.
		for deadline := time.Now().Add(2 * time.Second); s.sessions.Load() > 0 && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		s.rec.close()
		return s.closeStore()
	}
	s.log.Printf("serving on %s (at most %d learners, %d computations at once)", s.ln.Addr(), s.cfg.MaxSessions, s.cfg.Compute)
	select {
	case err := <-done:
		finish()
		if errors.Is(err, ssh.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	s.shutdown()
	<-done
	return finish()
}

// closeStore closes the store if the server opened it.
func (s *Server) closeStore() error {
	if s.ownStore {
		return s.store.Close()
	}
	return nil
}

// shutdown tells every client, lets their apps save and quit, and closes
// the server, within 5 seconds in all.
func (s *Server) shutdown() {
	deadline := time.Now().Add(5 * time.Second)
	s.closing.Store(true)
	s.mu.Lock()
	progs := make([]*tea.Program, 0, len(s.programs))
	for p := range s.programs {
		progs = append(progs, p)
	}
	conns := make([]*admission, 0, len(s.admissions))
	for a := range s.admissions {
		conns = append(conns, a)
	}
	s.mu.Unlock()
	for _, a := range conns { // those not in the app have nothing to save
		a.closeIfPending()
	}
	for _, p := range progs {
		go p.Send(tui.NoticeMsg{ID: "server_closing"}) // not waiting on an app stuck writing to its client
	}
	if len(progs) > 0 {
		time.Sleep(min(s.cfg.ShutdownGrace, time.Until(deadline)/2))
	}
	for _, p := range progs {
		go p.Quit() // the app saves the learner's progress as it quits
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	if err := s.ssh.Shutdown(ctx); err != nil {
		s.ssh.Close()
	}
	s.log.Printf("shut down (%d sessions)", len(progs))
}

// guard turns away what is not a learner's terminal session, and learners
// over the limit, each with one line.
func (s *Server) guard(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if _, _, ok := sess.Pty(); ok {
			sess = newWindowed(sess) // its sizes are read from now on, whatever follows
		}
		switch {
		case sess.RawCommand() != "" || sess.Subsystem() != "":
			wish.Println(sess, "nnlab serves its notebook only: connect without a command, e.g. ssh -p PORT HOST")
			sess.Exit(1)
			return
		}
		if _, _, ok := sess.Pty(); !ok {
			wish.Println(sess, "nnlab needs a terminal: connect with ssh -t (a client with a pty)")
			sess.Exit(1)
			return
		}
		if n := s.sessions.Add(1); n > int64(s.cfg.MaxSessions) {
			s.sessions.Add(-1)
			wish.Printf(sess, "The room is full: %d learners are connected, the most this workshop takes. Please try again in a few minutes.\n", s.cfg.MaxSessions)
			sess.Exit(1)
			return
		}
		defer s.sessions.Add(-1)
		if a := admissionOf(sess.Context()); a != nil {
			a.enter()
			defer a.leave()
		}
		next(sess)
		s.mu.Lock()
		end := s.ends[sess]
		delete(s.ends, sess)
		s.mu.Unlock()
		if end != nil {
			end()
		}
		if s.closing.Load() { // left on the learner's screen after the app's
			wish.Println(sess, "\r\n"+tui.T("en", "server_closing")+"\r\n"+tui.T("ko", "server_closing"))
		}
	}
}

// program builds the app for one session.
func (s *Server) program(sess ssh.Session) *tea.Program {
	pty, _, _ := sess.Pty()
	vars := environ(append(sess.Environ(), "TERM="+pty.Term))
	lookup := vars.lookup
	key := sess.PublicKey()
	instructor := key != nil && s.isInstructor(key)
	// The background: the learner's own choice (T), else COLORFGBG if the
	// client sent it, else dark — never a question to the client's terminal
	// (tui.Background with no Ask).
	set := tui.Settings{Library: s.cfg.Library, LoadErrors: s.cfg.LoadErrors}
	in := newBoundedInput(sess) // what the client types, bounded (input.go)
	env := tui.Env{LookupEnv: lookup, In: in, Out: sess, Renderer: sessionRenderer(sess, pty, vars), Width: pty.Window.Width, Height: pty.Window.Height}
	lr := &learnerSession{srv: s, ctx: sess.Context()}
	switch {
	case instructor: // watches the class; is not a learner
	case key != nil:
		l, err := lr.loginByKey(gossh.FingerprintSHA256(key))
		if err != nil {
			s.log.Printf("%s: %v", sess.RemoteAddr(), err)
			wish.Println(sess, "nnlab could not open your progress; please tell the instructor.")
			return nil
		}
		env.Store = lr.store
		// A key's new owner is asked their name once; it is kept with the key.
		set.Rename, set.NameFirst, set.Name = lr.rename, !l.Named, l.Name
	default:
		set.AskName, set.Rename = lr.loginByName, lr.rename
	}
	o, err := tui.NewOptions(env, set)
	if err != nil {
		s.log.Printf("%s: %v", sess.RemoteAddr(), err)
		return nil
	}
	o.Compute, o.OneAtATime = s.slots, true
	o.Activity = lr.record
	if s.cfg.QuizSeed != 0 {
		o.QuizSeed = s.cfg.QuizSeed
	}
	if instructor {
		o.Room = room{s}
	}
	app := tui.New(o)
	m := &idleModel{Model: app, onKey: s.cfg.OnKey}
	m.last.Store(time.Now().UnixNano())
	opts := bm.MakeOptions(sess)
	if sess.EmulatedPty() {
		opts = append(opts, tea.WithInput(in))
	}
	p := tea.NewProgram(m, append(opts, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithFPS(120))...)
	s.mu.Lock()
	s.programs[p] = !instructor
	s.mu.Unlock()
	// At the session's end (its program's: guard calls it once the
	// program has returned, whether its learner quit or the connection
	// dropped): what the screens remember is saved, and the end recorded.
	s.mu.Lock()
	s.ends[sess] = func() {
		if !instructor {
			app.Leave() // the program has stopped: its model is ours to read
		}
		s.mu.Lock()
		delete(s.programs, p)
		s.mu.Unlock()
		lr.end()
	}
	s.mu.Unlock()
	if s.cfg.IdleTimeout > 0 {
		go s.watchIdle(sess, p, m)
	}
	return p
}

// sessionRenderer is the session's renderer: its colour profile from the
// client's TERM and COLORTERM. Unlike wish's MakeRenderer it never asks the
// terminal for its background, which blocks on a client that does not
// answer; the background comes from COLORFGBG, else dark.
func sessionRenderer(sess ssh.Session, pty ssh.Pty, vars environ) *lipgloss.Renderer {
	env := termenv.WithEnvironment(vars)
	if pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	}
	if pty.Slave != nil && !sess.EmulatedPty() {
		return lipgloss.NewRenderer(pty.Slave, env, termenv.WithColorCache(true))
	}
	return lipgloss.NewRenderer(sess, env, termenv.WithUnsafe(), termenv.WithColorCache(true))
}

// environ is a session's environment for termenv.
type environ []string

func (e environ) Environ() []string { return e }

// Getenv is termenv's view of the variables: NO_COLOR is left to the
// session (tui.NewOptions turns colour off and keeps bold and reverse video).
func (e environ) Getenv(k string) string {
	if k == "NO_COLOR" {
		return ""
	}
	v, _ := e.lookup(k)
	return v
}

// lookup is os.LookupEnv over the session's variables (the last one set
// wins).
func (e environ) lookup(k string) (string, bool) {
	for i := len(e) - 1; i >= 0; i-- {
		if name, v, ok := strings.Cut(e[i], "="); ok && name == k {
			return v, true
		}
	}
	return "", false
}

func (s *Server) isInstructor(k ssh.PublicKey) bool {
	for _, ik := range s.cfg.InstructorKeys {
		if ssh.KeysEqual(k, ik) {
			return true
		}
	}
	return false
}

// idleModel notes when its learner last pressed a key, and how long the
// app took to answer it.
type idleModel struct {
	tea.Model
	last  atomic.Int64 // unix ns
	onKey func(time.Duration)
}

func (m *idleModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	t0 := time.Now()
	_, cmd := m.Model.Update(msg)
	switch msg.(type) {
	case tea.KeyMsg, tea.MouseMsg:
		m.last.Store(t0.UnixNano())
		if m.onKey != nil {
			m.onKey(time.Since(t0))
		}
	}
	return m, cmd
}

// stuckQuit is how long an idle session's app may take to quit before its
// session is closed under it.
const stuckQuit = 5 * time.Second

// watchIdle warns a learner idle for the timeout less a minute, and closes
// the session at the timeout (progress is saved as the app quits).
func (s *Server) watchIdle(sess ssh.Session, p *tea.Program, m *idleModel) {
	timeout := s.cfg.IdleTimeout
	warnAt := max(timeout-time.Minute, timeout/2)
	tick := time.NewTicker(min(time.Second*5, timeout/10))
	defer tick.Stop()
	warned := false
	for {
		select {
		case <-sess.Context().Done():
			return
		case <-tick.C:
		}
		idle := time.Since(time.Unix(0, m.last.Load()))
		switch {
		case idle >= timeout:
			// The app quits (saving the learner's progress) unless it is
			// stuck writing to a client that reads nothing: then the
			// session is closed under it.
			go func() {
				p.Send(tui.NoticeMsg{ID: "idle_closed"})
				p.Quit()
			}()
			ended := make(chan struct{})
			go func() { p.Wait(); close(ended) }()
			select {
			case <-ended:
			case <-time.After(stuckQuit):
				s.log.Printf("%s: closed: the app did not quit within %v (its client reads nothing)", sess.RemoteAddr(), stuckQuit)
				p.Kill()
				sess.Close()
			}
			return
		case idle >= warnAt && !warned:
			warned = true
			go p.Send(tui.NoticeMsg{ID: "idle_warning", Args: []any{int((timeout - idle).Seconds())}})
		case idle < warnAt:
			warned = false
		}
	}
}
