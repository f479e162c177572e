package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/locale/localetest"
	"github.com/nnlab/nnlab/tui/plot"
	"github.com/nnlab/nnlab/tui/report"
)

// Every message has a text in every language of the lessons.
func TestMessagesInEveryLanguage(t *testing.T) {
	for _, p := range locale.CheckMessages(lessons.Languages) {
		t.Error(p)
	}
}

// Every message id the code names — T(lang, "id") and locale.Msg(lang,
// "id") anywhere under tui/ — is in the catalog.
func TestMessageIDsExist(t *testing.T) {
	calls := localetest.Calls(t, ".", "T", "Msg")
	n := 0
	for _, c := range calls {
		if len(c.Args) != 2 || !c.Lit[1] {
			continue
		}
		n++
		if !locale.HasMsg(c.Args[1]) {
			t.Errorf("%s: message %q is not in assets/messages.yaml", c.Pos, c.Args[1])
		}
	}
	if n < 30 {
		t.Errorf("found only %d message ids in the code; the scan is broken", n)
	}
}

// Ids made by joining a prefix to a name (key help, chart, report and
// render words) resolve to words, not to ids shown as they are.
func TestComposedMessageIDs(t *testing.T) {
	for _, lang := range lessons.Languages {
		km := DefaultKeyMap(lang)
		all := [][]key.Binding{{km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom, km.NextCell, km.PrevCell, km.NextParam, km.PrevParam,
			km.Inc, km.Dec, km.Edit, km.Reset, km.Run, km.RunAll, km.Pin, km.ClearPins, km.Open, km.Back, km.Lang, km.Help, km.Quit, km.Confirm, km.Cancel}}
		for _, h := range all {
			for _, b := range h {
				if d := b.Help().Desc; d == "" || strings.HasPrefix(d, "key.") {
					t.Errorf("%s: key %s has help %q", lang, b.Help().Key, d)
				}
			}
		}
		words := []string{plot.WordsIn(lang).Log, plot.WordsIn(lang).Minimum, plot.WordsIn(lang).Start, plot.WordsIn(lang).Low, plot.WordsIn(lang).High,
			plot.WordsIn(lang).OffScale, plot.WordsIn(lang).OffWindow,
			report.WordsIn(lang).LogScale, report.WordsIn(lang).Minimum, report.WordsIn(lang).OffScale, report.WordsIn(lang).OffWindow}
		for _, w := range words {
			if w == "" || strings.HasPrefix(w, "chart.") || strings.HasPrefix(w, "report.") {
				t.Errorf("%s: chart or report word %q", lang, w)
			}
		}
	}
}
