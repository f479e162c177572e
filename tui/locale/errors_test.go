package locale

import "testing"

func TestParameterErrors(t *testing.T) {
	for en, ko := range map[string]string{
		`conv: k must be a whole number from 1 to 15, got 99`:     `conv: k은(는) 1부터 15까지의 정수여야 합니다. 입력: 99`,
		`lr must be a number from 0 to 100, got "abc"`:            `lr은(는) 0부터 100까지의 수여야 합니다. 입력: "abc"`,
		`optimize: optimizers: "lion" is not one of sgd, adam`:    `optimize: optimizers의 "lion"은(는) 다음 중 하나가 아닙니다: sgd, adam`,
		`model: model must be one of resnet18, resnet50, got "x"`: `model: model은(는) 다음 중 하나여야 합니다: resnet18, resnet50. 입력: "x"`,
	} {
		if got := Text("ko", en); got != ko {
			t.Errorf("%q\n got %q\nwant %q", en, got, ko)
		}
	}
}
