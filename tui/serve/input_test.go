package serve

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// keyRecorder is an app that keeps the keys it gets.
type keyRecorder struct {
	keys []tea.KeyMsg
}

func (k *keyRecorder) Init() tea.Cmd { return nil }
func (k *keyRecorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(tea.KeyMsg); ok {
		k.keys = append(k.keys, m)
	}
	return k, nil
}
func (k *keyRecorder) View() string { return "" }

// quitAtEOF tells p to quit when r is read to its end (every key read
// before has reached the app: Bubble Tea hands each over before it reads
// again).
type quitAtEOF struct {
	r io.Reader
	p *tea.Program
}

func (q *quitAtEOF) Read(b []byte) (int, error) {
	n, err := q.r.Read(b)
	if n == 0 && err != nil {
		go q.p.Quit()
	}
	return n, err
}

// typeInto runs Bubble Tea's input reader on input, through boundedInput,
// and returns the keys the app got.
func typeInto(t testing.TB, input []byte) []tea.KeyMsg {
	m := &keyRecorder{}
	q := &quitAtEOF{r: newBoundedInput(bytes.NewReader(input))}
	p := tea.NewProgram(m, tea.WithInput(q), tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignalHandler())
	q.p = p
	done := make(chan struct{})
	go func() {
		if _, err := p.Run(); err != nil {
			t.Error(err)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		p.Kill()
		t.Fatal("the app did not take the input")
	}
	return m.keys
}

// runes is every rune of the keys that carry runes, in order.
func runes(keys []tea.KeyMsg) (string, int) {
	var b strings.Builder
	most := 0
	for _, k := range keys {
		b.WriteString(string(k.Runes))
		most = max(most, len(k.Runes))
	}
	return b.String(), most
}

// A paste that never ends, and a run of letters without a space, reach the
// app in bounded pieces, all of it, in order.
func TestBoundedInput(t *testing.T) {
	long := strings.Repeat("abcdefghij", 100_000) // 1 MB
	for name, in := range map[string]string{
		"letters":             long,
		"paste without end":   "\x1b[200~" + long,
		"paste with end":      "\x1b[200~" + long + "\x1b[201~z",
		"short paste":         "\x1b[200~hello\x1b[201~!",
		"two pastes":          "\x1b[200~ab\x1b[201~\x1b[200~cd\x1b[201~",
		"end split by a read": "\x1b[200~" + strings.Repeat("x", 114) + "\x1b[201~y",
	} {
		t.Run(name, func(t *testing.T) {
			keys := typeInto(t, []byte(in))
			got, most := runes(keys)
			want := strings.NewReplacer("\x1b[200~", "", "\x1b[201~", "").Replace(in)
			if name == "paste without end" { // its last piece is still waiting for the end
				want = want[:len(want)/maxPaste*maxPaste]
			}
			if got != want {
				t.Errorf("the app got %d runes, want %d", len(got), len(want))
			}
			if most > maxPaste {
				t.Errorf("one key of %d runes (at most %d)", most, maxPaste)
			}
		})
	}
}

// Every read is short (Bubble Tea keeps nothing for the next one), and a
// paste is cut with markers, at most maxPaste bytes each; nothing else
// changes.
func TestBoundedInputReads(t *testing.T) {
	in := "ab\x1b[200~" + strings.Repeat("p", 3*maxPaste+7) + "\x1b[201~cd"
	r := newBoundedInput(strings.NewReader(in))
	var out bytes.Buffer
	buf := make([]byte, 256)
	for {
		n, err := r.Read(buf)
		if n > maxRead {
			t.Fatalf("a read of %d bytes", n)
		}
		out.Write(buf[:n])
		if err == io.EOF {
			break
		}
	}
	cut := string(pasteEnd) + string(pasteStart)
	want := "ab\x1b[200~" + strings.Repeat(strings.Repeat("p", maxPaste)+cut, 3) + strings.Repeat("p", 7) + "\x1b[201~cd"
	if out.String() != want {
		t.Errorf("passed on %d bytes, want %d", out.Len(), len(want))
	}
}

// FuzzSessionInput feeds what a client might type to Bubble Tea's input
// reader through boundedInput: no panic, no hang, every key within bounds.
func FuzzSessionInput(f *testing.F) {
	for _, s := range []string{"abc", "\x1b[200~abc", "\x1b[200~a\x1b[201~b", "\x1b[<0;10;5M", "\x1b[A\x1b\x1bx", "가나다", "\x1b[200~\x1b[200~", strings.Repeat("q", 300)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		keys := typeInto(t, in)
		_, most := runes(keys)
		if most > maxPaste {
			t.Fatalf("one key of %d runes", most)
		}
	})
}
