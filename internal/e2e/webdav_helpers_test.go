package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// davUser is a WebDAV client of one account: the user's e-mail and the
// account's password.
type davUser struct {
	base     string
	email    string
	password string
	rest     *testenv.Client
}

// newDavUser signs up email (the first user of a site is the administrator,
// whose group has WebDAV) and creates a WebDAV account with body's options.
func newDavUser(t *testing.T, env *testenv.Env, email string, body map[string]any) *davUser {
	t.Helper()
	c, _ := env.Client().NewUser(t, email)
	return davAccountOf(t, env.URL, c, email, body)
}

// davAccountOf creates a WebDAV account of the signed-in client c (whose
// group must have WebDAV) on the server at base.
func davAccountOf(t *testing.T, base string, c *testenv.Client, email string, body map[string]any) *davUser {
	t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	if body["uri"] == nil {
		body["uri"] = "cloudreve://my"
	}
	if body["name"] == nil {
		body["name"] = "dav"
	}
	a := createDavAccount(t, c, body)
	return &davUser{base: base, email: email, password: a.Password, rest: c}
}

// url is the absolute URL of p below /dav.
func (u *davUser) url(p string) string { return u.base + "/dav" + p }

// do sends one WebDAV request and returns the response with its body read.
func (u *davUser) do(t *testing.T, method, p string, body io.Reader, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u.url(p), body)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(u.email, u.password)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, p, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// expect sends a request and fails unless it answers status.
func (u *davUser) expect(t *testing.T, status int, method, p, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	resp, b := u.do(t, method, p, r, header)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; body %q", method, p, resp.StatusCode, status, b)
	}
	return resp, b
}
