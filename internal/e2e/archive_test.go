package e2e

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// unzip returns the entries of a zip by name; folders map to "/".
func unzip(t *testing.T, body []byte) map[string]string {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string]string{}
	for _, f := range r.File {
		if f.Method != zip.Store {
			t.Errorf("%s: method %d, want stored", f.Name, f.Method)
		}
		if strings.HasSuffix(f.Name, "/") {
			out[f.Name] = "/"
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = string(b)
	}
	return out
}

func archiveURL(t *testing.T, c *testenv.Client, uris ...string) string {
	t.Helper()
	return downloadURL(t, c, uris[0], map[string]any{"uris": uris, "archive": true})
}

func TestArchiveDownload(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		root, _ := c.NewUser(t, "root@example.com") // the first account is an administrator
		alice, login := c.NewUser(t, "alice@example.com")

		big := bytes.Repeat([]byte("0123456789abcdef"), 40000)
		upload(t, root, "cloudreve://my/docs/a.txt", []byte("alpha"), nil)
		upload(t, root, "cloudreve://my/docs/sub/b ✨.txt", []byte("beta ✨"), nil)
		upload(t, root, "cloudreve://my/docs/sub/big.bin", big, nil)
		upload(t, root, "cloudreve://my/docs/empty.txt", nil, nil)
		create(t, root, "cloudreve://my/docs/nothing", "folder")
		upload(t, root, "cloudreve://my/top.txt", []byte("top"), nil)
		upload(t, root, "cloudreve://my/other/top.txt", []byte("another top"), nil)

		// Items are resolved when the session is made: a missing one refuses it.
		root.ExpectCode(t, 40016, "POST", "/file/url", map[string]any{"archive": true,
			"uris": []string{"cloudreve://my/docs", "cloudreve://my/missing.txt"}})
		u := archiveURL(t, root, "cloudreve://my/docs", "cloudreve://my/top.txt", "cloudreve://my/other/top.txt")
		if !regexp.MustCompile(`^http://[^/]+/api/v4/file/archive/[0-9a-f-]{36}/archive\.zip\?sign=`).MatchString(u) {
			t.Fatalf("archive URL = %q", u)
		}
		want := map[string]string{
			"docs/": "/", "docs/a.txt": "alpha", "docs/empty.txt": "", "docs/nothing/": "/",
			"docs/sub/": "/", "docs/sub/b ✨.txt": "beta ✨", "docs/sub/big.bin": string(big),
			"top.txt": "top", "top (2).txt": "another top",
		}
		for range 2 { // the session is reusable until it expires
			resp, body := fetch(t, u, nil)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" ||
				!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("archive: %d %v %.200q", resp.StatusCode, resp.Header, body)
			}
			got := unzip(t, body)
			if len(got) != len(want) {
				t.Errorf("entries %d, want %d: %v", len(got), len(want), keys(got))
			}
			for name, content := range want {
				if got[name] != content {
					t.Errorf("%s: %d bytes, want %d", name, len(got[name]), len(content))
				}
			}
		}

		// Items are checked again at download time: a deleted item is left out.
		u = archiveURL(t, root, "cloudreve://my/top.txt", "cloudreve://my/docs/a.txt")
		root.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/top.txt"}})
		if _, body := fetch(t, u, nil); strings.Join(keys(unzip(t, body)), ",") != "a.txt" {
			t.Errorf("after a delete: %v", keys(unzip(t, body)))
		}

		// Signatures.
		parsed, _ := url.Parse(u)
		tampered := *parsed
		tampered.Path = strings.Replace(parsed.Path, "/archive/", "/archive/0", 1)
		for name, raw := range map[string]string{"no sign": strings.Split(u, "?")[0], "other path": tampered.String()} {
			resp, body := fetch(t, raw, nil)
			if resp.Header.Get("Content-Type") == "application/zip" || !bytes.Contains(body, []byte(`"code":`)) {
				t.Errorf("%s: %d %q", name, resp.StatusCode, body)
			}
		}

		// Redirect mode.
		resp := root.Raw(t, "POST", "/api/v4/file/url", strings.NewReader(
			`{"uris":["cloudreve://my/docs"],"archive":true,"redirect":true}`), http.Header{"Content-Type": {"application/json"}})
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound || !strings.Contains(resp.Header.Get("Location"), "/archive.zip?sign=") {
			t.Errorf("redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}

		// The User group lacks the archive-download permission; anonymous
		// callers too.
		upload(t, alice, "cloudreve://my/x.txt", []byte("x"), nil)
		alice.ExpectCode(t, 40007, "POST", "/file/url", map[string]any{"uris": []string{"cloudreve://my/x.txt"}, "archive": true})
		c.ExpectCode(t, 40007, "POST", "/file/url", map[string]any{"uris": []string{"cloudreve://my/x.txt"}, "archive": true})
		// Another user's files never enter an archive, not even an
		// administrator's.
		root.ExpectCode(t, 403, "POST", "/file/url", map[string]any{"archive": true,
			"uris": []string{"cloudreve://" + login.User["id"].(string) + "@my/x.txt"}})
		root.ExpectCode(t, 40001, "POST", "/file/url", map[string]any{"uris": []string{"bad uri"}, "archive": true})
	})
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestArchiveAcrossProcesses issues an archive on one process and streams it
// from another: sessions live in the shared KV store (Redis).
func TestArchiveAcrossProcesses(t *testing.T) {
	t.Parallel()
	a := testenv.Start(t, testenv.Options{Dialect: "postgres", Redis: true})
	b := testenv.Start(t, testenv.Options{Database: &a.Database, Redis: true, DataDir: a.Config.System.DataDir})
	root, _ := a.Client().NewUser(t, "root@example.com")
	upload(t, root, "cloudreve://my/shared.txt", []byte("from a"), nil)
	u := archiveURL(t, root, "cloudreve://my/shared.txt")
	resp, body := fetch(t, b.URL+strings.TrimPrefix(u, a.URL), nil)
	if resp.StatusCode != 200 || unzip(t, body)["shared.txt"] != "from a" {
		t.Errorf("archive from the other process: %d %v", resp.StatusCode, keys(unzip(t, body)))
	}
}
