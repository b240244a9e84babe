package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// withHost sends a JSON request to /api/v4+path with a forged Host header.
func withHost(t *testing.T, env *testenv.Env, c *testenv.Client, host, method, path string, body any) (*http.Response, testenv.Envelope) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, env.URL+"/api/v4"+path, bytes.NewReader(raw))
	req.Host = host
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e testenv.Envelope
	json.NewDecoder(resp.Body).Decode(&e)
	return resp, e
}

// TestHostHeaderNotInLinks: a forged Host header shows up in no link the
// server hands out; links start with the configured site URL. Redirects
// that carry a share password or a signed URL are kept from shared caches.
func TestHostHeaderNotInLinks(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "host@example.com")
		upload(t, alice, "cloudreve://my/a.txt", []byte("hello"), nil)
		const evil = "evil.example"

		_, e := withHost(t, env, alice, evil, "POST", "/file/url", map[string]any{"uris": []string{"cloudreve://my/a.txt"}})
		_, e2 := withHost(t, env, alice, evil, "PUT", "/file/source", map[string]any{"uris": []string{"cloudreve://my/a.txt"}})
		_, e3 := withHost(t, env, alice, evil, "PUT", "/share", map[string]any{"uri": "cloudreve://my/a.txt", "password": "secret77"})
		for _, raw := range []json.RawMessage{e.Data, e2.Data, e3.Data} {
			if strings.Contains(string(raw), evil) || !strings.Contains(string(raw), env.URL) {
				t.Errorf("link %s; want it on %s, not %s", raw, env.URL, evil)
			}
		}

		var dl []directLink
		json.Unmarshal(e2.Data, &dl)
		req, _ := http.NewRequest("GET", dl[0].Link, nil)
		req.Host = evil
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != 302 || !strings.HasPrefix(loc, env.URL+"/") {
			t.Errorf("/f/ with a forged Host: %d to %q; want a redirect on %s", resp.StatusCode, loc, env.URL)
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "private") {
			t.Errorf("/f/ redirect Cache-Control %q; want private", cc)
		}

		var share string
		json.Unmarshal(e3.Data, &share)
		resp = follow(t, share+"/secret77")
		if cc := resp.Header.Get("Cache-Control"); resp.StatusCode != 302 || cc != "private, no-store" {
			t.Errorf("/s/ redirect: %d, Cache-Control %q; want 302, private, no-store", resp.StatusCode, cc)
		}
	})
}
