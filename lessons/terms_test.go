package lessons

import (
	"strings"
	"testing"
)

// TestKoreanTermsOnePerConcept: the Korean lessons say 학습 for training,
// as the labels do (assets/i18n/ko.yaml), never 훈련.
func TestKoreanTermsOnePerConcept(t *testing.T) {
	files, err := BuiltinFiles()
	if err != nil {
		t.Fatal(err)
	}
	for path, src := range files {
		if !strings.Contains(path, "/ko/") {
			continue
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.Contains(line, "훈련") {
				t.Errorf("%s:%d: 훈련 — say 학습, as the labels do", path, i+1)
			}
		}
	}
}
