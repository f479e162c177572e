package locale

import (
	"fmt"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
)

// Korean errors are made from the typed errors' fields, not by matching
// English sentences.
func TestParameterErrors(t *testing.T) {
	e := &experiment.Experiment{Name: "conv", Params: experiment.Schema{
		{Name: "k", Kind: experiment.Int, Default: 3, Min: 1, Max: 15, Step: 1},
		{Name: "lr", Kind: experiment.Float, Default: 0.1, Min: 0, Max: 100, Step: 0.1},
		{Name: "optimizers", Kind: experiment.List, Default: []string{"sgd"}, Choices: []string{"sgd", "adam"}},
		{Name: "model", Kind: experiment.Enum, Default: "resnet18", Choices: []string{"resnet18", "resnet50"}},
		{Name: "bias", Kind: experiment.Bool, Default: true},
	}, Validate: func(v experiment.Values) error {
		if v.Int("k") == 7 && v.Float("lr") > 1 {
			return experiment.Invalid([]string{"k", "lr"}, "error.test_rule", "lr must be at most 1 when k is {1}, got {2}", 7, v.Float("lr"))
		}
		return nil
	}}
	for _, tc := range []struct {
		set    map[string]string
		en, ko string
	}{
		{map[string]string{"k": "99"}, `conv: k must be a whole number from 1 to 15, got 99`, `conv: k 값은 1부터 15까지의 정수여야 합니다. 입력: 99`},
		{map[string]string{"lr": "abc"}, `conv: lr must be a number from 0 to 100, got "abc"`, `conv: lr 값은 0부터 100까지의 수여야 합니다. 입력: "abc"`},
		{map[string]string{"lr": "NaN"}, `conv: lr must be a number from 0 to 100, got NaN (not a finite number)`, `conv: lr 값은 0부터 100까지의 수여야 합니다. 입력: NaN (유한한 수가 아닙니다)`},
		{map[string]string{"optimizers": "sgd,lion"}, `conv: optimizers: "lion" is not one of sgd, adam`, `conv: optimizers에 넣은 "lion" 값은 쓸 수 없습니다. 쓸 수 있는 값: sgd, adam`},
		{map[string]string{"optimizers": "sgd,sgd"}, `conv: optimizers: "sgd" is listed twice`, `conv: optimizers에 "sgd" 값이 두 번 들어 있습니다`},
		{map[string]string{"model": "x"}, `conv: model must be one of resnet18, resnet50, got "x"`, `conv: model 값은 다음 중 하나여야 합니다: resnet18, resnet50. 입력: "x"`},
		{map[string]string{"bias": "maybe"}, `conv: bias must be true or false, got "maybe"`, `conv: bias 값은 true 또는 false여야 합니다. 입력: "maybe"`},
		{map[string]string{"kk": "1"}, `conv: unknown parameter "kk"; known: bias, k, lr, model, optimizers`, `conv: "kk"라는 파라미터는 없습니다. 쓸 수 있는 파라미터: bias, k, lr, model, optimizers`},
	} {
		_, err := e.Parse(tc.set)
		if err == nil || err.Error() != tc.en {
			t.Errorf("%v: English %v, want %q", tc.set, err, tc.en)
			continue
		}
		if got := Error("ko", err); got != tc.ko {
			t.Errorf("%v:\n got %q\nwant %q", tc.set, got, tc.ko)
		}
		if got := Error("en", err); got != tc.en {
			t.Errorf("%v: English through Error %q, want %q", tc.set, got, tc.en)
		}
	}
	reg := experiment.NewRegistry(e)
	_, err := reg.Get("cnov")
	if got, want := Error("ko", err), `"cnov"라는 실험은 없습니다. 쓸 수 있는 실험: conv`; got != want {
		t.Errorf("unknown experiment: %q, want %q", got, want)
	}
	// A rule without a catalog entry stays in English.
	_, err = e.Parse(map[string]string{"k": "7", "lr": "2"})
	if got := Error("ko", err); got != "conv: lr must be at most 1 when k is 7, got 2" {
		t.Errorf("rule: %q", got)
	}
	if Error("ko", nil) != "" || Error("ko", fmt.Errorf("disk full")) != "disk full" {
		t.Error("nil or untyped errors")
	}
}
