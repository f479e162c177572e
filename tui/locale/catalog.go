package locale

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/nnlab/nnlab/assets"
)

// catalog is one language's compiled entries.
type catalog struct {
	exact    map[string]string
	patterns []*pattern
}

// pattern is an entry whose en text has "{}" placeholders.
type pattern struct {
	en     string
	lits   []string // the literal texts around the placeholders: len = n+1
	re     *regexp.Regexp
	tmpl   []piece // the translation
	litLen int     // total length of lits, for ordering
}

// piece of a translation template: literal text, or placeholder arg (1-based)
// when arg > 0.
type piece struct {
	text string
	arg  int
}

// placeholderRef finds {1}, {2}, … in a translation.
var placeholderRef = regexp.MustCompile(`\{([0-9]+)\}`)

// compile builds the catalog of lang from a YAML list of {en, <lang>}
// entries. It returns the entries that are valid and an error describing
// every one that is not; a YAML syntax error yields an empty catalog.
func compile(lang string, data []byte) (*catalog, error) {
	c := &catalog{exact: map[string]string{}}
	var raw []map[string]string
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return c, fmt.Errorf("locale: %s catalog: %w", lang, err)
	}
	var errs []error
	bad := func(i int, en, format string, args ...any) {
		errs = append(errs, fmt.Errorf("locale: %s catalog entry %d (en %q): %s", lang, i+1, en, fmt.Sprintf(format, args...)))
	}
	seen := map[string]int{}
	for i, e := range raw {
		en, hasEn := e["en"]
		tr, hasTr := e[lang]
		switch {
		case !hasEn || en == "":
			bad(i, en, "no en text")
			continue
		case !hasTr || tr == "":
			bad(i, en, "no %s text", lang)
			continue
		case len(e) != 2:
			bad(i, en, "want exactly the keys en and %s, got %d keys", lang, len(e))
			continue
		}
		if j, dup := seen[en]; dup {
			bad(i, en, "duplicate of entry %d", j+1)
			continue
		}
		seen[en] = i
		if !strings.Contains(en, "{}") {
			c.exact[en] = tr
			continue
		}
		p, err := newPattern(en, tr)
		if err != nil {
			bad(i, en, "%v", err)
			continue
		}
		c.patterns = append(c.patterns, p)
	}
	slices.SortStableFunc(c.patterns, func(a, b *pattern) int { return cmp.Compare(b.litLen, a.litLen) })
	return c, errors.Join(errs...)
}

// newPattern compiles a pattern entry.
func newPattern(en, tr string) (*pattern, error) {
	lits := strings.Split(en, "{}")
	n := len(lits) - 1
	var re strings.Builder
	re.WriteString(`(?s)^`)
	p := &pattern{en: en, lits: lits}
	for i, l := range lits {
		if i > 0 {
			if l == "" && i < n {
				return nil, errors.New(`placeholders "{}{}" touch; put literal text between them`)
			}
			re.WriteString(`(.+?)`)
		}
		re.WriteString(regexp.QuoteMeta(l))
		p.litLen += len(l)
	}
	re.WriteString(`$`)
	p.re = regexp.MustCompile(re.String()) // QuoteMeta'd literals and fixed groups always compile
	used := make([]bool, n+1)
	last := 0
	for _, m := range placeholderRef.FindAllStringSubmatchIndex(tr, -1) {
		k, err := strconv.Atoi(tr[m[2]:m[3]])
		if err != nil || k < 1 || k > n {
			return nil, fmt.Errorf("translation refers to %s but the en text has %d placeholder(s)", tr[m[0]:m[1]], n)
		}
		if m[0] > last {
			p.tmpl = append(p.tmpl, piece{text: tr[last:m[0]]})
		}
		p.tmpl = append(p.tmpl, piece{arg: k})
		used[k] = true
		last = m[1]
	}
	if last < len(tr) {
		p.tmpl = append(p.tmpl, piece{text: tr[last:]})
	}
	for k := 1; k <= n; k++ {
		if !used[k] {
			return nil, fmt.Errorf("translation does not use {%d}", k)
		}
	}
	return p, nil
}

// match reports whether s matches p and, if so, returns the matched texts.
// Cheap literal checks rule out most patterns before the regexp runs.
func (p *pattern) match(s string) ([]string, bool) {
	first, final := p.lits[0], p.lits[len(p.lits)-1]
	if len(s) < p.litLen+len(p.lits)-1 || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, final) {
		return nil, false
	}
	for _, l := range p.lits[1 : len(p.lits)-1] {
		if !strings.Contains(s, l) {
			return nil, false
		}
	}
	m := p.re.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	return m[1:], true
}

// lookup translates s, reporting whether an entry matched.
func (c *catalog) lookup(s string) (string, bool) {
	if t, ok := c.exact[s]; ok {
		return t, true
	}
	for _, p := range c.patterns {
		args, ok := p.match(s)
		if !ok {
			continue
		}
		var b strings.Builder
		for _, pc := range p.tmpl {
			if pc.arg == 0 {
				b.WriteString(pc.text)
				continue
			}
			a := args[pc.arg-1]
			if t, ok := c.exact[a]; ok {
				a = t
			}
			b.WriteString(a)
		}
		return b.String(), true
	}
	return s, false
}

// text translates s, or returns it unchanged.
func (c *catalog) text(s string) string {
	if c == nil || s == "" {
		return s
	}
	t, _ := c.lookup(s)
	return t
}

// name translates a series, path or bar-group name, or a table cell. These
// are mostly identifiers (optimizer and layer names) that must stay as they
// are, so besides exact entries only patterns that start with literal text
// ("momentum β={}") apply — never a catch-all such as "{}: parameters".
func (c *catalog) name(s string) string {
	if c == nil || s == "" {
		return s
	}
	if t, ok := c.exact[s]; ok {
		return t
	}
	for _, p := range c.patterns {
		if p.lits[0] == "" {
			continue
		}
		if _, ok := p.match(s); ok {
			t, _ := c.lookup(s)
			return t
		}
	}
	return s
}

var (
	loadOnce sync.Once
	catalogs map[string]*catalog
	loadErr  error
)

// load compiles every embedded catalog once.
func load() {
	loadOnce.Do(func() { catalogs, loadErr = loadFS(assets.FS, assets.CatalogDir) })
}

// loadFS compiles the catalogs <dir>/<lang>.yaml of fsys.
func loadFS(fsys fs.FS, dir string) (map[string]*catalog, error) {
	out := map[string]*catalog{}
	files, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return out, fmt.Errorf("locale: %w", err)
	}
	var errs []error
	for _, f := range files {
		lang := strings.TrimSuffix(path.Base(f), ".yaml")
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			errs = append(errs, fmt.Errorf("locale: %w", err))
			continue
		}
		c, err := compile(lang, data)
		if err != nil {
			errs = append(errs, err)
		}
		out[lang] = c
	}
	return out, errors.Join(errs...)
}

// get returns the catalog of lang, nil for English and unknown languages.
func get(lang string) *catalog {
	if lang == "en" || lang == "" {
		return nil
	}
	load()
	return catalogs[lang]
}

// Err reports what was wrong with the embedded catalogs (nil when nothing
// was). Entries it names are ignored; their strings show in English.
func Err() error {
	load()
	return loadErr
}

// Languages lists the languages that have a catalog, sorted.
func Languages() []string {
	load()
	out := make([]string, 0, len(catalogs))
	for l := range catalogs {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}
