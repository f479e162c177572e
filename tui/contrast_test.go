package tui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/core/experiments"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/palette"
)

// The contrast guard: screens drawn at each colour depth on dark and light
// backgrounds, their escape codes parsed cell by cell, and every character
// measured against what is behind it — text at 4.5:1, chart marks at 3:1
// (WCAG 2). Shading and rules are decoration and not measured. The 16
// colours are xterm's defaults, and bold makes colours 0–7 bright as xterm
// does; the terminal's own text colour on its own background is its user's
// choice and passes.

// term is a terminal a screen is measured on.
type term struct {
	profile termenv.Profile
	dark    bool
	bg      [3]float64   // its background
	fgs     [][3]float64 // what its own text colour may be
}

func hexTriple(s string) [3]float64 {
	var c [3]float64
	for i := range 3 {
		v, _ := strconv.ParseUint(s[1+2*i:3+2*i], 16, 8)
		c[i] = float64(v) / 255
	}
	return c
}

func terms() []term {
	var out []term
	darkFG := [][3]float64{hexTriple("#d0d0d0"), hexTriple("#cdd6f4"), hexTriple("#ffffff")}
	lightFG := [][3]float64{hexTriple("#000000"), hexTriple("#4c4f69")}
	for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256} {
		for _, bg := range []string{"#000000", "#1e1e2e"} {
			out = append(out, term{p, true, hexTriple(bg), darkFG})
		}
		for _, bg := range []string{"#ffffff", "#fafafa"} {
			out = append(out, term{p, false, hexTriple(bg), lightFG})
		}
	}
	out = append(out, term{termenv.ANSI, true, hexTriple("#000000"), darkFG}, term{termenv.ANSI, false, hexTriple("#ffffff"), lightFG})
	return out
}

// sgrState is the attributes in force while a screen is read.
type sgrState struct {
	fg, bg        *[3]float64 // nil: the terminal's own
	bold, reverse bool
	fg16          int // the 16-colour index of fg, or -1
}

func (s *sgrState) apply(params []int) {
	for i := 0; i < len(params); i++ {
		p := params[i]
		switch {
		case p == 0:
			*s = sgrState{fg16: -1}
		case p == 1:
			s.bold = true
		case p == 22:
			s.bold = false
		case p == 7:
			s.reverse = true
		case p == 27:
			s.reverse = false
		case p >= 30 && p <= 37:
			c := palette.Xterm(p - 30)
			s.fg, s.fg16 = &c, p-30
		case p >= 90 && p <= 97:
			c := palette.Xterm(p - 90 + 8)
			s.fg, s.fg16 = &c, p-90+8
		case p >= 40 && p <= 47:
			c := palette.Xterm(p - 40)
			s.bg = &c
		case p >= 100 && p <= 107:
			c := palette.Xterm(p - 100 + 8)
			s.bg = &c
		case p == 39:
			s.fg, s.fg16 = nil, -1
		case p == 49:
			s.bg = nil
		case p == 38 || p == 48:
			var c [3]float64
			switch {
			case i+2 < len(params) && params[i+1] == 5:
				c = palette.Xterm(params[i+2])
				i += 2
			case i+4 < len(params) && params[i+1] == 2:
				c = [3]float64{float64(params[i+2]) / 255, float64(params[i+3]) / 255, float64(params[i+4]) / 255}
				i += 4
			default:
				continue
			}
			if p == 38 {
				s.fg, s.fg16 = &c, -1
			} else {
				s.bg = &c
			}
		}
	}
}

// kind sorts a character: text, a chart's mark, or decoration.
func kind(r rune) string {
	switch {
	case r == ' ' || r == 0x2800:
		return ""
	case r >= 0x2500 && r <= 0x259f: // box drawing, blocks, shades
		return ""
	case r == '·' || r == '•': // separators, and a shade of a 16-colour surface
		return ""
	case r >= 0x2800 && r <= 0x28ff, strings.ContainsRune("●■✕◆↑↓←→↗↘↙↖◀▶▲▼", r):
		return "mark"
	}
	return "text"
}

// measure reads screen and reports every character below its contrast; it
// returns the lowest contrast of text and of marks it met (21 if none).
func measure(t *testing.T, name, screen string, tm term) (minText, minMark float64) {
	t.Helper()
	st := sgrState{fg16: -1}
	bad := 0
	minText, minMark = 21, 21
	for y, line := range strings.Split(screen, "\n") {
		x := 0
		p := ansi.NewParser()
		state := byte(0)
		for len(line) > 0 {
			seq, width, n, newState := ansi.DecodeSequence(line, state, p)
			state = newState
			line = line[n:]
			if width == 0 {
				if strings.HasPrefix(seq, "\x1b[") && strings.HasSuffix(seq, "m") {
					body := seq[2 : len(seq)-1]
					var params []int
					for _, f := range strings.Split(body, ";") {
						v, _ := strconv.Atoi(f)
						params = append(params, v)
					}
					st.apply(params)
				}
				continue
			}
			r := []rune(seq)[0]
			k := kind(r)
			x += width
			if k == "" {
				continue
			}
			fg, bg := st.fg, st.bg
			if st.bold && st.fg16 >= 0 && st.fg16 < 8 {
				c := palette.Xterm(st.fg16 + 8)
				fg = &c
			}
			// A missing colour is the terminal's own: its text colour (any of
			// the likely ones) or its background. Reverse video swaps the
			// two as shown.
			if fg == nil && bg == nil {
				continue // the terminal's own pair, reversed or not
			}
			fgs := tm.fgs
			if fg != nil {
				fgs = [][3]float64{*fg}
			}
			back := tm.bg
			if bg != nil {
				back = *bg
			}
			if st.reverse {
				swapped := make([][3]float64, len(fgs))
				for i := range fgs {
					swapped[i] = back
				}
				back, fgs = fgs[0], swapped
				if fg == nil { // the text colour, whichever it is, becomes the background
					for _, f := range tm.fgs[1:] {
						for _, g := range fgs {
							if c := palette.Contrast(g, f); c < 4.5 {
								back = f
							}
						}
					}
				}
			}
			want := 4.5
			if k == "mark" {
				want = 3
			}
			for _, f := range fgs {
				c := palette.Contrast(f, back)
				if k == "mark" {
					minMark = min(minMark, c)
				} else {
					minText = min(minText, c)
				}
				if c < want {
					if bad < 12 {
						t.Errorf("%s: line %d col %d %q: %s on %s is %.2f:1, want %.1f:1", name, y, x, string(r), palette.Hex(f), palette.Hex(back), c, want)
					}
					bad++
					break
				}
			}
		}
	}
	if bad >= 12 {
		t.Errorf("%s: %d characters below their contrast in all", name, bad)
	}
	return minText, minMark
}

// screensFor draws the app's screens for one terminal: the lesson list, the
// help, a quiz, and lessons whose cells draw surfaces, line charts and bars.
func screensFor(t *testing.T, tm term) map[string]string {
	t.Helper()
	lib, err := lessons.Load(experiments.Registry(), "")
	if err != nil {
		t.Fatal(err)
	}
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(tm.profile)
	r.SetHasDarkBackground(tm.dark)
	out := map[string]string{}
	open := func(id string, w, h int) *settle {
		m := New(Options{Library: lib, Lang: "en", Renderer: r, Dark: tm.dark, FormatDuration: func(time.Duration) string { return "1ms" }})
		m.open = id
		tmod := teatest.NewTestModel(t, &settle{Model: m, wantNotebook: id != "", runAll: true}, teatest.WithInitialTermSize(w, h))
		return tmod.FinalModel(t, teatest.WithFinalTimeout(60*time.Second)).(*settle)
	}
	home := open("", 100, 30)
	out["home"] = home.View()
	home.Update(NoticeMsg{ID: "server_closing"}) // a notice, in the warning colour
	out["notice"] = home.View()
	home.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'?'}})
	out["help"] = home.View()
	for _, id := range []string{"momentum", "adaptive"} { // surfaces, line charts, bars, tables, prose
		s := open(id, 110, 400) // tall: much of the lesson on one screen
		var all []string
		all = append(all, s.View())
		for _, c := range s.notebook().cells {
			all = append(all, c.out)
		}
		out[id] = strings.Join(all, "\n")
	}
	return out
}

func TestContrast(t *testing.T) {
	if testing.Short() {
		t.Skip("runs several lessons at six colour settings")
	}
	drawn := map[[2]any]map[string]string{} // by depth and theme: each drawn once
	for _, tm := range terms() {
		name := fmt.Sprintf("%v dark=%v bg=%s", tm.profile, tm.dark, palette.Hex(tm.bg))
		t.Run(name, func(t *testing.T) {
			k := [2]any{tm.profile, tm.dark}
			if drawn[k] == nil {
				drawn[k] = screensFor(t, tm)
			}
			lowText, lowMark := 21.0, 21.0
			for screen, text := range drawn[k] {
				a, b := measure(t, screen, text, tm)
				lowText, lowMark = min(lowText, a), min(lowMark, b)
			}
			t.Logf("lowest contrast: text %.2f:1, chart marks %.2f:1", lowText, lowMark)
		})
	}
}

// TestNoDefaultRenderer: every style a session draws with comes from its
// own renderer. With lipgloss's process-wide renderer set to truecolor and
// the session's to no colour, no screen may carry a colour: one that does
// was drawn by a default style (bubbles' defaults, lipgloss.NewStyle()),
// which over SSH would show the server's colours and could ask the
// server's terminal for its background.
func TestNoDefaultRenderer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs lessons")
	}
	old := lipgloss.DefaultRenderer()
	t.Cleanup(func() { lipgloss.SetDefaultRenderer(old) })
	loud := lipgloss.NewRenderer(nil)
	loud.SetColorProfile(termenv.TrueColor)
	loud.SetHasDarkBackground(true)
	lipgloss.SetDefaultRenderer(loud)
	colour := regexp.MustCompile(`\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]`)
	for screen, text := range screensFor(t, term{profile: termenv.Ascii, dark: true}) {
		if loc := colour.FindStringIndex(text); loc != nil {
			t.Errorf("%s: a colour from the default renderer: %q", screen, text[max(0, loc[0]-40):min(len(text), loc[1]+40)])
		}
	}
}
