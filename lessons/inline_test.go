package lessons

import (
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	src := frontMatter + `Big {{ quad().big | int }}, {{ quad().big | M }}; loss {{quad(lr=1 steps=9).loss|.2f}} — {{ #c.loss | % }}, 한글 {{ #c.big }}.
` + cellSrc("id: c\nexperiment: quad\nparams:\n  lr: 0.3\n  steps: 10")
	l, list := parseString(t, src)
	if list != nil {
		t.Fatal(list)
	}
	rn := NewRunner()
	got, err := rn.ResolveProse(t.Context(), l, l.Blocks[0].(*Prose))
	want := "Big 25,557,032, 25.6M; loss 0.10 — 25.0%, 한글 25,557,032.\nText."
	if err != nil || got != want {
		t.Fatalf("got %q, %v\nwant %q", got, err, want)
	}
	all, err := rn.Resolve(t.Context(), l)
	if err != nil || !strings.HasPrefix(all, want+"\n\n```nnlab\nid: c\n") || !strings.HasSuffix(all, "  steps: 10\n```\n") {
		t.Fatalf("Resolve: %v\n%s", err, all)
	}
}

func TestResolveErrors(t *testing.T) {
	src, at := unmark(frontMatter + "A {{ quad().«nope }} and {{ «fails().x }}, {{ #c.«nada | int }}.\n" + cellSrc("id: c\nexperiment: quad"))
	l, list := parseString(t, src)
	if list != nil {
		t.Fatal(list)
	}
	got, err := NewRunner().ResolveProse(t.Context(), l, l.Blocks[0].(*Prose))
	if got != "A ? and ?, ?.\nText." {
		t.Errorf("got %q", got)
	}
	wantErrors(t, errorList(t, err), at, []string{
		`quad has no result key "nope"; its keys: loss, sgd.final_loss, big`,
		"fails failed: fails: it broke",
		`cell c (quad) has no result key "nada"`,
	})
}
