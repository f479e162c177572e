package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/lessons/lessonstest"
)

// TestTmuxEndToEnd drives the real binary in tmux as a learner would: open
// the momentum lesson, raise the learning rate, rerun, and read the changed
// result off the screen.
func TestTmuxEndToEnd(t *testing.T) {
	dir, bin, tmux := tmuxBench(t)
	cmd := "NO_COLOR=1 " + bin + " open momentum --lang en --theme dark --state-dir " + filepath.Join(dir, "state")
	tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "e2e", cmd)
	screen := func() string { return tmux("capture-pane", "-p", "-t", "e2e") }
	waitFor := func(what string, ok func(string) bool) string {
		deadline := time.Now().Add(60 * time.Second) // generous: CI machines are busy
		for {
			s := screen()
			if ok(s) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; screen:\n%s", what, s)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	lrRe := regexp.MustCompile(`lr = ([0-9.e+-]+)`)
	waitFor("the lesson", func(s string) bool { return strings.Contains(s, "Gradient momentum") })
	tmux("send-keys", "-t", "e2e", "Tab") // to the first cell
	s := waitFor("the first cell to run", func(s string) bool { return strings.Contains(s, "ran in") && lrRe.MatchString(s) })
	before := lrRe.FindStringSubmatch(s)[1]
	// lr is the first cell's first parameter, selected on focus: raise it, rerun.
	tmux("send-keys", "-t", "e2e", "+")
	tmux("send-keys", "-t", "e2e", "Enter")
	after := waitFor("the raised learning rate", func(s string) bool {
		m := lrRe.FindStringSubmatch(s)
		return m != nil && m[1] != before && strings.Contains(s, "ran in")
	})
	if !strings.Contains(after, "*") {
		t.Errorf("a changed value should be marked with *:\n%s", after)
	}
	tmux("send-keys", "-t", "e2e", "q")
	time.Sleep(300 * time.Millisecond)
	if b, err := os.ReadFile(filepath.Join(dir, "state", "state.json")); err != nil || !strings.Contains(string(b), `"lr"`) {
		t.Errorf("the changed lr was not remembered: %v\n%s", err, b)
	}
}

// buildBinary builds nnlab into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "nnlab")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// bashCompletion is Debian's bash-completion, which cobra's bash script
// needs (.ci/run installs it).
const bashCompletion = "/usr/share/bash-completion/bash_completion"

// TestBashCompletion sources `nnlab completion bash` in a real bash and asks
// it, as the shell does on tab, for commands, lesson ids, experiment names
// and an experiment's parameters.
func TestBashCompletion(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	if _, err := os.Stat(bashCompletion); err != nil {
		t.Skip("bash-completion is not installed")
	}
	dir := t.TempDir()
	buildBinary(t, dir)
	script := `source ` + bashCompletion + `; source <(nnlab completion bash)
complete -p nnlab
while IFS= read -r line; do
	COMP_LINE="$line"; read -ra COMP_WORDS <<< "$line"
	[[ "$line" == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMP_POINT=${#COMP_LINE}; COMPREPLY=()
	__start_nnlab 2>/dev/null
	echo "$line|${COMPREPLY[*]}"
done`
	cmd := exec.Command("bash", "-c", script)
	cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Stdin = strings.NewReader("nnlab \nnnlab open m\nnnlab run \nnnlab run optimize l\nnnlab run optimize lr=1 optimizer\nnnlab summary resnet1\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if k, v, ok := strings.Cut(l, "|"); ok {
			got[k] = v
		}
	}
	if !strings.Contains(string(out), "complete -o default -F __start_nnlab nnlab") {
		t.Errorf("complete -p does not show nnlab's completion:\n%s", out)
	}
	for line, want := range map[string][]string{
		"nnlab ":                            {"open", "run", "render", "check", "completion"},
		"nnlab open m":                      {"momentum"},
		"nnlab run ":                        {"optimize", "conv", "residual"},
		"nnlab run optimize l":              {"lr="},
		"nnlab run optimize lr=1 optimizer": {"optimizers="},
		"nnlab summary resnet1":             {"resnet18", "resnet101", "resnet152"},
	} {
		words := strings.Fields(got[line])
		for _, w := range want {
			if !slices.Contains(words, w) {
				t.Errorf("completing %q: got %q, want %q among them", line, got[line], w)
			}
		}
	}
	if strings.Contains(got["nnlab run optimize lr=1 optimizer"], "lr=") {
		t.Errorf("a parameter already given is offered again: %q", got["nnlab run optimize lr=1 optimizer"])
	}
}

// TestServeOverRealSSH serves a workshop with the real binary and drives
// OpenSSH's client in tmux (ssh -tt, a generated key) through opening a
// lesson, rerunning a cell and answering a quiz question; then `nnlab
// report --json` shows what the learner did.
func TestServeOverRealSSH(t *testing.T) {
	for _, tool := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " is not installed")
		}
	}
	dir, bin, tmux := tmuxBench(t)
	key := filepath.Join(dir, "learner")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	data := filepath.Join(dir, "data")
	srv := exec.Command(bin, "serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--data", data)
	var srvLog strings.Builder
	srv.Stderr = &srvLog
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() })
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			break
		}
		if i > 100 {
			t.Fatalf("the server did not start:\n%s", srvLog.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	ssh := fmt.Sprintf("ssh -tt -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o IdentitiesOnly=yes -i %s -p %d learner@127.0.0.1", key, port)
	tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "ws", ssh)
	waitFor := func(what string) string {
		deadline := time.Now().Add(60 * time.Second)
		for {
			s := tmux("capture-pane", "-p", "-t", "ws")
			if strings.Contains(s, what) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %q; screen:\n%s\nserver:\n%s", what, s, srvLog.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// A key's new owner is asked their name, once.
	waitFor("nnlab knows you by your SSH key")
	tmux("send-keys", "-t", "ws", "-l", "Ji-woo Kim")
	tmux("send-keys", "-t", "ws", "Enter")
	waitFor("Gradient momentum")
	waitFor("Ji-woo Kim")
	tmux("send-keys", "-t", "ws", "Enter")
	waitFor("nnlab · Welcome to nnlab")
	tmux("send-keys", "-t", "ws", "Tab")
	waitFor("▸k = 7")
	tmux("send-keys", "-t", "ws", "Enter") // the cell asks for a prediction first: an empty one runs it
	waitFor("enter runs the cell")
	tmux("send-keys", "-t", "ws", "Enter")
	waitFor("ran without a prediction")
	tmux("send-keys", "-t", "ws", "+") // the cell reruns at once
	waitFor("▸k = 8*")
	waitFor("not yet")
	tmux("send-keys", "-t", "ws", "Escape")
	time.Sleep(300 * time.Millisecond)
	tmux("send-keys", "-t", "ws", "z")
	waitFor("Question 1 of 10")
	tmux("send-keys", "-t", "ws", "12", "Enter")
	waitFor("the answer is")
	var rep []map[string]any
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := exec.Command(bin, "report", "--data", data, "--json").Output()
		if err != nil {
			t.Fatalf("nnlab report: %v", err)
		}
		rep = nil
		json.Unmarshal(out, &rep)
		if len(rep) == 1 && rep[0]["quiz_answered"] == 1.0 && rep[0]["exercise_attempts"] == 1.0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the report does not show the learner's work: %s", out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if rep[0]["name"] != "Ji-woo Kim" || !strings.Contains(fmt.Sprint(rep[0]["lessons_visited"]), "welcome") {
		t.Errorf("report: %v", rep[0])
	}
	// The same key again: not asked, back in the lesson it left.
	tmux("send-keys", "-t", "ws", "q")
	time.Sleep(500 * time.Millisecond)
	tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "back", ssh)
	screenOf := func(name string) func(string) string {
		return func(what string) string {
			deadline := time.Now().Add(60 * time.Second)
			for {
				s := tmux("capture-pane", "-p", "-t", name)
				if strings.Contains(s, what) {
					return s
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: timed out waiting for %q; screen:\n%s\nserver:\n%s", name, what, s, srvLog.String())
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
	if s := screenOf("back")("nnlab · Welcome to nnlab"); strings.Contains(s, "SSH key") {
		t.Errorf("a named key's owner was asked again:\n%s", s)
	}
	// Without a key: a name, then the same name in another case and
	// spacing finds the same learner, who continues where they left off.
	keyless := fmt.Sprintf("ssh -tt -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no -o PreferredAuthentications=keyboard-interactive -p %d guest@127.0.0.1", port)
	tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "guest1", keyless)
	screenOf("guest1")("without an SSH key")
	tmux("send-keys", "-t", "guest1", "-l", "Mina Park")
	tmux("send-keys", "-t", "guest1", "Enter")
	screenOf("guest1")("Gradient momentum")
	tmux("send-keys", "-t", "guest1", "j", "Enter")
	screenOf("guest1")("nnlab · Gradient momentum")
	tmux("send-keys", "-t", "guest1", "q")
	time.Sleep(500 * time.Millisecond)
	tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "guest2", keyless)
	screenOf("guest2")("without an SSH key")
	tmux("send-keys", "-t", "guest2", "-l", "  mina   PARK ")
	tmux("send-keys", "-t", "guest2", "Enter")
	screenOf("guest2")("Continuing as Mina Park.")
	screenOf("guest2")("nnlab · Gradient momentum")
	out, err := exec.Command(bin, "report", "--data", data, "--json").Output()
	if n := strings.Count(string(out), `"name"`); err != nil || n != 2 {
		t.Errorf("after two learners the report has %d: %v %s", n, err, out)
	}
	// kill -9: what was saved survives (each change was its own transaction).
	srv.Process.Kill()
	srv.Wait()
	out, err = exec.Command(bin, "report", "--data", data, "--json").Output()
	if err != nil || !strings.Contains(string(out), `"quiz_answered":1`) {
		t.Errorf("after kill -9 the report lost the learner's work: %v %s", err, out)
	}
}

// TestSoak is the soak test — a separate command, not part of the suite:
// NNLAB_SOAK_SECONDS=120 go test -run TestSoak -v . Random keys and
// resizes go to the real binary in tmux over every lesson; the process must
// stay alive and no line may be wider than the window.
func TestSoak(t *testing.T) {
	secs, _ := strconv.Atoi(os.Getenv("NNLAB_SOAK_SECONDS"))
	if secs <= 0 {
		t.Skip("set NNLAB_SOAK_SECONDS to run the soak test")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	sock := filepath.Join(dir, "tmux.sock")
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-S", sock}, args...)...).CombinedOutput()
		return string(out), err
	}
	if out, err := tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "soak", bin+" --state-dir "+filepath.Join(dir, "state")); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "-S", sock, "kill-server").Run() })
	keysPool := []string{"j", "k", "Tab", "BTab", "+", "-", "Left", "Right", "Enter", "Escape", "g", "G", "PgDn", "PgUp",
		"p", "P", "x", "L", "?", "z", "1", "2", "e", "R", "H", "S", "N", "Space", "h", "l"}
	sizes := [][2]int{{80, 24}, {60, 16}, {160, 48}, {100, 30}, {59, 15}, {120, 40}}
	r := rand.New(rand.NewPCG(1, 2))
	deadline := time.Now().Add(time.Duration(secs) * time.Second)
	w, h, n, worst := 100, 30, 0, time.Duration(0)
	for time.Now().Before(deadline) {
		if r.IntN(40) == 0 {
			s := sizes[r.IntN(len(sizes))]
			w, h = s[0], s[1]
			tmux("resize-window", "-t", "soak", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h))
		} else {
			k := keysPool[r.IntN(len(keysPool))]
			if k == "q" {
				continue
			}
			tmux("send-keys", "-t", "soak", k)
			n++
		}
		time.Sleep(time.Duration(5+r.IntN(30)) * time.Millisecond)
		if r.IntN(20) != 0 {
			continue
		}
		t0 := time.Now()
		screen, err := tmux("capture-pane", "-p", "-t", "soak")
		if d := time.Since(t0); d > worst {
			worst = d
		}
		if err != nil {
			t.Fatalf("the session is gone after %d keys: %v %s", n, err, screen)
		}
		if out, _ := tmux("list-panes", "-t", "soak", "-F", "#{pane_dead} #{pane_current_command}"); strings.HasPrefix(out, "1") {
			t.Fatalf("nnlab exited after %d keys:\n%s", n, screen)
		}
		for i, line := range strings.Split(strings.TrimRight(screen, "\n"), "\n") {
			if lw := ansi.StringWidth(line); lw > w {
				t.Fatalf("line %d is %d wide in a %d-column window:\n%s", i, lw, w, screen)
			}
		}
	}
	t.Logf("%d random keys and resizes over %d s: nnlab stayed alive, no line wider than its window", n, secs)
}

// TestLearnerPath is the learner's path through every lesson, in tmux at
// 80×24 with the real binary: in each lesson, every exercise that its keys
// can reach is passed by pressing them — tab to the cell, ←/→ to the value,
// +/− as often as a search over those keys found — and the header's count
// of passed exercises goes up each time. Exercises whose hints say "press
// e" and training cells are covered by their own tests. Skipped with -short.
func TestLearnerPath(t *testing.T) {
	dir, bin, tmux := tmuxBench(t)
	lib, err := lessons.Load(experiments.Registry(), "")
	if err != nil {
		t.Fatal(err)
	}
	passedTotal := 0
	for _, lang := range lessons.Languages {
		word := map[string]string{"en": "exercises", "ko": "연습"}[lang]
		for _, l := range lib.List(lang) {
			passedTotal += learnerLesson(t, tmux, bin, filepath.Join(dir, "state-"+lang), l, word)
		}
	}
	if passedTotal == 0 {
		t.Error("no exercise passed along the path")
	}
	t.Logf("%d exercises passed with their keys over %d lessons in %d languages at 80×24 (the others: typed values, training cells, quizzes)", passedTotal, len(lib.List("en")), len(lessons.Languages))
}

// learnerLesson passes, in lesson l, every prediction of a quick cell (by
// typing the value the run gives) and every exercise its keys can reach,
// and returns how many it passed.
func learnerLesson(t *testing.T, tmux func(...string) string, bin, stateDir string, l *lessons.Lesson, word string) int {
	name := l.Lang + "-" + l.ID
	cmd := "NO_COLOR=1 " + bin + " open " + l.ID + " --lang " + l.Lang + " --state-dir " + stateDir
	tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", name, cmd)
	screen := func() string { return tmux("capture-pane", "-p", "-t", name) }
	waitFor := func(what string) {
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(screen(), what) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: timed out waiting for %q:\n%s", name, what, screen())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	total := l.Exercises()
	passed := 0
	waitFor(fmt.Sprintf("%s %d/%d", word, passed, total))
	for i, c := range l.Cells() {
		if c.Predict != nil && c.Experiment.Heavy == nil {
			r, err := c.Experiment.Execute(context.Background(), c.Params, nil)
			if err != nil {
				t.Fatal(err)
			}
			s, _ := r.Scalar(c.Predict.Key)
			tmux("send-keys", "-t", name, "g")
			for range i + 1 {
				tmux("send-keys", "-t", name, "Tab")
			}
			tmux("send-keys", "-t", name, "Enter") // the prediction's field
			tmux("send-keys", "-t", name, "-l", strconv.FormatFloat(s.Value, 'g', -1, 64))
			tmux("send-keys", "-t", name, "Enter")
			passed++
			waitFor(fmt.Sprintf("%s %d/%d", word, passed, total))
		}
		if c.Exercise == nil || c.Experiment.Heavy != nil || lessonstest.Typed(c.Exercise) {
			continue
		}
		presses, ok := lessonstest.Solve(context.Background(), c, 10, 20000)
		if !ok {
			t.Errorf("%s: exercise %s has no key path", name, c.ID)
			continue
		}
		// Focus cell i: from the top, the first tab takes the first cell.
		tmux("send-keys", "-t", name, "g")
		for range i + 1 {
			tmux("send-keys", "-t", name, "Tab")
		}
		sel := 0
		for _, p := range presses {
			for ; sel != p.Param; sel = (sel + 1) % len(c.Tweak) {
				tmux("send-keys", "-t", name, "Right")
			}
			tmux("send-keys", "-t", name, map[int]string{1: "+", -1: "-"}[p.Dir])
			time.Sleep(30 * time.Millisecond) // each change reruns the cell
		}
		passed++
		waitFor(fmt.Sprintf("%s %d/%d", word, passed, total))
	}
	tmux("send-keys", "-t", name, "q")
	// Wait for nnlab to end (its final save) before the next lesson, and
	// before the test's cleanup removes the state folder.
	for deadline := time.Now().Add(10 * time.Second); tmux("?has-session", "-t", name) != "" && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	return passed
}

// tmuxBench skips without tmux or in -short mode; otherwise it builds the
// binary into a temporary dir and returns the dir, the binary and a tmux
// on its own socket, killed when the test ends. A command written with a
// leading "?" ("?has-session") may fail: it returns "" then, and "ok"
// when it succeeds without output.
func tmuxBench(t *testing.T) (dir, bin string, tmux func(args ...string) string) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	dir = t.TempDir()
	bin = buildBinary(t, dir)
	sock := filepath.Join(dir, "tmux.sock")
	t.Cleanup(func() { exec.Command("tmux", "-S", sock, "kill-server").Run() })
	return dir, bin, func(args ...string) string {
		if q, ok := strings.CutPrefix(args[0], "?"); ok {
			out, err := exec.Command("tmux", append([]string{"-S", sock, q}, args[1:]...)...).CombinedOutput()
			switch {
			case err != nil:
				return ""
			case len(out) == 0:
				return "ok"
			}
			return string(out)
		}
		out, err := exec.Command("tmux", append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
}
