package archtest

import (
	"strings"
	"testing"
)

// base is a well-formed tree: every levelled name exists and every import
// is allowed. Each case below adds one deliberately bad import to it.
func base() []pkg {
	var pkgs []pkg
	for prefix := range levels {
		pkgs = append(pkgs, pkg{path: prefix})
	}
	return append(pkgs,
		pkg{path: "files", imports: []string{"internal/store", "internal/drive", "net/http"},
			testImports: []string{"internal/store/storetest", "net/http/httptest"}, files: []string{"testdata/client.go"}},
		pkg{path: "api", imports: []string{"internal/api/wire", "internal/files", "net/http"}},
		pkg{path: "api/admin", imports: []string{"internal/api/wire"}},
		pkg{path: "storage/local", imports: []string{"internal/storage"}, testImports: []string{"internal/storage/storagetest"}},
		pkg{path: "storage/all", imports: []string{"internal/storage/local"}},
		pkg{path: "kv/memory", testImports: []string{"internal/kv/kvtest"}},
		pkg{path: "server", imports: []string{"internal/storage/all", "internal/api", "database/sql"}},
		pkg{path: "e2e", testImports: []string{"internal/testenv", "internal/store"}},
	)
}

func TestRulesAcceptGoodTree(t *testing.T) {
	for _, v := range violations(base()) {
		t.Error(v)
	}
}

// TestRulesRefuseBadImports adds one bad import per case and expects the
// named rule to report it.
func TestRulesRefuseBadImports(t *testing.T) {
	for _, c := range []struct {
		name string
		bad  pkg
		want string // in the violation
	}{
		{"upward import", pkg{path: "files", imports: []string{"internal/share"}}, "[levels]"},
		{"sideways between services", pkg{path: "media", imports: []string{"internal/share"}}, "[levels]"},
		{"upward in a test", pkg{path: "store", testImports: []string{"internal/files"}}, "test imports internal/files"},
		{"sibling of a higher rank", pkg{path: "storage/local", imports: []string{"internal/storage/all"}}, "sibling"},
		{"sibling of the same rank", pkg{path: "kv/memory", testImports: []string{"internal/kv/redis"}}, "sibling"},
		{"handler package above wire", pkg{path: "api/wire", imports: []string{"internal/api/admin"}}, "sibling"},
		{"unlevelled package", pkg{path: "gadgets"}, "has no level"},
		{"import of an unlevelled package", pkg{path: "files", imports: []string{"internal/gadgets"}}, "which has no level"},
		{"drivers wired outside server", pkg{path: "testenv", imports: []string{"internal/storage/all"}},
			"[only server wires the drivers]"},
		{"edge importing store", pkg{path: "api", imports: []string{"internal/store"}}, "[the edge has no SQL and no drivers]"},
		{"edge test importing a driver", pkg{path: "api/admin", testImports: []string{"internal/storage/local"}},
			"[the edge has no SQL and no drivers]"},
		{"service importing database/sql", pkg{path: "share", imports: []string{"database/sql"}},
			"[services have no database/sql]"},
		{"service importing httptest", pkg{path: "account", imports: []string{"net/http/httptest"}},
			"[services serve no HTTP]"},
		{"service using http server types", pkg{path: "archiver", files: []string{"testdata/serves.go"}},
			"uses web.ResponseWriter [services serve no HTTP]"},
		{"service dialling on its own", pkg{path: "media", files: []string{"testdata/dials.go"}},
			"uses http.DefaultClient [services dial through safedial]"},
		{"service opening a TCP connection", pkg{path: "media", files: []string{"testdata/dials.go"}},
			"uses net.Dialer [services dial through safedial]"},
		{"adapter importing a service", pkg{path: "kv/redis", imports: []string{"internal/setting"}},
			"[adapters import no services]"},
	} {
		got := violations(append(base(), c.bad))
		found := false
		for _, v := range got {
			found = found || strings.Contains(v, c.want)
		}
		if !found {
			t.Errorf("%s: no violation with %q; got %q", c.name, c.want, got)
		}
	}
}

func TestRulesRefuseStaleLevelNames(t *testing.T) {
	var pkgs []pkg
	for _, p := range base() {
		if p.path != "media" {
			pkgs = append(pkgs, p)
		}
	}
	got := strings.Join(violations(pkgs), "\n")
	if !strings.Contains(got, "internal/media, which does not exist") {
		t.Errorf("a level for a missing package passed: %q", got)
	}
}
