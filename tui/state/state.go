// Package state remembers a learner's progress — lessons visited, exercises
// passed, each cell's last parameters, quiz boxes — in one JSON file that
// several nnlab windows may share: each save merges with the file under a
// lock and replaces it atomically.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/nnlab/nnlab/core/quiz"
)

// FileName is the state file inside the state directory.
const FileName = "state.json"

// lockName is the file, next to FileName, whose lock serializes the reads
// and writes of FileName by every nnlab process.
const lockName = "state.lock"

// tempPattern names the temporaries Save writes before renaming them over
// FileName; staleTemp is the age after which one left by a killed save is
// removed.
const (
	tempPattern = ".state-*.tmp"
	staleTemp   = 5 * time.Second
)

// version of the file format.
const version = 1

// Lesson is what is remembered of one lesson (shared by its languages).
type Lesson struct {
	Visited   bool                         `json:"visited,omitempty"`
	LastVisit time.Time                    `json:"last_visit,omitzero"`
	Passed    map[string]time.Time         `json:"passed,omitempty"` // exercise cell id → when first passed
	Params    map[string]map[string]string `json:"params,omitempty"` // cell id → parameter → value as typed
	// ParamsAt is when each cell's parameters were last set or forgotten (a
	// cell here but not in Params was forgotten then): when two windows
	// changed a cell, the later change is kept.
	ParamsAt map[string]time.Time `json:"params_at,omitempty"`
	// Place is where the learner was reading when they left the lesson.
	Place *Place `json:"place,omitempty"`
}

// Place is a reading position: a block of the lesson (prose, cell or quiz,
// in file order) and a line within it, so that it survives a new width or
// the other language.
type Place struct {
	Block int `json:"block"` // 0 … MaxPlace
	Line  int `json:"line"`  // 0 … MaxPlace
}

// MaxPlace bounds a place's fields (far above any lesson).
const MaxPlace = 100000

// SetPlace remembers where the learner reads in lesson id.
func (s *Store) SetPlace(id string, p Place) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.Block, p.Line = min(max(p.Block, 0), MaxPlace), min(max(p.Line, 0), MaxPlace)
	s.lesson(id).Place = &p
}

// LastLesson is the lesson visited last, or "".
func (s *Store) LastLesson() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	last, at := "", time.Time{}
	for id, l := range s.data.Lessons {
		if l.LastVisit.After(at) || (l.LastVisit.Equal(at) && !at.IsZero() && id < last) {
			last, at = id, l.LastVisit
		}
	}
	return last
}

type file struct {
	Version int       `json:"version"`
	Lang    string    `json:"lang,omitempty"`
	LangAt  time.Time `json:"lang_at,omitzero"` // when Lang was chosen
	// Lessons is never nil, nor is any of its entries.
	Lessons map[string]*Lesson `json:"lessons"`
	// Quiz holds a Leitner box per kind of quiz question; no entry is nil.
	Quiz map[string]*quiz.Box `json:"quiz,omitempty"`
	// Theme is the background the learner chose in the app (dark or light;
	// "" lets nnlab find out), chosen at ThemeAt.
	Theme   string    `json:"theme,omitempty"`
	ThemeAt time.Time `json:"theme_at,omitzero"`
	// Silent holds the terminals, by identity (see tui.TerminalID), that did
	// not tell their background when asked, and when: they are not asked
	// (nor waited for) again.
	Silent map[string]time.Time `json:"silent_terminals,omitempty"`
}

// MaxSilent bounds how many silent terminals are remembered.
const MaxSilent = 32

// Theme is the background the learner chose (dark or light), or "".
func (s *Store) Theme() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data.Theme
}

// SetTheme remembers the learner's choice of background: dark, light, or
// "" to let nnlab find out again.
func (s *Store) SetTheme(theme string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.Theme, s.data.ThemeAt = theme, time.Now()
}

// Silent reports whether the terminal id is known not to tell its background.
func (s *Store) Silent(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.data.Silent[id]
	return ok
}

// SetSilent remembers that terminal id did not tell its background (the
// oldest memory goes beyond MaxSilent).
func (s *Store) SetSilent(id string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.data.Silent == nil {
		s.data.Silent = map[string]time.Time{}
	}
	s.data.Silent[id] = now
	trimSilent(s.data.Silent)
}

// trimSilent forgets the oldest silent terminals beyond MaxSilent.
func trimSilent(m map[string]time.Time) {
	for len(m) > MaxSilent {
		oldest, at := "", time.Time{}
		for id, t := range m {
			if oldest == "" || t.Before(at) || (t.Equal(at) && id < oldest) {
				oldest, at = id, t
			}
		}
		delete(m, oldest)
	}
}

// QuizAnswered keeps kind's Leitner box after an answer (quiz.Box.Answered).
func (s *Store) QuizAnswered(kind string, right bool, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.data.Quiz == nil {
		s.data.Quiz = map[string]*quiz.Box{}
	}
	b, _ := s.quizBox(kind)
	b = b.Answered(right, now)
	s.data.Quiz[kind] = &b
}

// QuizBox is kind's box; ok is false for a kind never answered.
func (s *Store) QuizBox(kind string) (b quiz.Box, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quizBox(kind)
}

func (s *Store) quizBox(kind string) (quiz.Box, bool) {
	if p := s.data.Quiz[kind]; p != nil {
		return *p, true
	}
	return quiz.Box{}, false
}

// QuizOrder orders kinds for practice by the learner's boxes (quiz.Order)
// and reports how many are due.
func (s *Store) QuizOrder(kinds []string, now time.Time) (order []string, due int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return quiz.Order(kinds, s.quizBox, now)
}

// Store is the state of one learner. It is safe for concurrent use.
type Store struct {
	mu      sync.Mutex
	path    string  // the file Save writes; "" for a store kept elsewhere or never written
	backend Backend // where Save writes when there is no file (a server's database)
	data    file
}

// DefaultDir is $XDG_STATE_HOME/nnlab, or ~/.local/state/nnlab.
func DefaultDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "nnlab"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("state: no home directory to keep progress in (set XDG_STATE_HOME or --state-dir): %w", err)
	}
	return filepath.Join(home, ".local", "state", "nnlab"), nil
}

// Memory returns a store that is never written to disk.
func Memory() *Store { return &Store{data: file{Version: version, Lessons: map[string]*Lesson{}}} }

// Open loads the state in dir, creating dir if needed; a missing file is a
// fresh start. Open never fails on what the file holds, only on what the
// system refuses (reading, locking); notice, if not "", says in one line
// what it did about the file:
//   - a file that is not state at all (not JSON, not an object, another
//     version, larger than MaxFileSize, not a regular file) is moved aside
//     (state.json.corrupt-TIME) and a fresh state is started;
//   - a file with invalid entries (nulls, wrong types, an unknown language,
//     a box outside 1…quiz.MaxBox, …) is repaired: the invalid entries are
//     dropped, the rest kept and saved, and the original moved aside.
//   - a folder where nothing may be written (read-only, not one's own)
//     gives a store that is never saved, with what the file held if it
//     could be read.
//
// Open also removes the temporaries of saves that were killed.
func Open(dir string) (s *Store, notice string, err error) {
	unlock, err := lockDir(dir)
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		return readOnly(dir, err)
	}
	if err != nil {
		return nil, "", err
	}
	defer unlock()
	s = Memory()
	s.path = filepath.Join(dir, FileName)
	removeStaleTemps(dir, time.Now())
	f, dropped, err := load(s.path)
	var bad notStateError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, "", nil
	case errors.As(err, &bad):
		aside, rerr := moveAside(s.path)
		if rerr != nil {
			return nil, "", fmt.Errorf("state: %s is unreadable (%v) and could not be moved aside: %w", s.path, bad, rerr)
		}
		return s, bad.notice(filepath.Base(aside)), nil
	case err != nil:
		return nil, "", fmt.Errorf("state: cannot read %s: %w", s.path, err)
	}
	s.data = *f
	if len(dropped) == 0 {
		return s, "", nil
	}
	aside, rerr := moveAside(s.path)
	if rerr != nil {
		return nil, "", fmt.Errorf("state: %s has invalid entries and could not be moved aside: %w", s.path, rerr)
	}
	// The repaired state is written now, so the next start finds valid
	// state; if that fails, the next Save writes it.
	_ = s.write()
	return s, fmt.Sprintf("progress file had %d invalid entries (%s): dropped them, kept the original as %s",
		len(dropped), summarize(dropped), filepath.Base(aside)), nil
}

// lockDir creates dir if needed and takes the lock on its state.lock.
func lockDir(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("state: cannot create %s: %w", dir, err)
	}
	unlock, err = lockFile(filepath.Join(dir, lockName))
	if err != nil {
		return nil, fmt.Errorf("state: cannot lock %s: %w", dir, err)
	}
	return unlock, nil
}

// readOnly is Open's store for a folder where nothing may be written: what
// the state file holds (when it can be read: it is read without the lock,
// which cannot be taken), never saved; the notice says so.
func readOnly(dir string, why error) (*Store, string, error) {
	s := Memory()
	if f, _, err := load(filepath.Join(dir, FileName)); err == nil {
		s.data = *f
	}
	reason := "permission denied"
	if errors.Is(why, syscall.EROFS) {
		reason = "read-only file system"
	}
	return s, fmt.Sprintf("cannot save progress in %s (%s): this session's progress will not be kept", dir, reason), nil
}

// moveAside renames the file at path to path.corrupt-TIME.
func moveAside(path string) (string, error) {
	aside := fmt.Sprintf("%s.corrupt-%s", path, time.Now().Format("20060102-150405"))
	return aside, os.Rename(path, aside)
}

// summarize quotes the first few entries of dropped, each cut short, so a
// notice stays one line whatever the file held.
func summarize(dropped []string) string {
	const most, width = 2, 30
	var q []string
	for _, d := range dropped[:min(len(dropped), most)] {
		if r := []rune(d); len(r) > width {
			d = string(r[:width-1]) + "…"
		}
		q = append(q, fmt.Sprintf("%q", d))
	}
	if len(dropped) > most {
		q = append(q, "…")
	}
	return strings.Join(q, ", ")
}

// removeStaleTemps removes the temporaries of saves killed before their
// rename: files named like ours, older than staleTemp. The caller holds the
// lock, so no save of this version is under way; the age spares a save by
// a process that does not lock.
func removeStaleTemps(dir string, now time.Time) {
	names, _ := filepath.Glob(filepath.Join(dir, tempPattern))
	for _, n := range names {
		if fi, err := os.Lstat(n); err == nil && fi.Mode().IsRegular() && now.Sub(fi.ModTime()) > staleTemp {
			os.Remove(n)
		}
	}
}

// Path is the file the store writes, or "" for a memory store.
func (s *Store) Path() string { return s.path }

func (s *Store) lesson(id string) *Lesson {
	l := s.data.Lessons[id]
	if l == nil {
		l = &Lesson{}
		s.data.Lessons[id] = l
	}
	return l
}

// Lesson returns a copy of what is remembered of lesson id.
func (s *Store) Lesson(id string) Lesson {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.data.Lessons[id]
	if l == nil {
		return Lesson{}
	}
	c := *l
	c.Passed = maps.Clone(l.Passed)
	c.ParamsAt = maps.Clone(l.ParamsAt)
	c.Params = map[string]map[string]string{}
	for k, v := range l.Params {
		c.Params[k] = maps.Clone(v)
	}
	return c
}

// Visit marks lesson id as visited now.
func (s *Store) Visit(id string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.lesson(id)
	l.Visited, l.LastVisit = true, now
}

// Pass records that exercise cell of lesson id passed; it keeps the first time.
// It reports whether this is the first pass.
func (s *Store) Pass(id, cell string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.lesson(id)
	if _, ok := l.Passed[cell]; ok {
		return false
	}
	if l.Passed == nil {
		l.Passed = map[string]time.Time{}
	}
	l.Passed[cell] = now
	return true
}

// SetParams remembers a cell's parameters as text; nil forgets them.
func (s *Store) SetParams(id, cell string, params map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.lesson(id)
	if l.ParamsAt == nil {
		l.ParamsAt = map[string]time.Time{}
	}
	l.ParamsAt[cell] = time.Now()
	if params == nil {
		delete(l.Params, cell)
		return
	}
	if l.Params == nil {
		l.Params = map[string]map[string]string{}
	}
	l.Params[cell] = maps.Clone(params)
}

// Lang is the last language chosen, or "".
func (s *Store) Lang() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data.Lang
}

// SetLang remembers the language.
func (s *Store) SetLang(lang string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.Lang, s.data.LangAt = lang, time.Now()
}

// Save merges the store with the file, as another window may have saved
// since (see merge for the rules; the store takes in the other window's
// progress too), and writes the result atomically. The lock on state.lock
// is held from the read to the rename, so no other nnlab saves in between.
func (s *Store) Save() error {
	if s.backend != nil {
		return s.saveBacked()
	}
	if s.path == "" {
		return nil
	}
	unlock, err := lockFile(filepath.Join(filepath.Dir(s.path), lockName))
	if err != nil {
		return fmt.Errorf("state: cannot save progress in %s: %w", filepath.Dir(s.path), err)
	}
	defer unlock()
	disk, _, err := load(s.path)
	var bad notStateError
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case errors.As(err, &bad):
		// Not written by nnlab; keep it for the learner rather than lose it.
		if _, err := moveAside(s.path); err != nil {
			return fmt.Errorf("state: cannot save progress: %s is unreadable and could not be moved aside: %w", s.path, err)
		}
	case err != nil:
		return fmt.Errorf("state: cannot save progress: %w", err)
	default:
		s.mu.Lock()
		merge(&s.data, disk)
		s.mu.Unlock()
	}
	return s.write()
}

// write writes the store to its file atomically: a temporary file in the
// same directory, synced, then renamed over the old one. A crash leaves the
// old or the new file, never a torn one (and perhaps a temporary, which the
// next Open removes). The caller holds the lock.
func (s *Store) write() error {
	s.mu.Lock()
	b, err := json.MarshalIndent(s.data, "", "  ")
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("state: cannot save progress: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), tempPattern)
	if err != nil {
		return fmt.Errorf("state: cannot save progress: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("state: cannot save progress: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("state: cannot save progress: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("state: cannot save progress: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("state: cannot save progress: %w", err)
	}
	return nil
}
