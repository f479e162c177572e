package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/nnlab/nnlab/lessons"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/state"
)

// A startup notice is shown whole, wrapped to the width: the name of the
// file it kept is never cut (it was, when the footer was truncated as one
// line), and no line is wider than the terminal.
func TestNoticeShownWhole(t *testing.T) {
	aside := "state.json.corrupt-20260102-150405"
	notice := "progress file was unreadable: kept it as " + aside + " and started afresh"
	for _, w := range []int{60, 80, 200} {
		for _, lang := range []string{"en", "ko"} {
			m := New(Options{Library: lessons.NewLibrary(testLessons(t)...), Store: state.Memory(), Lang: lang, Renderer: plainRenderer(), Dark: true, Notice: notice})
			send(t, m, tea.WindowSizeMsg{Width: w, Height: 24})
			s := screen(m)
			if !strings.Contains(strings.ReplaceAll(s, "\n", ""), aside) {
				t.Errorf("%s at width %d: the notice lost the file's name:\n%s", lang, w, s)
			}
			for _, line := range strings.Split(s, "\n") {
				if got := lipgloss.Width(line); got > w {
					t.Errorf("%s at width %d: a line of %d columns: %q", lang, w, got, line)
				}
			}
		}
	}
}

// The state's notices read in Korean too, with the file's and folder's
// names as they are.
func TestStateNoticesInKorean(t *testing.T) {
	for _, n := range []string{
		"progress file was unreadable: kept it as state.json.corrupt-20260102-150405 and started afresh",
		"progress file was too large (40.1 MiB, more than the 32 MiB nnlab reads): kept it as state.json.corrupt-20260102-150405 and started afresh",
		"progress file was a named pipe, not a regular file: kept it as state.json.corrupt-20260102-150405 and started afresh",
		"progress file was a folder, not a regular file: kept it as state.json.corrupt-20260102-150405 and started afresh",
		"cannot save progress in /home/ann/.local/state/nnlab (permission denied): this session's progress will not be kept",
		"cannot save progress in /media/ro/nnlab (read-only file system): this session's progress will not be kept",
	} {
		ko := locale.Text("ko", n)
		if ko == n || strings.ContainsAny(ko, "abcdefghijklmnopqrstuvwxyz") && !strings.Contains(ko, "corrupt") && !strings.Contains(ko, "nnlab") {
			t.Errorf("not in Korean: %q → %q", n, ko)
		}
		for _, word := range []string{"afresh", "permission", "read-only", "pipe", "folder"} {
			if strings.Contains(ko, word) {
				t.Errorf("%q left in English in %q", word, ko)
			}
		}
	}
}
