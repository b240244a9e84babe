// Package archtest enforces the import rules of docs/ARCHITECTURE.md on
// every package of the module and on its tests: imports point down the
// levels, sibling subpackages only down their own order, and the rules that
// would otherwise hold only by convention (who may wire drivers, what the
// edge and the services may import). rules_test.go shows each rule failing
// on a deliberately bad import.
package archtest

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/stratus-drive/stratus"

// levels assigns each internal package (by path prefix below internal/) a
// level. The longest matching prefix wins. Every name must exist.
var levels = map[string]int{
	// Error kinds sit below everything, so that the rest of the vocabulary
	// can use them.
	"errs": 0,
	// L0 vocabulary.
	"drive": 1, "config": 1, "hashid": 1, "testenv/services": 1, "testenv/clock": 1, "httprange": 1, "bandwidth": 1,
	"metrics": 1,
	// L1 adapters.
	"store": levelAdapter, "storage": levelAdapter, "kv": levelAdapter, "archive": levelAdapter,
	"mail": levelAdapter, "safedial": levelAdapter, "downloader": levelAdapter,
	// L2 building blocks with rules but no other services.
	"auth": 3, "setting": 3, "captcha": 3, "throttle": 3,
	// L3 core services: accounts and the virtual filesystem.
	"account": 4, "files": 4, "noderpc": 4,
	// L4 rooms over files.
	"share": 5, "task": 5, "media": 5, "archiver": 5, "directlink": 5,
	// L4½ administration, over the rooms it manages.
	"admin": 6,
	// L5 edge.
	"api": levelEdge, "web": levelEdge, "webdav": levelEdge,
	// L6 composition root.
	"server": 8,
	// L7 test harnesses; the suites above the server harness they drive.
	"testenv": 9, "e2e": 10, "archtest": 10,
}

// Levels with rules of their own.
const (
	levelAdapter = 2
	levelEdge    = 7
	// Services are the levels between the adapters and the edge.
	levelFirstService = levelAdapter + 1
	levelLastService  = levelEdge - 1
)

// siblingRanks orders the subpackages of one levelled tree: a subpackage may
// import a sibling only of a lower rank (unlisted ones rank 1). Conformance
// suites sit below the implementations they test, registries above them,
// and the wire vocabulary below the other handler packages.
var siblingRanks = map[string]int{
	"storage/storagetest": 0, "kv/kvtest": 0, "store/storetest": 0,
	"storage/all": 2,
	"api/wire":    0,
}

// pkg is a package as the rules see it: its path below internal/ and its
// imports (the module's as "internal/...", the standard library's and
// others' as they are).
type pkg struct {
	path        string
	imports     []string
	testImports []string // of its _test.go files, in package and external
	files       []string // non-test Go files, for the source rules
}

// importRules are checked on every import, test imports included.
var importRules = []struct {
	name string
	// productionOnly rules leave test imports alone.
	productionOnly bool
	check          func(from, imp string) string // "" when the import is allowed
}{
	{"levels", false, checkLevels},
	{"only server wires the drivers", false, func(from, imp string) string {
		if imp == "internal/storage/all" && from != "server" {
			return "only internal/server may import internal/storage/all"
		}
		return ""
	}},
	{"the edge has no SQL and no drivers", false, func(from, imp string) string {
		to, ok := internalPath(imp)
		if !ok || !isLevel(from, levelEdge) {
			return ""
		}
		if within(to, "store") || strings.HasPrefix(to, "storage/") {
			return "the edge imports no store or storage driver package"
		}
		return ""
	}},
	{"services have no database/sql", false, func(from, imp string) string {
		if isService(from) && within(imp, "database/sql") {
			return "services reach the database through internal/store only"
		}
		return ""
	}},
	{"services serve no HTTP", true, func(from, imp string) string {
		if isService(from) && imp == "net/http/httptest" {
			return "services import no HTTP server machinery"
		}
		return ""
	}},
	{"adapters import no services", false, func(from, imp string) string {
		to, ok := internalPath(imp)
		if ok && isLevel(from, levelAdapter) && levelOf(to) >= levelFirstService {
			return "adapters import only the vocabulary and their own subpackages"
		}
		return ""
	}},
}

// httpServerNames are the parts of net/http that serve requests; services
// may use its client but none of these.
var httpServerNames = map[string]bool{
	"ResponseWriter": true, "Handler": true, "HandlerFunc": true, "ServeMux": true, "NewServeMux": true,
	"Server": true, "Flusher": true, "Hijacker": true, "ResponseController": true, "NewResponseController": true,
	"ServeContent": true, "ServeFile": true, "FileServer": true, "Error": true, "Redirect": true, "NotFound": true,
	"NotFoundHandler": true, "ListenAndServe": true, "ListenAndServeTLS": true, "Serve": true, "ServeTLS": true,
	"StripPrefix": true, "MaxBytesReader": true, "MaxBytesHandler": true, "TimeoutHandler": true,
	"ErrAbortHandler": true,
}

// level returns the longest levelled prefix of path and its level.
func level(path string) (string, int, bool) {
	best, lvl := "", -1
	for prefix, l := range levels {
		if within(path, prefix) && len(prefix) > len(best) {
			best, lvl = prefix, l
		}
	}
	return best, lvl, lvl >= 0
}

func levelOf(path string) int {
	_, l, _ := level(path)
	return l
}

func within(path, prefix string) bool { return path == prefix || strings.HasPrefix(path, prefix+"/") }

func isLevel(path string, l int) bool {
	_, got, ok := level(path)
	return ok && got == l
}

func isService(path string) bool {
	_, l, ok := level(path)
	return ok && l >= levelFirstService && l <= levelLastService
}

// internalPath returns the path below internal/ of an import of the module.
func internalPath(imp string) (string, bool) { return strings.CutPrefix(imp, "internal/") }

// checkLevels: internal imports point down; within one levelled tree a
// package may import its ancestors and descendants, and siblings of a lower
// rank.
func checkLevels(from, imp string) string {
	to, ok := internalPath(imp)
	if !ok {
		return ""
	}
	fromPrefix, fromLvl, ok := level(from)
	if !ok {
		return ""
	}
	toPrefix, toLvl, ok := level(to)
	switch {
	case !ok:
		return ""
	case within(to, from) || within(from, to) && fromPrefix == toPrefix:
		return ""
	case fromPrefix != toPrefix:
		if toLvl >= fromLvl {
			return fmt.Sprintf("imports must point down (level %d imports level %d)", fromLvl, toLvl)
		}
	case rank(to) >= rank(from):
		return fmt.Sprintf("sibling subpackages import only lower ranks (%d imports %d; see siblingRanks)",
			rank(from), rank(to))
	}
	return ""
}

func rank(path string) int {
	if r, ok := siblingRanks[path]; ok {
		return r
	}
	return 1
}

// violations applies every rule to pkgs. Internal import paths are below
// internal/; a package or internal import without a level is a violation.
func violations(pkgs []pkg) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range pkgs {
		seen[p.path] = true
		if _, _, ok := level(p.path); !ok {
			out = append(out, fmt.Sprintf("internal/%s has no level: add it to levels and docs/ARCHITECTURE.md", p.path))
			continue
		}
		for _, set := range []struct {
			what    string
			test    bool
			imports []string
		}{{"imports", false, p.imports}, {"test imports", true, p.testImports}} {
			for _, imp := range set.imports {
				if to, ok := internalPath(imp); ok {
					if _, _, ok := level(to); !ok {
						out = append(out, fmt.Sprintf("internal/%s %s %s, which has no level", p.path, set.what, imp))
						continue
					}
				}
				for _, r := range importRules {
					if r.productionOnly && set.test {
						continue
					}
					if msg := r.check(p.path, imp); msg != "" {
						out = append(out, fmt.Sprintf("internal/%s %s %s: %s [%s]", p.path, set.what, imp, msg, r.name))
					}
				}
			}
		}
		if isService(p.path) {
			for _, f := range p.files {
				out = append(out, forbiddenUses(p.path, f)...)
			}
		}
	}
	for prefix := range levels {
		found := false
		for path := range seen {
			if within(path, prefix) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, fmt.Sprintf("levels names internal/%s, which does not exist: drop it", prefix))
		}
	}
	sort.Strings(out)
	return out
}

// forbiddenInServices are the parts of the standard library a service may
// not use, by import path, with the rule each breaks: the serving side of
// net/http (only the edge serves), and the ways to open a connection other
// than the safedial dialer the server hands down (one place checks where
// outgoing connections may go).
var forbiddenInServices = map[string]struct {
	names map[string]bool
	rule  string
}{
	"net/http": {httpServerNames, "services serve no HTTP"},
	"net/http#client": {map[string]bool{"DefaultClient": true, "DefaultTransport": true, "Transport": true,
		"Get": true, "Head": true, "Post": true, "PostForm": true}, "services dial through safedial"},
	"net": {map[string]bool{"Dial": true, "DialTimeout": true, "Dialer": true}, "services dial through safedial"},
}

// forbiddenUses reports uses of forbiddenInServices in file.
func forbiddenUses(pkgPath, file string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		return []string{fmt.Sprintf("internal/%s: %v", pkgPath, err)}
	}
	local := map[string]string{} // local package name -> import path
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if p != "net/http" && p != "net" {
			continue
		}
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		local[name] = p
	}
	if len(local) == 0 {
		return nil
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok || local[x.Name] == "" {
			return true
		}
		path := local[x.Name]
		for _, key := range []string{path, path + "#client"} {
			if set, ok := forbiddenInServices[key]; ok && set.names[sel.Sel.Name] {
				out = append(out, fmt.Sprintf("internal/%s (%s) uses %s.%s [%s]",
					pkgPath, fset.Position(sel.Pos()), x.Name, sel.Sel.Name, set.rule))
			}
		}
		return true
	})
	return out
}

type goPackage struct {
	ImportPath   string
	Dir          string
	GoFiles      []string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// load lists the module's internal packages.
func load(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cut := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			if rest, ok := strings.CutPrefix(p, module+"/"); ok {
				out = append(out, rest)
			} else {
				out = append(out, p)
			}
		}
		return out
	}
	var pkgs []pkg
	dec := json.NewDecoder(out)
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		path, ok := strings.CutPrefix(p.ImportPath, module+"/internal/")
		if !ok {
			continue // cmd/stratus may import anything it wires
		}
		q := pkg{path: path, imports: cut(p.Imports), testImports: cut(append(p.TestImports, p.XTestImports...))}
		for _, f := range p.GoFiles {
			q.files = append(q.files, filepath.Join(p.Dir, f))
		}
		pkgs = append(pkgs, q)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func TestImportRules(t *testing.T) {
	pkgs := load(t)
	internal := 0
	for _, p := range pkgs {
		for _, imp := range append(p.imports, p.testImports...) {
			if _, ok := internalPath(imp); ok {
				internal++
			}
		}
	}
	if internal == 0 {
		t.Fatal("no internal imports checked: is the module path right?")
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
}
