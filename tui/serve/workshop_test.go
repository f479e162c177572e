package serve

import (
	"context"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/nnlab/nnlab/tui/store"
	"github.com/nnlab/nnlab/tui/store/pgtest"
	"github.com/nnlab/nnlab/tui/workshop"
)

// report waits until the class satisfies ok.
func report(t *testing.T, st store.Store, ok func(workshop.Class) bool) workshop.Class {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := store.Report(context.Background(), st, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if ok(c) {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("the class never came to be: %+v", c)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A learner without a key who types their name in another case (and
// spacing) finds their progress: told so, back in the lesson they left.
func TestKeylessNameAgain(t *testing.T) {
	s, addr, _ := testServer(t, nil)
	c := dial(t, addr, "guest", nil, true)
	c.waitFor("without an SSH key")
	c.send("Ji-woo Kim\r")
	c.waitFor("Gradient momentum")
	c.send("\r")
	c.waitFor("nnlab · Welcome to nnlab")
	c.send("q")
	if !c.closed(10 * time.Second) {
		t.Fatal("q did not end the session")
	}
	again := dial(t, addr, "guest", nil, true)
	again.waitFor("without an SSH key")
	again.send("  ji-woo   KIM\r")
	again.waitFor("Continuing as Ji-woo Kim.")
	again.waitFor("nnlab · Welcome to nnlab")
	report(t, s.store, func(c workshop.Class) bool {
		return len(c.Learners) == 1 && c.Learners[0].Name == "Ji-woo Kim" && c.Learners[0].Online
	})
}

// A key's owner names themselves once, and changes the name later; the
// class and the report show it.
func TestKeyOwnerNamesThemselves(t *testing.T) {
	s, addr, _ := testServer(t, nil)
	key := newKey(t)
	c := dial(t, addr, "root", key, true)
	c.named("Mina Park")
	report(t, s.store, func(c workshop.Class) bool {
		return len(c.Learners) == 1 && c.Learners[0].Name == "Mina Park" && c.Learners[0].Online
	})
	c.send("n")
	c.waitFor("esc keeps the one")
	c.send(strings.Repeat("\x7f", 12) + "Mina P.\r")
	c.waitFor("Mina P.") // the lesson list's header
	report(t, s.store, func(c workshop.Class) bool { return c.Learners[0].Name == "Mina P." })
	c.send("q")
	c.closed(10 * time.Second)
	// The same key again: not asked, named.
	again := dial(t, addr, "root", key, true)
	again.waitFor("Gradient momentum")
	if strings.Contains(again.text(), "knows you by your SSH key") {
		t.Error("a named key's owner was asked again")
	}
}

// The instructor paces the room: a message each learner reads in their
// language, a lesson opened for everyone and taken up with one key; and a
// learner selected in full.
func TestInstructorPacesTheRoom(t *testing.T) {
	teacher := newKey(t)
	_, addr, _ := testServer(t, func(c *Config) { c.InstructorKeys = []gossh.PublicKey{teacher.PublicKey()} })
	ko := dial(t, addr, "ko", newKey(t), true, "LANG=ko_KR.UTF-8")
	ko.waitFor("SSH 키로")
	ko.send("지민\r")
	ko.waitFor("레슨")
	en := dial(t, addr, "en", newKey(t), true)
	en.named("Ann")
	in := dial(t, addr, "teacher", teacher, true)
	in.waitFor("지민")
	in.waitFor("Ann")
	in.send("m")
	in.waitFor("Message to every learner")
	in.send("Break until 11\t11시까지 휴식\r")
	in.waitFor("Sent to every learner.")
	en.waitFor("From the instructor: Break until 11")
	ko.waitFor("강사 알림: 11시까지 휴식")
	in.send("o")
	in.waitFor("Open a lesson for everyone")
	in.send("j\r") // the second lesson
	in.waitFor("offered to every learner")
	en.waitFor("press o to go there")
	en.send("o")
	en.waitFor("nnlab · Gradient momentum")
	// Ann is first by name (지민 sorts after): her in full.
	in.send("\r")
	in.waitFor("Lessons visited")
	in.waitFor("momentum")
}

// Two servers on one PostgreSQL database serve one class: a learner
// finds their progress on either, and the instructor's view on either
// shows the whole class.
func TestTwoServersOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no PostgreSQL")
	}
	url := pgtest.Start(t).NewDB(t)
	teacher := newKey(t)
	tweak := func(c *Config) { c.DB = url; c.InstructorKeys = []gossh.PublicKey{teacher.PublicKey()} }
	a, addrA, _ := testServer(t, tweak)
	_, addrB, _ := testServer(t, tweak)
	key := newKey(t)
	c := dial(t, addrA, "alice", key, true)
	c.named("Alice")
	c.send("\r")
	c.waitFor("nnlab · Welcome to nnlab")
	c.send("\t\r")
	c.waitFor("enter runs the cell")
	c.send("\r")
	c.waitFor("ran without a prediction")
	c.send("+")
	c.waitFor("k = 8*")
	bob := dial(t, addrB, "bob", nil, true)
	bob.waitFor("without an SSH key")
	bob.send("Bob\r")
	bob.waitFor("Gradient momentum")
	in := dial(t, addrB, "teacher", teacher, true)
	in.waitFor("Alice")
	in.waitFor("Bob")
	in.waitFor("welcome/")
	// Alice on the other server: where she left off, with her value.
	c.conn.Close()
	report(t, a.store, func(c workshop.Class) bool {
		for _, l := range c.Learners {
			if l.Name == "Alice" {
				return !l.Online
			}
		}
		return false
	})
	c2 := dial(t, addrB, "alice", key, true)
	c2.waitFor("nnlab · Welcome to nnlab")
	c2.waitFor("k = 8*")
}
