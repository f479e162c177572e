// Package localetest finds, for tests, the message ids that code names in
// calls, so a test can check that each is in the catalog.
package localetest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Call is a call of a function with string literals among its arguments.
type Call struct {
	Pos  token.Position
	Args []string // each argument's value if it is a string literal, else ""
	Lit  []bool   // whether each argument is a string literal
}

// Calls lists every call, in the non-test Go files under dir, of a function
// or method named one of names.
func Calls(t *testing.T, dir string, names ...string) []Call {
	t.Helper()
	fset := token.NewFileSet()
	var out []Call
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			for _, n := range names {
				if n == name {
					c := Call{Pos: fset.Position(call.Pos())}
					for _, a := range call.Args {
						lit, ok := a.(*ast.BasicLit)
						s := ""
						if ok && lit.Kind == token.STRING {
							s, _ = strconv.Unquote(lit.Value)
						}
						c.Args = append(c.Args, s)
						c.Lit = append(c.Lit, ok && lit.Kind == token.STRING)
					}
					out = append(out, c)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
