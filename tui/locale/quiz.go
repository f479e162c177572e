package locale

import (
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/quiz"
)

// QuizText is a question's text (its prompt, a step of its solution) in
// lang.
func QuizText(lang string, t quiz.Text) string { return experiment.Fill(Msg(lang, t.ID), t.Args...) }

// Slip explains a slip in lang.
func Slip(lang string, s quiz.Slip) string { return Msg(lang, "quiz.slip."+s.ID) }
