package lessons

import (
	"context"
	"errors"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/glamour"
	"github.com/muesli/termenv"

	"github.com/nnlab/nnlab/tui/report"
)

// within runs f in a goroutine and fails the test if it takes longer than d,
// so that an input that hangs cannot hang the test.
func within[T any](t *testing.T, d time.Duration, what string, f func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- f() }()
	select {
	case v := <-done:
		return v
	case <-time.After(d):
		t.Fatalf("%s did not finish within %s", what, d)
		panic("unreachable")
	}
}

func nestedList(levels int) string {
	var b strings.Builder
	for i := range levels {
		b.WriteString(strings.Repeat("  ", i) + "- a\n")
	}
	return b.String()
}

// TestHostileMarkdownRejected: markdown nested or sized so that glamour
// would overflow the stack, run out of memory or take minutes is refused by
// Parse, quickly, with one positioned error that names the limit. Before
// the limits each of these files parsed (and `nnlab render` crashed).
func TestHostileMarkdownRejected(t *testing.T) {
	body := len(strings.Split(frontMatter, "\n")) // the 1-based line of the body's first line
	for _, c := range []struct {
		name, body string
		line, col  int
		want       string
	}{
		{"emphasis ×100,000", strings.Repeat("*", 100_000) + "word" + strings.Repeat("*", 100_000), body, MaxLineLen + 1, "lines may be at most 16384 bytes"},
		{"emphasis ×8,000", strings.Repeat("*", 8000) + "word" + strings.Repeat("*", 8000), body, 1, "a word of 16004 characters"},
		{"spaced emphasis", strings.Repeat("*a ", 2000) + "x" + strings.Repeat(" a*", 2000), body, 0, "inline markup nest more than 16 deep"},
		{"mixed emphasis", strings.Repeat("*a _b ", 1000) + "x" + strings.Repeat(" b_ a*", 1000), body, 0, "inline markup nest more than 16 deep"},
		{"> ×100,000", strings.Repeat(">", 100_000) + " a", body, MaxLineLen + 1, "lines may be at most"},
		{"> ×10,000", strings.Repeat(">", 10_000) + " a", body, 17, "block quotes and lists nest 10000 deep here"},
		{"> > ×5,000", strings.Repeat("> ", 5_000) + "a", body, 33, "block quotes and lists nest 5000 deep"},
		{"5,000-level list", nestedList(5000), 1, 1, "a lesson file may be at most 262144 bytes"},
		{"200-level list", nestedList(200), body + 16, 33, "block quotes and lists nest 17 deep"},
		{"- ×50,000", strings.Repeat("- ", 50_000) + "a", body, MaxLineLen + 1, "lines may be at most"},
		{"- ×5,000", strings.Repeat("- ", 5_000) + "a", body, 0, "block quotes and lists nest"},
		{"1. ×3,000", strings.Repeat("1. ", 3_000) + "a", body, 0, "block quotes and lists nest"},
		{"[ ×100,000", strings.Repeat("[", 100_000), body, MaxLineLen + 1, "lines may be at most"},
		{"[ ×16,000", strings.Repeat("[", 16_000), body, 1, "a word of 16000 characters"},
		{"a word of 25,000", strings.Repeat("a", 25_000), body, MaxLineLen + 1, "lines may be at most"},
		{"a word of 10,000", "x " + strings.Repeat("가", 5_000), body, 3, "a word of 5000 characters without a space; words in prose may be at most 256"},
		{"a huge file", strings.Repeat(strings.Repeat("ab ", 1000)+"\n", 100), 1, 1, "a lesson file may be at most 262144 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := frontMatter + c.body + "\n"
			err := within(t, 20*time.Second, "Parse", func() error { _, err := Parse("f.md", []byte(src), testRegistry()); return err })
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("want errors, got %v", err)
			}
			e := list[0]
			for _, x := range list {
				if strings.Contains(x.Msg, c.want) {
					e = x
				}
			}
			if !strings.Contains(e.Msg, c.want) || strings.Contains(e.Error(), "\n") {
				t.Errorf("error %q, want one line with %q", e.Error(), c.want)
			}
			if e.Line != c.line || c.col != 0 && e.Col != c.col {
				t.Errorf("error at %d:%d, want %d:%d", e.Line, e.Col, c.line, c.col)
			}
		})
	}
}

// renderProse renders every prose block of l as nnlab render and the
// notebook do: glamour at width, then the quote mending and reflow.
func renderProse(t *testing.T, l *Lesson, width int) string {
	t.Helper()
	md, err := glamour.NewTermRenderer(glamour.WithStandardStyle("notty"), glamour.WithWordWrap(width), glamour.WithColorProfile(termenv.Ascii))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, bl := range l.Blocks {
		if p, ok := bl.(*Prose); ok {
			out, err := md.Render(p.Text)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(report.Reflow(report.MendQuotes(strings.Trim(out, "\n")), width))
		}
	}
	return b.String()
}

// TestWorstAcceptedRenders: the worst files the limits let through — nested
// exactly as deep as allowed, words exactly as long, a file exactly as
// large — parse and render in seconds on a small stack.
func TestWorstAcceptedRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a quarter of a megabyte five times")
	}
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	fill := func(head, line string) string { // head, then as many copies of line as fit in the file
		n := (MaxFileSize - len(frontMatter) - len(head)) / (len(line) + 1)
		return head + strings.Repeat(line+"\n", n)
	}
	for _, c := range []struct{ name, body string }{
		{"quotes 16 deep", fill("", strings.Repeat(">", MaxNesting)+" "+strings.Repeat("ab ", 300))},
		{"lists 16 deep", fill(nestedList(MaxNesting), strings.Repeat("  ", MaxNesting-1)+strings.Repeat(" ab", 300))},
		{"emphasis 16 deep", fill("", strings.Repeat("*", MaxInlineNesting)+"a"+strings.Repeat("*", MaxInlineNesting))},
		{"words of 256", fill("", strings.Repeat(strings.Repeat("a", MaxWordLen)+" ", 60))},
		{"brackets", fill("", strings.Repeat("[ ", MaxLineLen/2-1))},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := frontMatter + c.body
			t0 := time.Now()
			l, err := Parse("f.md", []byte(src), testRegistry())
			if err != nil {
				t.Fatalf("%.200v", err)
			}
			parse := time.Since(t0)
			out := within(t, 60*time.Second, "render", func() string { return renderProse(t, l, 80) })
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			t.Logf("%d bytes: parse %s, render %s, %d lines out, heap %d MB", len(src), parse.Round(time.Millisecond), (time.Since(t0) - parse).Round(time.Millisecond), strings.Count(out, "\n"), ms.HeapSys>>20)
		})
	}
}

// TestLessonBudget: the runs of one lesson share one budget in Check and
// in a budget runner, however many cells there are.
func TestLessonBudget(t *testing.T) {
	defer func(b time.Duration) { LessonBudget = b }(LessonBudget)
	LessonBudget = 200 * time.Millisecond
	var src strings.Builder
	src.WriteString(frontMatter)
	for i := range 6 {
		src.WriteString(cellSrc("id: c" + string(rune('0'+i)) + "\nexperiment: slow\nparams: {ms: " + string(rune('1'+i)) + "00}"))
	}
	l := must(Parse("f.md", []byte(src.String()), testRegistry()))
	t0 := time.Now()
	err := Check(context.Background(), l, nil)
	if took := time.Since(t0); took > 2*time.Second {
		t.Errorf("Check took %s for a budget of %s", took, LessonBudget)
	}
	if err == nil || !strings.Contains(err.Error(), "took over 200ms together") {
		t.Errorf("Check: %v", err)
	}
	rn := NewBudgetRunner(LessonBudget)
	t0 = time.Now()
	var last error
	for _, c := range l.Cells() {
		_, last = rn.RunCell(context.Background(), c)
	}
	if took := time.Since(t0); took > 2*time.Second || !errors.Is(last, ErrOverBudget) {
		t.Errorf("a budget runner took %s and ended with %v", took, last)
	}
}

// BenchmarkLongWord is a lesson of one word of n characters from file to
// text. glamour wraps a word in time that grows with the square of its
// length (25,000 characters took 2.6 s, 1,000,000 never finished), so Parse
// refuses words over MaxWordLen; the benchmark times that refusal for the
// long words and the render for the longest word allowed.
func BenchmarkLongWord(b *testing.B) {
	reg := testRegistry()
	for _, n := range []int{MaxWordLen, 25_000, 100_000, 1_000_000} {
		src := []byte(frontMatter + strings.Repeat("a", n) + "\n")
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			md, _ := glamour.NewTermRenderer(glamour.WithStandardStyle("notty"), glamour.WithWordWrap(80), glamour.WithColorProfile(termenv.Ascii))
			for b.Loop() {
				l, err := Parse("f.md", src, reg)
				if err != nil {
					continue
				}
				out, _ := md.Render(l.Blocks[0].(*Prose).Text)
				report.Reflow(out, 80)
			}
		})
	}
}
