package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nnlab/nnlab/assets"
	"github.com/nnlab/nnlab/core/quiz"
	"github.com/nnlab/nnlab/internal/untrusted"
)

// MaxFileSize bounds the state file. A real one holds a few kilobytes per
// lesson and a few hundred bytes per quiz kind: years of use of a thousand
// lessons of one's own stay under 10 MiB. A larger file is moved aside
// unread, with a notice that says it is too large.
const MaxFileSize = 32 << 20

// notStateError is a file that cannot be read as state at all.
type notStateError struct {
	why  string
	big  *untrusted.TooLargeError   // when it is too large
	kind *untrusted.NotRegularError // when it is not a regular file
}

func (e notStateError) Error() string { return "not a progress file: " + e.why }

// notice is Open's line about a file moved aside as aside.
func (e notStateError) notice(aside string) string {
	switch {
	case e.big != nil:
		return fmt.Sprintf("progress file was too large (%s, more than the %s nnlab reads): kept it as %s and started afresh",
			untrusted.ByteSize(e.big.Size), untrusted.ByteSize(e.big.Limit), aside)
	case e.kind != nil:
		return fmt.Sprintf("progress file was %s, not a regular file: kept it as %s and started afresh", e.kind.Kind(), aside)
	}
	return fmt.Sprintf("progress file was unreadable: kept it as %s and started afresh", aside)
}

// load reads and checks the state file at path. What is not valid state is
// dropped, each named in dropped (e.g. lessons.welcome, lang); the rest is
// returned. A file that is not state at all gives a notStateError; a missing
// one an error wrapping fs.ErrNotExist.
//
// Only a regular file is read, opened without blocking (a named pipe in its
// place would hang the start while it holds the lock); anything else there
// — a pipe, a folder, a device — is not state either.
func load(path string) (f *file, dropped []string, err error) {
	b, err := untrusted.ReadRegular(path, MaxFileSize)
	var big *untrusted.TooLargeError
	var odd *untrusted.NotRegularError
	switch {
	case errors.As(err, &big):
		return nil, nil, notStateError{why: big.Error(), big: big}
	case errors.As(err, &odd):
		return nil, nil, notStateError{why: odd.Error(), kind: odd}
	case err != nil:
		return nil, nil, err
	}
	return parse(b)
}

// parse checks b entry by entry: see load.
func parse(b []byte) (*file, []string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, nil, notStateError{why: err.Error()}
	}
	if top == nil {
		return nil, nil, notStateError{why: "null"}
	}
	var v int
	if err := json.Unmarshal(top["version"], &v); err != nil || v != version {
		return nil, nil, notStateError{why: fmt.Sprintf("version is %s, want %d", top["version"], version)}
	}
	c := checker{}
	f := &file{Version: version, Lessons: map[string]*Lesson{}}
	if raw, ok := top["lang"]; ok {
		if c.decode(raw, &f.Lang, "lang") && f.Lang != "" && !slices.Contains(assets.Languages(), f.Lang) {
			c.drop("lang")
			f.Lang = ""
		}
	}
	if raw, ok := top["lang_at"]; ok {
		c.decode(raw, &f.LangAt, "lang_at")
	}
	if raw, ok := top["lessons"]; ok {
		var ls map[string]json.RawMessage
		if c.decode(raw, &ls, "lessons") {
			for id, raw := range ls {
				if l := c.lesson(raw, "lessons."+id); l != nil {
					f.Lessons[id] = l
				}
			}
		}
	}
	if raw, ok := top["quiz"]; ok {
		var qs map[string]json.RawMessage
		if c.decode(raw, &qs, "quiz") {
			for kind, raw := range qs {
				if b := c.box(raw, "quiz."+kind); b != nil {
					if f.Quiz == nil {
						f.Quiz = map[string]*quiz.Box{}
					}
					f.Quiz[kind] = b
				}
			}
		}
	}
	if raw, ok := top["theme"]; ok {
		if c.decode(raw, &f.Theme, "theme") && f.Theme != "" && f.Theme != "dark" && f.Theme != "light" {
			c.drop("theme")
			f.Theme = ""
		}
	}
	if raw, ok := top["theme_at"]; ok {
		c.decode(raw, &f.ThemeAt, "theme_at")
	}
	if raw, ok := top["silent_terminals"]; ok {
		var m map[string]json.RawMessage
		if c.decode(raw, &m, "silent_terminals") {
			f.Silent = map[string]time.Time{}
			for id, raw := range m {
				var t time.Time
				if len(id) > 256 {
					c.drop("silent_terminals." + id[:32] + "…")
					continue
				}
				if c.decode(raw, &t, "silent_terminals."+id) {
					f.Silent[id] = t
				}
			}
			trimSilent(f.Silent)
		}
	}
	slices.Sort(c.dropped) // maps come in random order; notices should not
	return f, c.dropped, nil
}

// checker decodes a file's entries one by one, naming those it drops.
type checker struct{ dropped []string }

func (c *checker) drop(what string) { c.dropped = append(c.dropped, what) }

// decode decodes raw into v; null, a wrong type or a bad value drops what.
func (c *checker) decode(raw json.RawMessage, v any, what string) bool {
	if isNull(raw) || json.Unmarshal(raw, v) != nil {
		c.drop(what)
		return false
	}
	return true
}

// lesson checks one lesson: each field of the wrong type is dropped, each
// null or mistyped entry of its maps too; a lesson that is not an object
// is dropped whole.
func (c *checker) lesson(raw json.RawMessage, what string) *Lesson {
	var fields map[string]json.RawMessage
	if !c.decode(raw, &fields, what) {
		return nil
	}
	l := &Lesson{}
	if raw, ok := fields["visited"]; ok {
		c.decode(raw, &l.Visited, what+".visited")
	}
	if raw, ok := fields["last_visit"]; ok {
		c.decode(raw, &l.LastVisit, what+".last_visit")
	}
	if raw, ok := fields["place"]; ok {
		var p Place
		if c.decode(raw, &p, what+".place") {
			if p.Block < 0 || p.Block > MaxPlace || p.Line < 0 || p.Line > MaxPlace {
				c.drop(what + ".place")
			} else {
				l.Place = &p
			}
		}
	}
	l.Passed = c.times(fields, "passed", what)
	l.ParamsAt = c.times(fields, "params_at", what)
	if raw, ok := fields["params"]; ok {
		var cells map[string]json.RawMessage
		if c.decode(raw, &cells, what+".params") {
			for cell, raw := range cells {
				var ps map[string]json.RawMessage
				if !c.decode(raw, &ps, what+".params."+cell) {
					continue
				}
				vals := map[string]string{}
				for name, raw := range ps {
					var v string
					if c.decode(raw, &v, what+".params."+cell+"."+name) {
						vals[name] = v
					}
				}
				if l.Params == nil {
					l.Params = map[string]map[string]string{}
				}
				l.Params[cell] = vals
			}
		}
	}
	return l
}

// times checks a map of times, fields[name]; nil when there is none.
func (c *checker) times(fields map[string]json.RawMessage, name, what string) map[string]time.Time {
	raw, ok := fields[name]
	var m map[string]json.RawMessage
	if !ok || !c.decode(raw, &m, what+"."+name) {
		return nil
	}
	var out map[string]time.Time
	for k, raw := range m {
		var t time.Time
		if c.decode(raw, &t, what+"."+name+"."+k) {
			if out == nil {
				out = map[string]time.Time{}
			}
			out[k] = t
		}
	}
	return out
}

// box checks a quiz box: an object with the right types, its box in
// 1…quiz.MaxBox and its counts not negative, or it is dropped whole.
func (c *checker) box(raw json.RawMessage, what string) *quiz.Box {
	var b quiz.Box
	if isNull(raw) || json.Unmarshal(raw, &b) != nil || b.Box < 1 || b.Box > quiz.MaxBox || b.Right < 0 || b.Wrong < 0 {
		c.drop(what)
		return nil
	}
	return &b
}

func isNull(raw json.RawMessage) bool {
	return len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}
