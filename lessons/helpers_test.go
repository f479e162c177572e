package lessons

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nnlab/nnlab/core/conv"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiments"
)

// quadRuns counts runs of the fake "quad" experiment.
var quadRuns atomic.Int64

// fakeExperiments are small experiments exercising every kind of parameter
// and output, a slow one and a failing one.
func fakeExperiments() []*experiment.Experiment {
	quad := &experiment.Experiment{
		Name: "quad",
		Params: experiment.Schema{
			{Name: "steps", Kind: experiment.Int, Default: 50, Min: 1, Max: 1000, Step: 10},
			{Name: "lr", Kind: experiment.Float, Default: 0.1, Min: 0, Max: 10, Step: 0.1},
			{Name: "surface", Kind: experiment.Enum, Default: "bowl", Choices: []string{"bowl", "ridge"}},
			{Name: "optimizers", Kind: experiment.List, Default: []string{"sgd"}, Choices: []string{"sgd", "adam"}, Aliases: []string{"optimizer"}},
			{Name: "bias", Kind: experiment.Bool, Default: false},
		},
		Validate: func(v experiment.Values) error {
			if v.String("surface") == "ridge" && v.Float("lr") > 1 {
				return errors.New("lr must be at most 1 on ridge")
			}
			return nil
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			quadRuns.Add(1)
			r := &experiment.Result{}
			loss := 1 / (1 + v.Float("lr")*float64(v.Int("steps")))
			r.AddScalar("loss", "Final loss", loss, "")
			r.AddScalar("sgd.final_loss", "SGD final loss", loss*2, "")
			r.AddScalar("big", "A big number", 25557032, "params")
			r.Charts = append(r.Charts, experiment.Chart{Key: "curve", Title: "Loss", Series: []experiment.Series{{Name: "sgd", Y: []float64{1, loss}}}})
			r.Tables = append(r.Tables, experiment.Table{Key: "table", Columns: []experiment.Column{{Name: "a"}}, Rows: []experiment.Row{{Cells: []any{"x"}}}})
			r.Notes = append(r.Notes, "a note")
			return r, nil
		},
	}
	slow := &experiment.Experiment{
		Name:   "slow",
		Params: experiment.Schema{{Name: "ms", Kind: experiment.Int, Default: 5, Min: 0, Max: 100000, Step: 1}},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			select {
			case <-time.After(time.Duration(v.Int("ms")) * time.Millisecond):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			r := &experiment.Result{}
			r.AddScalar("done", "Done", 1, "")
			return r, nil
		},
	}
	fails := &experiment.Experiment{
		Name:   "fails",
		Params: experiment.Schema{{Name: "x", Kind: experiment.Int, Default: 1, Min: 0, Max: 10, Step: 1}},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if v.Int("x") == 2 {
				panic("boom")
			}
			return nil, errors.New("it broke")
		},
	}
	return []*experiment.Experiment{quad, slow, fails}
}

func testRegistry() *experiment.Registry {
	return experiment.NewRegistry(append(conv.Experiments(), fakeExperiments()...)...)
}

// fullRegistry is the program's registry: every experiment the lessons
// use.
func fullRegistry() *experiment.Registry { return experiments.Registry() }

const frontMatter = `---
id: test
title: A test
lang: en
order: 1
summary: For tests.
minutes: 5
---
`

// mark is put in test sources right before the character an error must
// point at.
const mark = "«"

// unmark removes the marks from src and returns where they were
// (1-based line and character column).
func unmark(src string) (string, []pos) {
	var out strings.Builder
	var at []pos
	for i, line := range strings.Split(src, "\n") {
		if i > 0 {
			out.WriteByte('\n')
		}
		for {
			j := strings.Index(line, mark)
			if j < 0 {
				break
			}
			at = append(at, pos{i + 1, utf8.RuneCountInString(line[:j]) + 1})
			line = line[:j] + line[j+len(mark):]
		}
		out.WriteString(line)
	}
	return out.String(), at
}

func errorList(t *testing.T, err error) ErrorList {
	t.Helper()
	if err == nil {
		return nil
	}
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v (%T) is not an ErrorList", err, err)
	}
	return list
}

func parseString(t *testing.T, src string) (*Lesson, ErrorList) {
	t.Helper()
	l, err := Parse("t.md", []byte(src), testRegistry())
	if (l == nil) == (err == nil) {
		t.Fatalf("Parse returned lesson %v and error %v; want exactly one", l, err)
	}
	return l, errorList(t, err)
}

// wantErrors asserts that list holds exactly the problems marked in the
// source, in order, each message containing the corresponding want.
func wantErrors(t *testing.T, list ErrorList, at []pos, want []string) {
	t.Helper()
	if len(at) != len(want) {
		t.Fatalf("test has %d marks and %d messages", len(at), len(want))
	}
	if len(list) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(list), len(want), list)
	}
	for i, e := range list {
		if e.Path != "t.md" || e.Line != at[i].line || e.Col != at[i].col || !strings.Contains(e.Msg, want[i]) {
			t.Errorf("error %d: got %q, want t.md:%d:%d: …%s…", i, e.Error(), at[i].line, at[i].col, want[i])
		}
	}
}

// must returns v, panicking on err (for calls that cannot fail in a test).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func cellSrc(yaml string) string { return fmt.Sprintf("Text.\n\n```nnlab\n%s\n```\n", yaml) }
