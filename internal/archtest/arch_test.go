// Package archtest enforces the import levels of docs/ARCHITECTURE.md: an
// internal package may import only packages of a lower level (plus its own
// subpackages), so dependencies always point down.
package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/stratus-drive/stratus"

// levels assigns each internal package (by path prefix below internal/) a
// level. The longest matching prefix wins.
var levels = map[string]int{
	// L0 vocabulary.
	"errs": 0, "drive": 0, "config": 0, "hashid": 0, "testenv/services": 0,
	// L1 adapters.
	"store": 1, "storage": 1, "kv": 1, "node": 1, "downloader": 1, "archive": 1, "mail": 1, "safedial": 1,
	// L2 building blocks with rules but no other services.
	"auth": 2, "setting": 2, "captcha": 2,
	// L3 core services: accounts and the virtual filesystem.
	"account": 3, "files": 3,
	// L4 services over files.
	"upload": 4, "share": 4, "task": 4, "media": 4,
	// L5 edges.
	"api": 5, "webdav": 5, "web": 5,
	// L6 composition root.
	"server": 6,
	// L7 test harnesses.
	"testenv": 7, "e2e": 7, "archtest": 7,
}

func level(pkg string) (string, int, bool) {
	best, lvl := "", -1
	for prefix, l := range levels {
		if (pkg == prefix || strings.HasPrefix(pkg, prefix+"/")) && len(prefix) > len(best) {
			best, lvl = prefix, l
		}
	}
	return best, lvl, lvl >= 0
}

type goPackage struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

func TestImportLevels(t *testing.T) {
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(out)
	checked := 0
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		from, ok := strings.CutPrefix(p.ImportPath, module+"/internal/")
		if !ok {
			continue // cmd/stratus may import anything it wires
		}
		fromPrefix, fromLvl, known := level(from)
		if !known {
			t.Errorf("package internal/%s has no level: add it to levels and docs/ARCHITECTURE.md", from)
			continue
		}
		for _, imp := range p.Imports {
			to, ok := strings.CutPrefix(imp, module+"/internal/")
			if !ok {
				continue
			}
			checked++
			toPrefix, toLvl, known := level(to)
			switch {
			case !known:
				t.Errorf("internal/%s imports internal/%s, which has no level", from, to)
			case to == from || strings.HasPrefix(to, from+"/"):
				// own subpackage
			case toLvl >= fromLvl && fromPrefix != toPrefix:
				t.Errorf("internal/%s (L%d) imports internal/%s (L%d): imports must point down", from, fromLvl, to, toLvl)
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no internal imports checked: is the module path right?")
	}
}
