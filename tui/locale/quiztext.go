package locale

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/quiz"
)

// QuizText is a question's text (its prompt, a step of its solution) in
// lang.
// An argument that is itself a Text (a clause of a prompt) is put in lang
// too.
func QuizText(lang string, t quiz.Text) string {
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		if n, ok := a.(quiz.Text); ok {
			a = QuizText(lang, n)
		}
		args[i] = a
	}
	return experiment.Fill(Msg(lang, t.ID), args...)
}

// Slip explains a slip in lang.
func Slip(lang string, s quiz.Slip) string { return Msg(lang, "quiz.slip."+s.ID) }

// QuizError says in lang why a typed answer was refused: what was typed
// and what a valid answer looks like.
func QuizError(lang string, err error) string {
	var ae *quiz.AnswerError
	if !errors.As(err, &ae) {
		return Error(lang, err)
	}
	return experiment.Fill(Msg(lang, "quiz.bad_answer"), ae.Input, strings.Join(quiz.AnswerExamples(), ", "))
}

// Verdict says in lang whether an answer was right: "✓ exactly right",
// "✓ right within the rounding (exactly 9,408)", "✗ not quite: …".
func Verdict(lang string, f quiz.Feedback) string {
	ans := experiment.Number(f.Question.Answer)
	switch f.Verdict {
	case quiz.Exact:
		return "✓ " + Msg(lang, "quiz.verdict.exact")
	case quiz.Rounded:
		return "✓ " + experiment.Fill(Msg(lang, "quiz.verdict.rounded"), ans)
	}
	if f.Coarse { // the answer, rounded too coarsely: say so, and how finely to type it
		pct := 100 * f.Answer.Step / 2 / math.Abs(f.Question.Answer)
		p := strconv.FormatFloat(pct, 'f', 0, 64)
		if pct < 10 {
			p = strconv.FormatFloat(pct, 'f', 1, 64)
		}
		return "✗ " + experiment.Fill(Msg(lang, "quiz.verdict.coarse"), ans, f.Typed, p, f.Finer.Typed())
	}
	return "✗ " + experiment.Fill(Msg(lang, "quiz.verdict.wrong"), ans)
}

// Solution is a question's worked solution in lang, a step a line.
func Solution(lang string, q quiz.Question) []string {
	steps := make([]string, len(q.Steps))
	for i, s := range q.Steps {
		steps[i] = QuizText(lang, s)
	}
	return steps
}
