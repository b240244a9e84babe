package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// flattenAllowed are the errs.E calls that put a cause's text into a
// detail on purpose: an administrator's tools report why the external
// service they test refused (admin.ErrIntegration shows its detail).
var flattenAllowed = map[string]int{filepath.Join("internal", "admin", "tools.go"): 3}

// TestNoFlattenedCauses fails when errs.E gets a cause's text (x.Error())
// instead of the cause: the text breaks errors.Is and may reach clients as
// the detail of an Invalid error. Wrap the cause (errs.E(op, kind, err)).
func TestNoFlattenedCauses(t *testing.T) {
	root := filepath.Join("..", "..")
	found := map[string]int{}
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !isErrsE(call.Fun) {
				return true
			}
			for _, arg := range call.Args {
				ast.Inspect(arg, func(n ast.Node) bool {
					c, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					if sel, isSel := c.Fun.(*ast.SelectorExpr); isSel && sel.Sel.Name == "Error" && len(c.Args) == 0 {
						found[rel]++
						if found[rel] > flattenAllowed[rel] {
							t.Errorf("%s: errs.E flattens a cause into text; pass the error itself", fset.Position(c.Pos()))
						}
					}
					return true
				})
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) == 0 && len(flattenAllowed) > 0 {
		t.Fatal("found not even the allowed calls: is the walk rooted right?")
	}
}

func isErrsE(fun ast.Expr) bool {
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "E" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "errs"
}
