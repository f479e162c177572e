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
// read as written. A bool parameter of exp (nil: none known) reads as on
// or off: "bn on", not "bn = 1". The notebook and nnlab render show goals
// this way.
func GoalText(lang string, c *lessons.Cond, r *experiment.Result, exp *experiment.Experiment) string {
	if c == nil {
		return ""
	}
	return c.Text(lang, lessons.Wording{
		Msg:   locale.Msg,
		Label: func(name string) string { return locale.GoalLabel(lang, r, name) },
		Unit:  func(name string) string { return locale.GoalUnit(lang, r, name) },
		Switch: func(name string) bool {
			if exp == nil {
				return false
			}
			if r != nil {
				if _, isScalar := r.Scalar(name); isScalar {
					return false // a result's number, not the parameter
				}
			}
			p, ok := exp.Params.Lookup(name)
			return ok && p.Kind == experiment.Bool
		},
	})
}
