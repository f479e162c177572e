package state

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestThemeAndSilentTerminals: the learner's theme and the silent terminals
// survive a save, merge across windows (the later choice wins, silence is
// kept from either side) and are checked on load.
func TestThemeAndSilentTerminals(t *testing.T) {
	dir := t.TempDir()
	a, _, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := Open(dir)
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	a.SetTheme("dark")
	a.SetSilent("TERM=vt220", t0)
	time.Sleep(2 * time.Millisecond)
	b.SetTheme("light") // later
	b.SetSilent("TERM=xterm TERM_PROGRAM=Old", t0.Add(time.Hour))
	for _, s := range []*Store{a, b, a} {
		if err := s.Save(); err != nil {
			t.Fatal(err)
		}
	}
	r, notice, _ := Open(dir)
	if notice != "" {
		t.Fatal(notice)
	}
	if r.Theme() != "light" || !r.Silent("TERM=vt220") || !r.Silent("TERM=xterm TERM_PROGRAM=Old") || r.Silent("TERM=xterm") {
		t.Errorf("theme %q, silent %v %v %v", r.Theme(), r.Silent("TERM=vt220"), r.Silent("TERM=xterm TERM_PROGRAM=Old"), r.Silent("TERM=xterm"))
	}

	// Bounded: the oldest memories go.
	for i := range MaxSilent + 5 {
		r.SetSilent(fmt.Sprintf("TERM=t%d", i), t0.Add(time.Duration(i)*time.Minute))
	}
	if r.Silent("TERM=t0") || !r.Silent(fmt.Sprintf("TERM=t%d", MaxSilent+4)) {
		t.Errorf("the oldest silent terminal was kept or the newest lost")
	}

	// Checked on load: a bad theme and bad entries are dropped and named.
	f, dropped, err := parse([]byte(`{"version":1,"lessons":{},"theme":"blue","silent_terminals":{"ok":"2026-12-01T09:00:00Z","bad":3,"` + strings.Repeat("x", 300) + `":"2026-12-01T09:00:00Z"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Theme != "" || len(f.Silent) != 1 || f.Silent["ok"].IsZero() {
		t.Errorf("theme %q, silent %v", f.Theme, f.Silent)
	}
	got := strings.Join(dropped, ",")
	for _, want := range []string{"theme", "silent_terminals.bad", "silent_terminals.xxxxxxxx"} {
		if !strings.Contains(got, want) {
			t.Errorf("dropped %v, want %s named", dropped, want)
		}
	}
}
