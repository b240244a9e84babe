package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/server"
	"github.com/stratus-drive/stratus/internal/store/storetest"
	"github.com/stratus-drive/stratus/internal/testenv"
)

// Contract cases a black-box audit found (issue 6): each test sends the
// request the audit sent and checks what the contract says must come back.

// TestParentIsAFile: nothing can be created, uploaded, moved, copied or
// restored into a file (30-files §5.1, §5.3: 403), and a refused request
// leaves no row, session or reserved byte behind.
func TestParentIsAFile(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		upload(t, alice, "cloudreve://my/Docs/blob.bin", []byte("blob"), nil)
		create(t, alice, "cloudreve://my/Docs/other.txt", "file")
		create(t, alice, "cloudreve://my/gone.txt", "file")
		used := capacityUsed(t, alice)

		alice.ExpectCode(t, 403, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/Docs/blob.bin/child", "type": "file"})
		alice.ExpectCode(t, 403, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/Docs/blob.bin/a/b", "type": "folder"})
		alice.ExpectCode(t, 403, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/Docs/blob.bin/up.txt", "size": 3})
		if e := putContent(t, alice, "cloudreve://my/Docs/blob.bin/c.txt", "", "abc", false); e.Code != 403 {
			t.Errorf("PUT /file/content under a file: code %d %s", e.Code, e.Msg)
		}
		for _, copy := range []bool{false, true} {
			alice.ExpectCode(t, 403, "POST", "/file/move", map[string]any{"uris": []string{"cloudreve://my/Docs/other.txt"},
				"dst": "cloudreve://my/Docs/blob.bin", "copy": copy})
		}
		// Restore into a parent that has become a file.
		create(t, alice, "cloudreve://my/box/in.txt", "file")
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/box/in.txt"}})
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/box"}, "skip_soft_delete": true})
		create(t, alice, "cloudreve://my/box", "file")
		trashed := trashPath(t, alice, "in.txt")
		alice.ExpectCode(t, 40081, "POST", "/file/restore", map[string]any{"uris": []string{trashed}})

		if l := list(t, alice, "cloudreve://my/Docs", ""); len(l.Files) != 2 {
			t.Errorf("Docs holds %v", names(l.Files))
		}
		if got := capacityUsed(t, alice); got != used {
			t.Errorf("used = %d, want %d: a refused upload kept its reservation", got, used)
		}
		if n := pendingUploads(t, env); n != 0 {
			t.Errorf("%d upload sessions left", n)
		}
		for _, f := range []string{"blob.bin", "other.txt"} {
			if rows := childrenOf(t, env, "alice@example.com", "Docs", f); len(rows) != 0 {
				t.Errorf("rows under the file %s: %v", f, rows)
			}
		}
	})
}

// TestShortcutFolders: a shortcut (an item created with sys:shared_redirect)
// cannot be entered (30-files §2.1: 403); the server writes its sys: keys
// from a share that exists, and clients cannot write sys: keys at all.
func TestShortcutFolders(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, aliceLogin := env.Client().NewUser(t, "alice@example.com")
		bob, _ := env.Client().NewUser(t, "bob@example.com")
		create(t, alice, "cloudreve://my/Shared", "folder")
		id, _ := createShare(t, alice, map[string]any{"uri": "cloudreve://my/Shared"})
		redirect := "cloudreve://" + id + "@share"
		aliceID := aliceLogin.User["id"].(string)

		var sc fileObj
		bob.OK(t, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/Link", "type": "folder",
			"metadata": map[string]string{"sys:shared_redirect": redirect}}).Decode(t, &sc)
		if sc.Metadata["sys:shared_redirect"] != redirect || sc.Metadata["sys:shared_owner"] != aliceID {
			t.Errorf("shortcut metadata = %v", sc.Metadata)
		}
		bob.ExpectCode(t, 403, "GET", "/file?uri="+escape("cloudreve://my/Link"), nil)
		bob.ExpectCode(t, 403, "GET", "/file?uri="+escape("cloudreve://my/Link?name=x"), nil)
		bob.ExpectCode(t, 403, "GET", "/file?uri="+escape("cloudreve://my/Link/x"), nil)
		bob.ExpectCode(t, 403, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/Link/x", "type": "file"})
		bob.ExpectCode(t, 403, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/Link/x", "size": 1})
		create(t, bob, "cloudreve://my/f.txt", "file")
		bob.ExpectCode(t, 403, "POST", "/file/move", map[string]any{"uris": []string{"cloudreve://my/f.txt"}, "dst": "cloudreve://my/Link"})

		// Forged system keys: a redirect to no share, an owner that is not
		// the share's, and any sys: key written by a patch or an upload.
		bob.ExpectCode(t, 40001, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/L2", "type": "folder",
			"metadata": map[string]string{"sys:shared_redirect": "cloudreve://zzzz@share"}})
		bob.ExpectCode(t, 40001, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/L2", "type": "folder",
			"metadata": map[string]string{"sys:shared_redirect": redirect, "sys:shared_owner": "x"}})
		bob.ExpectCode(t, 40001, "PATCH", "/file/metadata", map[string]any{"uris": []string{"cloudreve://my/f.txt"},
			"patches": []any{patch("sys:shared_redirect", redirect)}})
		bob.ExpectCode(t, 40001, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/u.txt", "size": 1,
			"metadata": map[string]string{"sys:shared_redirect": redirect}})
		if l := list(t, bob, "cloudreve://my", ""); len(l.Files) != 2 {
			t.Errorf("bob's root = %v", names(l.Files))
		}
	})
}

// childrenOf returns the rows under the item at path (names from the
// owner's root) of the user with that e-mail, read from the database: a row
// under a file is unreachable through the API.
func childrenOf(t *testing.T, env *testenv.Env, email string, path ...string) []string {
	t.Helper()
	ctx := context.Background()
	st := openStore(t, env.Database, env.Config.System.DataDir)
	u, err := st.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	f, err := st.RootOf(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range path {
		if f, err = st.ChildByName(ctx, f.ID, name); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	rows, err := st.ChildrenOf(ctx, []int{f.ID})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Name)
	}
	return out
}

// pendingUploads counts the upload sessions in the database.
func pendingUploads(t *testing.T, env *testenv.Env) int {
	t.Helper()
	st := openStore(t, env.Database, env.Config.System.DataDir)
	ids, err := st.ExpiredUploadSessions(context.Background(), time.Now().Add(1000*time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(ids)
}

func escape(s string) string { return url.QueryEscape(s) }

// TestUploadLockProtectsTarget: an open upload session locks its file
// (30-files §2.6): every mutation of the file, or of a folder above it,
// answers 40073 with the conflict list until the upload is cancelled, and
// cancelling frees the reservation.
func TestUploadLockProtectsTarget(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		create(t, alice, "cloudreve://my/Other", "folder")
		upload(t, alice, "cloudreve://my/Docs/done.txt", []byte("done"), nil)
		used := capacityUsed(t, alice)
		s := startUpload(t, alice, "cloudreve://my/Docs/locked.txt", 5, nil)
		if got := capacityUsed(t, alice); got != used+5 {
			t.Fatalf("used = %d, want %d", got, used+5)
		}

		locked := func(method, path string, body any) {
			t.Helper()
			e := alice.ExpectCode(t, 40073, method, path, body)
			var locks []struct {
				Path, Token string
			}
			e.Decode(t, &locks)
			if len(locks) != 1 || locks[0].Token != s.SessionID || locks[0].Path != "cloudreve://my/Docs/locked.txt" {
				t.Errorf("%s %s: locks = %+v", method, path, locks)
			}
		}
		file := []string{"cloudreve://my/Docs/locked.txt"}
		locked("POST", "/file/rename", map[string]any{"uri": file[0], "new_name": "x.txt"})
		locked("POST", "/file/move", map[string]any{"uris": file, "dst": "cloudreve://my/Other"})
		locked("DELETE", "/file", map[string]any{"uris": file})
		locked("DELETE", "/file", map[string]any{"uris": file, "skip_soft_delete": true})
		locked("PATCH", "/file/metadata", map[string]any{"uris": file, "patches": []any{patch("tag:a", "")}})
		locked("PUT", "/file/upload", map[string]any{"uri": file[0], "size": 1, "entity_type": "version"})
		if e := putContent(t, alice, file[0], "", "new", false); e.Code != 40073 {
			t.Errorf("PUT /file/content: code %d", e.Code)
		}
		// A folder above the file changes the file's path too.
		docs := []string{"cloudreve://my/Docs"}
		locked("POST", "/file/rename", map[string]any{"uri": docs[0], "new_name": "Docs2"})
		locked("POST", "/file/move", map[string]any{"uris": docs, "dst": "cloudreve://my/Other"})
		locked("DELETE", "/file", map[string]any{"uris": docs})
		// One locked item fails a batch before any item goes.
		locked("DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/Docs/done.txt", file[0]}})
		if l := list(t, alice, "cloudreve://my/Docs", ""); len(l.Files) != 2 {
			t.Errorf("Docs = %v", names(l.Files))
		}
		// What does not touch the locked file goes on.
		create(t, alice, "cloudreve://my/Docs/new.txt", "file")
		alice.OK(t, "POST", "/file/rename", map[string]any{"uri": "cloudreve://my/Docs/done.txt", "new_name": "done2.txt"})
		alice.OK(t, "POST", "/file/move", map[string]any{"uris": file, "dst": "cloudreve://my/Other", "copy": true})

		alice.OK(t, "DELETE", "/file/upload", map[string]any{"id": s.SessionID, "uri": file[0]})
		if got := capacityUsed(t, alice); got != used {
			t.Errorf("used after cancel = %d, want %d", got, used)
		}
		if n := pendingUploads(t, env); n != 0 {
			t.Errorf("%d sessions after cancel", n)
		}
		alice.OK(t, "POST", "/file/rename", map[string]any{"uri": "cloudreve://my/Docs", "new_name": "Docs2"})
	})
}

// TestShareLinksOfFile: the owner's file info lists the file's links
// (30-files §1.3 extended_info.shares, unlocked with the password); nobody
// else sees them. A link whose file is trashed keeps the file's name in
// "my shares" (40-share §1) and is expired.
func TestShareLinksOfFile(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		upload(t, alice, "cloudreve://my/report.pdf", []byte("pdf"), nil)
		create(t, alice, "cloudreve://my/Docs", "folder")
		open, _ := createShare(t, alice, map[string]any{"uri": "cloudreve://my/report.pdf"})
		private, pw := createShare(t, alice, map[string]any{"uri": "cloudreve://my/report.pdf", "is_private": true})
		createShare(t, alice, map[string]any{"uri": "cloudreve://my/Docs"})

		var d struct {
			ExtendedInfo struct {
				Shares []shareObj `json:"shares"`
			} `json:"extended_info"`
		}
		alice.OK(t, "GET", "/file/info?extended=true&uri="+escape("cloudreve://my/report.pdf"), nil).Decode(t, &d)
		got := d.ExtendedInfo.Shares
		if len(got) != 2 || got[0].ID != open || got[1].ID != private || got[1].Password != pw || !got[1].Unlocked ||
			got[0].Name != "report.pdf" || got[0].Expired {
			t.Errorf("extended_info.shares = %+v", got)
		}
		alice.OK(t, "GET", "/file/info?extended=true&uri="+escape("cloudreve://my/Docs"), nil).Decode(t, &d)
		if len(d.ExtendedInfo.Shares) != 1 {
			t.Errorf("folder shares = %+v", d.ExtendedInfo.Shares)
		}
		// A visitor reaching the file through the open link sees no links.
		var v struct {
			ExtendedInfo map[string]any `json:"extended_info"`
		}
		env.Client().OK(t, "GET", "/file/info?extended=true&uri="+escape("cloudreve://"+open+"@share/report.pdf"), nil).Decode(t, &v)
		if _, ok := v.ExtendedInfo["shares"]; ok || v.ExtendedInfo == nil {
			t.Errorf("a visitor's extended_info: %v", v.ExtendedInfo)
		}

		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/report.pdf"}})
		var page struct {
			Shares []shareObj `json:"shares"`
		}
		alice.OK(t, "GET", "/share?page_size=10", nil).Decode(t, &page)
		for _, s := range page.Shares {
			if s.ID != open && s.ID != private {
				continue
			}
			if s.Name != "report.pdf" || !s.Expired {
				t.Errorf("link %s to a trashed file: name %q, expired %v", s.ID, s.Name, s.Expired)
			}
		}
	})
}

// TestAdvertisedIsServed: each feature flag the site and user configs
// announce is derived from the routes that serve it (issue 6 case 8):
// passkeys (no /session/authn yet), node task capabilities and the group's
// remote-download bit (no workflow routes yet), full-text search (no
// /file/search yet), the archive viewer (zip listing only) and the logos.
func TestAdvertisedIsServed(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{Environ: []string{"CR_SETTING_fts_enabled=1"}}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		admin, _ := c.NewUser(t, "root@example.com")
		var me struct {
			Group struct {
				Permission string `json:"permission"`
			} `json:"group"`
		}
		admin.OK(t, "GET", "/user/me", nil).Decode(t, &me)
		perm, err := base64.StdEncoding.DecodeString(me.Group.Permission)
		if err != nil || len(perm) < 1 || perm[0]&1 == 0 {
			t.Fatalf("admin group permission %q", me.Group.Permission)
		}
		if len(perm) > 1 && perm[1]&(1<<1) != 0 {
			t.Errorf("remote download (bit 9) advertised: %q", me.Group.Permission)
		}
		var login map[string]any
		c.OK(t, "GET", "/site/config/login", nil).Decode(t, &login)
		if _, ok := login["authn"]; ok {
			t.Errorf("authn advertised: %v", login)
		}
		if resp := c.Raw(t, "PUT", "/api/v4/session/authn", nil, nil); resp.StatusCode != 404 {
			t.Errorf("PUT /session/authn: %d", resp.StatusCode)
		}

		var explorer struct {
			FullTextSearch bool `json:"full_text_search"`
			FileViewers    []struct {
				Viewers []struct {
					ID   string   `json:"id"`
					Exts []string `json:"exts"`
				} `json:"viewers"`
			} `json:"file_viewers"`
		}
		c.OK(t, "GET", "/site/config/explorer", nil).Decode(t, &explorer)
		if explorer.FullTextSearch {
			t.Error("full-text search advertised")
		}
		found := false
		for _, g := range explorer.FileViewers {
			for _, v := range g.Viewers {
				if v.ID == "archive" {
					found = true
					if len(v.Exts) != 1 || v.Exts[0] != "zip" {
						t.Errorf("archive viewer exts = %v, want [zip]", v.Exts)
					}
				}
			}
		}
		if !found {
			t.Error("no archive viewer")
		}

		var basic map[string]any
		c.OK(t, "GET", "/site/config/basic", nil).Decode(t, &basic)
		for _, key := range []string{"logo", "logo_light"} {
			path, _ := basic[key].(string)
			resp, body := fetch(t, env.URL+path, nil)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" || !bytes.Contains(body, []byte("<svg")) {
				t.Errorf("%s %q: %d %s", key, path, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		}
	})
}

// TestSlaveModeRefused: until slave mode exists, a slave configuration
// refuses to start with a clear message instead of running a master, on
// every database (nothing is migrated), and the binary exits non-zero.
func TestSlaveModeRefused(t *testing.T) {
	secret := strings.Repeat("s", 64)
	for _, d := range testenv.Dialects {
		t.Run(d, func(t *testing.T) {
			cfg := config.Default()
			cfg.System.DataDir = t.TempDir()
			cfg.System.Mode = "slave"
			cfg.Slave.Secret = secret
			cfg.Database = storetest.NewDatabase(t, d)
			srv, err := server.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{})
			if err == nil {
				srv.Close()
				t.Fatal("a slave configuration started")
			}
			if !errors.Is(err, server.ErrSlaveMode) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	t.Run("binary", func(t *testing.T) {
		bin := buildStratus(t)
		dir := t.TempDir()
		cmd := exec.Command(bin, "server", "--data", dir, "--listen", "127.0.0.1:0")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "STRATUS_SYSTEM_MODE=slave", "STRATUS_SLAVE_SECRET=" + secret}
		done := make(chan struct{})
		time.AfterFunc(time.Minute, func() {
			select {
			case <-done:
			default:
				cmd.Process.Kill() // a server that started would never exit
			}
		})
		out, err := cmd.CombinedOutput()
		close(done)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "cannot run as a slave") ||
			strings.Contains(string(out), "listening") {
			t.Errorf("exit %v, output:\n%s", err, out)
		}
	})
}

// TestExpectContinueOversized: a JSON request announcing a body over the
// limit with "Expect: 100-continue" gets the 40001 envelope at once, with no
// "100 Continue" first, so the client never sends the body (curl used to
// fail with a send error). The same for raw bodies refused by their
// announced length: PUT /file/content past maxEditSize (40049) and an
// upload chunk of the wrong length (40013).
func TestExpectContinueOversized(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{Environ: []string{"CR_SETTING_maxEditSize=1024"}}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		s := startUpload(t, alice, "cloudreve://my/a.bin", 10, nil)
		for _, tc := range []struct {
			method, path string
			length       int64
			code         int
		}{
			{"POST", "/api/v4/session/token", 5 << 20, 40001},
			{"POST", "/api/v4/file/create", 100 << 20, 40001},
			{"PUT", "/api/v4/file/content?uri=" + escape("cloudreve://my/big.txt"), 64 << 20, 40049},
			{"POST", "/api/v4/file/upload/" + s.SessionID + "/0", 1 << 30, 40013},
		} {
			conn, err := net.Dial("tcp", strings.TrimPrefix(env.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: stratus\r\nAuthorization: Bearer %s\r\n"+
				"Content-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
				tc.method, tc.path, alice.Token, tc.length)
			// Only a server that waits for a body it asked for could block here;
			// the deadline turns that into a failure instead of a hang.
			conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("%s %s: %v", tc.method, tc.path, err)
			}
			var e testenv.Envelope
			body, _ := io.ReadAll(resp.Body)
			conn.Close()
			if resp.StatusCode != 200 || json.Unmarshal(body, &e) != nil || e.Code != tc.code {
				t.Errorf("%s %s: %d %s, want the %d envelope", tc.method, tc.path, resp.StatusCode, body, tc.code)
			}
		}
	})
}

// TestLivePhoto: an upload with entity_type "live_photo" attaches the video
// to the existing image as its live-photo entity (30-files §9.1): the image
// stays the current version, the file info lists both entities and counts
// both, and the video downloads by its entity ID. A missing image is 40016
// and creates nothing; a new video replaces the old one; a cancelled one
// leaves the image alone.
func TestLivePhoto(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		const img = "cloudreve://my/Photos/IMG_1.heic"
		upload(t, alice, img, []byte("image"), nil)

		alice.ExpectCode(t, 40016, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/New/IMG_2.heic", "size": 3,
			"entity_type": "live_photo"})
		alice.ExpectCode(t, 40016, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/Photos", "size": 3,
			"entity_type": "live_photo"})
		if l := list(t, alice, "cloudreve://my", ""); len(l.Files) != 1 {
			t.Errorf("root after refused live photos = %v", names(l.Files))
		}

		upload(t, alice, img, []byte("video-one"), map[string]any{"entity_type": "live_photo"})
		upload(t, alice, img, []byte("video-2"), map[string]any{"entity_type": "live_photo"})
		d := info(t, alice, img, "&extended=true")
		x := d.ExtendedInfo
		var live string
		for _, e := range x.Entities {
			if e.Type == 2 {
				if live != "" {
					t.Error("two live-photo entities")
				}
				live = e.ID
			}
		}
		if live == "" || len(x.Entities) != 2 || x.StorageUsed != int64(len("image")+len("video-2")) || d.Size != int64(len("image")) {
			t.Fatalf("extended info = %+v, size %d", x, d.Size)
		}
		if used := capacityUsed(t, alice); used != x.StorageUsed {
			t.Errorf("used = %d, want %d", used, x.StorageUsed)
		}
		if _, body := fetch(t, downloadURL(t, alice, img, nil), nil); string(body) != "image" {
			t.Errorf("current version = %q", body)
		}
		if _, body := fetch(t, downloadURL(t, alice, img, map[string]any{"entity": live}), nil); string(body) != "video-2" {
			t.Errorf("live photo = %q", body)
		}

		s := startUpload(t, alice, img, 4, map[string]any{"entity_type": "live_photo"})
		alice.OK(t, "DELETE", "/file/upload", map[string]any{"id": s.SessionID, "uri": img})
		if after := info(t, alice, img, "&extended=true"); len(after.ExtendedInfo.Entities) != 2 || capacityUsed(t, alice) != x.StorageUsed {
			t.Errorf("after a cancelled live photo: %+v", after.ExtendedInfo)
		}
	})
}

// TestUploadLockProtectsVersions: the version operations are mutations of
// the locked file too; deleting the upload's own placeholder version is how
// it is cancelled and stays allowed.
func TestUploadLockProtectsVersions(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		alice.OK(t, "PATCH", "/user/setting", map[string]any{"version_retention_enabled": true, "version_retention_max": 0})
		const doc = "cloudreve://my/doc.txt"
		upload(t, alice, doc, []byte("v1"), nil)
		upload(t, alice, doc, []byte("v2"), map[string]any{"entity_type": "version"})
		used := capacityUsed(t, alice)
		s := startUpload(t, alice, doc, 2, map[string]any{"entity_type": "version"})
		// Entities come newest first: the placeholder, v2 (current), v1.
		f := info(t, alice, doc, "&extended=true")
		es := f.ExtendedInfo.Entities
		if len(es) != 3 || es[1].ID != f.PrimaryEntity {
			t.Fatalf("entities = %+v", es)
		}
		placeholder, v1 := es[0].ID, es[2].ID
		alice.ExpectCode(t, 40073, "POST", "/file/version/current", map[string]any{"uri": doc, "version": v1})
		alice.ExpectCode(t, 40073, "DELETE", "/file/version", map[string]any{"uri": doc, "version": v1})
		alice.OK(t, "DELETE", "/file/version", map[string]any{"uri": doc, "version": placeholder})
		if n := pendingUploads(t, env); n != 0 || capacityUsed(t, alice) != used {
			t.Errorf("after deleting the placeholder: %d sessions, used %d (want %d)", n, capacityUsed(t, alice), used)
		}
		alice.ExpectCode(t, 40011, "POST", "/file/upload/"+s.SessionID+"/0", nil)
		alice.OK(t, "POST", "/file/version/current", map[string]any{"uri": doc, "version": v1})
	})
}

// TestShortcutAndFileParentOverWebDAV: the folder rules hold over WebDAV
// too, which reaches the same files methods: a shortcut cannot be listed
// (403) nor walked into by Depth: infinity, and nothing is created under a
// file or a shortcut (409, WebDAV's answer for a parent that is not a
// collection, or 403 where the target is looked up through the shortcut).
func TestShortcutAndFileParentOverWebDAV(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		dav := newDavUser(t, env, "alice@example.com", nil)
		create(t, dav.rest, "cloudreve://my/Shared", "folder")
		id, _ := createShare(t, dav.rest, map[string]any{"uri": "cloudreve://my/Shared"})
		dav.rest.OK(t, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/Link", "type": "folder",
			"metadata": map[string]string{"sys:shared_redirect": "cloudreve://" + id + "@share"}})
		upload(t, dav.rest, "cloudreve://my/blob.bin", []byte("blob"), nil)

		dav.expect(t, 403, "PROPFIND", "/Link/", "", map[string]string{"Depth": "1"})
		dav.expect(t, 207, "PROPFIND", "/Link", "", map[string]string{"Depth": "0"})
		if _, body := dav.expect(t, 207, "PROPFIND", "/", "", map[string]string{"Depth": "infinity"}); !strings.Contains(body, "/dav/Link/") {
			t.Errorf("Depth: infinity lost the shortcut: %s", body)
		}
		for _, p := range []string{"/Link/x.txt", "/blob.bin/x.txt"} {
			for _, m := range []string{"PUT", "MKCOL"} {
				if resp, body := dav.do(t, m, p, strings.NewReader(""), nil); resp.StatusCode != 409 && resp.StatusCode != 403 {
					t.Errorf("%s %s: %d %s", m, p, resp.StatusCode, body)
				}
			}
		}
		if l := list(t, dav.rest, "cloudreve://my", ""); len(l.Files) != 3 {
			t.Errorf("root = %v", names(l.Files))
		}
		if rows := childrenOf(t, env, "alice@example.com", "blob.bin"); len(rows) != 0 {
			t.Errorf("rows under the file: %v", rows)
		}
	})
}

// TestUnknownRoutesOutsideAPI: the siblings of the /api rule — a direct
// link path or method no route takes is the 404 envelope of 30-files §7.7,
// and the logos answer other methods with 404, never 405.
func TestUnknownRoutesOutsideAPI(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		for _, tc := range []struct {
			method, path string
			envelope     bool
		}{
			{"POST", "/f/abc/name.txt", true},
			{"DELETE", "/f/d/abc/name.txt", true},
			{"GET", "/f/abc", true},
			{"POST", "/static/img/logo.svg", false},
		} {
			resp := c.Raw(t, tc.method, tc.path, nil, nil)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var e testenv.Envelope
			if resp.StatusCode != 404 || tc.envelope && (json.Unmarshal(body, &e) != nil || e.Code != 404) {
				t.Errorf("%s %s: %d %s", tc.method, tc.path, resp.StatusCode, body)
			}
		}
	})
}
