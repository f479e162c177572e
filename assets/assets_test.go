package assets

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

func TestEmbedded(t *testing.T) {
	cats, err := fs.Glob(FS, CatalogDir+"/*.yaml")
	if err != nil || len(cats) == 0 {
		t.Fatalf("no catalogs in %s/: %v %v", CatalogDir, cats, err)
	}
	for _, f := range cats {
		if b, err := fs.ReadFile(FS, f); err != nil || len(b) == 0 {
			t.Errorf("%s: %d bytes, %v", f, len(b), err)
		}
	}
}

func TestDiagrams(t *testing.T) {
	names := Diagrams()
	if len(names) == 0 {
		t.Fatal("no diagrams")
	}
	files, _ := fs.Glob(FS, "*.txt")
	for _, f := range files {
		name, lang, _ := strings.Cut(strings.TrimSuffix(f, ".txt"), ".")
		if lang != "" && !slices.Contains(Languages(), lang) {
			t.Errorf("%s: %q is not a lesson language (%v)", f, lang, Languages())
		}
		if !slices.Contains(names, name) {
			t.Errorf("%s: Diagrams() misses %q", f, name)
		}
	}
	for _, name := range names {
		for _, lang := range Languages() {
			d, err := Diagram(name, lang)
			if err != nil {
				t.Errorf("%s in %s: %v", name, lang, err)
				continue
			}
			if strings.TrimSpace(d) == "" {
				t.Errorf("%s in %s: empty", name, lang)
			}
			if strings.Contains(d, "{{") || strings.Contains(d, "```") || strings.Contains(d, "\t") {
				t.Errorf("%s in %s: a diagram holds no values, fences or tabs", name, lang)
			}
			for i, line := range strings.Split(d, "\n") {
				if w := ansi.StringWidth(line); w > MaxDiagramWidth {
					t.Errorf("%s in %s, line %d: %d columns, at most %d fit a 60-column terminal: %q", name, lang, i+1, w, MaxDiagramWidth, line)
				}
				if line != strings.TrimRight(line, " ") {
					t.Errorf("%s in %s, line %d: trailing spaces", name, lang, i+1)
				}
			}
			if lang == "ko" && !hasHangul(d) {
				t.Errorf("%s in ko has no Korean", name)
			}
		}
	}
	if _, err := Diagram("inception", "fr"); err == nil {
		t.Error("a language without diagrams was accepted")
	}
	if _, err := Diagram("nope", "en"); err == nil || !strings.Contains(err.Error(), "inception") {
		t.Errorf("unknown diagram: %v", err)
	}
}

// TestDiagramWidthCountsKorean pins that widths count a Hangul syllable as
// two columns, as terminals draw it.
func TestDiagramWidthCountsKorean(t *testing.T) {
	if w := ansi.StringWidth("합성곱 3x3"); w != 10 {
		t.Errorf("width %d, want 10", w)
	}
}

func hasHangul(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}
