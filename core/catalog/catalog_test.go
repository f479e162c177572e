package catalog

import (
	"context"
	"testing"
)

// Every output of a result is named by a key that lessons use in `show`
// and goals: within one result the keys must not collide, or one output
// would hide another.
func TestOutputKeysAreUnique(t *testing.T) {
	for _, e := range Registry().All() {
		r, err := e.Execute(context.Background(), e.Params.Defaults(), nil)
		if err != nil {
			t.Errorf("%s at its defaults: %v", e.Name, err)
			continue
		}
		seen := map[string]string{}
		add := func(kind, key string) {
			if prev, dup := seen[key]; dup {
				t.Errorf("%s: key %q names both a %s and a %s", e.Name, key, prev, kind)
			}
			seen[key] = kind
		}
		for _, s := range r.Scalars {
			add("scalar", s.Key)
		}
		for _, c := range r.Charts {
			add("chart", c.Key)
		}
		for _, s := range r.Surfaces {
			add("surface", s.Key)
		}
		for _, b := range r.Bars {
			add("bar chart", b.Key)
		}
		for _, tb := range r.Tables {
			add("table", tb.Key)
		}
	}
}
