package terminal

import (
	"math"
	"testing"
)

func TestParseReplies(t *testing.T) {
	white := [3]float64{1, 1, 1}
	for _, c := range []struct {
		in                       string
		color                    [3]float64
		hasColor, cursor, interr bool
	}{
		{"\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[24;80R", white, true, true, false},
		{"\x1b]11;rgb:0000/0000/0000\x07\x1b[1;1R", [3]float64{}, true, true, false},
		{"\x1b]11;rgb:ff/80/00\x1b\\", [3]float64{1, 128.0 / 255, 0}, true, false, false},
		{"\x1b]11;rgba:1e1e/1e1e/2e2e/ffff\x1b\\\x1b[3;7R", [3]float64{0x1e1e / 65535.0, 0x1e1e / 65535.0, 0x2e2e / 65535.0}, true, true, false},
		{"\x1b[24;80R", [3]float64{}, false, true, false},          // a terminal that does not know OSC 11
		{"\x1b]11;rgb:ffff/ff", [3]float64{}, false, false, false}, // cut short: more to come
		{"jk\x1b[5;5R", [3]float64{}, false, true, false},          // keys typed ahead are skipped
		{"\x03", [3]float64{}, false, false, true},                 // ctrl+c while waiting
		{"\x1b]11;rgb:zzzz/0000/0000\x1b\\\x1b[1;1R", [3]float64{}, false, true, false},
		{"\x1b]10;rgb:ffff/ffff/ffff\x1b\\\x1b[1;1R", [3]float64{}, false, true, false}, // the foreground, not ours
		{"\x1b[R", [3]float64{}, false, false, false},
		{"", [3]float64{}, false, false, false},
	} {
		r := parseReplies([]byte(c.in))
		if r.HasColor != c.hasColor || r.Cursor != c.cursor || r.Interrupt != c.interr {
			t.Errorf("%q: got color=%v cursor=%v interrupt=%v, want %v %v %v", c.in, r.HasColor, r.Cursor, r.Interrupt, c.hasColor, c.cursor, c.interr)
			continue
		}
		for i := range 3 {
			if math.Abs(r.Color[i]-c.color[i]) > 1e-9 {
				t.Errorf("%q: colour %v, want %v", c.in, r.Color, c.color)
				break
			}
		}
	}
}

func TestIsDark(t *testing.T) {
	for _, c := range []struct {
		rgb  [3]float64
		dark bool
	}{
		{[3]float64{0, 0, 0}, true}, {[3]float64{1, 1, 1}, false},
		{[3]float64{0x1e / 255.0, 0x1e / 255.0, 0x2e / 255.0}, true}, // Catppuccin Mocha
		{[3]float64{0xfa / 255.0, 0xfa / 255.0, 0xfa / 255.0}, false},
		{[3]float64{0x00, 0x2b / 255.0, 0x36 / 255.0}, true},          // Solarized dark
		{[3]float64{0xfd / 255.0, 0xf6 / 255.0, 0xe3 / 255.0}, false}, // Solarized light
		{[3]float64{0x70 / 255.0, 0x70 / 255.0, 0x70 / 255.0}, true},  // below mid grey
		{[3]float64{0x80 / 255.0, 0x80 / 255.0, 0x80 / 255.0}, false}, // above it
	} {
		if got := IsDark(c.rgb); got != c.dark {
			t.Errorf("IsDark(%v) = %v, want %v", c.rgb, got, c.dark)
		}
	}
}

func TestFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) (string, bool) {
		return func(k string) (string, bool) {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1], true
				}
			}
			return "", false
		}
	}
	for _, c := range []struct {
		env      func(string) (string, bool)
		dark, ok bool
	}{
		{env("COLORFGBG", "15;0"), true, true},
		{env("COLORFGBG", "0;15"), false, true},
		{env("COLORFGBG", "0;default;15"), false, true},
		{env("COLORFGBG", "7;8"), true, true},
		{env("COLORFGBG", "0;7"), false, true},
		{env("COLORFGBG", "garbage"), false, false},
		{env("COLORFGBG", "0;99"), false, false},
		{env("TERM", "linux"), true, true},
		{env("TERM", "xterm-256color"), false, false},
		{env(), false, false},
	} {
		b, ok := FromEnv(c.env)
		if ok != c.ok || (ok && b.Dark != c.dark) {
			t.Errorf("got dark=%v ok=%v, want %v %v", b.Dark, ok, c.dark, c.ok)
		}
	}
}

func TestAskable(t *testing.T) {
	for term, want := range map[string]bool{
		"xterm-256color": true, "xterm": true, "xterm-kitty": true, "alacritty": true, "wezterm": true,
		"": false, "dumb": false, "linux": false, "screen": false, "screen-256color": false, "tmux-256color": false,
	} {
		if got := Askable(term); got != want {
			t.Errorf("Askable(%q) = %v, want %v", term, got, want)
		}
	}
}
