package tui

import (
	"strings"
	"sync"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/ansi"
	"github.com/charmbracelet/glamour/styles"
	"github.com/charmbracelet/lipgloss"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/nnlab/nnlab/tui/report"
)

// proseKey identifies one rendering of a block of prose: the block (lesson
// file and index), the width and the glamour style.
type proseKey struct {
	block string
	width int
	style string
}

// proseCache renders markdown with glamour and keeps the results. A glamour
// renderer is not safe for concurrent Render calls, so each is guarded.
type proseCache struct {
	mu        sync.Mutex
	done      map[proseKey]string
	renderers map[proseKey]*glamour.TermRenderer // keyed with src ""
	r         *lipgloss.Renderer
}

func newProseCache(r *lipgloss.Renderer) *proseCache {
	return &proseCache{done: map[proseKey]string{}, renderers: map[proseKey]*glamour.TermRenderer{}, r: r}
}

// get returns a cached rendering, if any. Cheap: safe to call from Update.
func (p *proseCache) get(k proseKey) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.done[k]
	return s, ok
}

// render renders the markdown that md returns (values computed by core, so
// it may itself take milliseconds) to k's width and style. Call it from a
// tea.Cmd.
func (p *proseCache) render(k proseKey, md func() string) string {
	if s, ok := p.get(k); ok {
		return s
	}
	src := md()
	width, style := k.width, k.style
	p.mu.Lock()
	rk := proseKey{"", width, style}
	tr := p.renderers[rk]
	if tr == nil {
		var err error
		tr, err = glamour.NewTermRenderer(
			glamour.WithStyles(proseStyle(style)),
			glamour.WithWordWrap(width),
			glamour.WithColorProfile(p.r.ColorProfile()),
		)
		if err != nil {
			p.mu.Unlock()
			return src
		}
		p.renderers[rk] = tr
	}
	out, err := tr.Render(src)
	p.mu.Unlock()
	if err != nil {
		out = src
	}
	out = report.Reflow(report.MendQuotes(trimLines(strings.Trim(out, "\n"))), width)
	p.mu.Lock()
	p.done[k] = out
	p.mu.Unlock()
	return out
}

// proseStyle is glamour's standard style with two changes for a notebook:
// headings without their "##" markers (colour and weight already mark them)
// and inline code without the padding spaces, which detach Korean particles
// ("k 를") and push lines past the wrap width. The plain style keeps both
// markers: without colour they are all that shows.
func proseStyle(name string) ansi.StyleConfig {
	switch name {
	case "notty":
		return styles.NoTTYStyleConfig
	case "light":
		return trimStyle(styles.LightStyleConfig)
	}
	return trimStyle(styles.DarkStyleConfig)
}

func trimStyle(c ansi.StyleConfig) ansi.StyleConfig {
	for _, h := range []*ansi.StyleBlock{&c.H2, &c.H3, &c.H4, &c.H5, &c.H6} {
		h.Prefix = ""
	}
	c.Code.Prefix, c.Code.Suffix = "", ""
	return c
}

// trimLines drops the spaces glamour pads every line with to the full
// wrap width. In colour they sit inside style sequences, so they are cut by
// display width, and the style is closed again.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		plain := xansi.Strip(l)
		keep := xansi.StringWidth(strings.TrimRight(plain, " "))
		if keep == xansi.StringWidth(plain) {
			continue
		}
		l = xansi.Truncate(l, keep, "")
		if strings.Contains(l, "\x1b[") {
			l += "\x1b[0m"
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

func truncate(s string, w int) string { return xansi.Truncate(s, w, "…") }
