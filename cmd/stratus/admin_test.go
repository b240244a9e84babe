package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
	"github.com/stratus-drive/stratus/internal/testenv/services"
)

// TestAdminCommands drives the maintenance subcommands on a SQLite site
// that a running server shares (with its Redis, as several processes of a
// site do), and which sees their changes at once.
func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	environ := []string{"STRATUS_REDIS_SERVER=" + services.RedisAddr()}
	runShared := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(args, environ, &out, &errOut)
		return out.String(), err
	}
	if _, _, err := runCmd(t, "user", "create", "--email", "root@example.com", "--password", "first-pass", "--admin", "--data", dir); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, "user", "create", "--email", "bob@example.com", "--password", "bob-pass", "--data", dir); err != nil {
		t.Fatal(err)
	}
	env := testenv.Start(t, testenv.Options{DataDir: dir, Redis: true})

	out, err := runShared("settings", "set", "--data", dir, "siteName=From CLI", "register_enabled=false", "nope=1")
	if err != nil {
		t.Fatalf("settings set: %v", err)
	}
	for _, want := range []string{`siteName="From CLI"`, `register_enabled="0"`, "nope: no such setting, ignored"} {
		if !strings.Contains(out, want) {
			t.Errorf("settings set printed %q, want %q", out, want)
		}
	}
	var site struct {
		Title string `json:"title"`
	}
	env.Client().OK(t, "GET", "/site/config/basic", nil).Decode(t, &site)
	if site.Title != "From CLI" {
		t.Errorf("the server shows title %q", site.Title)
	}
	if _, _, err := runCmd(t, "settings", "set", "--data", dir, "thumb_width=wide"); err == nil {
		t.Error("an invalid value was written")
	}
	if _, _, err := runCmd(t, "settings", "set", "--data", dir, "siteURL="); err == nil {
		t.Error("an empty site URL was written")
	}
	out, _, err = runCmd(t, "settings", "list", "--data", dir, "siteName", "secret_key")
	if err != nil || out != "siteName=\"From CLI\"\n" {
		t.Errorf("settings list: %q, %v", out, err)
	}
	out, _, _ = runCmd(t, "settings", "list", "--data", dir)
	if !strings.Contains(out, "\nthumb_width=\"400\"") || strings.Contains(out, "\nsecret_key=") {
		t.Errorf("settings list (all) printed %d bytes; secret or thumb_width wrong", len(out))
	}

	out, _, err = runCmd(t, "users", "list", "--data", dir, "--email", "bob")
	if err != nil || !strings.Contains(out, "bob@example.com") || strings.Contains(out, "root@example.com") ||
		!strings.Contains(out, "1 users in all") {
		t.Errorf("users list: %q, %v", out, err)
	}
	out, _, err = runCmd(t, "calibrate", "--data", dir)
	if err != nil || out != "calibrated 2 users\n" {
		t.Errorf("calibrate: %q, %v", out, err)
	}
	out, _, err = runCmd(t, "calibrate", "--data", dir, "--user", "2")
	if err != nil || out != "user 2 uses 0 bytes\n" {
		t.Errorf("calibrate --user: %q, %v", out, err)
	}
	out, _, err = runCmd(t, "job", "run", "--data", dir, "trash_purge")
	if err != nil || out != "trash_purge: 0 items\n" {
		t.Errorf("job run: %q, %v", out, err)
	}
	if _, _, err := runCmd(t, "job", "run", "--data", dir, "nap"); err == nil {
		t.Error("an unknown job ran")
	}
	if _, _, err := runCmd(t, "users", "delete"); err == nil {
		t.Error("an unknown users subcommand ran")
	}
}
