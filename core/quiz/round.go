package quiz

// Round is one sitting of a quiz: its questions, one at a time, the score
// and streak so far, and the mistakes for the review at the end. A view
// (the TUI, `nnlab quiz --plain`) drives it; it never formats anything.
type Round struct {
	Questions []Question
	At        int // the question asked now; len(Questions) when done
	Right     int // answered Exact or Rounded
	Streak    int // right answers in a row, up to now
	Best      int // the longest streak
	Mistakes  []Mistake
}

// Feedback is what grading one answer found.
type Feedback struct {
	Question Question
	Typed    string
	Answer   Answer
	Verdict  Verdict
	Slip     Slip // the likely mistake, when SlipFound
	// SlipFound reports whether a known slip explains a wrong answer.
	SlipFound bool
	// Coarse reports that a wrong answer is the right one rounded too
	// coarsely to count; Finer is the answer at a precision that counts.
	Coarse bool
	Finer  Answer
}

// Mistake is a wrong answer, for the review.
type Mistake struct{ Feedback }

// NewRound starts a round over qs.
func NewRound(qs []Question) *Round { return &Round{Questions: qs} }

// Done reports whether every question has been answered.
func (r *Round) Done() bool { return r.At >= len(r.Questions) }

// Current is the question asked now; ok is false when the round is done.
func (r *Round) Current() (q Question, ok bool) {
	if r.Done() {
		return Question{}, false
	}
	return r.Questions[r.At], true
}

// Answer grades text against the current question and moves on. Text that
// is not a number returns its *AnswerError and leaves the question where it
// is; so does a round that is done.
func (r *Round) Answer(text string) (Feedback, error) {
	q, ok := r.Current()
	if !ok {
		return Feedback{}, &AnswerError{Input: text}
	}
	a, err := ParseAnswer(text)
	if err != nil {
		return Feedback{}, err
	}
	f := Feedback{Question: q, Typed: text, Answer: a, Verdict: Grade(a, q.Answer, q.Tolerance)}
	r.At++
	if f.Verdict == Wrong {
		f.Slip, f.SlipFound = MatchSlip(a, q.Slips, q.Tolerance)
		f.Finer, f.Coarse = Coarse(a, q.Answer)
		r.Streak = 0
		r.Mistakes = append(r.Mistakes, Mistake{f})
		return f, nil
	}
	r.Right++
	r.Streak++
	r.Best = max(r.Best, r.Streak)
	return f, nil
}
