package locale

import "testing"

func TestParameterErrors(t *testing.T) {
	for en, ko := range map[string]string{
		`conv: k must be a whole number from 1 to 15, got 99`:     `conv: k 값은 1부터 15까지의 정수여야 합니다. 입력: 99`,
		`lr must be a number from 0 to 100, got "abc"`:            `lr 값은 0부터 100까지의 수여야 합니다. 입력: "abc"`,
		`optimize: optimizers: "lion" is not one of sgd, adam`:    `optimize: optimizers에 넣은 "lion" 값은 쓸 수 없습니다. 쓸 수 있는 값: sgd, adam`,
		`model: model must be one of resnet18, resnet50, got "x"`: `model: model 값은 다음 중 하나여야 합니다: resnet18, resnet50. 입력: "x"`,
	} {
		if got := Text("ko", en); got != ko {
			t.Errorf("%q\n got %q\nwant %q", en, got, ko)
		}
	}
}
