package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/nnlab/nnlab/tui"
	"github.com/nnlab/nnlab/tui/store"
	"github.com/nnlab/nnlab/tui/workshop"
)

// noticeEvery is how often a server looks for the instructor's notices
// (sent from any server on the store) to pass on to its learners.
const noticeEvery = 500 * time.Millisecond

// serverID names this server among those sharing a store: host, process
// and a random part (a restarted server is another).
func serverID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// room is the class as an instructor's session on this server sees it.
type room struct{ s *Server }

func (r room) Class(ctx context.Context) (workshop.Class, error) {
	return r.s.feed.Class(ctx, time.Now())
}

func (r room) Learner(ctx context.Context, id int64) (workshop.LearnerDetail, bool, error) {
	return r.s.feed.Learner(ctx, id, time.Now())
}

func (r room) Send(ctx context.Context, n workshop.Notice) error {
	n.At = time.Now()
	return r.s.store.AddNotice(ctx, n)
}

// watch keeps the server's place among the servers of its store until ctx
// ends: its heartbeat (its learners show online while it beats), the
// instructor's notices passed on to its learners, and the class read ahead
// (so that an instructor's first look costs no more than the next).
func (s *Server) watch(ctx context.Context) {
	beat := func() {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := s.store.Beat(c, s.id, time.Now()); err != nil && ctx.Err() == nil {
			s.log.Printf("heartbeat: %v", err)
		}
	}
	beat()
	go func() {
		if err := s.feed.Sync(ctx, time.Now()); err != nil && ctx.Err() == nil {
			s.log.Printf("reading the class: %v", err)
		}
	}()
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	_, last, err := s.store.Notices(c, -1)
	cancel()
	if err != nil {
		last = -1 // read the last one again: never the old ones
	}
	tick := time.NewTicker(noticeEvery)
	defer tick.Stop()
	beatAt := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if time.Since(beatAt) >= store.BeatEvery {
			beat()
			beatAt = time.Now()
		}
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		ns, l, err := s.store.Notices(c, last) // last < 0: none, but the last ID
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				s.log.Printf("notices: %v", err)
			}
			continue
		}
		last = l
		for _, n := range ns {
			s.mu.Lock()
			for p, learner := range s.programs {
				if learner {
					go p.Send(tui.RoomNoticeMsg{Notice: n}) // not waiting on an app stuck writing to its client
				}
			}
			s.mu.Unlock()
		}
	}
}
