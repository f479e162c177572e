package experiments

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
		for _, k := range r.Keys() {
			if prev, dup := seen[k.Key]; dup {
				t.Errorf("%s: key %q names both a %s and a %s", e.Name, k.Key, prev, k.Kind)
			}
			seen[k.Key] = k.Kind.String()
		}
	}
}
