// Package migrations holds the schema of a workshop's database, one set of
// migrations per driver (NNNN_name_DRIVER.sql), each applied once, in
// order. Append only: a released migration never changes.
package migrations

import (
	"embed"
	"fmt"
	"sort"
	"strings"
)

//go:embed *.sql
var files embed.FS

// For is driver's migrations ("sqlite" or "postgres"), in order.
func For(driver string) []string {
	names, _ := files.ReadDir(".")
	var out []string
	sort.Slice(names, func(i, j int) bool { return names[i].Name() < names[j].Name() })
	for _, n := range names {
		if strings.HasSuffix(n.Name(), "_"+driver+".sql") {
			b, err := files.ReadFile(n.Name())
			if err != nil {
				panic(fmt.Sprintf("migrations: %v", err)) // embedded: cannot happen
			}
			out = append(out, string(b))
		}
	}
	return out
}
