package workshop

import (
	"math"
	"strconv"
	"time"
)

// IdleGap is the longest gap between two events that still counts as time
// spent working; longer ones are breaks. A learner online with nothing
// done for this long in a cell is idle there.
const IdleGap = 5 * time.Minute

// StuckFails is how many failed attempts at one exercise in a row, without
// a pass and without moving on, mark a learner as stuck.
const StuckFails = 3

// Why a learner may need help (LearnerReport.StuckKind).
const (
	StuckFailing = "failing" // the same exercise failed StuckFails times in a row
	StuckIdle    = "idle"    // online, nothing done in a cell for IdleGap
)

// Class is a workshop's report, for the instructor's view and `nnlab
// report`: learners (the stuck first, then by name) and exercises.
type Class struct {
	Learners  []LearnerReport  `json:"learners"`
	Exercises []ExerciseReport `json:"exercises"`
	// Damaged counts the rows left out because a field was missing or of
	// the wrong type (a hand-edited or damaged database).
	Damaged int `json:"damaged_rows,omitempty"`
}

// LearnerReport is one learner's workshop so far.
type LearnerReport struct {
	ID           int64    `json:"-"`
	Name         string   `json:"name"`
	Key          string   `json:"key"`
	Visited      []string `json:"lessons_visited"`
	Passed       int      `json:"exercises_passed"`
	Attempts     int      `json:"exercise_attempts"`
	QuizRight    int      `json:"quiz_right"`
	QuizAnswered int      `json:"quiz_answered"`
	Seconds      int64    `json:"seconds_spent"`
	// Minutes is Seconds in minutes, to a tenth: the number the text, JSON
	// and CSV reports all print.
	Minutes Minutes `json:"minutes_spent"`
	// Where the learner is now, and when they last did something.
	Lesson string    `json:"current_lesson"`
	Cell   string    `json:"current_cell"`
	Last   time.Time `json:"last_activity"`
	// Online: a session of theirs is open on a running server.
	Online bool `json:"online"`
	// Stuck says, in English, why the learner may need help ("" when
	// not); StuckKind (StuckFailing, StuckIdle) and StuckAt (lesson/cell)
	// are the same for a view to say in its own language.
	Stuck     string `json:"stuck,omitempty"`
	StuckKind string `json:"-"`
	StuckAt   string `json:"-"`
	// FailingTimes is how often in a row the learner failed StuckAt.
	FailingTimes int `json:"-"`
}

// ExerciseReport is one exercise across the class.
type ExerciseReport struct {
	Lesson   string `json:"lesson"`
	Cell     string `json:"cell"`
	Passed   int    `json:"learners_passed"`
	Tried    int    `json:"learners_tried"`
	Attempts int    `json:"attempts"`
	// MedianSeconds is the median, over the learners who passed, of the
	// time from their first look at the exercise's cell (focus, run or
	// attempt) to their first pass; 0 when nobody passed.
	MedianSeconds float64 `json:"median_seconds_to_pass"`
	// CommonHint is the hint failing attempts were shown most often (for
	// a prediction, the wrong guess typed most often).
	CommonHint string `json:"common_failing_hint,omitempty"`
}

// LearnerDetail is one learner in full, for the instructor's view.
type LearnerDetail struct {
	LearnerReport
	Lessons   []LessonTime  `json:"lessons"`   // in the order first opened
	Exercises []ExerciseTry `json:"exercises"` // in the order first tried
	Quiz      []QuizRecord  `json:"quiz"`      // by kind, in the order first answered
	LastRun   *Run          `json:"last_run,omitempty"`
}

// LessonTime is the time a learner spent in a lesson.
type LessonTime struct {
	Lesson  string `json:"lesson"`
	Seconds int64  `json:"seconds"`
}

// ExerciseTry is a learner's attempts at one exercise.
type ExerciseTry struct {
	Lesson   string `json:"lesson"`
	Cell     string `json:"cell"`
	Attempts int    `json:"attempts"`
	Passed   bool   `json:"passed"`
	LastHint string `json:"last_hint,omitempty"` // the hint of the last failed attempt
}

// QuizRecord is a learner's answers to one kind of quiz question.
type QuizRecord struct {
	Kind     string `json:"kind"`
	Right    int    `json:"right"`
	Answered int    `json:"answered"`
}

// Run is the last cell a learner ran, with the values they ran it with.
type Run struct {
	Lesson string    `json:"lesson"`
	Cell   string    `json:"cell"`
	Values string    `json:"values"`
	At     time.Time `json:"at"`
}

// Minutes is a time spent in minutes, to a tenth of a minute; it prints
// (and is written in JSON) with one decimal: 4.0, 12.3.
type Minutes float64

// MinutesOf is s seconds in minutes, rounded to a tenth.
func MinutesOf(s int64) Minutes { return Minutes(math.Round(float64(s)/6) / 10) }

func (m Minutes) String() string { return strconv.FormatFloat(float64(m), 'f', 1, 64) }

// MarshalJSON writes m with its one decimal.
func (m Minutes) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }
