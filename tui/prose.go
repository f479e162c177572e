package tui

import (
	"strings"
	"sync"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
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
			glamour.WithStandardStyle(style),
			// Inline code is padded by the style, beyond the wrap width:
			// leave room for it; fitWidth catches the rest.
			glamour.WithWordWrap(width-4),
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
	out = fitWidth(strings.Trim(out, "\n"), width)
	p.mu.Lock()
	p.done[k] = out
	p.mu.Unlock()
	return out
}

// fitWidth guarantees no line is wider than w columns (glamour does not break
// long unspaced runs, and pads lines with spaces), counting wide characters
// as two columns.
func fitWidth(s string, w int) string {
	lines := strings.Split(s, "\n")
	var out []string
	for _, l := range lines {
		l = strings.TrimRight(l, " ")
		if ansi.StringWidth(l) <= w {
			out = append(out, l)
			continue
		}
		out = append(out, strings.Split(ansi.Wrap(l, w, ""), "\n")...)
	}
	return strings.Join(out, "\n")
}

func truncate(s string, w int) string { return ansi.Truncate(s, w, "…") }
