package locale

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/lessons"
)

// Every rule core names in experiment.Invalid has its words in every
// language of the lessons, with the same English as the code's template and
// the same placeholders in every language.
func TestRulesInCatalog(t *testing.T) {
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir("../../core", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok || len(call.Args) < 3 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Invalid" {
				return true
			}
			rule, ok1 := call.Args[1].(*ast.BasicLit)
			tmpl, ok2 := call.Args[2].(*ast.BasicLit)
			if !ok1 || !ok2 {
				t.Errorf("%s: experiment.Invalid with a rule or template that is not a literal", fset.Position(call.Pos()))
				return true
			}
			id, _ := strconv.Unquote(rule.Value)
			en, _ := strconv.Unquote(tmpl.Value)
			n++
			pos := fset.Position(rule.Pos())
			if !HasMsg(id) {
				t.Errorf("%s: rule %q is not in assets/messages.yaml", pos, id)
				return true
			}
			if got := Msg("en", id); got != en {
				t.Errorf("%s: rule %q: English in the catalog\n %q\ndiffers from the code's\n %q", pos, id, got, en)
			}
			for _, lang := range lessons.Languages {
				for i := 1; strings.Contains(en, "{"+strconv.Itoa(i)+"}"); i++ {
					if !strings.Contains(Msg(lang, id), "{"+strconv.Itoa(i)+"}") {
						t.Errorf("%s: rule %q in %s lacks {%d}", pos, id, lang, i)
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Error("no experiment.Invalid calls found in core; the scan is broken")
	}
}
