package state

import (
	"maps"
	"time"

	"github.com/nnlab/nnlab/core/quiz"
)

// merge folds disk, the file as another window may have saved it, into
// ours, so that neither window's progress is lost:
//   - a lesson is visited if either says so, last visited at the later time;
//   - an exercise is passed if either says so, first passed at the earlier time;
//   - each cell's parameters are those of the side that set (or forgot)
//     them last, by ParamsAt; on a tie (files written before ParamsAt) ours
//     are kept if we have any;
//   - each quiz kind's box is that of the side that answered it last, by At;
//     on a tie, the side with more answers;
//   - the language is the one chosen last, by LangAt, and the theme by ThemeAt;
//   - a terminal is silent if either says so, since the later time.
//
// disk is not used afterwards: its maps may become ours.
func merge(ours, disk *file) {
	if disk.LangAt.After(ours.LangAt) {
		ours.Lang, ours.LangAt = disk.Lang, disk.LangAt
	}
	if disk.ThemeAt.After(ours.ThemeAt) {
		ours.Theme, ours.ThemeAt = disk.Theme, disk.ThemeAt
	}
	for id, t := range disk.Silent {
		if o, ok := ours.Silent[id]; !ok || t.After(o) {
			if ours.Silent == nil {
				ours.Silent = map[string]time.Time{}
			}
			ours.Silent[id] = t
		}
	}
	trimSilent(ours.Silent)
	for id, d := range disk.Lessons {
		o := ours.Lessons[id]
		if o == nil {
			ours.Lessons[id] = d
			continue
		}
		mergeLesson(o, d)
	}
	for kind, d := range disk.Quiz {
		o := ours.Quiz[kind]
		if o == nil || d.At.After(o.At) || (d.At.Equal(o.At) && d.Right+d.Wrong > o.Right+o.Wrong) {
			if ours.Quiz == nil {
				ours.Quiz = map[string]*quiz.Box{}
			}
			ours.Quiz[kind] = d
		}
	}
}

func mergeLesson(o, d *Lesson) {
	o.Visited = o.Visited || d.Visited
	if d.LastVisit.After(o.LastVisit) { // the later visit's reading place too
		o.LastVisit = d.LastVisit
		if d.Place != nil {
			o.Place = d.Place
		}
	}
	for cell, t := range d.Passed {
		if ot, ok := o.Passed[cell]; !ok || t.Before(ot) {
			if o.Passed == nil {
				o.Passed = map[string]time.Time{}
			}
			o.Passed[cell] = t
		}
	}
	cells := map[string]bool{}
	for c := range d.Params {
		cells[c] = true
	}
	for c := range d.ParamsAt {
		cells[c] = true
	}
	for cell := range cells {
		dt, ot := d.ParamsAt[cell], o.ParamsAt[cell]
		_, oHas := o.Params[cell]
		dp, dHas := d.Params[cell]
		if !dt.After(ot) && (!dt.Equal(ot) || oHas || !dHas) {
			continue
		}
		if dHas {
			if o.Params == nil {
				o.Params = map[string]map[string]string{}
			}
			o.Params[cell] = maps.Clone(dp)
		} else {
			delete(o.Params, cell)
		}
		if !dt.IsZero() {
			if o.ParamsAt == nil {
				o.ParamsAt = map[string]time.Time{}
			}
			o.ParamsAt[cell] = dt
		}
	}
}
