package lessons

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"
)

// TestBuiltinFoldersAreTheLanguages: the built-in lessons are a folder for
// each of Languages and nothing else, and a lesson's lang is its folder's.
func TestBuiltinFoldersAreTheLanguages(t *testing.T) {
	entries, err := fs.ReadDir(builtin, ".")
	if err != nil {
		t.Fatal(err)
	}
	var folders []string
	for _, e := range entries {
		folders = append(folders, e.Name())
	}
	if want := slices.Sorted(slices.Values(Languages)); !slices.Equal(folders, want) {
		t.Errorf("built-in lesson folders %v, want one for each language %v", folders, want)
	}
	files, err := BuiltinFiles()
	if err != nil {
		t.Fatal(err)
	}
	for p, src := range files {
		l, err := Parse(p, src, fullRegistry())
		if err != nil {
			continue // TestBuiltinLessonsPass reports it
		}
		if folder := path.Base(path.Dir(strings.TrimPrefix(p, BuiltinPrefix))); l.Lang != folder {
			t.Errorf("%s: lang %s in the folder of %s", p, l.Lang, folder)
		}
	}
}
