package e2e

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/testenv"
	"github.com/stratus-drive/stratus/internal/testenv/services"
)

// browserService names what the web app's browser tests need: Debian's
// Chromium, Node.js and web/node_modules (`npm ci` in web/; .ci/run does both).
const browserService = "chromium"

func browserTools(t *testing.T) (node, webDir string) {
	t.Helper()
	webDir, _ = filepath.Abs("../../web")
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat("/usr/bin/chromium")
	}
	if err == nil {
		_, err = os.Stat(filepath.Join(webDir, "node_modules", "playwright-core"))
	}
	if err != nil {
		services.Unavailable(t, browserService, err)
	}
	return node, webDir
}

// TestWebApp drives the web app in Chromium through the path (see
// web/e2e/app.e2e.mjs) against a real server on each database.
func TestWebApp(t *testing.T) {
	node, webDir := browserTools(t)
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		// The anonymous share visitor's zip needs the archive permission,
		// which the default anonymous group lacks.
		setGroupPermission(t, env, drive.AnonymousGroupID, int(drive.PermArchiveDownload), true)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "e2e/app.e2e.mjs")
		cmd.Dir = webDir
		cmd.Env = append(os.Environ(), "STRATUS_URL="+env.URL)
		out, err := cmd.CombinedOutput()
		t.Logf("%s", out)
		if err != nil {
			t.Fatalf("browser path failed: %v", err)
		}
	})
}

// The app's pages are served by the binary itself, next to the API.
func TestWebAppServed(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	get := func(path string) (*http.Response, string) {
		t.Helper()
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Get(env.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	for _, path := range []string{"/", "/home?path=cloudreve%3A%2F%2Fmy", "/session/activate?id=x&sign=y", "/no/such/page"} {
		resp, body := get(path)
		if resp.StatusCode != 200 || !strings.Contains(body, `<div id="app">`) {
			t.Errorf("GET %s: %d, want the app", path, resp.StatusCode)
		}
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("GET %s: no CSP", path)
		}
	}
	if resp, body := get("/api/v4/no/such/route"); resp.StatusCode != 404 || strings.Contains(body, "<html") {
		t.Errorf("unknown API route: %d %q, want a plain 404", resp.StatusCode, body)
	}
	resp, _ := get("/s/abc/pw")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != "/home?path=cloudreve%3A%2F%2Fabc%3Apw%40share" {
		t.Errorf("/s/abc/pw: %d to %q, want the app's share page", resp.StatusCode, loc)
	}
}
