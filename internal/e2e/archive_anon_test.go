package e2e

import (
	"bytes"
	"crypto/rand"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/testenv"
	"github.com/stratus-drive/stratus/internal/testenv/clock"
)

// TestAnonymousShareArchive: a signed-out visitor zips a share's items when
// the anonymous group has the archive-download permission, under the same
// rules as a single-file download through the share (password, expiry,
// download budget), never a `my` URI; fetching the zip checks again as the
// anonymous group is then; sessions are counted per client address.
func TestAnonymousShareArchive(t *testing.T) {
	now := clock.At(time.Now())
	opt := testenv.Options{Clock: now, Configure: behindProxy}
	testenv.EachDialect(t, opt, func(t *testing.T, env *testenv.Env) {
		anon := env.Client()
		anon.NewUser(t, "root@example.com") // the first account is the administrator
		alice, login := anon.NewUser(t, "alice@example.com")
		big := make([]byte, 300_000)
		rand.Read(big)
		upload(t, alice, "cloudreve://my/pub/a.txt", []byte("alpha\n"), nil)
		upload(t, alice, "cloudreve://my/pub/b.bin", big, nil)
		upload(t, alice, "cloudreve://my/x.txt", []byte("x"), nil)
		id, pw := createShare(t, alice, map[string]any{"uri": "cloudreve://my/pub", "is_private": true, "password": "s3cret"})
		in := func(password string, names ...string) []string {
			at := id
			if password != "" {
				at += ":" + password
			}
			out := make([]string, len(names))
			for i, name := range names {
				out[i] = "cloudreve://" + at + "@share/" + name
			}
			return out
		}
		archive := func(uris []string) map[string]any { return map[string]any{"uris": uris, "archive": true} }

		// By default the anonymous group may open shares but not zip them.
		anon.ExpectCode(t, 40007, "POST", "/file/url", archive(in(pw, "a.txt", "b.bin")))
		setGroupPermission(t, env, drive.AnonymousGroupID, int(drive.PermArchiveDownload), true)

		u := archiveURL(t, anon, in(pw, "a.txt", "b.bin")...)
		for range 2 { // reusable until it expires
			resp, body := fetch(t, u, nil)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
				t.Fatalf("anonymous archive: %d %.200q", resp.StatusCode, body)
			}
			got := unzip(t, body)
			if len(got) != 2 || got["a.txt"] != "alpha\n" || !bytes.Equal([]byte(got["b.bin"]), big) {
				t.Errorf("anonymous archive entries %v", keys(got))
			}
		}

		anon.ExpectCode(t, 40069, "POST", "/file/url", archive(in("wrong", "a.txt")))
		anon.ExpectCode(t, 40069, "POST", "/file/url", archive(in("", "a.txt")))
		anon.ExpectCode(t, 401, "POST", "/file/url", archive([]string{"cloudreve://my/x.txt"}))
		anon.ExpectCode(t, 401, "POST", "/file/url", archive(append(in(pw, "a.txt"), "cloudreve://my/x.txt")))
		// Naming the owner in a `my` URI does not help either.
		anon.ExpectCode(t, 401, "POST", "/file/url", archive([]string{"cloudreve://" + login.User["id"].(string) + "@my/x.txt"}))

		// The fetch checks again as the anonymous group is now.
		setGroupPermission(t, env, drive.AnonymousGroupID, int(drive.PermArchiveDownload), false)
		if resp, body := fetch(t, u, nil); resp.Header.Get("Content-Type") == "application/zip" || !bytes.Contains(body, []byte(`"code":40007`)) {
			t.Errorf("fetch after the permission was removed: %d %.200q", resp.StatusCode, body)
		}
		setGroupPermission(t, env, drive.AnonymousGroupID, int(drive.PermArchiveDownload), true)

		// A download budget is spent as by download URLs, one unit per item;
		// a session that spent the last unit still serves what it paid for.
		limited, _ := createShare(t, alice, map[string]any{"uri": "cloudreve://my/pub", "downloads": 3})
		u = archiveURL(t, anon, "cloudreve://"+limited+"@share/a.txt", "cloudreve://"+limited+"@share/b.bin")
		last := archiveURL(t, anon, "cloudreve://"+limited+"@share/a.txt")
		anon.ExpectCode(t, 404, "POST", "/file/url", archive([]string{"cloudreve://" + limited + "@share/a.txt"}))
		if _, body := fetch(t, last, nil); unzip(t, body)["a.txt"] != "alpha\n" {
			t.Errorf("the session that spent the last unit: %v", keys(unzip(t, body)))
		}
		if _, body := fetch(t, u, nil); len(unzip(t, body)) != 2 {
			t.Errorf("an earlier session after the budget ran out: %v", keys(unzip(t, body)))
		}

		// An expired share zips nothing, and its sessions serve nothing.
		// (Shares take their expiry from the real clock, the filesystem
		// checks it on the fake one, which earlier dialects moved on.)
		ahead := int(now.Now().Sub(time.Now()).Seconds()) + 1
		expiring, _ := createShare(t, alice, map[string]any{"uri": "cloudreve://my/pub", "expire": ahead + 60})
		u = archiveURL(t, anon, "cloudreve://"+expiring+"@share/a.txt")
		now.Advance(time.Now().Add(time.Duration(ahead+61) * time.Second).Sub(now.Now()))
		anon.ExpectCode(t, 404, "POST", "/file/url", archive([]string{"cloudreve://" + expiring + "@share/a.txt"}))
		if resp, body := fetch(t, u, nil); resp.StatusCode != 200 || len(unzip(t, body)) != 0 {
			t.Errorf("a session of an expired share: %d %v", resp.StatusCode, keys(unzip(t, body)))
		}

		// Anonymous sessions are counted per client address.
		open, _ := createShare(t, alice, map[string]any{"uri": "cloudreve://my/pub"})
		one := archive([]string{"cloudreve://" + open + "@share/a.txt"})
		addr, other := randomAddr(), randomAddr()
		for i := range 20 {
			if code, err := postFrom(env, addr, "/file/url", one); err != nil || code != 0 {
				t.Fatalf("session %d from one address: %d %v", i+1, code, err)
			}
		}
		if code, _ := postFrom(env, addr, "/file/url", one); code != 429 {
			t.Errorf("21st session from one address: %d, want 429", code)
		}
		if code, _ := postFrom(env, other, "/file/url", one); code != 0 {
			t.Errorf("another address: %d", code)
		}
	})
}
