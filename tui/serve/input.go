package serve

import (
	"bytes"
	"io"
)

// What a client types reaches the app through Bubble Tea's input reader,
// which keeps unparsed input for the next read in two cases: a read that
// filled its 256-byte buffer and ends in a run of letters (it waits for the
// run's end), and a bracketed paste whose end marker has not come (it waits
// for the marker). Either grows without bound on a client that never stops
// the run or never ends the paste, and each read copies all that was kept:
// unbounded memory and quadratic time. boundedInput, between the session
// and the app, prevents both.
const (
	// maxRead is the most one read returns, less than Bubble Tea's buffer,
	// so that every read is short and no run of letters is kept.
	maxRead = 128
	// maxPaste is the most bytes of one paste passed on: a longer paste is
	// passed on as several, each ended and the next begun with the markers.
	maxPaste = 4096
)

var (
	pasteStart = []byte("\x1b[200~")
	pasteEnd   = []byte("\x1b[201~")
)

// boundedInput passes on what r reads, at most maxRead bytes at a time,
// with every bracketed paste cut into pastes of at most maxPaste bytes.
type boundedInput struct {
	r       io.Reader
	buf     [maxRead - 2*len("\x1b[200~")]byte // room left for one cut's markers
	rest    []byte                             // read from r, not passed on yet
	out     []byte                             // passed on, not returned yet
	inPaste bool
	pasted  int    // bytes of the current paste passed on
	tail    []byte // its last bytes, where an end marker may have begun
}

func newBoundedInput(r io.Reader) *boundedInput { return &boundedInput{r: r} }

func (b *boundedInput) Read(p []byte) (int, error) {
	if len(b.out) == 0 {
		if len(b.rest) == 0 {
			n, err := b.r.Read(b.buf[:])
			if n == 0 {
				return 0, err
			}
			b.rest = b.buf[:n]
		}
		b.out = b.pass(b.out[:0])
	}
	n := copy(p, b.out)
	b.out = b.out[n:]
	return n, nil
}

// pass moves bytes of b.rest to out, up to and including one cut of a
// paste (at most len(b.buf) bytes and one pair of markers in all).
func (b *boundedInput) pass(out []byte) []byte {
	data := b.rest
	for len(data) > 0 {
		if !b.inPaste {
			i := bytes.Index(data, pasteStart)
			if i < 0 {
				out, data = append(out, data...), nil
				break
			}
			out, data = append(out, data[:i+len(pasteStart)]...), data[i+len(pasteStart):]
			b.inPaste, b.pasted, b.tail = true, 0, b.tail[:0]
			continue
		}
		// In a paste: its end may have begun in the tail.
		seen := append(append([]byte(nil), b.tail...), data...)
		if e := bytes.Index(seen, pasteEnd); e >= 0 && e <= maxPaste-b.pasted+len(b.tail) {
			n := e + len(pasteEnd) - len(b.tail)
			out, data = append(out, data[:n]...), data[n:]
			b.inPaste, b.tail = false, b.tail[:0]
			continue
		}
		n := min(len(data), maxPaste-b.pasted)
		out = append(out, data[:n]...)
		b.pasted += n
		b.tail = append(b.tail[:0], seen[max(0, len(b.tail)+n-(len(pasteEnd)-1)):len(b.tail)+n]...)
		data = data[n:]
		if b.pasted == maxPaste {
			out = append(append(out, pasteEnd...), pasteStart...)
			b.pasted, b.tail = 0, b.tail[:0]
			break
		}
	}
	b.rest = data
	return out
}
