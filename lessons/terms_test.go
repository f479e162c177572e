package lessons

import (
	"os"
	"regexp"
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

// TestKoreanTermsAcrossLessonsAndLabels: one Korean term per concept in the
// lessons, the labels (assets/i18n/ko.yaml) and nnlab's own words
// (assets/messages.yaml): 플레인 네트워크 (일반 네트워크 reads as "a
// general network"), 프로젝션 (not 사영), 피처 맵 (not 특성 맵 or 특징 맵).
func TestKoreanTermsAcrossLessonsAndLabels(t *testing.T) {
	avoid := map[string]string{"일반 네트워크": "플레인 네트워크", "일반 블록": "플레인 블록", "사영": "프로젝션", "특성 맵": "피처 맵", "특징 맵": "피처 맵"}
	texts := map[string]string{}
	files, err := BuiltinFiles()
	if err != nil {
		t.Fatal(err)
	}
	for path, src := range files {
		if strings.Contains(path, "/ko/") {
			texts[path] = string(src)
		}
	}
	for _, p := range []string{"../assets/i18n/ko.yaml", "../assets/messages.yaml"} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[p] = string(b)
	}
	for path, src := range texts {
		for i, line := range strings.Split(src, "\n") {
			for bad, good := range avoid {
				if strings.Contains(line, bad) {
					t.Errorf("%s:%d: %s — say %s", path, i+1, bad, good)
				}
			}
		}
	}
}

// TestKoreanConvolutionTerms: the Korean lessons say 윈도우 for a kernel's
// or a pooling's window (not 창: the labels' 창 is a plot's view), and the
// Korean texts say dilation as PyTorch names it; 팽창 appears only as a
// gloss beside it — 팽창(dilation) where a lesson introduces it, (팽창) in
// a parameter's help.
func TestKoreanConvolutionTerms(t *testing.T) {
	texts := map[string]string{}
	files, err := BuiltinFiles()
	if err != nil {
		t.Fatal(err)
	}
	for path, src := range files {
		if strings.Contains(path, "/ko/") {
			texts[path] = string(src)
		}
	}
	for _, p := range []string{"../assets/i18n/ko.yaml", "../assets/messages.yaml"} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[p] = string(b)
	}
	window := regexp.MustCompile(`(^|[\s(])창(\s|[을이은의에가]\s|$)`)
	gloss := strings.NewReplacer("팽창(dilation)", "", "(팽창)", "")
	for path, src := range texts {
		for i, line := range strings.Split(src, "\n") {
			if strings.Contains(path, "/ko/") && window.MatchString(line) {
				t.Errorf("%s:%d: 창 — say 윈도우, as the other lessons do", path, i+1)
			}
			if strings.Contains(gloss.Replace(line), "팽창") {
				t.Errorf("%s:%d: 팽창 — say dilation (팽창 only as its gloss)", path, i+1)
			}
		}
	}
}
