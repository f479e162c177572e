package report

import (
	"regexp"
	"strings"
	"testing"
)

// pad pads every line to width columns, as glamour does.
func pad(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Pad(l, width, false)
	}
	return strings.Join(lines, "\n")
}

// TestQuoteParagraphs: a block quote of two paragraphs keeps them apart,
// with the bar alone between them, whatever the bar (│ in colour, | plain)
// and whether glamour's padding is still on the lines. The bar alone used
// to be taken for a line that lost its bar (MendQuotes joined it to the
// line before, leaving a stray │) or, as │ is three bytes, for a quote line
// with text (Reflow joined the paragraphs).
func TestQuoteParagraphs(t *testing.T) {
	for _, bar := range []string{"│", "|"} {
		in := "  " + bar + " When the gradient is computed from noisy data, it is\n" +
			"  " + bar + " likely to point the wrong way.\n" +
			"  " + bar + "\n" +
			"  " + bar + " Momentum can accelerate gradient descent.\n\n  After."
		want := "  " + bar + " When the gradient is computed from noisy data, it is likely to point\n" +
			"  " + bar + " the wrong way.\n" +
			"  " + bar + "\n" +
			"  " + bar + " Momentum can accelerate gradient descent.\n\n  After."
		for _, src := range []string{in, pad(in, 72)} {
			if got := Reflow(MendQuotes(src), 72); got != want {
				t.Errorf("bar %s:\n got %q\nwant %q", bar, got, want)
			}
		}
	}
}

// TestReflowNoRunsOfSpaces: a paragraph whose lines carry glamour's padding
// (nnlab render did not trim it) is joined with single spaces; it used to
// keep the padding and come out justified ("the     second").
func TestReflowNoRunsOfSpaces(t *testing.T) {
	in := pad("  The first says that accumulating past\n  gradients makes training more stable, less shaken by noise; the\n  second says that it\n  makes gradient descent faster.", 60)
	got := Reflow(in, 60)
	if regexp.MustCompile(`\S  +\S`).MatchString(got) {
		t.Errorf("runs of spaces:\n%s", got)
	}
	if oneLine := strings.Join(strings.Fields(got), " "); oneLine != strings.Join(strings.Fields(in), " ") {
		t.Errorf("words changed: %q", oneLine)
	}
	for _, l := range strings.Split(got, "\n") {
		if Width(l) > 60 || strings.HasSuffix(l, " ") {
			t.Errorf("line %q: wider than 60 or trailing spaces", l)
		}
	}
}

// TestNoBreakInsideWords: at every width, a paragraph is broken at spaces
// only — never after a hyphen ("ResNet- 50"), inside a number ("6,\n379,984",
// "-\n0.94") — and lines glamour broke twice ("-0.94.⏎In⏎the", "pad⏎=⏎1:")
// are joined again.
func TestNoBreakInsideWords(t *testing.T) {
	words := []string{"ResNet-50", "6,379,984", "-0.94.", "1×1-conv", "곱셈-누산(multiply-accumulate)을", "multiply-accumulates"}
	text := "  The first layer of ResNet-50 holds 6,379,984 weights, x is still at -0.94. In the steep 1×1-conv direction " +
		"곱셈-누산(multiply-accumulate)을 all the multiply-accumulates, then pad\n  =\n  1: done."
	for w := 12; w <= 100; w++ {
		got := Reflow(text, w)
		lines := strings.Split(got, "\n")
		for _, word := range words {
			if Width(word) > w-2 {
				continue // cut, as it must be
			}
			if !strings.Contains(strings.Join(strings.Fields(got), " "), word) {
				t.Fatalf("width %d: %q broken:\n%s", w, word, got)
			}
		}
		for i, l := range lines {
			if Width(l) > w && len(strings.Fields(l)) > 1 {
				t.Errorf("width %d: line %q too wide", w, l)
			}
			if i > 0 && (strings.TrimSpace(l) == "=" || strings.TrimSpace(l) == "In") && w > 20 {
				t.Errorf("width %d: a word alone on a line:\n%s", w, got)
			}
		}
	}
}

// TestWrapWords pins the wrapping itself: breaks at spaces only, spaces at
// a break dropped, a word longer than the line cut, styles kept.
func TestWrapWords(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  []string
	}{
		{"ab cd ef", 5, []string{"ab cd", "ef"}},
		{"ab    cd ef", 5, []string{"ab", "cd ef"}},
		{"  ab cd", 5, []string{"  ab", "cd"}},
		{"x ResNet-50 y", 9, []string{"x", "ResNet-50", "y"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"a \x1b[1mbold\x1b[0m b", 6, []string{"a \x1b[1mbold\x1b[0m", "b"}},
		{"가나 다라", 4, []string{"가나", "다라"}},
		{"", 4, []string{""}},
	} {
		if got := wrapWords(tc.in, tc.width); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
	// Wrap, for cell captions and tasks, wraps each of its lines alike.
	if got, want := Wrap("costs 118.0M multiply-accumulates\nat x = -0.94", 24), "costs 118.0M\nmultiply-accumulates\nat x = -0.94"; got != want {
		t.Errorf("Wrap = %q, want %q", got, want)
	}
}

// TestReflowNumberAtLineStart: a paragraph glamour wrapped before "100."
// stays one paragraph; a numbered list stays a list.
func TestReflowNumberAtLineStart(t *testing.T) {
	para := "  The loss after the run is close to\n  100. Neither optimizer reaches the floor in\n  time."
	if got := Reflow(para, 200); got != "  The loss after the run is close to 100. Neither optimizer reaches the floor in time." {
		t.Errorf("a wrapped paragraph was split at a number:\n%s", got)
	}
	list := "  Steps:\n\n  1. first item\n  2. second item that\n  goes on\n  3. third"
	got := Reflow(list, 80)
	for _, want := range []string{"\n  1. first item\n", "\n  2. second item that goes on\n", "\n  3. third"} {
		if !strings.Contains(got, want) {
			t.Errorf("the list lost an item's line %q:\n%s", want, got)
		}
	}
}
