package tui

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/tui/workshop"
)

// A cell's run: started in a goroutine under a context (a newer run cancels
// the older), streamed as progress messages, finished with a result that is
// judged against the cell's exercise, and drawn in a command. Every message
// carries the notebook generation and the run id, so stale ones are dropped.

// start runs cell i in the background, cancelling its previous run. A run
// for the learner (learner) is judged against the cell's exercise; a run
// a key asked for just now (asked) takes the next free slot before the
// runs nnlab started by itself (see Slots).
func (nb *notebook) start(i int, learner, asked bool) tea.Cmd {
	c := nb.cells[i]
	if c.bad != nil || c.awaiting() { // a prediction comes first
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
	if learner {
		nb.c.record(workshop.Event{Kind: workshop.KindRun, Lesson: nb.lesson.ID, Cell: c.src.ID, Detail: paramsText(c.savedParams())})
	}
	ch := make(chan runMsg, 1)
	tag := runMsg{nb: nb.gen, cell: i, run: c.run, learner: learner, ch: ch}
	slots := nb.c.runSlots(exp.IsHeavy(values))
	waiting := func() {
		m := tag
		m.waiting = true
		select {
		case ch <- m:
		default:
		}
	}
	progress := func(done, total int, partial *experiment.Result) {
		m := tag
		m.done, m.total, m.partial = done, total, partial
		select { // progress may be dropped when the UI is behind; the result never is
		case ch <- m:
		default:
		}
	}
	go func() {
		defer cancel()
		for {
			// A run nnlab started by itself steps aside for one a key asked
			// for (see Slots) and queues again.
			run, release, err := acquireRun(ctx, waiting, asked, slots...)
			if err != nil { // cancelled while waiting: a newer run or a closed notebook
				m := tag
				m.final, m.err = true, err
				ch <- m
				close(ch)
				return
			}
			t0 := time.Now()
			r, err := safeExecute(run, exp, values, progress)
			stepped := steppedAside(ctx, run, err)
			release()
			if stepped {
				continue
			}
			m := tag
			m.final, m.result, m.err, m.elapsed = true, r, err, time.Since(t0)
			ch <- m
			close(ch)
			return
		}
	}()
	return tea.Batch(waitRun(ch), nb.spin.Tick)
}

// safeExecute runs the experiment; a panic in it (a bug) fails this run
// with its message instead of ending the process — the learner's terminal,
// or every learner of a workshop.
func safeExecute(ctx context.Context, exp *experiment.Experiment, values experiment.Values, progress experiment.Progress) (r *experiment.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("internal error in %s: %v", exp.Name, p)
		}
	}()
	return exp.Execute(ctx, values, progress)
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
	spec := outputSpec{result: r, pins: pins, show: c.src.Show, width: nb.contentWidth() - 2, height: nb.c.Height, lang: nb.c.Lang, scrub: c.scrub}.keepScales(c.outSpec)
	if r == nil || spec.same(c.outSpec) || c.drawing {
		return nil
	}
	c.drawing = true
	gen, st := nb.gen, nb.c.Styles
	return func() tea.Msg {
		return drawnMsg{nb: gen, cell: i, spec: spec, text: drawOutputs(spec, st)}
	}
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
		c.waiting = m.waiting
		if m.waiting {
			nb.layout()
			return waitRun(m.ch)
		}
		c.done, c.total = m.done, m.total
		if m.partial != nil {
			c.partial = m.partial
		}
		cmd := nb.draw(m.cell)
		nb.layout()
		return tea.Batch(waitRun(m.ch), cmd)
	}
	c.running, c.waiting, c.elapsed, c.partial = false, false, m.elapsed, nil
	var cmds []tea.Cmd
	if m.err != nil {
		c.err = m.err
	} else {
		c.result, c.ranWith = m.result, c.values.Clone()
		if ex := c.src.Exercise; ex != nil && m.learner {
			v, err := ex.Judge(m.result, c.ranWith)
			c.judged(v, err)
			a := workshop.Event{Kind: workshop.KindExercise, Lesson: nb.lesson.ID, Cell: c.src.ID, OK: err == nil && v.Passed}
			if v.Hint != nil {
				a.Detail = v.Hint.Text
			}
			nb.c.record(a)
			if err == nil && v.Passed && nb.c.Store.Pass(nb.lesson.ID, c.src.ID, time.Now()) {
				cmds = append(cmds, nb.c.save())
			}
		}
		if c.src.Predict != nil && c.pred.guess != nil && !c.pred.judged {
			right := c.judgePrediction()
			if c.pred.judged {
				nb.c.record(workshop.Event{Kind: workshop.KindExercise, Lesson: nb.lesson.ID, Cell: c.src.PredictID(), OK: right, Detail: c.pred.typed})
			}
			if right && nb.c.Store.Pass(nb.lesson.ID, c.src.PredictID(), time.Now()) {
				cmds = append(cmds, nb.c.save())
			}
		}
		cmds = append(cmds, nb.draw(m.cell))
	}
	nb.layout()
	return tea.Batch(cmds...)
}
