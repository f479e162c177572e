package tui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/lessons"
)

// Messages that come back from commands, tagged so stale ones are dropped.
type (
	proseMsg struct {
		nb   int64 // notebook generation
		key  proseKey
		text string
	}
	runMsg struct {
		nb          int64
		cell, run   int
		learner     bool // the learner asked for this run (not the opening run)
		done, total int
		partial     *experiment.Result
		final       bool
		result      *experiment.Result
		err         error
		elapsed     time.Duration
		ch          <-chan runMsg
	}
	drawnMsg struct {
		nb   int64
		cell int
		spec outputSpec
		text string
	}
	savedMsg struct{ err error }
	// textsMsg brings a cell's own texts with their computed values.
	textsMsg struct {
		nb    int64
		texts map[string]string // as written → with values
	}
)

// block is one part of the notebook: prose, a cell or a quiz.
type block struct {
	prose *lessons.Prose
	key   string // the prose's cache identity: lesson file and block index
	cell  *cell
	quiz  bool
}

// notebook shows one lesson: prose and live cells in a scrolling viewport.
type notebook struct {
	c       *Common
	gen     int64 // generation: messages for an older notebook are dropped
	lesson  *lessons.Lesson
	blocks  []block
	cells   []*cell
	focus   int   // index into cells; -1 while the learner is only reading
	offsets []int // first content line of each block
	vp      viewport.Model
	spin    spinner.Model
	lines   []string          // the content, split into lines once per layout
	texts   map[string]string // cell texts with their values computed
}

// notebookGen numbers notebooks across every app in the process (one per
// SSH session), so a message always finds the notebook that asked for it.
var notebookGen atomic.Int64

func newNotebook(c *Common, l *lessons.Lesson) (*notebook, tea.Cmd) {
	nb := &notebook{c: c, gen: notebookGen.Add(1), lesson: l, focus: -1, spin: spinner.New(spinner.WithSpinner(spinner.MiniDot))}
	nb.spin.Style = c.Styles.Warn
	saved := c.Store.Lesson(l.ID)
	for i, b := range l.Blocks {
		switch b := b.(type) {
		case *lessons.Prose:
			nb.blocks = append(nb.blocks, block{prose: b, key: fmt.Sprintf("%s#%d", l.Path, i)})
		case *lessons.Cell:
			cl := newCell(b, saved.Params[b.ID])
			_, cl.passedAt = saved.Passed[b.ID]
			nb.cells = append(nb.cells, cl)
			nb.blocks = append(nb.blocks, block{cell: cl})
		case *lessons.QuizBlock:
			nb.blocks = append(nb.blocks, block{quiz: true})
		}
	}
	nb.vp = viewport.New(c.Width, nb.vpHeight())
	nb.vp.MouseWheelEnabled = true
	c.Store.Visit(l.ID, time.Now())
	cmds := []tea.Cmd{nb.renderProse(), c.save(), nb.resolveTexts()}
	// Run every cell once so the notebook opens with its outputs.
	for i, cl := range nb.cells {
		// An exercise the learner was working on is judged again on opening.
		cmds = append(cmds, nb.start(i, cl.savedParams() != nil))
	}
	nb.layout()
	return nb, tea.Batch(cmds...)
}

func (nb *notebook) vpHeight() int { return max(1, nb.c.Height-2) } // header and footer

// contentWidth is the width prose and cells are laid out in: the terminal's,
// capped so that lines stay readable on wide screens.
func (nb *notebook) contentWidth() int { return max(20, min(nb.c.Width-1, 110)) }

// renderProse asks for every prose block at the current width and style
// that the cache does not hold yet.
func (nb *notebook) renderProse() tea.Cmd {
	var cmds []tea.Cmd
	w, style := nb.contentWidth(), nb.c.Styles.GlamourSty
	for _, b := range nb.blocks {
		if b.prose == nil {
			continue
		}
		k := proseKey{b.key, w, style}
		if _, ok := nb.c.prose.get(k); ok {
			continue
		}
		p, l, gen, c := b.prose, nb.lesson, nb.gen, nb.c
		cmds = append(cmds, func() tea.Msg {
			return proseMsg{nb: gen, key: k, text: c.prose.render(k, func() string { return c.resolveProse(l, p) })}
		})
	}
	return tea.Batch(cmds...)
}

// resolveTexts computes the values in the cells' own texts (caption, task,
// hints, explanation) off the Update loop.
func (nb *notebook) resolveTexts() tea.Cmd {
	var raw []string
	for _, c := range nb.lesson.Cells() {
		raw = append(raw, c.Caption)
		if ex := c.Exercise; ex != nil {
			raw = append(raw, ex.Task, ex.Explain)
			for _, h := range ex.Hints {
				raw = append(raw, h.Text)
			}
		}
	}
	l, gen, runner := nb.lesson, nb.gen, nb.c.runner
	return func() tea.Msg {
		out := map[string]string{}
		for _, s := range raw {
			if strings.Contains(s, "{{") {
				ctx, cancel := context.WithTimeout(context.Background(), lessons.InlineBudget)
				out[s], _ = runner.ResolveText(ctx, l, s) // failures show as "?"; nnlab check names them
				cancel()
			}
		}
		return textsMsg{nb: gen, texts: out}
	}
}

// text is a cell text with its values, once computed (until then, as written).
func (nb *notebook) text(s string) string {
	if r, ok := nb.texts[s]; ok {
		return r
	}
	return s
}

// layout assembles the viewport's content from the blocks' current views.
// It is string assembly only; prose comes from the cache, charts from cells.
func (nb *notebook) layout() {
	w := nb.contentWidth()
	var b strings.Builder
	nb.offsets = nb.offsets[:0]
	line := 0
	ci := 0
	for _, bl := range nb.blocks {
		nb.offsets = append(nb.offsets, line)
		var s string
		switch {
		case bl.cell != nil:
			spin := nb.spin.View()
			s = bl.cell.view(nb.c.Styles, nb.c.Lang, w, ci == nb.focus, spin, nb.text)
			ci++
		case bl.quiz:
			s = nb.c.Styles.Subtle.Render("  ⁇ " + T(nb.c.Lang, "quiz_soon"))
		default:
			var ok bool
			if s, ok = nb.c.prose.get(proseKey{bl.key, w, nb.c.Styles.GlamourSty}); !ok {
				s = nb.c.Styles.Subtle.Render("  " + T(nb.c.Lang, "loading"))
			}
		}
		b.WriteString(s)
		b.WriteString("\n\n")
		line += strings.Count(s, "\n") + 2
	}
	content := b.String()
	nb.lines = strings.Split(content, "\n")
	nb.vp.SetContent(content)
}

// visible returns the h lines of content in view, padded to h lines. The
// lines already fit the width (layout guarantees it), so this is slicing
// only — unlike viewport.View, which re-wraps every line.
func (nb *notebook) visible(h int) string {
	top := min(nb.vp.YOffset, max(0, len(nb.lines)-1))
	end := min(len(nb.lines), top+h)
	out := make([]string, 0, h)
	out = append(out, nb.lines[top:end]...)
	for len(out) < h {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

// start runs cell i in the background, cancelling its previous run. A run
// the learner asked for is judged against the cell's exercise.
func (nb *notebook) start(i int, learner bool) tea.Cmd {
	c := nb.cells[i]
	if c.bad != "" {
		return nil
	}
	if c.cancel != nil {
		c.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.run++
	c.running, c.started, c.done, c.total, c.err, c.partial = true, time.Now(), 0, 0, nil, nil
	values := c.values.Clone()
	exp := c.src.Experiment
	ch := make(chan runMsg, 1)
	tag := runMsg{nb: nb.gen, cell: i, run: c.run, learner: learner, ch: ch}
	go func() {
		defer cancel()
		t0 := time.Now()
		r, err := exp.Execute(ctx, values, func(done, total int, partial *experiment.Result) {
			m := tag
			m.done, m.total, m.partial = done, total, partial
			select { // progress may be dropped when the UI is behind; the result never is
			case ch <- m:
			default:
			}
		})
		m := tag
		m.final, m.result, m.err, m.elapsed = true, r, err, time.Since(t0)
		ch <- m
		close(ch)
	}()
	return tea.Batch(waitRun(ch), nb.spin.Tick)
}

func waitRun(ch <-chan runMsg) tea.Cmd {
	return func() tea.Msg {
		m, ok := <-ch
		if !ok {
			return nil
		}
		return m
	}
}

// draw asks for cell i's outputs to be drawn for its current result.
func (nb *notebook) draw(i int) tea.Cmd {
	c := nb.cells[i]
	r := c.result
	if c.running && c.partial != nil {
		r = c.partial
	}
	pins := make([]pin, len(c.pins))
	for i, p := range c.pins {
		p.label = c.pinLabel(i, nb.c.Lang)
		pins[i] = p
	}
	spec := outputSpec{result: r, pins: pins, show: c.src.Show, width: nb.contentWidth() - 2, height: nb.c.Height, lang: nb.c.Lang}
	if r == nil || spec.same(c.outSpec) || c.drawing {
		return nil
	}
	c.drawing = true
	gen, st := nb.gen, nb.c.Styles
	return func() tea.Msg {
		return drawnMsg{nb: gen, cell: i, spec: spec, text: drawOutputs(spec, st)}
	}
}

func (nb *notebook) focusCell(i int) {
	if len(nb.cells) == 0 {
		return
	}
	if i < -1 { // shift+tab before any cell had focus: the last one
		i = len(nb.cells) - 1
	}
	nb.focus = (i + len(nb.cells)) % len(nb.cells)
	nb.layout()
	// Scroll so the focused cell starts near the top.
	bi := 0
	for k, b := range nb.blocks {
		if b.cell == nb.cells[nb.focus] {
			bi = k
		}
	}
	nb.vp.SetYOffset(max(0, nb.offsets[bi]-1))
}

// cellBlock is the block index of cell i.
func (nb *notebook) cellBlock(i int) int {
	for k, b := range nb.blocks {
		if b.cell == nb.cells[i] {
			return k
		}
	}
	return 0
}

// blockVisible reports whether block k shows at least one line in the view.
func (nb *notebook) blockVisible(k int) bool {
	if k >= len(nb.offsets) {
		return false
	}
	start, end := nb.offsets[k], len(nb.lines)
	if k+1 < len(nb.offsets) {
		end = nb.offsets[k+1]
	}
	top, bottom := nb.vp.YOffset, nb.vp.YOffset+nb.vp.Height
	return start < bottom && end > top
}

// blurIfHidden drops the focus when scrolling took the focused cell out of
// view, so that keys never change or run a cell the learner cannot see.
func (nb *notebook) blurIfHidden() {
	if nb.focus >= 0 && !nb.blockVisible(nb.cellBlock(nb.focus)) {
		nb.focus = -1
		nb.layout()
	}
}

// firstVisibleCell is the first cell in view, or the next one below it.
func (nb *notebook) firstVisibleCell() int {
	for i := range nb.cells {
		k := nb.cellBlock(i)
		if nb.blockVisible(k) || nb.offsets[k] >= nb.vp.YOffset {
			return i
		}
	}
	return 0
}

func (nb *notebook) focused() *cell {
	if nb.focus < 0 || nb.focus >= len(nb.cells) {
		return nil
	}
	return nb.cells[nb.focus]
}

// passed counts the lesson's exercises passed, as remembered.
func (nb *notebook) passed() int {
	return len(nb.c.Store.Lesson(nb.lesson.ID).Passed)
}

func (nb *notebook) resize() tea.Cmd {
	nb.vp.Width, nb.vp.Height = nb.c.Width, nb.vpHeight()
	var cmds []tea.Cmd
	cmds = append(cmds, nb.renderProse())
	for i := range nb.cells {
		cmds = append(cmds, nb.draw(i))
	}
	nb.layout()
	if nb.focus >= 0 && !nb.blockVisible(nb.cellBlock(nb.focus)) {
		nb.vp.SetYOffset(max(0, nb.offsets[nb.cellBlock(nb.focus)]-1))
	}
	return tea.Batch(cmds...)
}

// update handles a message for the notebook; the app handles global keys.
func (nb *notebook) update(msg tea.Msg) tea.Cmd {
	k := nb.c.Keys
	switch msg := msg.(type) {
	case proseMsg:
		if msg.nb == nb.gen {
			nb.layout()
		}
		return nil
	case textsMsg:
		if msg.nb == nb.gen {
			nb.texts = msg.texts
			nb.layout()
		}
		return nil
	case runMsg:
		return nb.onRun(msg)
	case drawnMsg:
		if msg.nb != nb.gen || msg.cell >= len(nb.cells) {
			return nil
		}
		c := nb.cells[msg.cell]
		c.drawing = false
		c.out, c.outSpec = msg.text, msg.spec
		nb.layout()
		return nb.draw(msg.cell) // the result may have moved on meanwhile
	case spinner.TickMsg:
		running := false
		for _, c := range nb.cells {
			running = running || c.running
		}
		if !running {
			return nil
		}
		var cmd tea.Cmd
		nb.spin, cmd = nb.spin.Update(msg)
		nb.layout()
		return cmd
	case tea.KeyMsg:
		c := nb.focused()
		if c != nil && c.editing {
			return nb.editKey(c, msg)
		}
		if c != nil && c.info != "" {
			c.info = ""
			defer nb.layout()
		}
		switch {
		case key.Matches(msg, k.NextCell) && nb.focus < 0:
			nb.focusCell(nb.firstVisibleCell())
		case key.Matches(msg, k.NextCell):
			nb.focusCell(nb.focus + 1)
		case key.Matches(msg, k.PrevCell):
			nb.focusCell(nb.focus - 1)
		case c != nil && key.Matches(msg, k.NextParam) && len(c.src.Tweak) > 0:
			c.sel = (c.sel + 1) % len(c.src.Tweak)
			nb.layout()
		case c != nil && key.Matches(msg, k.PrevParam) && len(c.src.Tweak) > 0:
			c.sel = (c.sel - 1 + len(c.src.Tweak)) % len(c.src.Tweak)
			nb.layout()
		case c != nil && key.Matches(msg, k.Inc):
			c.nudge(+1, nb.c.Lang)
			return nb.changed(c)
		case c != nil && key.Matches(msg, k.Dec):
			c.nudge(-1, nb.c.Lang)
			return nb.changed(c)
		case c != nil && key.Matches(msg, k.Edit) && len(c.src.Tweak) > 0:
			p, _ := c.param()
			c.editing = true
			c.input.Prompt = p.Name + " = "
			c.input.SetValue("") // typing replaces the value, shown as the placeholder
			c.input.Placeholder = p.Format(c.values[p.Name])
			nb.layout()
			return c.input.Focus()
		case c != nil && key.Matches(msg, k.Reset):
			c.reset()
			return nb.changed(c)
		case c != nil && key.Matches(msg, k.Run):
			cmd := nb.start(nb.focus, true)
			nb.layout()
			return cmd
		case key.Matches(msg, k.RunAll):
			var cmds []tea.Cmd
			for i := range nb.cells {
				cmds = append(cmds, nb.start(i, true))
			}
			nb.layout()
			return tea.Batch(cmds...)
		case c != nil && key.Matches(msg, k.Pin) && c.result != nil:
			c.pins = append(c.pins, pin{values: c.ranWith, result: c.result})
			if len(c.pins) > 4 { // keep the charts legible
				c.pins = c.pins[1:]
			}
			cmd := nb.draw(nb.focus)
			nb.layout()
			return cmd
		case c != nil && key.Matches(msg, k.ClearPins):
			c.pins = nil
			cmd := nb.draw(nb.focus)
			nb.layout()
			return cmd
		case key.Matches(msg, k.Up):
			nb.vp.ScrollUp(1)
			nb.blurIfHidden()
		case key.Matches(msg, k.Down):
			nb.vp.ScrollDown(1)
			nb.blurIfHidden()
		case key.Matches(msg, k.PageUp):
			nb.vp.PageUp()
			nb.blurIfHidden()
		case key.Matches(msg, k.PageDown):
			nb.vp.PageDown()
			nb.blurIfHidden()
		case key.Matches(msg, k.Top):
			nb.vp.GotoTop()
			nb.blurIfHidden()
		case key.Matches(msg, k.Bottom):
			nb.vp.GotoBottom()
			nb.blurIfHidden()
		}
		return nil
	case tea.MouseMsg:
		var cmd tea.Cmd
		nb.vp, cmd = nb.vp.Update(msg)
		nb.blurIfHidden()
		return cmd
	}
	return nil
}

// changed is called after a cell's values changed: remember them.
func (nb *notebook) changed(c *cell) tea.Cmd {
	nb.c.Store.SetParams(nb.lesson.ID, c.src.ID, c.savedParams())
	nb.layout()
	return nb.c.save()
}

func (nb *notebook) editKey(c *cell, msg tea.KeyMsg) tea.Cmd {
	k := nb.c.Keys
	switch {
	case key.Matches(msg, k.Cancel):
		c.editing = false
		c.input.Blur()
		c.bad = ""
		if err := c.src.Experiment.Check(c.values); err != nil {
			c.bad = err.Error()
		}
		nb.layout()
		return nil
	case key.Matches(msg, k.Confirm):
		if strings.TrimSpace(c.input.Value()) == "" { // nothing typed: keep the value
			c.editing = false
			c.input.Blur()
			nb.layout()
			return nil
		}
		if c.setText(c.input.Value()) {
			c.editing = false
			c.input.Blur()
			return nb.changed(c)
		}
		nb.layout()
		return nil
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	nb.layout()
	return cmd
}

func (nb *notebook) onRun(m runMsg) tea.Cmd {
	if m.nb != nb.gen || m.cell >= len(nb.cells) {
		if !m.final {
			return waitRun(m.ch) // drain an abandoned run
		}
		return nil
	}
	c := nb.cells[m.cell]
	if m.run != c.run { // stale: a newer run replaced it
		if !m.final {
			return waitRun(m.ch)
		}
		return nil
	}
	if !m.final {
		c.done, c.total = m.done, m.total
		if m.partial != nil {
			c.partial = m.partial
		}
		cmd := nb.draw(m.cell)
		nb.layout()
		return tea.Batch(waitRun(m.ch), cmd)
	}
	c.running, c.elapsed, c.partial = false, m.elapsed, nil
	var cmds []tea.Cmd
	if m.err != nil {
		c.err = m.err
	} else {
		c.result, c.ranWith = m.result, c.values.Clone()
		if ex := c.src.Exercise; ex != nil && m.learner {
			v, err := ex.Judge(m.result, c.ranWith)
			c.verdict, c.judgeErr = &v, err
			if err == nil && v.Passed && nb.c.Store.Pass(nb.lesson.ID, c.src.ID, time.Now()) {
				cmds = append(cmds, nb.c.save())
			}
		}
		cmds = append(cmds, nb.draw(m.cell))
	}
	nb.layout()
	return tea.Batch(cmds...)
}
