package report

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// longWords are one unbroken word of each length, plain and Korean.
var longWords = []int{25_000, 100_000, 1_000_000}

func BenchmarkWrapLongWord(b *testing.B) {
	for _, n := range longWords {
		s := strings.Repeat("a", n)
		b.Run(fmt.Sprintf("Wrap/%d", n), func(b *testing.B) {
			for b.Loop() {
				Wrap(s, 76)
			}
		})
		b.Run(fmt.Sprintf("Fit/%d", n), func(b *testing.B) {
			for b.Loop() {
				Fit("  "+s, 80)
			}
		})
		b.Run(fmt.Sprintf("Reflow/%d", n), func(b *testing.B) {
			for b.Loop() {
				Reflow("  "+s, 80)
			}
		})
	}
}

// TestLongWordLinear: wrapping a word of a million characters ends (it
// took minutes when each break rescanned the word; linear, it takes well
// under a second). The deadline only catches that: it is generous enough
// for the race detector on a busy machine. BenchmarkWrapLongWord has the figures.
func TestLongWordLinear(t *testing.T) {
	for _, s := range []string{strings.Repeat("a", 1_000_000), strings.Repeat("가", 300_000), "  " + strings.Repeat("\x1b[1mab\x1b[0m", 200_000)} {
		done := make(chan [3]string, 1)
		go func() { done <- [3]string{Wrap(s, 37), Fit(s, 40), Reflow("  "+strings.TrimLeft(s, " "), 40)} }()
		select {
		case out := <-done:
			for i, o := range out {
				w := []int{37, 40, 40}[i]
				for _, line := range strings.Split(o, "\n") {
					if Width(line) > w {
						t.Fatalf("output %d: a line of %d columns, wider than %d", i, Width(line), w)
					}
				}
			}
		case <-time.After(90 * time.Second):
			t.Fatalf("wrapping a word of %d bytes took over 90 s", len(s))
		}
	}
}
