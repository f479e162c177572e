package locale

import (
	"strconv"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/locale/localetest"
)

// Every rule core names in experiment.Invalid has its words in every
// language of the lessons, with the same English as the code's template and
// the same placeholders in every language.
func TestRulesInCatalog(t *testing.T) {
	calls := localetest.Calls(t, "../../core", "Invalid")
	if len(calls) == 0 {
		t.Fatal("no experiment.Invalid calls found in core; the scan is broken")
	}
	for _, c := range calls {
		if len(c.Args) < 3 || !c.Lit[1] || !c.Lit[2] {
			t.Errorf("%s: experiment.Invalid with a rule or template that is not a literal", c.Pos)
			continue
		}
		id, en := c.Args[1], c.Args[2]
		if !HasMsg(id) {
			t.Errorf("%s: rule %q is not in assets/messages.yaml", c.Pos, id)
			continue
		}
		if got := Msg("en", id); got != en {
			t.Errorf("%s: rule %q: English in the catalog\n %q\ndiffers from the code's\n %q", c.Pos, id, got, en)
		}
		for _, lang := range lessons.Languages {
			for i := 1; strings.Contains(en, "{"+strconv.Itoa(i)+"}"); i++ {
				if !strings.Contains(Msg(lang, id), "{"+strconv.Itoa(i)+"}") {
					t.Errorf("%s: rule %q in %s lacks {%d}", c.Pos, id, lang, i)
				}
			}
		}
	}
}
