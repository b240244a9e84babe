package setting

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

// readers are the Service methods that read a setting by key.
var readers = map[string]bool{"String": true, "Bool": true, "Int": true, "Seconds": true, "List": true,
	"Has": true, "Stored": true}

// TestEveryKeyReadHasADefault walks the code for settings read by a
// constant key (a literal, or a string constant of the same file) and fails
// for a key the catalogue does not list: such a read would silently get ""
// everywhere a fresh install runs. Constants named setting* anywhere count
// as keys too (job schedules are read through them).
func TestEveryKeyReadHasADefault(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	known := func(key string) bool {
		_, ok := Defaults[key]
		_, gen := generated[key]
		return ok || gen
	}
	report := func(pos token.Position, key string) {
		checked++
		if !known(key) {
			t.Errorf("%s: setting %q is read but has no default in setting.Defaults", pos, key)
		}
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			strings.Contains(path, "testdata") || strings.Contains(path, "node_modules") {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		consts := map[string]string{}
		ast.Inspect(f, func(n ast.Node) bool {
			gd, ok := n.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				return true
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if v, ok := stringLit(vs.Values[i]); ok {
							consts[name.Name] = v
							if strings.HasPrefix(name.Name, "setting") {
								report(fset.Position(name.Pos()), v)
							}
						}
					}
				}
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !readers[sel.Sel.Name] || !isSettings(sel.X) {
				return true
			}
			if v, ok := stringLit(call.Args[0]); ok {
				report(fset.Position(call.Pos()), v)
			} else if id, ok := call.Args[0].(*ast.Ident); ok {
				if v, ok := consts[id.Name]; ok {
					report(fset.Position(call.Pos()), v)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked only %d reads: is the walk rooted right?", checked)
	}
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(lit.Value)
	return v, err == nil
}

// isSettings reports whether x names the settings service: settings,
// s.settings, h.Settings and the like.
func isSettings(x ast.Expr) bool {
	switch v := x.(type) {
	case *ast.Ident:
		return strings.EqualFold(v.Name, "settings")
	case *ast.SelectorExpr:
		return strings.EqualFold(v.Sel.Name, "settings")
	}
	return false
}
