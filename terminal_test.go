package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// The real binary in a pseudo-terminal that answers as a learner's terminal
// does — xterm (the background colour, then the cursor position), one that
// answers the cursor query only, and one that answers nothing — started as
// a learner starts it (TERM=xterm-256color, no --theme), then quit every
// way there is. tmux, where the other end-to-end tests run, sets its own
// TERM and answers for itself: it hid a hang at start in every such
// terminal.

// replies is how a terminal answers nnlab's questions.
type replies int

const (
	xtermReplies replies = iota // OSC 11 and the cursor report
	cursorOnly                  // the cursor report only
	silent                      // nothing
)

func (r replies) String() string {
	return [...]string{"xterm", "cursor-only", "silent"}[r]
}

// ptyRun is nnlab running in a pseudo-terminal.
type ptyRun struct {
	t       testing.TB
	cmd     *exec.Cmd
	master  *os.File
	tty     *os.File // kept open here, to read the terminal's modes after nnlab
	before  *unix.Termios
	started time.Time
	mu      sync.Mutex
	out     bytes.Buffer
	asked   int // background questions seen
	exited  chan error
}

var (
	binOnce sync.Map // build tags → the binary
	binMu   sync.Mutex
	binDir  string
)

// ptyBinary builds nnlab once per set of build tags.
func ptyBinary(t testing.TB, tags string) string {
	t.Helper()
	binMu.Lock()
	defer binMu.Unlock()
	if v, ok := binOnce.Load(tags); ok {
		return v.(string)
	}
	if binDir == "" {
		d, err := os.MkdirTemp("", "nnlab-pty-")
		if err != nil {
			t.Fatal(err)
		}
		binDir = d
	}
	bin := filepath.Join(binDir, "nnlab"+strings.ReplaceAll(tags, ",", "_"))
	args := []string{"build", "-o", bin}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	binOnce.Store(tags, bin)
	return bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// startPty starts bin with args in a cols×rows pseudo-terminal, env added
// to a minimal environment, answering as rep does.
func startPty(t testing.TB, bin string, cols, rows int, rep replies, env []string, args ...string) *ptyRun {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	if err := pty.Setsize(master, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
		t.Fatal(err)
	}
	before, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}, env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	r := &ptyRun{t: t, cmd: cmd, master: master, tty: tty, before: before, exited: make(chan error, 1)}
	r.started = time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.exited <- cmd.Wait() }()
	go r.read(rep)
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		master.Close()
		tty.Close()
	})
	return r
}

// read collects the output and answers the questions in it.
func (r *ptyRun) read(rep replies) {
	buf := make([]byte, 4096)
	next := map[string]int{} // where to look for each question next
	for {
		n, err := r.master.Read(buf)
		if n > 0 {
			r.mu.Lock()
			r.out.Write(buf[:n])
			all := r.out.String()
			r.mu.Unlock()
			for _, q := range []string{"\x1b]11;?", "\x1b[6n"} {
				for {
					i := strings.Index(all[next[q]:], q)
					if i < 0 {
						next[q] = max(next[q], len(all)-len(q)+1) // a question may straddle two reads
						break
					}
					next[q] += i + len(q)
					switch {
					case q == "\x1b]11;?":
						r.mu.Lock()
						r.asked++
						r.mu.Unlock()
						if rep == xtermReplies {
							r.master.WriteString("\x1b]11;rgb:ffff/ffff/ffff\x1b\\")
						}
					case rep != silent:
						r.master.WriteString("\x1b[24;80R")
					}
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// screen is the text drawn so far, escape codes stripped.
func (r *ptyRun) screen() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return ansi.Strip(r.out.String())
}

func (r *ptyRun) raw() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.String()
}

// waitFor waits until the screen shows what, and returns how long it took
// from the start. A generous deadline: it fails only a hang.
func (r *ptyRun) waitFor(what string) time.Duration {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(r.screen(), what) {
		if time.Now().After(deadline) {
			r.t.Fatalf("%q never drawn; the terminal shows:\n%q", what, r.raw())
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(r.started)
}

// exit waits for nnlab to end and checks that it left the terminal as it
// found it: the same modes (echo, canonical input …), the main screen, the
// cursor shown.
func (r *ptyRun) exit(how string) {
	r.t.Helper()
	select {
	case <-r.exited:
	case <-time.After(20 * time.Second):
		r.t.Fatalf("%s: nnlab did not end", how)
	}
	time.Sleep(50 * time.Millisecond) // the last output reaches the reader
	after, err := unix.IoctlGetTermios(int(r.tty.Fd()), unix.TCGETS)
	if err != nil {
		r.t.Fatal(err)
	}
	if after.Lflag != r.before.Lflag || after.Iflag != r.before.Iflag || after.Oflag != r.before.Oflag || after.Cflag != r.before.Cflag {
		r.t.Errorf("%s: the terminal's modes changed: lflag %#x → %#x, iflag %#x → %#x, oflag %#x → %#x", how,
			r.before.Lflag, after.Lflag, r.before.Iflag, after.Iflag, r.before.Oflag, after.Oflag)
	}
	raw := r.raw()
	if strings.Contains(raw, "\x1b[?1049h") {
		if i, j := strings.LastIndex(raw, "\x1b[?1049l"), strings.LastIndex(raw, "\x1b[?1049h"); i < j {
			r.t.Errorf("%s: left on the alternate screen", how)
		}
	}
	if i, j := strings.LastIndex(raw, "\x1b[?25h"), strings.LastIndex(raw, "\x1b[?25l"); j >= 0 && i < j {
		r.t.Errorf("%s: the cursor was left hidden", how)
	}
	if strings.Contains(raw, "11;rgb") {
		r.t.Errorf("%s: the terminal's answer was echoed on the screen", how)
	}
}

func (r *ptyRun) keys(s string) {
	if _, err := r.master.WriteString(s); err != nil {
		r.t.Fatal(err)
	}
}

// TestStartsInEveryTerminal: xterm, a terminal answering the cursor query
// only, and a silent one each draw the lesson list and quit on q; a silent
// terminal is remembered and not asked again.
func TestStartsInEveryTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	bin := ptyBinary(t, "")
	for _, rep := range []replies{xtermReplies, cursorOnly, silent} {
		t.Run(rep.String(), func(t *testing.T) {
			t.Parallel()
			state := t.TempDir()
			r := startPty(t, bin, 80, 24, rep, []string{"TERM=xterm-256color", "LANG=en_US.UTF-8"}, "--state-dir", state)
			took := r.waitFor("Quiz practice")
			t.Logf("%s: the lesson list in %v", rep, took.Round(time.Millisecond))
			r.keys("q")
			r.exit("q")
			if r.asked != 1 {
				t.Errorf("asked the background %d times, want once", r.asked)
			}
			// Again: xterm is asked again (its colours may have changed), a
			// terminal that did not tell is not.
			again := startPty(t, bin, 80, 24, rep, []string{"TERM=xterm-256color", "LANG=en_US.UTF-8"}, "--state-dir", state)
			took = again.waitFor("Quiz practice")
			t.Logf("%s, second start: the lesson list in %v", rep, took.Round(time.Millisecond))
			again.keys("q")
			again.exit("q, second start")
			want := 0
			if rep == xtermReplies {
				want = 1
			}
			if again.asked != want {
				t.Errorf("second start asked %d times, want %d", again.asked, want)
			}
		})
	}
}

// TestLightBackgroundFromTheReply: a terminal that says its background is
// white gets the light theme (the header's light tint).
func TestLightBackgroundFromTheReply(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	r := startPty(t, ptyBinary(t, ""), 80, 24, xtermReplies, []string{"TERM=xterm-256color", "COLORTERM=truecolor"}, "--state-dir", t.TempDir())
	r.waitFor("Quiz practice")
	r.keys("q")
	r.exit("q")
	if !strings.Contains(r.raw(), "48;2;208;224;245") { // the light header's background, #d0e0f5
		t.Errorf("a white terminal did not get the light theme")
	}
}

// TestQuitLeavesTheTerminal: ctrl+c, SIGTERM, SIGHUP and a panic each leave
// the terminal as it was.
func TestQuitLeavesTheTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	cases := []struct {
		name string
		tags string
		quit func(r *ptyRun)
	}{
		{"ctrl+c", "", func(r *ptyRun) { r.keys("\x03") }},
		{"SIGTERM", "", func(r *ptyRun) { r.cmd.Process.Signal(syscall.SIGTERM) }},
		{"SIGHUP", "", func(r *ptyRun) { r.cmd.Process.Signal(syscall.SIGHUP) }},
		{"panic", "nnlab_panickey", func(r *ptyRun) { r.keys("\x14") }}, // ctrl+t panics in this build
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := startPty(t, ptyBinary(t, c.tags), 80, 24, xtermReplies, []string{"TERM=xterm-256color"}, "--state-dir", t.TempDir(), "open", "momentum")
			r.waitFor("Gradient momentum")
			c.quit(r)
			r.exit(c.name)
			if c.name == "panic" && !strings.Contains(r.raw(), "the test's panic key") {
				t.Errorf("the panic key did not panic")
			}
		})
	}
}

// TestTerminalsLearnersHave: the console, screen, a dumb terminal, 16
// colours, truecolor, NO_COLOR, no locale, and a window below the minimum
// size each start, draw and quit.
func TestTerminalsLearnersHave(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	bin := ptyBinary(t, "")
	cases := []struct {
		name       string
		env        []string
		cols, rows int
		want       string
		asked      int
	}{
		{"linux console", []string{"TERM=linux"}, 80, 24, "Quiz practice", 0},
		{"screen", []string{"TERM=screen"}, 80, 24, "Quiz practice", 0},
		{"dumb", []string{"TERM=dumb"}, 80, 24, "Quiz practice", 0},
		{"xterm, 16 colours", []string{"TERM=xterm"}, 80, 24, "Quiz practice", 1},
		{"truecolor", []string{"TERM=xterm-256color", "COLORTERM=truecolor"}, 80, 24, "Quiz practice", 1},
		{"NO_COLOR", []string{"TERM=xterm-256color", "NO_COLOR=1"}, 80, 24, "Quiz practice", 1},
		{"COLORFGBG", []string{"TERM=xterm-256color", "COLORFGBG=0;15"}, 80, 24, "Quiz practice", 0},
		{"no LANG", []string{"TERM=xterm-256color"}, 80, 24, "Quiz practice", 1},
		{"LANG=C", []string{"TERM=xterm-256color", "LANG=C"}, 80, 24, "Quiz practice", 1},
		{"Korean", []string{"TERM=xterm-256color", "LANG=ko_KR.UTF-8"}, 80, 24, "퀴즈", 1},
		{"too narrow", []string{"TERM=xterm-256color"}, 40, 12, "too small", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := startPty(t, bin, c.cols, c.rows, xtermReplies, c.env, "--state-dir", t.TempDir())
			took := r.waitFor(c.want)
			t.Logf("%s: drawn in %v", c.name, took.Round(time.Millisecond))
			r.keys("q")
			r.exit(c.name)
			if r.asked != c.asked {
				t.Errorf("asked the background %d times, want %d", r.asked, c.asked)
			}
		})
	}
}

// BenchmarkFirstFrame times the start to the lesson list, as the learner
// sees it, in each kind of terminal; the second start of a silent one is
// not asked (remembered). Reported per start: the time to the first frame
// (first-frame-ms) and the process's CPU time to its exit (cpu-ms).
//
//	go test -run '^$' -bench FirstFrame -benchtime 10x .
func BenchmarkFirstFrame(b *testing.B) {
	bin := ptyBinary(b, "")
	for _, c := range []struct {
		name     string
		rep      replies
		remember bool
	}{{"xterm", xtermReplies, false}, {"cursor-only", cursorOnly, false}, {"silent", silent, false}, {"silent-remembered", silent, true}} {
		b.Run(c.name, func(b *testing.B) {
			var frame, cpu time.Duration
			state := b.TempDir()
			for i := 0; i < b.N; i++ {
				if !c.remember {
					os.RemoveAll(filepath.Join(state, "state.json"))
				} else if i == 0 {
					b.StopTimer()
					first := startPty(b, bin, 80, 24, c.rep, []string{"TERM=xterm-256color"}, "--state-dir", state)
					first.waitFor("Quiz practice")
					first.keys("q")
					<-first.exited
					b.StartTimer()
				}
				r := startPty(b, bin, 80, 24, c.rep, []string{"TERM=xterm-256color"}, "--state-dir", state)
				frame += r.waitFor("Quiz practice")
				r.keys("q")
				<-r.exited
				if ps := r.cmd.ProcessState; ps != nil {
					cpu += ps.UserTime() + ps.SystemTime()
				}
				r.master.Close()
				r.tty.Close()
			}
			b.ReportMetric(float64(frame.Microseconds())/1000/float64(b.N), "first-frame-ms")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms")
		})
	}
}

// TestNoQueryAtInit: a command that opens no screen asks the terminal
// nothing — Bubble Tea v1's init would, and wait five seconds for a silent
// terminal (see tui/earlyinit).
func TestNoQueryAtInit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	bin := ptyBinary(t, "")
	for _, args := range [][]string{{"--version"}, {"lessons"}} {
		r := startPty(t, bin, 80, 24, silent, []string{"TERM=xterm-256color"}, args...)
		select {
		case <-r.exited:
		case <-time.After(20 * time.Second):
			t.Fatalf("nnlab %v did not end", args)
		}
		took := time.Since(r.started)
		time.Sleep(50 * time.Millisecond)
		if r.asked != 0 || strings.Contains(r.raw(), "\x1b[6n") {
			t.Errorf("nnlab %v asked the terminal (%d background questions) before doing its work:\n%q", args, r.asked, r.raw())
		}
		t.Logf("nnlab %v in a silent terminal: %v", args, took.Round(time.Millisecond))
	}
}
