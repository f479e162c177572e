package tui

import (
	"context"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/ansi"
	"github.com/charmbracelet/glamour/styles"
	"github.com/charmbracelet/lipgloss"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/palette"
	"github.com/nnlab/nnlab/tui/report"
)

// proseKey identifies one rendering of a block of prose: the block (lesson
// file and index), the width and the glamour style.
type proseKey struct {
	block string
	width int
	style string
}

// proseEntry is one rendering; final when every value in it was computed.
type proseEntry struct {
	text  string
	final bool
}

// proseCache renders markdown with glamour and keeps the results. A glamour
// renderer is not safe for concurrent Render calls, so each is guarded.
type proseCache struct {
	mu        sync.Mutex
	done      map[proseKey]proseEntry
	renderers map[proseKey]*ProseRenderer // keyed with block ""
	r         *lipgloss.Renderer
}

func newProseCache(r *lipgloss.Renderer) *proseCache {
	return &proseCache{done: map[proseKey]proseEntry{}, renderers: map[proseKey]*ProseRenderer{}, r: r}
}

// get returns the final rendering of k — every value in it computed — if
// there is one. Cheap: safe to call from Update.
func (p *proseCache) get(k proseKey) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.done[k]
	return e.text, ok && e.final
}

// view returns the rendering of k to show: the final one, else one with a
// placeholder for each value still being computed (or "?" for one that
// failed; a view asks for it again, as get does not return it). Cheap.
func (p *proseCache) view(k proseKey) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.done[k]
	return e.text, ok
}

// render renders markdown src to k's width and style and keeps it, unless a
// final rendering is kept already (a slow partial one never replaces it).
// Call it from a tea.Cmd.
func (p *proseCache) render(k proseKey, src string, final bool) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.done[k]; ok && e.final {
		return e.text
	}
	rk := proseKey{"", k.width, k.style}
	pr := p.renderers[rk]
	if pr == nil {
		var err error
		if pr, err = NewProseRenderer(k.width, k.style, p.r.ColorProfile()); err != nil {
			return src
		}
		p.renderers[rk] = pr
	}
	out, _ := pr.Render(src) // on error, the source
	p.done[k] = proseEntry{out, final}
	return out
}

// Pending stands, in prose, for a value still being computed.
const Pending = "…"

// proseCmd renders prose block p of lesson l for k off the Update loop.
// The values have no deadline: a busy machine delays them, it never turns
// them into "?". Until they arrive the block shows with the values already
// computed and Pending for the others; a value whose run fails shows as
// lessons.Unresolved ("?"), is not kept, and is computed again the next
// time the notebook asks for the block.
func (c *Common) proseCmd(gen int64, k proseKey, l *lessons.Lesson, p *lessons.Prose) tea.Cmd {
	rn, pc := c.runner, c.prose
	full := func() tea.Msg {
		s, err := rn.ResolveProse(context.Background(), l, p)
		return proseMsg{nb: gen, key: k, text: pc.render(k, s, err == nil)}
	}
	now, missing := rn.ResolveProseNow(l, p, Pending)
	if missing == 0 {
		return func() tea.Msg { return proseMsg{nb: gen, key: k, text: pc.render(k, now, true)} }
	}
	if _, shown := pc.view(k); shown { // a rendering with placeholders or "?" is on screen already
		return full
	}
	return tea.Batch(func() tea.Msg { return proseMsg{nb: gen, key: k, text: pc.render(k, now, false)} }, full)
}

// ProseRenderer renders the prose of a lesson — markdown with its values
// filled in — for one width, glamour style and colour profile: glamour,
// then report.MendQuotes and report.Reflow. The notebook and nnlab render
// share it. It is not safe for concurrent use.
type ProseRenderer struct {
	tr    *glamour.TermRenderer
	width int
}

// NewProseRenderer returns a renderer for width columns in the glamour
// style named (dark, light or notty: see ProseStyle).
func NewProseRenderer(width int, style string, profile termenv.Profile) (*ProseRenderer, error) {
	tr, err := glamour.NewTermRenderer(
		glamour.WithStyles(ProseStyle(style)),
		glamour.WithWordWrap(width),
		glamour.WithColorProfile(profile),
	)
	if err != nil {
		return nil, err
	}
	return &ProseRenderer{tr, width}, nil
}

// Render renders md; on error it returns md itself and the error.
func (r *ProseRenderer) Render(md string) (string, error) {
	out, err := r.tr.Render(keepHyphens(md))
	if err != nil {
		return md, err
	}
	out = strings.ReplaceAll(out, nbHyphen, "-")
	return report.Reflow(report.MendQuotes(strings.Trim(report.TrimLines(out), "\n")), r.width), nil
}

// nbHyphen is U+2011, the non-breaking hyphen, which glamour's word wrap
// does not break after.
const nbHyphen = "\u2011"

// keepHyphens hides from glamour the hyphens it would break a line after
// inside a word or a number ("ResNet-50", "1×1-conv", "-0.94"): each hyphen
// followed by a letter or a digit, and not part of a run of hyphens,
// becomes nbHyphen, turned back after rendering. Report's own wrap breaks
// at spaces only, so the pieces are never split again. Fenced code is left
// alone (its highlighting reads the source).
func keepHyphens(md string) string {
	if !strings.Contains(md, "-") {
		return md
	}
	lines := strings.Split(md, "\n")
	fence := ""
	for i, line := range lines {
		t := strings.TrimLeft(line, " ")
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		var b strings.Builder
		for j := 0; j < len(line); j++ {
			if line[j] == '-' && j > 0 && line[j-1] != '-' && j+1 < len(line) {
				if r, _ := utf8.DecodeRuneInString(line[j+1:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
					b.WriteString(nbHyphen)
					continue
				}
			}
			b.WriteByte(line[j])
		}
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}

// ProseStyleName names the prose style for a colour depth and background:
// "notty" without colour, else "dark" or "light" and the depth ("dark/256").
func ProseStyleName(p termenv.Profile, dark bool) string {
	if p == termenv.Ascii {
		return "notty"
	}
	theme := "light"
	if dark {
		theme = "dark"
	}
	switch p {
	case termenv.ANSI256:
		return theme + "/256"
	case termenv.ANSI:
		return theme + "/16"
	}
	return theme + "/tc"
}

// ProseStyle is the glamour style a lesson's prose renders in, by
// ProseStyleName. The colour styles are glamour's standard ones with
// nnlab's palette at the style's depth: body text and code blocks in the
// terminal's own colour, headings in the accent, the title as a label,
// inline code on a tint (16 colours: a colour alone) — every pair at 4.5:1
// — and two changes for a notebook: headings without their "##" markers
// (colour and weight already mark them) and inline code without the
// padding spaces, which detach Korean particles ("k 를") and push lines
// past the wrap width. Code blocks are not highlighted (they hold text
// diagrams; glamour's highlighter keeps the first style it saw process-wide).
// notty, for NO_COLOR and nnlab render, is glamour's notty style without any
// markdown marker — "#", "**", "*", "~~", "`" — which a learner would read
// as stray characters: headings stand apart by their blank lines.
func ProseStyle(name string) ansi.StyleConfig {
	theme, depth, _ := strings.Cut(name, "/")
	if theme == "notty" || theme == "" {
		return plainStyle(styles.NoTTYStyleConfig)
	}
	dark := theme != "light"
	c := styles.LightStyleConfig
	if dark {
		c = styles.DarkStyleConfig
	}
	p := termenv.TrueColor
	switch depth {
	case "256":
		p = termenv.ANSI256
	case "16":
		p = termenv.ANSI
	}
	pal := palette.For(dark)
	col := func(x palette.Colour) *string {
		s := x.String(p)
		if s == "" {
			return nil
		}
		return &s
	}
	yes := true
	c.Document.Color = nil // the terminal's own text colour
	c.Heading.Color = col(pal.Accent)
	c.H1.Color, c.H1.BackgroundColor = col(pal.KnobFG), col(pal.KnobBG)
	if p == termenv.ANSI {
		c.H1.Color, c.H1.BackgroundColor, c.H1.Inverse = nil, nil, &yes
	}
	code := prosePalette(dark)
	c.Code.Color, c.Code.BackgroundColor = col(code.fg), col(code.bg)
	c.CodeBlock.Color = nil
	c.CodeBlock.Chroma, c.CodeBlock.Theme = nil, ""
	c.Link.Color, c.LinkText.Color = col(pal.Accent), col(pal.Accent)
	c.HorizontalRule.Color = col(pal.Border)
	c.ImageText.Color = col(pal.Subtle)
	c.H6.Color = col(pal.Accent)
	return trimStyle(c)
}

// codeColours are inline code's colours: text on a tint.
type codeColours struct{ fg, bg palette.Colour }

func prosePalette(dark bool) codeColours {
	if dark {
		return codeColours{palette.C("#ffaf87", 216, 13), palette.C("#303030", 236, palette.Default)}
	}
	return codeColours{palette.C("#af005f", 125, 5), palette.C("#eeeeee", 255, palette.Default)}
}

func trimStyle(c ansi.StyleConfig) ansi.StyleConfig {
	for _, h := range []*ansi.StyleBlock{&c.H2, &c.H3, &c.H4, &c.H5, &c.H6} {
		h.Prefix = ""
	}
	c.Code.Prefix, c.Code.Suffix = "", ""
	return c
}

func plainStyle(c ansi.StyleConfig) ansi.StyleConfig {
	for _, h := range []*ansi.StyleBlock{&c.H1, &c.H2, &c.H3, &c.H4, &c.H5, &c.H6} {
		h.Prefix, h.Suffix = "", ""
	}
	for _, p := range []*ansi.StylePrimitive{&c.Strong, &c.Emph, &c.Strikethrough, &c.Code.StylePrimitive} {
		p.BlockPrefix, p.BlockSuffix, p.Prefix, p.Suffix = "", "", "", ""
	}
	return c
}

func truncate(s string, w int) string { return xansi.Truncate(s, w, "…") }
