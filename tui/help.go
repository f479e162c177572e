package tui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

func ansiStrip(s string) string { return ansi.Strip(s) }

// homeKeys is the help for the lesson list.
type homeKeys struct {
	k      KeyMap
	rename bool // a workshop's learner, who may change their name
}

func (h homeKeys) ShortHelp() []key.Binding {
	keys := []key.Binding{h.k.Open, h.k.Down, h.k.Up, h.k.Quiz, h.k.Lang, h.k.Help, h.k.Quit}
	if h.rename {
		keys = append(keys[:4], append([]key.Binding{h.k.Rename}, keys[4:]...)...)
	}
	return keys
}

// FullHelp names every key the lesson list takes: its own and the list's
// paging keys (bubbles' list: ←/h/pgup/b/u, →/l/pgdn/f/d, g/home, G/end).
func (h homeKeys) FullHelp() [][]key.Binding {
	page := func(b key.Binding, help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, b.Help().Desc))
	}
	return [][]key.Binding{
		{h.k.Up, h.k.Down, page(h.k.PageUp, "←/pgup", "left", "h", "pgup", "b", "u"), page(h.k.PageDown, "→/pgdn", "right", "l", "pgdown", "f", "d"),
			page(h.k.Top, "g", "home", "g"), page(h.k.Bottom, "G", "end", "G")},
		append(h.workshop(), h.k.Open, h.k.Quiz, h.k.Lang, h.k.Theme, h.k.Help, h.k.Quit),
	}
}

func (h homeKeys) workshop() []key.Binding {
	if h.rename {
		return []key.Binding{h.k.Rename}
	}
	return nil
}

// notebookKeys is the help for a lesson; cell keys only when a cell has focus.
type notebookKeys struct {
	k    KeyMap
	cell *cell
}

func (n notebookKeys) ShortHelp() []key.Binding {
	if n.cell == nil {
		return []key.Binding{n.k.Down, n.k.Up, n.k.NextCell, n.k.Back, n.k.Help, n.k.Quit}
	}
	if n.cell.editing {
		return n.cell.keys(n.k).ShortHelp()
	}
	return append(n.cell.keys(n.k).ShortHelp(), n.k.NextCell, n.k.Help)
}

func (n notebookKeys) FullHelp() [][]key.Binding {
	scroll := []key.Binding{n.k.Down, n.k.Up, n.k.PageDown, n.k.PageUp, n.k.Top, n.k.Bottom}
	cells := []key.Binding{n.k.NextCell, n.k.PrevCell, n.k.RunAll, n.k.Quiz, n.k.NextLesson}
	app := []key.Binding{n.k.Back, n.k.Lang, n.k.Theme, n.k.Help, n.k.Quit}
	if n.cell == nil {
		return [][]key.Binding{scroll, cells, app}
	}
	return append(append([][]key.Binding{scroll, cells}, n.cell.keys(n.k).FullHelp()...), app)
}
