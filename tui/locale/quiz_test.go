package locale

import (
	"regexp"
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

// Every kind has its description and its short name in the catalog, and a
// Korean worked solution is Korean: no English words of the kinds' own
// (formulas and PyTorch names aside), no Go struct printed for a clause.
func TestQuizKindsWordedInKorean(t *testing.T) {
	for _, id := range quiz.KindIDs() {
		for _, m := range []string{"quiz.kind." + id, "quiz.short." + id} {
			if !HasMsg(m) {
				t.Errorf("%s has no %s in assets/messages.yaml", id, m)
			}
		}
	}
	qs, err := quiz.Generate(quiz.Options{Seed: 5, Count: 700})
	if err != nil {
		t.Fatal(err)
	}
	english := []string{" over ", "branch", "first +", "other", "stem", "modules", " the ", "{quiz."}
	for _, q := range qs {
		texts := append([]string{QuizText("ko", q.Prompt)}, Solution("ko", q)...)
		for _, s := range texts {
			for _, w := range english {
				if strings.Contains(s, w) {
					t.Errorf("%s level %d: %q in Korean text %q", q.Kind, q.Level, w, s)
				}
			}
		}
		if p := QuizText("en", q.Prompt); strings.Contains(p, "{quiz.") {
			t.Errorf("%s: a clause printed as a struct: %q", q.Kind, p)
		}
	}
}

// A wrong answer that is the right one rounded too coarsely says so, in
// both languages, with a precision that counts.
func TestVerdictTooCoarse(t *testing.T) {
	k, _ := quiz.Lookup("reduce_saving")
	q, err := k.Build(map[string]string{"h": "28", "w": "28", "cin": "192", "cout": "32", "k": "5", "reduce": "16"}, 2, "")
	if err != nil {
		t.Fatal(err)
	}
	r := quiz.NewRound([]quiz.Question{q})
	f, err := r.Answer("108M") // 107,978,752: ±0.5M is ±0.46 %: right at its precision
	if err != nil || f.Verdict == quiz.Wrong {
		t.Fatalf("108M: %v %v", f.Verdict, err)
	}
	r = quiz.NewRound([]quiz.Question{q})
	f, _ = r.Answer("100M") // ±50M: another number, not the answer rounded
	if f.Coarse {
		t.Error("100M for 107,978,752 called coarse")
	}
	r = quiz.NewRound([]quiz.Question{q})
	f, _ = r.Answer("0.11G") // ±5M, ±4.6 %: the answer rounded too coarsely
	if !f.Coarse {
		t.Fatal("0.11G not called coarse")
	}
	for lang, want := range map[string]string{"en": "type it to within 1 %, e.g. 108M", "ko": "1% 안쪽으로 적어 주세요. 예: 108M"} {
		if v := Verdict(lang, f); !strings.Contains(v, want) || !strings.HasPrefix(v, "✗") {
			t.Errorf("%s: %q lacks %q", lang, v, want)
		}
	}
}

// A slip's explanation speaks of the optimizer its question asks about: an
// AdaGrad question's slips name no Adam, β2 or v, an Adam question's no
// AdaGrad, and so on, in both languages.
func TestOptimizerSlipsNameTheirOwnOptimizer(t *testing.T) {
	foreign := map[string][]string{
		"adagrad_rate":   {"Adam", "β", "v₁", " of v", "v의", "momentum", "모멘텀", "Nesterov", "네스테로프"},
		"adam_step":      {"AdaGrad", "Nesterov", "네스테로프", "κ", "λ"},
		"momentum_step":  {"AdaGrad", "Adam", "β2", "κ", "λ"},
		"heavy_ball":     {"AdaGrad", "Adam", "β2", "dampening"},
		"momentum_limit": {"AdaGrad", "Adam", "β2", "dampening"},
	}
	kinds := make([]string, 0, len(foreign))
	for k := range foreign {
		kinds = append(kinds, k)
	}
	qs, err := quiz.Generate(quiz.Options{Seed: 9, Count: 500, Kinds: kinds})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, q := range qs {
		for _, s := range q.Slips {
			seen[q.Kind+"/"+s.ID] = true
			for _, lang := range lessons.Languages {
				words := Slip(lang, s)
				for _, w := range foreign[q.Kind] {
					if strings.Contains(words, w) {
						t.Errorf("%s, slip %s in %s: %q names %q", q.Kind, s.ID, lang, words, w)
					}
				}
			}
		}
	}
	if !seen["adagrad_rate/adagrad_no_square_root"] || !seen["adam_step/no_square_root"] {
		t.Errorf("the square-root slips were not drawn: %v", seen)
	}
}

// A Korean particle after a number agrees with how the number's last digit
// is read: 층 1이 (일), 층 2가 (이), never 층 2이 — over every text of
// hundreds of questions.
func TestKoreanParticlesAfterNumbers(t *testing.T) {
	// batchim: whether the reading of each digit ends in a consonant
	// (영 일 이 삼 사 오 육 칠 팔 구).
	batchim := [10]bool{true, true, false, true, false, false, true, true, true, false}
	pairs := map[string][2]string{ // the particle after a consonant, after a vowel
		"이": {"이", "가"}, "가": {"이", "가"}, "을": {"을", "를"}, "를": {"을", "를"},
		"은": {"은", "는"}, "는": {"은", "는"}, "과": {"과", "와"}, "와": {"과", "와"},
	}
	re := regexp.MustCompile(`([0-9])(이|가|을|를|은|는|과|와)([ .,)]|$)`)
	qs, err := quiz.Generate(quiz.Options{Seed: 5, Count: 700})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		for _, s := range append([]string{QuizText("ko", q.Prompt)}, Solution("ko", q)...) {
			for _, m := range re.FindAllStringSubmatch(s, -1) {
				d := m[1][0] - '0'
				want := pairs[m[2]][1]
				if batchim[d] {
					want = pairs[m[2]][0]
				}
				if m[2] != want {
					t.Errorf("%s: %q after %s; want %q: %q", q.Kind, m[2], m[1], want, s)
				}
			}
		}
	}
}
