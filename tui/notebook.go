package tui

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/state"
	"github.com/nnlab/nnlab/tui/workshop"
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
		waiting     bool // queued: no free slot to compute in yet
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
	quiz  *lessons.QuizBlock
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
	sticky  string            // the focused cell's header, kept in view
	// keep, while set, holds the reading place across layouts whose
	// heights change (a resize, the other language, prose arriving); the
	// learner's next scroll drops it.
	keep *state.Place
	// quizTries counts the quizzes opened, so each try draws new questions.
	quizTries map[string]int
	// quizScores is the last score of each quiz tried and not passed in
	// this session: right answers and questions answered.
	quizScores map[string][2]int
}

func newNotebook(c *Common, l *lessons.Lesson) (*notebook, tea.Cmd) {
	nb := &notebook{c: c, spin: spinner.New(spinner.WithSpinner(spinner.MiniDot))}
	nb.spin.Style = c.Styles.Warn
	nb.vp = viewport.New(c.Width, nb.vpHeight())
	nb.vp.Style = c.Styles.R.NewStyle()
	nb.vp.MouseWheelEnabled = true
	place := c.Store.Lesson(l.ID).Place
	c.Store.Visit(l.ID, time.Now())
	c.record(workshop.Event{Kind: workshop.KindLesson, Lesson: l.ID})
	cmd := nb.load(l)
	if place != nil { // back where the learner left it
		nb.keep = place
		nb.layout()
	}
	return nb, tea.Batch(c.save(), cmd)
}

// load shows lesson l: its blocks, and a cell for each of its cells with the
// learner's remembered values; every cell runs once so the notebook opens
// with its outputs. Messages for what was shown before are dropped.
func (nb *notebook) load(l *lessons.Lesson) tea.Cmd {
	c := nb.c
	nb.gen, nb.lesson, nb.focus = c.nextGen(), l, -1
	nb.blocks, nb.cells, nb.texts = nil, nil, nil
	saved := c.Store.Lesson(l.ID)
	for i, b := range l.Blocks {
		switch b := b.(type) {
		case *lessons.Prose:
			nb.blocks = append(nb.blocks, block{prose: b, key: fmt.Sprintf("%s#%d", l.Path, i)})
		case *lessons.Cell:
			cl := newCell(b, saved.Params[b.ID], c.Styles.TextInput())
			_, cl.passedAt = saved.Passed[b.ID]
			_, cl.pred.before = saved.Passed[b.PredictID()]
			cl.pred.done = cl.pred.before
			cl.n = len(nb.cells) + 1
			nb.cells = append(nb.cells, cl)
			nb.blocks = append(nb.blocks, block{cell: cl})
		case *lessons.QuizBlock:
			nb.blocks = append(nb.blocks, block{quiz: b})
		}
	}
	for _, cl := range nb.cells {
		cl.of = len(nb.cells)
	}
	cmds := []tea.Cmd{nb.renderProse(), nb.resolveTexts()}
	for i, cl := range nb.cells {
		// An exercise the learner was working on is judged again on opening.
		cmds = append(cmds, nb.start(i, cl.savedParams() != nil, false))
	}
	nb.layout()
	return tea.Batch(cmds...)
}

// Relang reopens the lesson in the session's language, keeping the focused
// cell, each cell's selected parameter and the scroll position (values are
// kept through the state store).
func (nb *notebook) Relang() tea.Cmd {
	l, ok := nb.c.Library.Lookup(nb.lesson.ID, nb.c.Lang)
	if !ok {
		return nil
	}
	focus, place := nb.focus, nb.place()
	sel := map[string]int{}
	for _, c := range nb.cells {
		sel[c.src.ID] = c.sel
	}
	nb.Close()
	cmd := nb.load(l)
	nb.focus = min(focus, len(nb.cells)-1)
	for _, c := range nb.cells {
		c.sel = sel[c.src.ID]
	}
	nb.keep = &place // the languages' lessons have the same blocks
	nb.layout()
	return cmd
}

// place is the block at the top of the view and the line within it.
func (nb *notebook) place() state.Place {
	k := 0
	for i, off := range nb.offsets {
		if off <= nb.vp.YOffset {
			k = i
		}
	}
	if len(nb.offsets) == 0 {
		return state.Place{}
	}
	return state.Place{Block: k, Line: nb.vp.YOffset - nb.offsets[k]}
}

// applyPlace scrolls to p (its line clamped to its block).
func (nb *notebook) applyPlace(p state.Place) {
	if len(nb.offsets) == 0 {
		return
	}
	k := min(p.Block, len(nb.offsets)-1)
	end := len(nb.lines)
	if k+1 < len(nb.offsets) {
		end = nb.offsets[k+1]
	}
	nb.vp.SetYOffset(nb.offsets[k] + max(0, min(p.Line, end-nb.offsets[k]-1)))
}

// Close cancels the notebook's runs and remembers where the learner read.
func (nb *notebook) Close() {
	nb.c.Store.SetPlace(nb.lesson.ID, nb.place())
	for _, c := range nb.cells {
		if c.cancel != nil {
			c.cancel()
		}
	}
}

func (nb *notebook) Title() string { return nb.lesson.Title }

func (nb *notebook) Status() string {
	return fmt.Sprintf(T(nb.c.Lang, "exercises"), nb.passed(), nb.lesson.Exercises())
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

func (nb *notebook) Keys() help.KeyMap { return notebookKeys{nb.c.Keys, nb.focused()} }

func (nb *notebook) Position() string { return fmt.Sprintf("%3.0f%%", nb.vp.ScrollPercent()*100) }

// Editing reports whether the focused cell has a text field open.
func (nb *notebook) Editing() bool { c := nb.focused(); return c != nil && (c.editing || c.pred.open) }

// View shows the h lines of the notebook in view.
func (nb *notebook) View(h int) string {
	nb.vp.Height = h
	return nb.visible(h)
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
		cmds = append(cmds, nb.c.proseCmd(nb.gen, k, nb.lesson, b.prose))
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
				out[s], _ = runner.ResolveText(context.Background(), l, s) // no deadline: a busy machine delays values, a failure shows as "?"
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
	return pendingValue.ReplaceAllString(s, "…") // never the raw {{ … }}
}

// pendingValue is a value in a cell's text that is still being computed.
var pendingValue = regexp.MustCompile(`\{\{.*?\}\}`)

// layout assembles the viewport's content from the blocks' current views.
// It is string assembly only; prose comes from the cache, charts from cells.
func (nb *notebook) layout() {
	// The focused cell anchors the view while what is above it changes
	// height (a run finishing in the cell before): where the view stood
	// relative to the cell's top, it stands after.
	fk, oldStart, oldEnd := -1, 0, 0
	if nb.focus >= 0 && nb.keep == nil && len(nb.offsets) == len(nb.blocks) {
		fk = nb.cellBlock(nb.focus)
		oldStart, oldEnd = nb.blockSpan(fk)
	}
	w := nb.contentWidth()
	var b strings.Builder
	nb.offsets = nb.offsets[:0]
	line := 0
	ci := 0
	var awaiting *cell // the cell just before, while it waits for a prediction
	for _, bl := range nb.blocks {
		nb.offsets = append(nb.offsets, line)
		var s string
		switch {
		case bl.prose != nil && awaiting != nil:
			// The text right after a cell that waits for a prediction often
			// tells the answer: it stays folded until the learner has
			// predicted (or skipped).
			s = nb.c.Styles.Subtle.Render("  ⋯ " + T(nb.c.Lang, "predict_folded"))
		case bl.cell != nil:
			spin := nb.spin.View()
			s = bl.cell.view(nb.c, w, ci == nb.focus, spin, nb.text)
			ci++
		case bl.quiz != nil:
			s = nb.quizView(bl.quiz, w)
		default:
			var ok bool
			if s, ok = nb.c.prose.view(proseKey{bl.key, w, nb.c.Styles.GlamourSty}); !ok {
				s = nb.c.Styles.Subtle.Render("  " + T(nb.c.Lang, "loading"))
			}
		}
		b.WriteString(s)
		b.WriteString("\n\n")
		line += strings.Count(s, "\n") + 2
		awaiting = nil
		if bl.cell != nil && bl.cell.awaiting() {
			awaiting = bl.cell
		}
	}
	b.WriteString(nb.endView(w))
	content := b.String()
	nb.lines = strings.Split(content, "\n")
	nb.sticky = ""
	if c := nb.focused(); c != nil {
		nb.sticky = c.header(nb.c, w, true)
	}
	if nb.keep != nil {
		nb.applyPlace(*nb.keep)
	}
	nb.vp.SetContent(content)
	if fk >= 0 && nb.keep == nil {
		nb.holdFocus(fk, oldStart, oldEnd)
	}
}

// blockSpan is the first line of block k and the line after its last.
func (nb *notebook) blockSpan(k int) (start, end int) {
	start, end = nb.offsets[k], len(nb.lines)
	if k+1 < len(nb.offsets) {
		end = nb.offsets[k+1]
	}
	return start, end
}

// holdFocus keeps the focused cell (block k, which spanned lines oldStart
// to oldEnd before this layout) where the learner sees it: the view moves
// with the cell as blocks above change height (x in one cell, then tab:
// the next cell opens at its top, not ten lines in); and when the cell got
// shorter under a view scrolled into it (a rerun drew fewer bars), the view
// comes back so that the cell fills it rather than the prose after it.
func (nb *notebook) holdFocus(k, oldStart, oldEnd int) {
	start, end := nb.blockSpan(k)
	top := nb.vp.YOffset
	if oldEnd <= top || oldStart >= top+nb.vp.Height {
		return // the cell was not in view
	}
	top += start - oldStart
	if end-start < oldEnd-oldStart && top > start {
		top = min(top, max(start-1, end-nb.vp.Height))
	}
	nb.vp.SetYOffset(max(0, top))
}

// visible returns the h lines of content in view, padded to h lines. The
// lines already fit the width (layout guarantees it), so this is slicing
// only — unlike viewport.View, which re-wraps every line.
func (nb *notebook) visible(h int) string {
	top := min(nb.vp.YOffset, max(0, len(nb.lines)-1))
	end := min(len(nb.lines), top+h)
	out := make([]string, 0, h)
	// The focused cell's name and values stay in view while its outputs
	// scroll past the top.
	if nb.focus >= 0 && nb.sticky != "" {
		k := nb.cellBlock(nb.focus)
		start, stop := nb.offsets[k], len(nb.lines)
		if k+1 < len(nb.offsets) {
			stop = nb.offsets[k+1]
		}
		// Once its title and values have scrolled away: before that the
		// header would repeat them.
		if sticky := strings.Split(nb.sticky, "\n"); start+nb.cells[nb.focus].headLines <= top && stop-top > len(sticky)+2 && h > len(sticky)+4 {
			out = append(out, sticky...)
			end = min(len(nb.lines), top+h-len(sticky))
		}
	}
	out = append(out, nb.lines[top:end]...)
	for len(out) < h {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

func (nb *notebook) focusCell(i int) {
	nb.keep = nil
	if len(nb.cells) == 0 {
		return
	}
	if i < -1 { // shift+tab before any cell had focus: the last one
		i = len(nb.cells) - 1
	}
	nb.focus = (i + len(nb.cells)) % len(nb.cells)
	nb.c.record(workshop.Event{Kind: workshop.KindCell, Lesson: nb.lesson.ID, Cell: nb.cells[nb.focus].src.ID})
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

func (nb *notebook) Resize() tea.Cmd {
	if nb.keep == nil && len(nb.offsets) > 0 {
		p := nb.place()
		nb.keep = &p
	}
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

// Update handles a message for the notebook; the app handles global keys.
func (nb *notebook) Update(msg tea.Msg) tea.Cmd {
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
		if c := nb.focused(); c != nil {
			if !c.editing && c.dismissInfo() {
				defer nb.layout()
			}
			if ev, cmd := c.update(msg, k, nb.c.Lang); ev != cellNone || cmd != nil || c.editing || c.pred.open {
				return tea.Batch(cmd, nb.onCell(nb.focus, ev))
			}
		}
		switch {
		case key.Matches(msg, k.NextCell) && nb.focus < 0:
			nb.focusCell(nb.firstVisibleCell())
		case key.Matches(msg, k.NextCell):
			nb.focusCell(nb.focus + 1)
		case key.Matches(msg, k.PrevCell):
			nb.focusCell(nb.focus - 1)
		case key.Matches(msg, k.Quiz):
			return nb.openQuiz()
		case key.Matches(msg, k.NextLesson):
			return nb.openNext()
		case key.Matches(msg, k.RunAll):
			var cmds []tea.Cmd
			for i := range nb.cells {
				cmds = append(cmds, nb.start(i, true, true))
			}
			nb.layout()
			return tea.Batch(cmds...)
		case key.Matches(msg, k.Up):
			nb.keep = nil
			nb.vp.ScrollUp(1)
			nb.blurIfHidden()
		case key.Matches(msg, k.Down):
			nb.keep = nil
			nb.vp.ScrollDown(1)
			nb.blurIfHidden()
		case key.Matches(msg, k.PageUp):
			nb.keep = nil
			nb.vp.PageUp()
			nb.blurIfHidden()
		case key.Matches(msg, k.PageDown):
			nb.keep = nil
			nb.vp.PageDown()
			nb.blurIfHidden()
		case key.Matches(msg, k.Top):
			nb.keep = nil
			nb.vp.GotoTop()
			nb.blurIfHidden()
		case key.Matches(msg, k.Bottom):
			nb.keep = nil
			nb.vp.GotoBottom()
			nb.blurIfHidden()
		case nb.focused() == nil && key.Matches(msg, k.Inc, k.Dec, k.Edit, k.Run, k.Reset, k.NextParam, k.PrevParam, k.Pin, k.ClearPins,
			k.StepBack, k.StepFwd, k.Follow, k.Hint, k.Solution):
			if len(nb.cells) == 0 {
				return say("key.no_tweak")
			}
			return say("key.no_cell")
		}
		return nil
	case tea.MouseMsg:
		var cmd tea.Cmd
		nb.keep = nil
		nb.vp, cmd = nb.vp.Update(msg)
		nb.blurIfHidden()
		return cmd
	}
	return nil
}

// quizView shows a quiz fence: how many questions of which kinds, whether
// it was passed, and the key that starts it.
func (nb *notebook) quizView(q *lessons.QuizBlock, width int) string {
	st, lang := nb.c.Styles, nb.c.Lang
	n := len(q.Fixed) + q.Count
	kinds := slices.Clone(q.Kinds)
	for _, f := range q.Fixed {
		if !slices.Contains(kinds, f.Kind) {
			kinds = append(kinds, f.Kind)
		}
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = locale.Msg(lang, "quiz.short."+k)
	}
	line := st.Title.Render("✎ "+fmt.Sprintf(T(lang, "quiz_block"), n, strings.Join(names, ", "))) + "  "
	score, tried := nb.quizScores[q.ID]
	switch _, passed := nb.c.Store.Lesson(nb.lesson.ID).Passed[q.ID]; {
	case passed:
		line += st.Pass.Render("✓ " + T(lang, "passed"))
	case tried:
		line += st.Warn.Render("✗ " + fmt.Sprintf(T(lang, "quiz_tried"), score[0], score[1], q.PassMark(n)))
	default:
		line += st.Subtle.Render("○ " + T(lang, "not_tried"))
	}
	line += "\n" + st.Accent.Render(T(lang, "quiz_block_start"))
	return st.CellBlur.Width(width - 1).Render(line)
}

// openQuiz starts the quiz in view, else the lesson's last one; each time
// with new questions.
func (nb *notebook) openQuiz() tea.Cmd {
	var pick *lessons.QuizBlock
	for k, b := range nb.blocks {
		if b.quiz != nil {
			pick = b.quiz
			if nb.blockVisible(k) {
				break
			}
		}
	}
	if pick == nil {
		return say("key.no_quiz")
	}
	if nb.quizTries == nil {
		nb.quizTries = map[string]int{}
	}
	qs, err := pick.Questions(nb.lesson.ID, nb.quizTries[pick.ID])
	nb.quizTries[pick.ID]++
	if err != nil || len(qs) == 0 {
		return nil // nnlab check reports a quiz that cannot be drawn
	}
	return push(newQuizScreen(nb.c, qs, quizFrom{lesson: nb.lesson.ID, block: pick}))
}

// Resume shows what a quiz just taken changed: its status and the header.
// A lesson quiz answered but not passed keeps its score for the session.
func (nb *notebook) Resume(closed Screen) tea.Cmd {
	if s, ok := closed.(*quizScreen); ok && s.from.block != nil && s.round.At > 0 && !s.passed {
		if nb.quizScores == nil {
			nb.quizScores = map[string][2]int{}
		}
		nb.quizScores[s.from.block.ID] = [2]int{s.round.Right, s.round.At}
	}
	nb.layout()
	return nil
}

// onCell acts on what a key did to cell i.
func (nb *notebook) onCell(i int, ev cellEvent) tea.Cmd {
	c := nb.cells[i]
	switch ev {
	case cellChanged: // remember the values; a fast cell answers at once
		nb.c.Store.SetParams(nb.lesson.ID, c.src.ID, c.savedParams())
		cmds := []tea.Cmd{nb.c.save()}
		if c.live() {
			cmds = append(cmds, nb.start(i, true, true))
		}
		nb.layout()
		return tea.Batch(cmds...)
	case cellRun:
		cmd := nb.start(i, true, true)
		nb.layout()
		return cmd
	case cellPredicted: // back to the lesson's values, and run
		nb.c.record(workshop.Event{Kind: workshop.KindRun, Lesson: nb.lesson.ID, Cell: c.src.ID, Detail: paramsText(c.savedParams())})
		nb.c.Store.SetParams(nb.lesson.ID, c.src.ID, c.savedParams())
		cmds := []tea.Cmd{nb.c.save(), nb.start(i, false, true)} // like the opening run: no exercise verdict yet
		nb.layout()
		return tea.Batch(cmds...)
	case cellRedraw:
		cmd := nb.draw(i)
		nb.layout()
		return cmd
	}
	nb.layout()
	return nil
}
