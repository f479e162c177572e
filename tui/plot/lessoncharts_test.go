package plot

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/report"
)

// lessonChart runs a lesson cell at its lesson values and returns its
// chart in lang, as the notebook draws it at 80 columns (in colour, the
// escape codes stripped so the braille shows) and as the text report
// (nnlab render --width 80) prints it.
func lessonChart(t *testing.T, lesson, cell, key, lang string) (notebook, text string) {
	t.Helper()
	lib, err := lessons.Load(experiments.Registry(), "")
	if err != nil {
		t.Fatal(err)
	}
	l, ok := lib.Lookup(lesson, lang)
	if !ok {
		t.Fatalf("no lesson %s in %s", lesson, lang)
	}
	c, ok := l.Cell(cell)
	if !ok {
		t.Fatalf("lesson %s has no cell %s", lesson, cell)
	}
	r, err := c.Experiment.Execute(context.Background(), c.Params, nil)
	if err != nil {
		t.Fatal(err)
	}
	ch, ok := locale.Result(lang, r).Chart(key)
	if !ok {
		t.Fatalf("cell %s has no chart %s", cell, key)
	}
	color := lipgloss.NewRenderer(nil)
	color.SetColorProfile(termenv.TrueColor)
	th := NewTheme(color, true)
	th.Words = WordsIn(lang)
	notebook = ansi.Strip(LineChart(ch, nbW-1, 14, th))
	text = report.Chart(ch, report.Options{Width: 80, Words: report.WordsIn(lang)})
	return notebook, text
}

// yLabels are the labels on a chart's y axis, top to bottom.
func yLabels(out string) []string {
	var labels []string
	for _, r := range plotRows(out) {
		if l, _, ok := strings.Cut(r, "│"); ok && strings.TrimSpace(l) != "" {
			labels = append(labels, strings.TrimSpace(l))
		}
	}
	return labels
}

// checkLabels fails when two y labels read alike or when the labels mix
// formats (scientific beside plain).
func checkLabels(t *testing.T, what string, labels []string) {
	t.Helper()
	if len(labels) < 3 {
		t.Errorf("%s: %d y labels %q, want at least 3", what, len(labels), labels)
	}
	seen := map[string]bool{}
	sci := 0
	for _, l := range labels {
		if seen[l] {
			t.Errorf("%s: the y label %q repeats: %q", what, l, labels)
		}
		seen[l] = true
		if strings.Contains(l, "e") {
			sci++
		}
	}
	if sci != 0 && sci != len(labels) {
		t.Errorf("%s: y labels in two formats: %q", what, labels)
	}
}

// TestAdamBiasChart: both steps in view with labels that differ (it read
// 1.000e-03 on every label, the corrected step drawn through rounding
// noise, the uncorrected one cut at step 1).
func TestAdamBiasChart(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		nb, text := lessonChart(t, "adaptive", "adam-bias", "steps", lang)
		for what, out := range map[string]string{"notebook": nb, "text": text} {
			what = lang + " " + what
			checkLabels(t, what, yLabels(out))
			if strings.Contains(out, "↑") {
				t.Errorf("%s: a curve leaves the scale:\n%s", what, out)
			}
			rows := strings.Join(plotRows(out), "\n")
			if !strings.Contains(rows, "*") || !strings.Contains(rows, "+") {
				t.Errorf("%s: not both curves drawn:\n%s", what, out)
			}
		}
		t.Run(lang, func(t *testing.T) { golden.RequireEqual(t, []byte(nb+"\n\n"+text+"\n")) })
	}
}

// TestRatesChart: the rates chart shows 0 to 1.2, where the prose's floor
// and the gap between the floors are, with the floor and its ends (critical
// damping) marked and what is cut said so; the y axis used to reach 2.75.
func TestRatesChart(t *testing.T) {
	want := map[string][]string{
		"en": {"floor √β = 0.7071", "┊ critical damping: learning rate 0.4289, 0.7286", "↑ values above 1.2 are cut at the top edge"},
		"ko": {"바닥 √β = 0.7071", "┊ 임계 감쇠: 학습률 0.4289, 0.7286", "↑ 1.2보다 큰 값은 위쪽 가장자리에서 잘립니다"},
	}
	for _, lang := range []string{"en", "ko"} {
		nb, text := lessonChart(t, "momentum", "rates", "rates", lang)
		for what, out := range map[string]string{"notebook": nb, "text": text} {
			what = lang + " " + what
			labels := yLabels(out)
			checkLabels(t, what, labels)
			if top := labels[0]; top != "1.0" {
				t.Errorf("%s: the top y label is %s, want 1.0 (the axis runs to 1.2)", what, top)
			}
			for _, s := range want[lang] {
				if !strings.Contains(out, s) {
					t.Errorf("%s: no %q:\n%s", what, s, out)
				}
			}
		}
		t.Run(lang, func(t *testing.T) { golden.RequireEqual(t, []byte(nb+"\n\n"+text+"\n")) })
	}
}

// TestLossEMAChart: bn-long's loss curves are each net's moving average
// over its raw loss per step, named, and the log axis labels are in one
// format (1e+02 stood beside 10).
func TestLossEMAChart(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two 20-block nets for 1,000 steps")
	}
	for _, lang := range []string{"en", "ko"} {
		nb, text := lessonChart(t, "residual", "bn-long", "loss", lang)
		for what, out := range map[string]string{"notebook": nb, "text": text} {
			what = lang + " " + what
			checkLabels(t, what, yLabels(out))
		}
		names := map[string][]string{"en": {"plain, EMA 0.95", "residual, per step"}, "ko": {"플레인, 이동 평균 0.95", "잔차, 스텝별"}}[lang]
		for _, n := range names {
			if !strings.Contains(nb, n) || !strings.Contains(text, n) {
				t.Errorf("%s: the legend lacks %q", lang, n)
			}
		}
		t.Run(lang, func(t *testing.T) { golden.RequireEqual(t, []byte(nb+"\n\n"+text+"\n")) })
	}
}
