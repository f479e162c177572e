package tui

import (
	"context"

	"github.com/nnlab/nnlab/tui/workshop"
)

// The class as the instructor's view shows it (package workshop computes
// it from the learners' events).
type (
	Class          = workshop.Class
	LearnerReport  = workshop.LearnerReport
	ExerciseReport = workshop.ExerciseReport
	LearnerDetail  = workshop.LearnerDetail
)

// Room is what an instructor's session reads and does: the class, one
// learner in full, and notices to every learner (a message, or a lesson to
// open).
type Room interface {
	Class(ctx context.Context) (Class, error)
	Learner(ctx context.Context, id int64) (LearnerDetail, bool, error)
	Send(ctx context.Context, n workshop.Notice) error
}

// RoomNoticeMsg is a notice from the instructor, for a learner's session:
// its message shown in the session's language, its lesson offered to open
// with one key.
type RoomNoticeMsg struct{ Notice workshop.Notice }
