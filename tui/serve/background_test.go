package serve

import (
	"strings"
	"testing"
	"time"
)

func (c *client) raw() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

// TestSessionBackground: each client gets the background its environment
// tells (COLORFGBG), else dark, without a question sent to its terminal;
// T switches it and the learner's choice is kept for their next session.
func TestSessionBackground(t *testing.T) {
	_, addr, _ := testServer(t, nil)
	const light, dark = "48;2;208;224;245", "48;2;48;70;107" // the header's background, #d0e0f5 and #30466b
	waitRaw := func(c *client, what string) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); !strings.Contains(c.raw(), what); {
			if time.Now().After(deadline) {
				t.Fatalf("never received %q in:\n%q", what, c.raw()[:min(len(c.raw()), 600)])
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	a := dial(t, addr, "a", newKey(t), true, "COLORTERM=truecolor", "COLORFGBG=0;15")
	waitRaw(a, light)
	key := newKey(t)
	b := dial(t, addr, "b", key, true, "COLORTERM=truecolor")
	waitRaw(b, dark)
	b.named("b")
	b.send("T")
	waitRaw(b, light)
	for _, c := range []*client{a, b} {
		if strings.Contains(c.raw(), "\x1b]11;?") || strings.Contains(c.raw(), "\x1b[6n") {
			t.Errorf("the server questioned a client's terminal")
		}
	}
	b.send("q")
	if !b.closed(10 * time.Second) {
		t.Fatal("q did not end the session")
	}
	again := dial(t, addr, "b", key, true, "COLORTERM=truecolor")
	waitRaw(again, light)
}
