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
	// Error kinds sit below everything, so that the rest of the vocabulary
	// can use them.
	"errs": 0,
	// L0 vocabulary.
	"drive": 1, "config": 1, "hashid": 1, "testenv/services": 1, "httprange": 1,
	// L1 adapters.
	"store": 2, "storage": 2, "kv": 2, "node": 2, "downloader": 2, "archive": 2, "mail": 2, "safedial": 2,
	// L2 building blocks with rules but no other services.
	"auth": 3, "setting": 3, "captcha": 3, "throttle": 3,
	// L3 core services: accounts and the virtual filesystem.
	"account": 4, "files": 4,
	// L4 services over files.
	"upload": 5, "share": 5, "task": 5, "media": 5, "archiver": 5, "directlink": 5,
	// L5 edges.
	"api": 6, "webdav": 6, "web": 6,
	// L6 composition root.
	"server": 7,
	// L7 test harnesses.
	"testenv": 8, "e2e": 8, "archtest": 8,
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
				t.Errorf("internal/%s (rank %d) imports internal/%s (rank %d): imports must point down", from, fromLvl, to, toLvl)
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
