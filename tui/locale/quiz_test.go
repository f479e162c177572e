package locale

import (
	"strconv"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/quiz"
	"github.com/nnlab/nnlab/lessons"
)

// Every text a question uses is in the catalog in every language, and
// every placeholder is filled.
func TestQuizTextsInCatalog(t *testing.T) {
	qs, err := quiz.Generate(quiz.Options{Seed: 3, Count: 600})
	if err != nil {
		t.Fatal(err)
	}
	check := func(q quiz.Question, tx quiz.Text) {
		if !HasMsg(tx.ID) {
			t.Errorf("%s: %q is not in assets/messages.yaml", q.Kind, tx.ID)
			return
		}
		for _, lang := range lessons.Languages {
			s := QuizText(lang, tx)
			for i := 1; i <= 9; i++ {
				if strings.Contains(s, "{"+strconv.Itoa(i)+"}") {
					t.Errorf("%s in %s: {%d} left unfilled: %q", tx.ID, lang, i, s)
				}
			}
		}
	}
	for _, q := range qs {
		check(q, q.Prompt)
		for _, s := range q.Steps {
			check(q, s)
		}
		for _, s := range q.Slips {
			if !HasMsg("quiz.slip." + s.ID) {
				t.Errorf("%s: slip %q has no explanation in the catalog", q.Kind, s.ID)
			}
		}
	}
}
