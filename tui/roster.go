package tui

import (
	"math"
	"strconv"
	"time"
)

// LearnerReport is one learner's workshop so far.
type LearnerReport struct {
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
	// Where the learner is now, and for how long nothing happened.
	Lesson string    `json:"current_lesson"`
	Cell   string    `json:"current_cell"`
	Last   time.Time `json:"last_activity"`
	// Stuck says why the learner may need help ("" when not).
	Stuck string `json:"stuck,omitempty"`
	// Failing is the exercise failed in a row, and how often.
	Failing      string `json:"-"`
	FailingTimes int    `json:"-"`
}

// ExerciseReport is one exercise across the class.
type ExerciseReport struct {
	Lesson   string `json:"lesson"`
	Cell     string `json:"cell"`
	Passed   int    `json:"learners_passed"`
	Tried    int    `json:"learners_tried"`
	Attempts int    `json:"attempts"`
	// CommonHint is the hint failing attempts were shown most often.
	CommonHint string `json:"common_failing_hint,omitempty"`
}

// Class is a workshop's report, for the instructor's view and `nnlab report`: learners (the stuck first, then by name) and
// exercises.
type Class struct {
	Learners  []LearnerReport  `json:"learners"`
	Exercises []ExerciseReport `json:"exercises"`
	// Damaged counts the rows of activity left out because a field was
	// missing or of the wrong type (a hand-edited or damaged database).
	Damaged int `json:"damaged_rows,omitempty"`
}

// Minutes is a time spent in minutes, to a tenth of a minute; it prints
// (and is written in JSON) with one decimal: 4.0, 12.3.
type Minutes float64

// MinutesOf is s seconds in minutes, rounded to a tenth.
func MinutesOf(s int64) Minutes { return Minutes(math.Round(float64(s)/6) / 10) }

func (m Minutes) String() string { return strconv.FormatFloat(float64(m), 'f', 1, 64) }

// MarshalJSON writes m with its one decimal.
func (m Minutes) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }
