package workshop

import (
	"errors"
	"time"
)

// ErrNameTaken is a name another learner without a key already has (they
// are found by it, so it cannot be two learners').
var ErrNameTaken = errors.New("the name is taken")

// Kinds of events.
const (
	KindLesson     = "lesson"     // a lesson opened
	KindCell       = "cell"       // a cell focused
	KindRun        = "run"        // a cell run by the learner (Detail: its values)
	KindExercise   = "exercise"   // an exercise judged (OK: passed; Detail: the hint, or the guess)
	KindQuiz       = "quiz"       // a quiz question answered (Cell: its kind)
	KindConnect    = "connect"    // a session opened (Detail: the server)
	KindDisconnect = "disconnect" // a session closed (Detail: the server)
	KindName       = "name"       // the learner named themselves (Detail: the name)
)

// Event is one thing a learner did. The app fills At, Kind, Lesson, Cell,
// OK and Detail; the server the learner; the store the ID.
type Event struct {
	ID      int64 // the store's, increasing in the order events were stored; 0 before
	Learner int64
	At      time.Time
	Kind    string
	Lesson  string
	Cell    string // a cell or quiz block id; for "quiz", the question's kind
	OK      bool   // an exercise passed, a quiz answer right
	Detail  string
}

// Learner is one learner of a workshop.
type Learner struct {
	ID int64
	// Key is "key:SHA256:…" (an SSH key's fingerprint) or "name:" and the
	// folded name (FoldName) of a learner who came without a key.
	Key   string
	Name  string
	Named bool // the learner gave the name (typed it): not to be asked again
}

// Notice is what an instructor sends the whole room: a message (in
// English, Korean or both), or a lesson to open.
type Notice struct {
	ID     int64
	At     time.Time
	Lesson string // a lesson everyone is invited to open ("" for none)
	EN, KO string // the message in each language ("" for none)
}

// Text is the notice's message in lang, else in the other language.
func (n Notice) Text(lang string) string {
	if lang == "ko" && n.KO != "" || n.EN == "" {
		return n.KO
	}
	return n.EN
}
