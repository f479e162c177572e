package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/internal/untrusted"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/serve"
	"github.com/nnlab/nnlab/tui/store"
)

func serveCmd() command {
	cfg := serve.Config{Addr: "127.0.0.1:23234", DataDir: "nnlab-workshop", MaxSessions: 60, IdleTimeout: 45 * time.Minute}
	var lessonsDir, instructorKeys string
	return command{
		name: "serve",
		summary: "Serve nnlab to a workshop over SSH. Each learner runs `ssh -p PORT HOST` and gets the notebook,\n" +
			"their progress kept in one database; instructors' keys open a live view of the class.",
		flags: []flagSpec{
			checkedFlag(&cfg.Addr, "addr", "HOST:PORT", "where to listen (default 127.0.0.1:23234; 0.0.0.0:23234 for a room)", "must be HOST:PORT, e.g. 0.0.0.0:23234",
				func(s string) (string, bool) { _, port, err := splitHostPort(s); return s, err == nil && port != "" }),
			textFlag(&cfg.DataDir, "data", "DIR", "the workshop's database and host key (default ./nnlab-workshop)"),
			postgresFlag(&cfg.DB, "keep the workshop in PostgreSQL (postgres://USER@HOST/DB), which several servers share, instead of DIR's SQLite"),
			textFlag(&cfg.HostKey, "host-key", "PATH", "the server's SSH host key, made on first start (default DATA/host_ed25519)"),
			textFlag(&lessonsDir, "lessons", "DIR", "also serve the lessons in DIR"),
			wholeFlag(&cfg.MaxSessions, "max-sessions", "N", "at most N learners at once (default 60)", 1, 10000, ""),
			durationFlag(&cfg.IdleTimeout, "idle-timeout", "close a session idle this long, warning a minute before (default 45m; 0 never)",
				"must be a duration of at least 2m (e.g. 30m, 1h) or 0 for never", func(d time.Duration) bool { return d == 0 || d >= 2*time.Minute }),
			durationFlag(&cfg.LoginGrace, "login-grace", "close a connection that has not opened the app this long after connecting (default 30s)",
				"must be a duration from 1s to 10m (e.g. 30s, 2m)", func(d time.Duration) bool { return d >= time.Second && d <= 10*time.Minute }),
			textFlag(&instructorKeys, "instructor-key", "PATH[,PATH…]", "public keys (authorized_keys format) that open the instructor's view"),
			seedFlag(&cfg.QuizSeed, "quiz-seed", "give the whole room the same practice quiz", 1),
			wholeFlag(&cfg.Compute, "compute", "N", "computations at once across the server (default: the number of CPUs)", 1, 1024, ""),
		},
		run: func(env *Env, p call) error { return runServe(env, p, cfg, lessonsDir, instructorKeys) },
	}
}

// postgresFlag declares --db, a PostgreSQL URL.
func postgresFlag(to *string, help string) flagSpec {
	return checkedFlag(to, "db", "URL", help, "must be a PostgreSQL URL, postgres://USER@HOST:PORT/DB",
		func(s string) (string, bool) { return s, store.IsPostgresURL(s) })
}

// runServe serves the workshop cfg describes, with the lessons in
// lessonsDir and the instructors' keys in the files of instructorKeys.
func runServe(env *Env, p call, cfg serve.Config, lessonsDir, instructorKeys string) error {
	if len(p.pos) > 0 {
		return usagef("serve: takes no arguments, got %s", experiment.Echo(p.pos[0]))
	}
	cfg.Log = env.Stderr
	if !p.given("host-key") {
		cfg.HostKey = filepath.Join(cfg.DataDir, "host_ed25519")
	}
	var err error
	if p.given("instructor-key") {
		for _, path := range strings.Split(instructorKeys, ",") {
			keys, err := readKeys(path)
			if err != nil {
				return usageError{"serve: --instructor-key: " + err.Error()}
			}
			cfg.InstructorKeys = append(cfg.InstructorKeys, keys...)
		}
	}
	// The host key is read (or made) now, so that a bad one is a line
	// about the flag, before the lessons load.
	if cfg.HostKeyPEM, err = serve.ReadHostKey(cfg.HostKey); err != nil {
		return usageError{"serve: --host-key: " + strings.TrimPrefix(err.Error(), "serve: ")}
	}
	lib, lerr := lessons.Load(env.Experiments, lessonsDir)
	var el lessons.ErrorList
	if errors.As(lerr, &el) {
		cfg.LoadErrors = len(el)
		for _, e := range el {
			fmt.Fprintln(env.Stderr, e.Error())
		}
	}
	cfg.Library = lib
	s, err := serve.New(cfg)
	if errors.Is(err, store.ErrNotWorkshop) {
		flag := "--data"
		if cfg.DB != "" {
			flag = "--db"
		}
		return usageError{"serve: " + flag + ": " + strings.TrimPrefix(err.Error(), "store: ")}
	}
	if err != nil && cfg.DB != "" {
		return errors.New("serve: --db: " + strings.TrimPrefix(err.Error(), "store: "))
	}
	if err != nil {
		return err
	}
	addr, err := s.Listen()
	if err != nil {
		return err
	}
	where := "data in " + cfg.DataDir
	if cfg.DB != "" {
		where = "progress in PostgreSQL"
	}
	fmt.Fprintf(env.Stderr, "nnlab serve: learners connect with: ssh -p %d HOST (listening on %s; %s)\n", portOf(addr.String()), addr, where)
	return s.Serve(env.Ctx)
}

func splitHostPort(s string) (host, port string, err error) {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return "", "", fmt.Errorf("no port")
	}
	if _, err := strconv.ParseUint(s[i+1:], 10, 16); err != nil {
		return "", "", err
	}
	return s[:i], s[i+1:], nil
}

func portOf(addr string) int {
	_, p, _ := splitHostPort(addr)
	n, _ := strconv.Atoi(p)
	return n
}

// readKeys reads the public keys in an authorized_keys-style file: a
// regular file of at most serve.MaxKeyFile bytes.
func readKeys(path string) ([]gossh.PublicKey, error) {
	b, err := untrusted.ReadRegular(path, serve.MaxKeyFile)
	if err != nil {
		return nil, fmt.Errorf("cannot read %q: %w", path, err)
	}
	var keys []gossh.PublicKey
	for rest := b; len(rest) > 0; {
		var k gossh.PublicKey
		k, _, _, rest, err = gossh.ParseAuthorizedKey(rest)
		if err != nil {
			break
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%q holds no public key (want lines like ssh-ed25519 AAAA… comment)", path)
	}
	return keys, nil
}
