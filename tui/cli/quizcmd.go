package cli

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/quiz"
	"github.com/nnlab/nnlab/internal/untrusted"
	"github.com/nnlab/nnlab/tui"
	"github.com/nnlab/nnlab/tui/locale"
)

// quizOptions are quiz's flags: the questions (a new seed unless given),
// how they are asked, and the notebook's flags for the quiz screen.
type quizOptions struct {
	questions                quiz.Options
	plain, asJSON, listKinds bool
	notebook                 notebookOptions
}

func quizCmd() command {
	o := &quizOptions{questions: quiz.Options{Count: 10, Seed: uint64(time.Now().UnixNano())}}
	return command{
		name: "quiz",
		summary: "Parameter-count questions drawn from layer specifications, graded, with worked answers.\n" +
			"In a terminal it opens the quiz screen; --plain asks on standard input and output, --json prints the questions.",
		flags: append([]flagSpec{
			seedFlag(&o.questions.Seed, "seed", "the questions' seed: the same seed gives the same questions everywhere (default: a new one)", 0),
			wholeFlag(&o.questions.Count, "count", "N", fmt.Sprintf("how many questions, 1 to %d (default 10)", quiz.MaxCount), 1, quiz.MaxCount, ""),
			flagOf(&o.questions.Kinds, "kind", "K[,K…]", "only these kinds (see --kinds)", quizKinds),
			checkedFlag(&o.questions.Level, "level", "1|2|3", "difficulty (default: 1, 2, 3 in turn)", "must be 1, 2 or 3", func(s string) (int, bool) {
				n, err := strconv.Atoi(s)
				return n, err == nil && n >= quiz.MinLevel && n <= quiz.MaxLevel
			}),
			switchFlag(&o.plain, "plain", "ask on standard input and output, without the full-screen view"),
			switchFlag(&o.asJSON, "json", "print the questions as JSON: prompt, kind, level, experiment, spec, answer, tolerance, explanation"),
			switchFlag(&o.listKinds, "kinds", "list the kinds of question"),
		}, o.notebook.flags()...),
		run: func(env *Env, p call) error { return runQuiz(env, p, o) },
	}
}

// quizKinds reads --kind: kinds of question, separated by commas.
func quizKinds(s string) ([]string, error) {
	var kinds []string
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		if _, ok := quiz.Lookup(k); !ok {
			return nil, usagef("unknown kind %s; kinds: %s", experiment.Echo(k), strings.Join(quiz.KindIDs(), ", "))
		}
		kinds = append(kinds, k)
	}
	return kinds, nil
}

func runQuiz(env *Env, p call, o *quizOptions) error {
	if len(p.pos) > 0 {
		return usagef("quiz: takes no arguments, got %s (choose kinds with --kind)", experiment.Echo(p.pos[0]))
	}
	lang := cmp.Or(o.notebook.lang, tui.LocaleLang(env.lookupEnv()))
	if o.listKinds {
		for _, k := range quiz.Kinds() {
			fmt.Fprintf(env.Stdout, "%-16s %s\n", k.ID, locale.Msg(lang, "quiz.kind."+k.ID))
		}
		return nil
	}
	if o.asJSON && o.plain {
		return usagef("quiz: --json and --plain do not go together: one prints the questions, the other asks them")
	}
	qs, err := quiz.Generate(env.Experiments, o.questions)
	if err != nil {
		return usageError{err.Error()}
	}
	switch {
	case o.asJSON:
		return writeJSON(env.Stdout, quizJSON(qs, lang))
	case o.plain:
		return plainQuiz(env.Stdin, env.Stdout, qs, o.questions.Seed, lang)
	}
	return startNotebook(env, p, o.notebook, "", qs)
}

// jsonQuestion is a question as `nnlab quiz --json` prints it.
type jsonQuestion struct {
	Prompt      string            `json:"prompt"`
	Kind        string            `json:"kind"`
	Level       int               `json:"level"`
	Experiment  string            `json:"experiment"`
	Spec        map[string]string `json:"spec"`
	Key         string            `json:"key"`
	Answer      float64           `json:"answer"`
	Tolerance   float64           `json:"tolerance"`
	Explanation string            `json:"explanation"`
}

func quizJSON(qs []quiz.Question, lang string) []jsonQuestion {
	out := make([]jsonQuestion, len(qs))
	for i, q := range qs {
		out[i] = jsonQuestion{Prompt: locale.QuizText(lang, q.Prompt), Kind: q.Kind, Level: q.Level, Experiment: q.Experiment,
			Spec: q.Spec, Key: q.Key, Answer: q.Answer, Tolerance: q.Tolerance, Explanation: strings.Join(locale.Solution(lang, q), "\n")}
	}
	return out
}

// plainQuiz asks qs on in and out, a question at a time. The end of input
// ends it cleanly with the score so far.
func plainQuiz(in io.Reader, out io.Writer, qs []quiz.Question, seed uint64, lang string) error {
	m := func(id string, args ...any) string { return experiment.Fill(locale.Msg(lang, id), args...) }
	if in == nil {
		in = strings.NewReader("")
	}
	br := bufio.NewReader(in)
	r := quiz.NewRound(qs)
	fmt.Fprintln(out, m("quiz.cli.header", len(qs), strconv.FormatUint(seed, 10)))
	for !r.Done() {
		q, _ := r.Current()
		fmt.Fprintf(out, "\n%s\n%s\n", m("quiz.cli.question", r.At+1, len(qs), q.Kind, q.Level), locale.QuizText(lang, q.Prompt))
		for {
			fmt.Fprint(out, "> ")
			line, tooLong, err := readLine(br, maxAnswerLine)
			if err != nil {
				fmt.Fprintln(out)
				return plainScore(out, r, lang)
			}
			if tooLong {
				fmt.Fprintln(out, m("quiz.cli.too_long", maxAnswerLine>>10))
				continue
			}
			f, err := r.Answer(untrusted.StripControls(line))
			if err != nil {
				fmt.Fprintln(out, locale.QuizError(lang, err))
				continue
			}
			fmt.Fprintln(out, locale.Verdict(lang, f))
			if f.Verdict == quiz.Wrong {
				if f.SlipFound {
					fmt.Fprintln(out, "  "+locale.Slip(lang, f.Slip))
				}
				for _, s := range locale.Solution(lang, q) {
					fmt.Fprintln(out, "  "+s)
				}
			}
			break
		}
	}
	return plainScore(out, r, lang)
}

// maxAnswerLine is the longest line read as an answer, in bytes.
const maxAnswerLine = 64 << 10

// readLine reads a line (without its \n or \r\n) of at most limit bytes;
// a longer line is read to its end, kept nowhere, and reported as too long.
// err is only the reader's, at the end of the input.
func readLine(r *bufio.Reader, limit int) (line string, tooLong bool, err error) {
	var b []byte
	for {
		chunk, more, err := r.ReadLine()
		if err != nil {
			if len(b) > 0 || tooLong { // a last line without a newline
				return string(b), tooLong, nil
			}
			return "", false, err
		}
		if !tooLong {
			if len(b)+len(chunk) > limit {
				tooLong, b = true, nil
			} else {
				b = append(b, chunk...)
			}
		}
		if !more {
			return string(b), tooLong, nil
		}
	}
}

func plainScore(out io.Writer, r *quiz.Round, lang string) error {
	m := func(id string, args ...any) string { return experiment.Fill(locale.Msg(lang, id), args...) }
	fmt.Fprintln(out, "\n"+m("quiz.score", r.Right, r.At, r.Best))
	if len(r.Mistakes) > 0 {
		fmt.Fprintln(out, m("quiz.review"))
		for _, mk := range r.Mistakes {
			fmt.Fprintf(out, "  %s\n", m("quiz.review_line", mk.Question.Kind, mk.Typed, experiment.Number(mk.Question.Answer)))
		}
	}
	return nil
}
