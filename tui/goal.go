package tui

import (
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/locale"
)

// GoalText words an exercise's goal (or a hint's condition) in lang for a
// learner: "parameters above 40M and multiply-accumulates below 10G", each
// name as the label r gives it, the comparisons and the words between them
// from the message catalog. r may be nil (before the first run); names then
// read as written. The notebook and nnlab render show goals this way.
func GoalText(lang string, c *lessons.Cond, r *experiment.Result) string {
	if c == nil {
		return ""
	}
	return c.Text(lang, lessons.Wording{
		Msg:   locale.Msg,
		Label: func(name string) string { return locale.GoalLabel(lang, r, name) },
		Unit:  func(name string) string { return locale.GoalUnit(lang, r, name) },
	})
}
