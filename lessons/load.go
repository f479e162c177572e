package lessons

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/internal/untrusted"
)

// builtin holds the lessons shipped in the binary, a folder for each of
// Languages (ko/, en/).
//
//go:embed */*.md
var builtin embed.FS

// BuiltinPrefix is put before an embedded file's name in errors and
// Lesson.Path ("lessons/ko/00-welcome.md"), matching the repository.
const BuiltinPrefix = "lessons/"

// Library is a set of loaded lessons, at most one per id and language.
type Library struct {
	all []*Lesson // sorted by order, id, language
}

type langID struct{ id, lang string }

// Load parses the built-in lessons and, when extraDir is not empty, every
// .md file under it (README.md files excepted). A lesson from extraDir
// replaces the built-in one with the same id and language. A broken file
// never stops the others: the library holds every lesson that parsed and
// the error (an ErrorList, or nil) every problem found — including two
// files in one source with the same id and language, and an unreadable
// extraDir.
func Load(reg *experiment.Registry, extraDir string) (*Library, error) {
	var list ErrorList
	add := func(err error) {
		var el ErrorList
		if errors.As(err, &el) {
			list = append(list, el...)
		}
	}
	byKey := map[langID]*Lesson{}
	// One source at a time: duplicates within it are errors; a later
	// source replaces what an earlier one gave.
	load := func(files []file) {
		seen := map[langID]string{}
		for _, f := range files {
			l, err := Parse(f.path, f.src, reg)
			if err != nil {
				add(err)
				continue
			}
			k := langID{l.ID, l.Lang}
			if prev, dup := seen[k]; dup {
				list = append(list, &Error{Path: f.path, Line: 1, Col: 1, Msg: "lesson " + l.ID + " (" + l.Lang + ") is also defined in " + prev})
				continue
			}
			seen[k] = f.path
			byKey[k] = l
		}
	}
	files, err := builtinFiles()
	if err != nil {
		list = append(list, &Error{Path: BuiltinPrefix, Msg: err.Error()})
	}
	load(files)
	if extraDir != "" {
		files, bad := dirFiles(extraDir)
		list = append(list, bad...)
		load(files)
	}
	var all []*Lesson
	for _, l := range byKey {
		all = append(all, l)
	}
	return NewLibrary(all...), list.Err()
}

// NewLibrary holds the given lessons (a later one replaces an earlier one
// with the same id and language): for lessons parsed by hand, as in tests.
func NewLibrary(ls ...*Lesson) *Library {
	byKey := map[langID]*Lesson{}
	for _, l := range ls {
		byKey[langID{l.ID, l.Lang}] = l
	}
	lib := &Library{}
	for _, l := range byKey {
		lib.all = append(lib.all, l)
	}
	slices.SortFunc(lib.all, func(a, b *Lesson) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Lang, b.Lang))
	})
	return lib
}

type file struct {
	path string
	src  []byte
}

// BuiltinFiles returns the embedded lesson files by path
// ("lessons/en/00-welcome.md").
func BuiltinFiles() (map[string][]byte, error) {
	files, err := builtinFiles()
	out := map[string][]byte{}
	for _, f := range files {
		out[f.path] = f.src
	}
	return out, err
}

func builtinFiles() ([]file, error) {
	var out []file
	err := fs.WalkDir(builtin, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		src, err := builtin.ReadFile(path)
		if err != nil {
			return err
		}
		out = append(out, file{BuiltinPrefix + path, src})
		return nil
	})
	return out, err
}

// dirFiles reads every lesson file under dir (see IsLessonFile), in path
// order, with ReadFile. A bad entry — unreadable, not a regular file, too
// large, a broken link or a link loop — is an error naming it, and the walk
// goes on; an unreadable dir is one error.
func dirFiles(dir string) ([]file, ErrorList) {
	var out []file
	var list ErrorList
	bad := func(path string, err error) {
		list = append(list, &Error{Path: path, Msg: untrusted.FileProblem(err)})
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			bad(path, err)
			return nil // a directory that cannot be read is skipped
		}
		if d.IsDir() || !IsLessonFile(path) {
			return nil
		}
		src, err := ReadFile(path)
		if err != nil {
			bad(path, err)
			return nil
		}
		out = append(out, file{path, src})
		return nil
	})
	if err != nil {
		list = append(list, &Error{Path: dir, Msg: untrusted.FileProblem(err)})
	}
	return out, list
}

// ReadFile reads a lesson file: only a regular file (a symbolic link is
// followed to one), and at most MaxFileSize bytes of it, so a named pipe,
// a device or a huge file can neither hang nor exhaust the reader. The error
// says which of these the file is.
func ReadFile(path string) ([]byte, error) {
	src, err := untrusted.ReadRegular(path, MaxFileSize)
	var big *untrusted.TooLargeError
	var odd *untrusted.NotRegularError
	switch {
	case errors.As(err, &big):
		return nil, fmt.Errorf("the file is over %d bytes (256 KiB), the most a lesson file may hold: split it into several lessons", MaxFileSize)
	case errors.As(err, &odd):
		return nil, fmt.Errorf("%v: only regular files are read as lessons", odd)
	}
	return src, err
}

// IsLessonFile reports whether a folder's file is taken for a lesson: a .md
// file other than README.md.
func IsLessonFile(path string) bool {
	base := filepath.Base(path)
	return strings.HasSuffix(base, ".md") && !strings.EqualFold(base, "README.md")
}

// All lists every lesson, by order, id and language.
func (lib *Library) All() []*Lesson { return slices.Clone(lib.all) }

// Get finds the lesson with exactly this id and language.
func (lib *Library) Get(id, lang string) (*Lesson, bool) {
	for _, l := range lib.all {
		if l.ID == id && l.Lang == lang {
			return l, true
		}
	}
	return nil, false
}

// Lookup finds lesson id in lang, else in FallbackLang, else in any
// language.
func (lib *Library) Lookup(id, lang string) (*Lesson, bool) {
	if l, ok := lib.Get(id, lang); ok {
		return l, true
	}
	if l, ok := lib.Get(id, FallbackLang); ok {
		return l, true
	}
	for _, l := range lib.all {
		if l.ID == id {
			return l, true
		}
	}
	return nil, false
}

// List gives one lesson per id — in lang where it exists, else as Lookup
// falls back — in lesson order.
func (lib *Library) List(lang string) []*Lesson {
	var out []*Lesson
	done := map[string]bool{}
	for _, l := range lib.all {
		if done[l.ID] {
			continue
		}
		done[l.ID] = true
		best, _ := lib.Lookup(l.ID, lang)
		out = append(out, best)
	}
	slices.SortStableFunc(out, func(a, b *Lesson) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// IDs lists the distinct lesson ids in lesson order.
func (lib *Library) IDs() []string {
	var out []string
	for _, l := range lib.List(FallbackLang) {
		out = append(out, l.ID)
	}
	return out
}
