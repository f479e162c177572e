package locale

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/nnlab/nnlab/assets"
)

// The message catalog holds everything nnlab itself writes — UI words, key
// help, chart and report words, the words of a rendered lesson — by message
// id, in every language (assets/messages.yaml). Core's own words (labels,
// titles, notes of results) are translated by Result and Text instead.

var (
	msgOnce sync.Once
	msgs    map[string]map[string]string
	msgErr  error
)

func messages() map[string]map[string]string {
	msgOnce.Do(func() {
		data, err := assets.FS.ReadFile(assets.Messages)
		if err != nil {
			msgErr = err
			return
		}
		msgs, msgErr = parseMessages(data)
	})
	return msgs
}

// parseMessages reads a catalog of id: {lang: text}.
func parseMessages(data []byte) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	if err := yaml.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("locale: %s: %w", assets.Messages, err)
	}
	return out, nil
}

// Msg returns message id in lang; in English when lang lacks it; the id
// itself, so that a missing entry shows rather than vanishes, when the
// catalog has no such id (a test keeps that from happening).
func Msg(lang, id string) string {
	m := messages()[id]
	if s, ok := m[lang]; ok {
		return s
	}
	if s, ok := m["en"]; ok {
		return s
	}
	return id
}

// CheckMessages reports every id that lacks one of langs, and a broken
// catalog.
func CheckMessages(langs []string) []string {
	all := messages()
	var problems []string
	if msgErr != nil {
		problems = append(problems, msgErr.Error())
	}
	for id, m := range all {
		for _, l := range langs {
			if m[l] == "" {
				problems = append(problems, fmt.Sprintf("%s has no %s text", id, l))
			}
		}
		for l := range m {
			if !slices.Contains(langs, l) {
				problems = append(problems, fmt.Sprintf("%s has a text in %q, not a language of the lessons", id, l))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// HasMsg reports whether the catalog has message id.
func HasMsg(id string) bool { _, ok := messages()[id]; return ok }
