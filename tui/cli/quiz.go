package cli

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/quiz"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui"
	"github.com/nnlab/nnlab/tui/locale"
)

func quizCmd() command {
	return command{
		name: "quiz",
		summary: "Parameter-count questions drawn from layer specifications, graded, with worked answers.\n" +
			"In a terminal it opens the quiz screen; --plain asks on standard input and output, --json prints the questions.",
		flags: append([]flagSpec{
			{name: "seed", value: "N", help: "the questions' seed: the same seed gives the same questions everywhere (default: a new one)"},
			{name: "count", value: "N", help: fmt.Sprintf("how many questions, 1 to %d (default 10)", quiz.MaxCount)},
			{name: "kind", value: "K[,K…]", help: "only these kinds (see --kinds)"},
			{name: "level", value: "1|2|3", help: "difficulty (default: 1, 2, 3 in turn)"},
			{name: "plain", help: "ask on standard input and output, without the full-screen view"},
			{name: "json", help: "print the questions as JSON: prompt, kind, level, experiment, spec, answer, tolerance, explanation"},
			{name: "kinds", help: "list the kinds of question"},
		}, notebookFlags...),
		run: runQuiz,
	}
}

// quizOptions reads the flags that choose the questions.
func quizOptions(p parsed) (quiz.Options, bool, error) {
	o := quiz.Options{Count: 10}
	seeded := false
	if s, ok := p.flags["seed"]; ok {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return o, false, usagef("quiz: --seed must be a whole number from 0 to %d, got %s", uint64(1<<64-1), experiment.Echo(s))
		}
		o.Seed, seeded = n, true
	} else {
		o.Seed = uint64(time.Now().UnixNano())
	}
	if s, ok := p.flags["count"]; ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > quiz.MaxCount {
			return o, false, usagef("quiz: --count must be a whole number from 1 to %d, got %s", quiz.MaxCount, experiment.Echo(s))
		}
		o.Count = n
	}
	if s, ok := p.flags["level"]; ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < quiz.MinLevel || n > quiz.MaxLevel {
			return o, false, usagef("quiz: --level must be 1, 2 or 3, got %s", experiment.Echo(s))
		}
		o.Level = n
	}
	if s, ok := p.flags["kind"]; ok {
		for _, k := range strings.Split(s, ",") {
			k = strings.TrimSpace(k)
			if _, ok := quiz.Lookup(k); !ok {
				return o, false, usagef("quiz: unknown kind %s; kinds: %s", experiment.Echo(k), strings.Join(quiz.KindIDs(), ", "))
			}
			o.Kinds = append(o.Kinds, k)
		}
	}
	return o, seeded, nil
}

func runQuiz(env *Env, p parsed) error {
	if len(p.pos) > 0 {
		return usagef("quiz: takes no arguments, got %s (choose kinds with --kind)", experiment.Echo(p.pos[0]))
	}
	lang := p.flags["lang"]
	if lang == "" {
		lang = tui.LocaleLang(env.lookupEnv())
	} else if err := tui.CheckLang(lang); err != nil {
		return usagef("quiz: --lang: %v", err)
	}
	if p.has("kinds") {
		for _, k := range quiz.Kinds() {
			fmt.Fprintf(env.Stdout, "%-16s %s\n", k.ID, locale.Msg(lang, "quiz.kind."+k.ID))
		}
		return nil
	}
	o, _, err := quizOptions(p)
	if err != nil {
		return err
	}
	if p.has("json") && p.has("plain") {
		return usagef("quiz: --json and --plain do not go together: one prints the questions, the other asks them")
	}
	qs, err := quiz.Generate(o)
	if err != nil {
		return usageError{err.Error()}
	}
	switch {
	case p.has("json"):
		return writeJSON(env.Stdout, quizJSON(qs, lang))
	case p.has("plain"):
		return plainQuiz(env.Stdin, env.Stdout, qs, o.Seed, lang)
	}
	return startNotebook(env, p, "", qs)
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
			f, err := r.Answer(lessons.StripControls(line))
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
