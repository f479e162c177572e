package terminal

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// Source says where a background was learnt.
type Source int

const (
	// Assumed: nothing told; a dark background is assumed.
	Assumed Source = iota
	// Env: the environment said (COLORFGBG, or TERM=linux: the console is black).
	Env
	// Reply: the terminal answered OSC 11 with its background colour.
	Reply
	// Chosen: a flag or the learner set it.
	Chosen
)

func (s Source) String() string {
	switch s {
	case Env:
		return "environment"
	case Reply:
		return "terminal reply"
	case Chosen:
		return "chosen"
	}
	return "assumed"
}

// Background is what is known of a terminal's background.
type Background struct {
	Dark   bool
	Source Source
	// RGB is the colour the terminal reported (Source Reply), 0…1 each.
	RGB [3]float64
}

// FromEnv reads the background from the environment without asking the
// terminal: COLORFGBG ("fg;bg" or "fg;default;bg", set by rxvt, Konsole and
// others; background colours 0–6 and 8 are dark, 7 and 9–15 light), or
// TERM=linux (the console's background is black). ok is false when the
// environment does not say.
func FromEnv(lookup func(string) (string, bool)) (b Background, ok bool) {
	if v, set := lookup("COLORFGBG"); set && v != "" {
		parts := strings.Split(v, ";")
		if n, err := strconv.Atoi(parts[len(parts)-1]); err == nil && n >= 0 && n <= 15 {
			return Background{Dark: n <= 6 || n == 8, Source: Env}, true
		}
	}
	if t, _ := lookup("TERM"); t == "linux" {
		return Background{Dark: true, Source: Env}, true
	}
	return Background{}, false
}

// Askable reports whether a terminal of this TERM may be asked at all:
// not a dumb terminal or none, not the Linux console (which prints an
// OSC 11 query as text), not screen or tmux (which may sit on either and
// answer for themselves, as termenv also judges).
func Askable(term string) bool {
	switch {
	case term == "", term == "dumb", term == "linux",
		strings.HasPrefix(term, "screen"), strings.HasPrefix(term, "tmux"):
		return false
	}
	return true
}

// Replies is what the terminal sent back to the questions.
type Replies struct {
	// Color is the background from an OSC 11 reply; ok false when none came.
	Color    [3]float64
	HasColor bool
	// Cursor is true when the cursor-position reply came: the terminal
	// answered, and anything it would say has been said.
	Cursor bool
	// Interrupt is true when ctrl+c was typed while waiting.
	Interrupt bool
}

// parseReplies reads the bytes a terminal sent after the two questions:
// an OSC 11 reply (ESC ] 11 ; rgb:RRRR/GGGG/BBBB, ended by BEL or ESC \,
// 1 to 4 hex digits a channel, "rgba:" too), a cursor-position report
// (ESC [ row ; col R), and any ctrl+c typed meanwhile. Other bytes (keys
// typed ahead) are skipped.
func parseReplies(b []byte) Replies {
	var r Replies
	for len(b) > 0 {
		switch {
		case b[0] == 0x03:
			r.Interrupt = true
			b = b[1:]
		case bytes.HasPrefix(b, []byte("\x1b]")):
			end, n := oscEnd(b)
			if end < 0 {
				return r // incomplete: more to come
			}
			if c, ok := parseOSC11(string(b[2:end])); ok {
				r.Color, r.HasColor = c, true
			}
			b = b[end+n:]
		case bytes.HasPrefix(b, []byte("\x1b[")):
			i := 2
			for i < len(b) && (b[i] >= '0' && b[i] <= '9' || b[i] == ';') {
				i++
			}
			if i == len(b) {
				return r
			}
			if b[i] == 'R' && i > 2 {
				r.Cursor = true
			}
			b = b[i+1:]
		default:
			b = b[1:]
		}
	}
	return r
}

// oscEnd finds the end of the OSC string starting at b[0]: the index of its
// terminator and the terminator's length, or -1.
func oscEnd(b []byte) (int, int) {
	for i := 2; i < len(b); i++ {
		switch {
		case b[i] == 0x07:
			return i, 1
		case b[i] == 0x1b && i+1 < len(b) && b[i+1] == '\\':
			return i, 2
		case b[i] == 0x9c:
			return i, 1
		}
	}
	return -1, 0
}

// parseOSC11 reads "11;rgb:RRRR/GGGG/BBBB" (or rgba:…/AAAA).
func parseOSC11(s string) ([3]float64, bool) {
	var c [3]float64
	rest, ok := strings.CutPrefix(s, "11;")
	if !ok {
		return c, false
	}
	switch {
	case strings.HasPrefix(rest, "rgb:"):
		rest = rest[4:]
	case strings.HasPrefix(rest, "rgba:"):
		rest = rest[5:]
	default:
		return c, false
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 3 {
		return c, false
	}
	for i := range 3 {
		p := parts[i]
		if len(p) < 1 || len(p) > 4 {
			return c, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return c, false
		}
		c[i] = float64(v) / float64(uint64(1)<<(4*len(p))-1)
	}
	return c, true
}

// IsDark judges a background colour (0…1 a channel, sRGB): dark when its
// relative luminance is below that of a mid grey (#777777, about 0.18),
// the point where black and white text have equal contrast on it.
func IsDark(c [3]float64) bool {
	return Luminance(c) < 0.18
}

// Luminance is WCAG 2's relative luminance of an sRGB colour, 0…1 a channel.
func Luminance(c [3]float64) float64 {
	lin := func(v float64) float64 {
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}
