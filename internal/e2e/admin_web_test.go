package e2e

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// TestAdminWebPages drives the admin pages in Chromium (web/e2e/admin.e2e.mjs)
// against a real server on each database: a group with a speed limit, a
// user in it whose downloads carry the limit in another browser context, a
// setting changed and seen in the site config, the audit log.
func TestAdminWebPages(t *testing.T) {
	node, webDir := browserTools(t)
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "e2e/admin.e2e.mjs")
		cmd.Dir = webDir
		cmd.Env = append(os.Environ(), "STRATUS_URL="+env.URL)
		out, err := cmd.CombinedOutput()
		t.Logf("%s", out)
		if err != nil {
			t.Fatalf("admin browser path failed: %v", err)
		}
	})
}
