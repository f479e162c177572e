package tui

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
)

// renderProse renders md as the notebook does, in style, plain text out.
func renderProse(t *testing.T, md string, width int, style string) string {
	t.Helper()
	pr, err := NewProseRenderer(width, style, termenv.TrueColor)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pr.Render(md)
	if err != nil {
		t.Fatal(err)
	}
	return ansi.Strip(out)
}

// TestProseQuoteParagraphs: the study-notes quotes of the momentum,
// conv-arithmetic and 1×1 lessons have two paragraphs; they used to be
// joined into one with a stray │ between them.
func TestProseQuoteParagraphs(t *testing.T) {
	md := "> When the gradient is computed from noisy data, it is likely to point in the wrong direction. Taking the gradients accumulated so far into account reduces the harm that noisy data does to the gradient.\n" +
		">\n> Momentum method can accelerate gradient descent by taking accounts of previous gradients in the update rule equation in every iteration.\n\nAfter."
	for _, style := range []string{"dark", "light", "notty"} {
		for _, w := range []int{60, 80, 100} {
			out := renderProse(t, md, w, style)
			var quote []string
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "  │") || strings.HasPrefix(l, "  |") {
					quote = append(quote, l)
				}
			}
			blank := -1
			for i, l := range quote {
				if len(strings.Fields(l)) == 1 {
					blank = i
				}
				if strings.Count(l, "│")+strings.Count(l, "|") != 1 {
					t.Errorf("%s %d: a stray bar in %q", style, w, l)
				}
			}
			if blank < 1 || blank == len(quote)-1 || !strings.Contains(quote[blank+1], "Momentum method") {
				t.Errorf("%s %d: the two paragraphs are not kept apart:\n%s", style, w, out)
			}
		}
	}
}

// TestProseNoBreakInsideWords: through glamour, whose wrap breaks after
// every hyphen, at every width: no "ResNet- 50", no "ResNet-⏎50", no
// number cut ("-⏎0.94", "6,⏎379,984"), no runs of spaces.
func TestProseNoBreakInsideWords(t *testing.T) {
	md := "The first layer of ResNet-50 holds 6,379,984 weights and 118.0M multiply-accumulates; after 20 steps x is still at -0.94. In the steep direction the 1×1-conv 곱셈-누산(multiply-accumulate) is cheap, pad = 1: done."
	runs := regexp.MustCompile(`\S  +\S`)
	for _, style := range []string{"dark", "notty"} {
		for w := 40; w <= 100; w++ {
			out := renderProse(t, md, w, style)
			joined := strings.Join(strings.Fields(out), " ")
			for _, word := range []string{"ResNet-50", "6,379,984", "multiply-accumulates;", "-0.94.", "1×1-conv", "곱셈-누산(multiply-accumulate)"} {
				if !strings.Contains(joined, word) {
					t.Fatalf("%s %d: %q broken:\n%s", style, w, word, out)
				}
			}
			for _, l := range strings.Split(out, "\n") {
				if runs.MatchString(strings.TrimSpace(l)) || ansi.StringWidth(l) > w {
					t.Fatalf("%s %d: line %q has a run of spaces or is too wide", style, w, l)
				}
				if f := strings.Fields(l); len(f) == 1 && (f[0] == "=" || f[0] == "In") {
					t.Fatalf("%s %d: a word alone on a line:\n%s", style, w, out)
				}
			}
		}
	}
}

// TestPlainProseNoMarkers: without colour (NO_COLOR, nnlab render) prose
// shows no markdown markers; glamour's notty style kept them.
func TestPlainProseNoMarkers(t *testing.T) {
	md := "# Title\n\nSome **bold**, *emphasis*, ~~gone~~ and `code`.\n\n## Section\n\n### Sub\n\nText."
	out := renderProse(t, md, 80, "notty")
	for _, marker := range []string{"#", "**", "*", "~~", "`"} {
		if strings.Contains(out, marker) {
			t.Errorf("marker %q in:\n%s", marker, out)
		}
	}
	for _, want := range []string{"Title", "Some bold, emphasis, gone and code.", "Section", "Sub"} {
		if !strings.Contains(out, want) {
			t.Errorf("%q missing in:\n%s", want, out)
		}
	}
}

// slowValue is an experiment that takes ms milliseconds; it fails while
// failing is set.
func slowValue(failing *atomic.Bool) (*experiment.Experiment, *atomic.Int64) {
	var calls atomic.Int64
	if failing == nil {
		failing = &atomic.Bool{}
	}
	return &experiment.Experiment{
		Name:   "slowvalue",
		Params: experiment.Schema{{Name: "ms", Kind: experiment.Int, Default: 300, Min: 0, Max: 10000, Step: 1}},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if calls.Add(1); failing.Load() {
				return nil, errors.New("out of memory")
			}
			select {
			case <-time.After(time.Duration(v.Int("ms")) * time.Millisecond):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			r := &experiment.Result{}
			r.AddScalar("answer", "Answer", 42, "")
			return r, nil
		},
	}, &calls
}

const slowLesson = `---
id: slow
title: Slow values
lang: en
order: 1
summary: A lesson whose values take a while.
minutes: 1
---

The answer is {{ slowvalue().answer }}.
`

func slowLessonWith(t *testing.T, e *experiment.Experiment) *lessons.Lesson {
	t.Helper()
	l, err := lessons.Parse("slow.md", []byte(slowLesson), experiment.NewRegistry(append(experiments.Registry().All(), e)...))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestSlowValueIsNeverUnresolved: a value whose run takes longer than the
// deadline values used to have (lessons.InlineBudget, here shortened as a
// busy machine would make it) is waited for, not shown as "?"; until it
// arrives the prose shows with a placeholder.
func TestSlowValueIsNeverUnresolved(t *testing.T) {
	defer func(b time.Duration) { lessons.InlineBudget = b }(lessons.InlineBudget)
	lessons.InlineBudget = 10 * time.Millisecond

	e, _ := slowValue(nil)
	m := New(Options{Library: lessons.NewLibrary(slowLessonWith(t, e)), Lang: "en", Renderer: plainRenderer(), Dark: true})
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	send(t, m, keys("enter")...)
	if out := screen(m); !strings.Contains(out, "The answer is 42.") || strings.Contains(out, "The answer is ?") {
		t.Errorf("the slow value did not arrive:\n%s", out)
	}

	// Step by step: the placeholder first, then the value.
	e, _ = slowValue(nil)
	l := slowLessonWith(t, e)
	c := New(Options{Library: lessons.NewLibrary(l), Lang: "en", Renderer: plainRenderer(), Dark: true}).c
	k := proseKey{"slow", 80, c.Styles.GlamourSty}
	batch, ok := c.proseCmd(1, k, l, l.Blocks[0].(*lessons.Prose))().(tea.BatchMsg)
	if !ok || len(batch) != 2 {
		t.Fatalf("want a placeholder rendering and the full one, got %#v", batch)
	}
	batch[0]()
	if s, ok := c.prose.view(k); !ok || !strings.Contains(s, "The answer is "+Pending+".") {
		t.Errorf("placeholder rendering: %q", s)
	}
	if _, ok := c.prose.get(k); ok {
		t.Error("the placeholder rendering counts as final")
	}
	batch[1]()
	if s, ok := c.prose.get(k); !ok || !strings.Contains(s, "The answer is 42.") {
		t.Errorf("final rendering: %q, %v", s, ok)
	}
	batch[0]() // a late placeholder rendering does not replace the final one
	if s, _ := c.prose.view(k); !strings.Contains(s, "42") {
		t.Errorf("the placeholder replaced the value: %q", s)
	}
}

// TestFailedValueComputedAgain: a value whose run failed shows "?" but is
// kept neither by the runner nor by the prose cache: the next view of the
// notebook computes it again.
func TestFailedValueComputedAgain(t *testing.T) {
	var failing atomic.Bool
	failing.Store(true)
	e, calls := slowValue(&failing)
	m := New(Options{Library: lessons.NewLibrary(slowLessonWith(t, e)), Lang: "en", Renderer: plainRenderer(), Dark: true})
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	send(t, m, keys("enter")...)
	if out := screen(m); !strings.Contains(out, "The answer is ?.") {
		t.Fatalf("the failed value:\n%s", out)
	}
	failing.Store(false)
	send(t, m, keys("esc")...)
	send(t, m, keys("enter")...)
	if out := screen(m); !strings.Contains(out, "The answer is 42.") {
		t.Errorf("the failed value was not computed again (%d runs):\n%s", calls.Load(), out)
	}
}
