package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/testenv"
)

// getFrom sends GET /api/v4+path as if from addr (through the proxy) and
// returns the envelope's code and data; it never calls t.Fatal.
func getFrom(env *testenv.Env, addr, path string) (int, json.RawMessage, error) {
	req, err := http.NewRequest("GET", env.URL+"/api/v4"+path, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var e testenv.Envelope
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		return 0, nil, err
	}
	return e.Code, e.Data, nil
}

// TestSharePasswordThrottle: wrong share passwords are counted before they
// are compared, per address and per share, on every path that takes one;
// a burst from one address gets exactly the limit evaluated, and past it
// even the right password waits. Chosen passwords have a minimum length.
func TestSharePasswordThrottle(t *testing.T) {
	perAddr, perShare := files.SharePasswordLimits.PerAddress, files.SharePasswordLimits.PerShare
	testenv.EachDialect(t, testenv.Options{Configure: behindProxy}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "sharer@example.com")
		upload(t, alice, "cloudreve://my/Docs/a.txt", []byte("secret"), nil)
		alice.ExpectCode(t, 40001, "PUT", "/share", map[string]any{"uri": "cloudreve://my/Docs", "is_private": true, "password": "1234"})
		id, pw := createShare(t, alice, map[string]any{"uri": "cloudreve://my/Docs", "is_private": true, "password": "k3m9z0"})

		// One address, three paths (listing, file info, share info), 3 ×
		// the limit at once.
		attacker := randomAddr()
		paths := []func(guess string) string{
			func(g string) string { return "/file?uri=" + url.QueryEscape("cloudreve://"+id+":"+g+"@share") },
			func(g string) string {
				return "/file/info?uri=" + url.QueryEscape("cloudreve://"+id+":"+g+"@share/a.txt")
			},
			func(g string) string { return "/share/info/" + id + "?password=" + g },
		}
		n := 3 * perAddr
		codes := burstCodes(t, n, func(i int) (int, error) {
			code, _, err := getFrom(env, attacker, paths[i%len(paths)](fmt.Sprintf("%06d", i)))
			return code, err
		})
		if codes[429] != n-perAddr {
			t.Errorf("%d simultaneous wrong passwords: codes %v; want exactly %d evaluated, %d × 429", n, codes, perAddr, n-perAddr)
		}
		if code, _, _ := getFrom(env, attacker, paths[0](pw)); code != 429 {
			t.Errorf("right password from the throttled address: %d; want 429", code)
		}
		// Download URLs go through the same check (a batch reports it per URI).
		body, _ := json.Marshal(map[string]any{"uris": []string{"cloudreve://" + id + ":" + pw + "@share/a.txt"}})
		req, _ := http.NewRequest("POST", env.URL+"/api/v4/file/url", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", attacker)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !bytes.Contains(raw, []byte(`"code":429`)) {
			t.Errorf("download URL from the throttled address: %s; want 429", raw)
		}
		if code, _, _ := getFrom(env, randomAddr(), paths[0](pw)); code != 0 {
			t.Errorf("right password from another address: %d; want 0", code)
		}

		// Many addresses against one share: the share's own bucket.
		for a := 0; a*perAddr < perShare; a++ {
			from := randomAddr()
			for range perAddr {
				getFrom(env, from, paths[0]("wrong1"))
			}
		}
		if code, _, _ := getFrom(env, randomAddr(), paths[0](pw)); code != 429 {
			t.Errorf("after %d wrong passwords from many addresses: %d; want 429", perShare, code)
		}
	})
	// The minimum length is a setting.
	env := testenv.Start(t, testenv.Options{Environ: []string{"CR_SETTING_share_password_min_length=4"}})
	alice, _ := env.Client().NewUser(t, "short@example.com")
	upload(t, alice, "cloudreve://my/b.txt", []byte("b"), nil)
	alice.ExpectCode(t, 40001, "PUT", "/share", map[string]any{"uri": "cloudreve://my/b.txt", "is_private": true, "password": "123"})
	createShare(t, alice, map[string]any{"uri": "cloudreve://my/b.txt", "is_private": true, "password": "1234"})
}
