// Package assets embeds the static files nnlab ships with: the catalog of
// nnlab's own words by message id (messages.yaml), the catalogs of core's
// words in i18n/ (one YAML file per language, named by its code, e.g.
// i18n/ko.yaml) and the text diagrams (*.txt) that lessons show.
//
// A diagram exists in every language (Languages): NAME.txt in English and
// NAME.LANG.txt in the others (NAME.ko.txt in Korean). A lesson includes
// one with a ```nnlab-diagram fence naming it (package lessons); Diagram
// picks the lesson's language.
//
// The files are read-only and part of the binary; nothing here parses them.
// The catalogs are compiled by package tui/locale.
package assets

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

// FS holds every embedded file under its path relative to this directory,
// e.g. "i18n/ko.yaml" or "inception.txt".
//
//go:embed i18n/*.yaml messages.yaml *.txt
var FS embed.FS

// CatalogDir is the directory of FS that holds the translation catalogs.
const CatalogDir = "i18n"

// Messages is the file of FS that holds nnlab's own words by message id.
const Messages = "messages.yaml"

// MaxDiagramWidth is the widest a diagram line may be, in terminal columns
// (a Korean syllable is two). Lessons are read down to 60-column terminals:
// the notebook lays prose out one column narrower (59), and glamour indents
// a code block by 4 and keeps a right margin of 2, which leaves 53; nnlab
// render at --width 60 leaves 54.
const MaxDiagramWidth = 53

// SourceLang is the language nnlab is written in: its own words, core's
// labels and the diagrams' NAME.txt files are English, which needs no
// catalog.
const SourceLang = "en"

// languages is every language that has a catalog in CatalogDir, sorted,
// then SourceLang.
var languages = sync.OnceValue(func() []string {
	var out []string
	files, _ := fs.Glob(FS, CatalogDir+"/*.yaml")
	for _, f := range files {
		out = append(out, strings.TrimSuffix(path.Base(f), ".yaml"))
	}
	slices.Sort(out)
	return append(out, SourceLang)
})

// Languages are the languages nnlab speaks, the one list every part of it
// reads: each that has a catalog in i18n/ (LANG.yaml), sorted, then
// English. A language has lessons (lessons/LANG/), its words in
// messages.yaml and every diagram (NAME.LANG.txt); tests check each.
func Languages() []string { return slices.Clone(languages()) }

// diagramFile is the file of diagram name in lang: NAME.txt in English,
// NAME.LANG.txt otherwise.
func diagramFile(name, lang string) string {
	if lang == SourceLang {
		return name + ".txt"
	}
	return name + "." + lang + ".txt"
}

// Diagram returns diagram name in lang, without its final newline.
func Diagram(name, lang string) (string, error) {
	if !slices.Contains(languages(), lang) {
		return "", fmt.Errorf("assets: diagrams exist in %s, not %q", strings.Join(languages(), " and "), lang)
	}
	b, err := fs.ReadFile(FS, diagramFile(name, lang))
	if err != nil {
		known := Diagrams()
		if slices.Contains(known, name) {
			return "", fmt.Errorf("assets: diagram %q has no %s version (%s)", name, lang, diagramFile(name, lang))
		}
		return "", fmt.Errorf("assets: no diagram %q; diagrams: %s", name, strings.Join(known, ", "))
	}
	return strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), nil
}

// Diagrams lists the names of the diagrams, sorted.
func Diagrams() []string {
	files, _ := fs.Glob(FS, "*.txt")
	var out []string
	for _, f := range files {
		name := strings.TrimSuffix(f, ".txt")
		if i := strings.IndexByte(name, '.'); i >= 0 {
			name = name[:i]
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
