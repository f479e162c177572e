package locale

import (
	"errors"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
)

// Error says what err says in lang. Core's typed errors are put in words
// from their fields (the parameter, its range or choices, the value given);
// the "experiment: " prefix an experiment adds is kept as it is. Other
// errors are shown as their catalog entry has them, else in English.
func Error(lang string, err error) string {
	if err == nil {
		return ""
	}
	en := err.Error()
	if lang == "en" {
		return en
	}
	m := func(id string, args ...any) string { return experiment.Fill(Msg(lang, id), args...) }
	var (
		ve  *experiment.ValueError
		une *experiment.UnknownNameError
		de  *experiment.DuplicateError
		ie  *experiment.InvalidError
		s   string
		in  error
	)
	switch {
	case errors.As(err, &ve):
		p := ve.Param
		var expect string
		switch p.Kind {
		case experiment.Int:
			expect = m("error.expect.int", p.Min, p.Max)
		case experiment.Float:
			expect = m("error.expect.float", p.Min, p.Max)
		case experiment.Bool:
			expect = m("error.expect.bool")
		case experiment.Enum:
			expect = m("error.expect.enum", p.Choices)
		case experiment.List:
			expect = m("error.expect.list", p.Choices)
		}
		s, in = m("error.value", p.Name, expect, ve.Got), ve
		if ve.NotFinite {
			s += m("error.not_finite")
		}
	case errors.As(err, &une):
		if une.What == "choice" {
			s = m("error.unknown.choice", une.Param, une.Name, une.Shown())
		} else {
			s = m("error.unknown."+une.What, une.Name, une.Shown())
		}
		in = une
	case errors.As(err, &de):
		s, in = m("error.duplicate", de.Param, de.Item), de
	case errors.As(err, &ie):
		if !HasMsg(ie.Rule) {
			return en
		}
		s, in = m(ie.Rule, ie.Args...), ie
	default:
		return Text(lang, en)
	}
	return strings.TrimSuffix(en, in.Error()) + s
}
