package archtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// citation finds contract citations in comments: a document, a section,
// and further sections of the same document (", §7.3", " and §5", "/§2").
var citation = regexp.MustCompile(`(\b\d{2}-[a-z-]+|conventions|newer-versions|data model|data-model|files 30) (§[0-9][0-9.]*[0-9]|§[0-9])((?:(?:, | and |/)§[0-9][0-9.]*[0-9]?)*)`)

var citedSection = regexp.MustCompile(`§[0-9][0-9.]*[0-9]|§[0-9]`)

// documentAliases are the short names comments use for contract documents.
var documentAliases = map[string]string{"conventions": "10-conventions", "newer-versions": "90-newer-versions",
	"data model": "80-data-model", "data-model": "80-data-model", "files 30": "30-files"}

// TestContractCitationsIndexed: every contract section the code cites has
// its stable name (heading) in docs/CONTRACT.md.
func TestContractCitationsIndexed(t *testing.T) {
	index, err := os.ReadFile(filepath.Join("..", "..", "docs", "CONTRACT.md"))
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, dir := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join("..", "..", dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range citation.FindAllStringSubmatch(string(src), -1) {
				doc := m[1]
				if alias, ok := documentAliases[doc]; ok {
					doc = alias
				}
				for _, sec := range append([]string{m[2]}, citedSection.FindAllString(m[3], -1)...) {
					found++
					if row := "| `" + doc + " " + strings.TrimSuffix(sec, ".") + "` |"; !strings.Contains(string(index), row) {
						t.Errorf("%s cites %s %s, which docs/CONTRACT.md does not list", path, doc, sec)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if found == 0 {
		t.Fatal("found no citations: is the walk rooted right?")
	}
}
