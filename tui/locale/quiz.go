package locale

import (
	"errors"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/quiz"
	"strings"
)

// QuizText is a question's text (its prompt, a step of its solution) in
// lang.
func QuizText(lang string, t quiz.Text) string { return experiment.Fill(Msg(lang, t.ID), t.Args...) }

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
