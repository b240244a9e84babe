package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/server"
	"github.com/stratus-drive/stratus/internal/testenv"
)

// runCmd runs the command in-process with an empty environment, so that
// the developer's STRATUS_* variables cannot change the outcome.
func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(args, nil, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestVersion(t *testing.T) {
	out, _, err := runCmd(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	want := "stratus " + server.Version + " (Cloudreve API " + server.APIVersion + ")\n"
	if out != want {
		t.Errorf("version printed %q, want %q", out, want)
	}
}

func TestUserCreateAndResetPassword(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runCmd(t, "user", "create", "--email", "Root@Example.com", "--password", "first-pass", "--admin", "--data", dir)
	if err != nil {
		t.Fatalf("user create: %v", err)
	}
	if !strings.Contains(out, "created user 1 <root@example.com> in group 1") {
		t.Errorf("user create printed %q", out)
	}
	out, _, err = runCmd(t, "user", "create", "--email", "bob@example.com", "--password", "bob-pass", "--data", dir)
	if err != nil || !strings.Contains(out, "created user 2 <bob@example.com> in group 2") {
		t.Errorf("second user create: %q, %v", out, err)
	}
	if _, _, err := runCmd(t, "user", "create", "--email", "root@example.com", "--password", "other-pass", "--data", dir); err == nil {
		t.Error("creating a duplicate account succeeded")
	}
	if _, _, err := runCmd(t, "user", "create", "--email", "short@example.com", "--password", "123", "--data", dir); err == nil {
		t.Error("creating an account with a 3-character password succeeded")
	}

	// A server on the same data directory sees both accounts.
	env := testenv.Start(t, testenv.Options{DataDir: dir})
	c := env.Client()
	_, login := c.SignIn(t, "root@example.com", "first-pass")
	if g := login.User["group"].(map[string]any); g["name"] != "Admin" {
		t.Errorf("--admin account is in group %v", g)
	}
	_, bobLogin := c.SignIn(t, "bob@example.com", "bob-pass")
	if g := bobLogin.User["group"].(map[string]any); g["name"] != "User" {
		t.Errorf("plain account is in group %v", g)
	}

	// Reset while that server runs: the old password and the old sign-in
	// family stop working, the new password works.
	out, _, err = runCmd(t, "user", "reset-password", "--email", "ROOT@example.com", "--password", "second-pass", "--data", dir)
	if err != nil || !strings.Contains(out, "password of <ROOT@example.com> reset") {
		t.Fatalf("reset-password: %q, %v", out, err)
	}
	c.ExpectCode(t, 40080, "POST", "/session/token", map[string]string{"email": "root@example.com", "password": "first-pass"})
	c.ExpectCode(t, 40020, "POST", "/session/token/refresh", map[string]string{"refresh_token": login.Token.RefreshToken})
	c.SignIn(t, "root@example.com", "second-pass")
	c.OK(t, "POST", "/session/token/refresh", map[string]string{"refresh_token": bobLogin.Token.RefreshToken})

	if _, _, err := runCmd(t, "user", "reset-password", "--email", "nobody@example.com", "--password", "second-pass", "--data", dir); err == nil {
		t.Error("resetting the password of an unknown account succeeded")
	}
	if _, _, err := runCmd(t, "user", "reset-password", "--email", "bob@example.com", "--password", "123", "--data", dir); err == nil {
		t.Error("resetting to a 3-character password succeeded")
	}
}

func TestBadArguments(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	tests := []struct {
		args []string
		want string // in the error
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"server", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"server", "--data", dir, "extra"}, `unexpected argument "extra"`},
		{[]string{"user"}, "want create or reset-password"},
		{[]string{"user", "frob", "--email", "a@example.com", "--password", "secret-pass", "--data", dir}, `unknown subcommand "frob"`},
		{[]string{"user", "create", "--email", "a@example.com", "--data", dir}, "--email and --password are required"},
		{[]string{"user", "create", "--password", "secret-pass", "--data", dir}, "--email and --password are required"},
		{[]string{"user", "create", "--email", "a@example.com", "--password", "secret-pass", "--admin=maybe", "--data", dir}, "invalid boolean value"},
		{[]string{"user", "create", "--email", "a@example.com", "--password", "secret-pass", "--data", dir, "stray"}, `unexpected argument "stray"`},
		{[]string{"server", "--config", filepath.Join(dir, "missing.ini"), "--data", dir}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, _, err := runCmd(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	// None of them got as far as opening the site.
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("a refused command created the data directory (stat: %v)", err)
	}
}

func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	good := writeFile(t, dir, "good.ini", `; a Cloudreve-style conf.ini
[System]
Mode = master
Listen = 127.0.0.1:0
Colour = blue
LogLevel = info

[Database]
Type = sqlite
DBFile = site.db

[Mystery]
Key = value
`)
	out, errOut, err := runCmd(t, "user", "create", "--config", good, "--data", data,
		"--email", "a@example.com", "--password", "secret-pass")
	if err != nil {
		t.Fatalf("user create with %s: %v\n%s", good, err, errOut)
	}
	if !strings.Contains(out, "created user 1") {
		t.Errorf("stdout %q", out)
	}
	for _, w := range []string{"good.ini:5: unknown key [System] Colour", "good.ini:12: unknown section [Mystery]"} {
		if !strings.Contains(errOut, w) || !strings.Contains(errOut, "level=WARN") {
			t.Errorf("stderr lacks warning %q:\n%s", w, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "site.db")); err != nil {
		t.Errorf("[Database] DBFile not honoured: %v", err)
	}

	// Every problem is listed at once, and the warnings still show.
	bad := writeFile(t, dir, "bad.ini", `[System]
LogLevel = loud
Debugg = true
GracePeriod = soon

[Database]
Type = oracle

[Redis]
DB = two
`)
	badData := filepath.Join(dir, "bad-data")
	_, errOut, err = runCmd(t, "server", "--config", bad, "--data", badData)
	if err == nil {
		t.Fatal("server started with an invalid configuration")
	}
	for _, p := range []string{
		`[System] LogLevel: must be debug, info, warning or error, not "loud"`,
		`bad.ini:4: [System] GracePeriod: invalid number of seconds "soon"`,
		`[Database] Type: must be sqlite, postgres, mysql or mariadb, not "oracle"`,
		`bad.ini:10: [Redis] DB: invalid integer "two"`,
	} {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error lacks %q:\n%v", p, err)
		}
	}
	if !strings.Contains(errOut, "unknown key [System] Debugg") {
		t.Errorf("warning missing from a refused configuration:\n%s", errOut)
	}
	if _, err := os.Stat(badData); !os.IsNotExist(err) {
		t.Errorf("a refused configuration created the data directory (stat: %v)", err)
	}

	// The environment overrides the file, under both spellings.
	var stdout, stderr bytes.Buffer
	err = run([]string{"server", "--config", good, "--data", data}, []string{"STRATUS_DATABASE_TYPE=oracle"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), `not "oracle"`) {
		t.Errorf("STRATUS_DATABASE_TYPE ignored: %v", err)
	}
	err = run([]string{"server", "--config", good, "--data", data}, []string{"CR_CONF_System.LogLevel=chatty"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), `not "chatty"`) {
		t.Errorf("CR_CONF_System.LogLevel ignored: %v", err)
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
