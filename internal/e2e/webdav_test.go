package e2e

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/testenv"
)

var getetagRe = regexp.MustCompile(`<D:getetag>([^<]*)</D:getetag>`)

// TestWebDAVServer drives /dav as clients do, on every database: sign-in,
// writes and reads, client quirks, and what the REST API sees of them.
func TestWebDAVServer(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		u := newDavUser(t, env, "root@example.com", nil)

		// Sign-in: OPTIONS needs none; anything else asks for Basic.
		resp, _ := http.DefaultClient.Do(mustRequest(t, "OPTIONS", u.url("/"), ""))
		if resp.StatusCode != 200 || resp.Header.Get("DAV") != "1, 2" {
			t.Fatalf("OPTIONS without credentials: %d DAV=%q", resp.StatusCode, resp.Header.Get("DAV"))
		}
		resp, _ = http.DefaultClient.Do(mustRequest(t, "PROPFIND", u.url("/"), ""))
		if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), "Basic") {
			t.Fatalf("PROPFIND without credentials: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
		wrong := *u
		wrong.password = strings.Repeat("x", 32)
		wrong.expect(t, 401, "PROPFIND", "/", "", map[string]string{"Depth": "0"})
		upper := *u
		upper.email = strings.ToUpper(u.email) // e-mails match case-insensitively
		upper.expect(t, 207, "PROPFIND", "/", "", map[string]string{"Depth": "0"})

		// PUT creates (201) and replaces (204) with the REST ETag.
		resp, _ = u.expect(t, 201, "PUT", "/hello.txt", "hello", nil)
		first := resp.Header.Get("ETag")
		resp, _ = u.expect(t, 204, "PUT", "/hello.txt", "hello, again", nil)
		second := resp.Header.Get("ETag")
		if first == "" || first == second {
			t.Fatalf("ETags %q then %q", first, second)
		}
		resp, body := u.expect(t, 200, "GET", "/hello.txt", "", nil)
		if body != "hello, again" || resp.Header.Get("ETag") != second {
			t.Fatalf("GET: %q ETag %q, want ETag %q", body, resp.Header.Get("ETag"), second)
		}
		_, body = u.expect(t, 206, "GET", "/hello.txt", "", map[string]string{"Range": "bytes=7-"})
		if body != "again" {
			t.Fatalf("range: %q", body)
		}
		u.expect(t, 304, "GET", "/hello.txt", "", map[string]string{"If-None-Match": second})
		u.expect(t, 412, "PUT", "/hello.txt", "x", map[string]string{"If-Match": first})
		_, body = u.expect(t, 207, "PROPFIND", "/hello.txt", "", map[string]string{"Depth": "0"})
		if m := getetagRe.FindStringSubmatch(body); m == nil || m[1] != second {
			t.Fatalf("getetag in %s, want %s", body, second)
		}
		// The replaced content is a version the REST API lists.
		var info struct {
			ExtendedInfo struct {
				Entities []struct{ ID string } `json:"entities"`
			} `json:"extended_info"`
		}
		u.rest.OK(t, "GET", "/file/info?extended=true&uri="+url.QueryEscape("cloudreve://my/hello.txt"), nil).
			Decode(t, &info)
		if len(info.ExtendedInfo.Entities) != 2 {
			t.Errorf("versions after two PUTs: %d, want 2", len(info.ExtendedInfo.Entities))
		}

		// X-OC-Mtime sets the modification time.
		u.expect(t, 201, "PUT", "/dated.txt", "old", map[string]string{"X-OC-Mtime": "1600000000"})
		_, body = u.expect(t, 207, "PROPFIND", "/dated.txt", "", map[string]string{"Depth": "0"})
		if !strings.Contains(body, "Sun, 13 Sep 2020 12:26:40 GMT") {
			t.Errorf("X-OC-Mtime not applied: %s", body)
		}

		// OC-Checksum (ownCloud clients) is verified before the content
		// becomes a version: a mismatch stores nothing.
		sum := sha1.Sum([]byte("checked"))
		u.expect(t, 201, "PUT", "/sum.txt", "checked", map[string]string{"OC-Checksum": "SHA1:" + hex.EncodeToString(sum[:])})
		u.expect(t, 400, "PUT", "/sum.txt", "tampered", map[string]string{"OC-Checksum": "SHA1:" + hex.EncodeToString(sum[:])})
		u.expect(t, 400, "PUT", "/bad-sum.txt", "tampered", map[string]string{"OC-Checksum": "MD5:00112233445566778899aabbccddeeff"})
		u.expect(t, 404, "GET", "/bad-sum.txt", "", nil)
		if _, body := u.expect(t, 200, "GET", "/sum.txt", "", nil); body != "checked" {
			t.Errorf("sum.txt holds %q after a rejected PUT", body)
		}

		// Finder's chunked PUT names its size in X-Expected-Entity-Length;
		// with no size at all the answer is 411.
		chunked := func(header map[string]string) int {
			req := mustRequest(t, "PUT", u.url("/finder.txt"), "")
			req.Body = io.NopCloser(strings.NewReader("finder"))
			req.ContentLength = -1
			req.SetBasicAuth(u.email, u.password)
			for k, v := range header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if st := chunked(nil); st != 411 {
			t.Errorf("chunked PUT without a size: %d, want 411", st)
		}
		if st := chunked(map[string]string{"X-Expected-Entity-Length": "6"}); st != 201 {
			t.Errorf("chunked PUT with X-Expected-Entity-Length: %d, want 201", st)
		}
		_, body = u.expect(t, 200, "GET", "/finder.txt", "", nil)
		if body != "finder" {
			t.Errorf("finder.txt holds %q", body)
		}

		// Windows: LOCK before PUT creates an empty file; a 0-byte PUT then
		// the real one; Win32 properties are kept as dead properties.
		resp, _ = u.expect(t, 201, "LOCK", "/win.docx", lockBody, map[string]string{"Depth": "0"})
		token := resp.Header.Get("Lock-Token")
		u.expect(t, 204, "PUT", "/win.docx", "", map[string]string{"If": "(" + token + ")"})
		u.expect(t, 204, "PUT", "/win.docx", "word", map[string]string{"If": "(" + token + ")",
			"Translate": "f"})
		u.expect(t, 207, "PROPPATCH", "/win.docx", win32Patch, map[string]string{"If": "(" + token + ")"})
		_, body = u.expect(t, 207, "PROPFIND", "/win.docx", "", map[string]string{"Depth": "0"})
		if !strings.Contains(body, "Win32FileAttributes") || !strings.Contains(body, "00000020") {
			t.Errorf("Win32 property lost: %s", body)
		}
		// Win32CreationTime and Win32LastModifiedTime set the file's times,
		// as X-OC-Mtime does, for WebDAV and REST alike.
		if !strings.Contains(body, "<D:creationdate>2026-12-06T10:00:00Z</D:creationdate>") {
			t.Errorf("Win32CreationTime did not set creationdate: %s", body)
		}
		u.expect(t, 207, "PROPPATCH", "/win.docx", `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" `+
			`xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop><Z:Win32LastModifiedTime>Wed, 02 Jan 2019 03:04:05 GMT`+
			`</Z:Win32LastModifiedTime></D:prop></D:set></D:propertyupdate>`, map[string]string{"If": "(" + token + ")"})
		_, body = u.expect(t, 207, "PROPFIND", "/win.docx", "", map[string]string{"Depth": "0"})
		if !strings.Contains(body, "<D:getlastmodified>Wed, 02 Jan 2019 03:04:05 GMT</D:getlastmodified>") {
			t.Errorf("Win32LastModifiedTime did not set getlastmodified: %s", body)
		}
		var fileInfo struct {
			UpdatedAt time.Time `json:"updated_at"`
			CreatedAt time.Time `json:"created_at"`
		}
		u.rest.OK(t, "GET", "/file/info?uri="+url.QueryEscape("cloudreve://my/win.docx"), nil).Decode(t, &fileInfo)
		if !fileInfo.UpdatedAt.Equal(time.Date(2019, 1, 2, 3, 4, 5, 0, time.UTC)) ||
			!fileInfo.CreatedAt.Equal(time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("REST file times after Win32 PROPPATCH: %+v", fileInfo)
		}
		u.expect(t, 204, "UNLOCK", "/win.docx", "", map[string]string{"Lock-Token": token})

		// MKCOL needs its parent; DELETE goes to the trash.
		u.expect(t, 201, "MKCOL", "/docs", "", nil)
		u.expect(t, 405, "MKCOL", "/docs", "", nil)
		u.expect(t, 409, "MKCOL", "/none/docs", "", nil)
		u.expect(t, 201, "PUT", "/docs/a.txt", "a", nil)
		u.expect(t, 409, "PUT", "/none/a.txt", "a", nil)
		u.expect(t, 204, "DELETE", "/docs", "", nil)
		u.expect(t, 404, "PROPFIND", "/docs", "", map[string]string{"Depth": "0"})
		var trash struct {
			Files []struct{ Name string } `json:"files"`
		}
		u.rest.OK(t, "GET", "/file?uri="+url.QueryEscape("cloudreve://trash"), nil).Decode(t, &trash)
		if len(trash.Files) != 1 || trash.Files[0].Name != "docs" {
			t.Errorf("trash holds %+v, want docs", trash.Files)
		}

		// Depth: infinity walks the tree, within the group's max_walked_files.
		u.expect(t, 201, "MKCOL", "/deep", "", nil)
		u.expect(t, 201, "MKCOL", "/deep/er", "", nil)
		u.expect(t, 201, "PUT", "/deep/er/leaf.txt", "leaf", nil)
		_, body = u.expect(t, 207, "PROPFIND", "/deep", "", map[string]string{"Depth": "infinity"})
		if !strings.Contains(body, "<D:href>/dav/deep/er/leaf.txt</D:href>") {
			t.Errorf("Depth infinity lacks the leaf: %s", body)
		}
		st := openStore(t, env.Database, env.Config.System.DataDir)
		g, err := st.Group(context.Background(), drive.AdminGroupID)
		if err != nil {
			t.Fatal(err)
		}
		gs := g.Settings
		gs.MaxWalkedFiles = 2
		if err := st.SetGroupSettings(context.Background(), drive.AdminGroupID, gs); err != nil {
			t.Fatal(err)
		}
		u.expect(t, 403, "PROPFIND", "/deep", "", map[string]string{"Depth": "infinity"})
		u.expect(t, 207, "PROPFIND", "/deep", "", map[string]string{"Depth": "1"})

		// Depth: 1 lists the members with hrefs below /dav.
		_, body = u.expect(t, 207, "PROPFIND", "/", "", map[string]string{"Depth": "1"})
		for _, h := range []string{"<D:href>/dav/</D:href>", "<D:href>/dav/hello.txt</D:href>",
			"<D:href>/dav/finder.txt</D:href>"} {
			if !strings.Contains(body, h) {
				t.Errorf("Depth 1 listing lacks %s", h)
			}
		}
	})
}

// TestWebDAVReadOnlyAndProxy checks the account options: a read-only account
// reads but writes through no method, LOCK-then-PUT and MOVE included; a
// share-rooted account cannot write either; dot files are refused when the
// account says so; a disabled group or deleted account is refused at once.
func TestWebDAVAccounts(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		rw := newDavUser(t, env, "root@example.com", nil)
		rw.expect(t, 201, "PUT", "/keep.txt", "keep", nil)
		rw.expect(t, 201, "MKCOL", "/sub", "", nil)
		ro := davAccountOf(t, env.URL, rw.rest, rw.email, map[string]any{"readonly": true, "proxy": true})

		_, body := ro.expect(t, 200, "GET", "/keep.txt", "", nil)
		if body != "keep" {
			t.Fatalf("read-only GET: %q", body)
		}
		ro.expect(t, 207, "PROPFIND", "/", "", map[string]string{"Depth": "1"})
		for _, c := range []struct{ method, path, body string }{
			{"PUT", "/keep.txt", "changed"}, {"PUT", "/new.txt", "new"}, {"DELETE", "/keep.txt", ""},
			{"MKCOL", "/x", ""}, {"LOCK", "/keep.txt", lockBody}, {"LOCK", "/lockme.txt", lockBody},
			{"UNLOCK", "/keep.txt", ""}, {"PROPPATCH", "/keep.txt", win32Patch},
		} {
			ro.expect(t, 403, c.method, c.path, c.body, map[string]string{"Lock-Token": "<opaquelocktoken:x>"})
		}
		for _, m := range []string{"MOVE", "COPY"} {
			ro.expect(t, 403, m, "/keep.txt", "", map[string]string{"Destination": ro.url("/moved.txt")})
		}
		// Nothing changed underneath.
		_, body = rw.expect(t, 200, "GET", "/keep.txt", "", nil)
		rw.expect(t, 404, "GET", "/new.txt", "", nil)
		rw.expect(t, 404, "GET", "/moved.txt", "", nil)
		rw.expect(t, 404, "GET", "/lockme.txt", "", nil)
		if body != "keep" {
			t.Fatalf("after read-only writes: %q", body)
		}

		// An account rooted in a subfolder sees only it.
		sub := davAccountOf(t, env.URL, rw.rest, rw.email, map[string]any{"uri": "cloudreve://my/sub",
			"disable_sys_files": true})
		sub.expect(t, 201, "PUT", "/inner.txt", "inner", nil)
		sub.expect(t, 404, "GET", "/keep.txt", "", nil)
		sub.expect(t, 405, "PUT", "/.DS_Store", "x", nil)
		sub.expect(t, 405, "PUT", "/._inner.txt", "x", nil)
		rw.expect(t, 200, "GET", "/sub/inner.txt", "", nil)

		// Deleting the account or taking WebDAV from the group refuses at once.
		var list davAccountList
		rw.rest.OK(t, "GET", "/devices/dav?page_size=10", nil).Decode(t, &list)
		for _, a := range list.Accounts {
			if a.Password == sub.password {
				rw.rest.OK(t, "DELETE", "/devices/dav/"+a.ID, nil)
			}
		}
		sub.expect(t, 401, "GET", "/inner.txt", "", nil)
		// A banned user is refused on the next request, and again once
		// active.
		st := openStore(t, env.Database, env.Config.System.DataDir)
		owner, err := st.UserByEmail(context.Background(), rw.email)
		if err != nil {
			t.Fatal(err)
		}
		rw.expect(t, 200, "GET", "/keep.txt", "", nil)
		if err := st.SetUserStatus(context.Background(), owner.ID, drive.StatusManualBanned); err != nil {
			t.Fatal(err)
		}
		rw.expect(t, 401, "GET", "/keep.txt", "", nil)
		if err := st.SetUserStatus(context.Background(), owner.ID, drive.StatusActive); err != nil {
			t.Fatal(err)
		}
		rw.expect(t, 200, "GET", "/keep.txt", "", nil)
		// Moved to a group without WebDAV (bit 3): 403 at once.
		if err := st.SetUserGroup(context.Background(), owner.ID, drive.UserGroupID); err != nil {
			t.Fatal(err)
		}
		rw.expect(t, 403, "GET", "/keep.txt", "", nil)
		bob, _ := env.Client().NewUser(t, "bob@example.com") // the default group has no WebDAV
		bobDav := &davUser{base: env.URL, email: "bob@example.com", password: strings.Repeat("a", 32), rest: bob}
		bobDav.expect(t, 401, "PROPFIND", "/", "", nil)
	})
}

// TestWebDAVShareDownloads: an account rooted in a share reads through it,
// and each GET (not HEAD) spends one unit of the share's download budget,
// as REST share downloads do; once spent, the share is gone for WebDAV too.
func TestWebDAVShareDownloads(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		u := newDavUser(t, env, "root@example.com", nil)
		u.expect(t, 201, "MKCOL", "/pub", "", nil)
		u.expect(t, 201, "PUT", "/pub/a.txt", "shared", nil)
		sid, _ := createShare(t, u.rest, map[string]any{"uri": "cloudreve://my/pub", "downloads": 2})
		s := davAccountOf(t, env.URL, u.rest, u.email, map[string]any{"uri": "cloudreve://" + sid + "@share",
			"name": "share"})
		s.expect(t, 200, "HEAD", "/a.txt", "", nil) // HEAD sends no content and spends nothing
		s.expect(t, 207, "PROPFIND", "/", "", map[string]string{"Depth": "1"})
		if _, body := s.expect(t, 200, "GET", "/a.txt", "", nil); body != "shared" {
			t.Fatalf("GET through the share: %q", body)
		}
		if info := shareInfo(t, u.rest, sid, ""); info.RemainDownloads == nil || *info.RemainDownloads != 1 {
			t.Fatalf("after one WebDAV GET the share's budget is %+v, want 1 left", info)
		}
		s.expect(t, 200, "GET", "/a.txt", "", nil) // spends the last unit
		s.expect(t, 404, "GET", "/a.txt", "", nil)
	})
}

// TestWebDAVLocksSharedWithREST checks that WebDAV locks and REST locks are
// one store: a WebDAV lock refuses REST changes with 40073 (and force unlock
// releases it), an upload in progress refuses WebDAV writes with 423, and a
// second server process on the same database sees the same locks.
func TestWebDAVLocksSharedWithREST(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		u := newDavUser(t, env, "root@example.com", nil)
		u.expect(t, 201, "MKCOL", "/folder", "", nil)
		u.expect(t, 201, "PUT", "/folder/doc.txt", "v1", nil)
		resp, _ := u.expect(t, 200, "LOCK", "/folder", lockBody, nil) // depth infinity
		token := strings.Trim(resp.Header.Get("Lock-Token"), "<>")

		// REST: rename, delete and overwrite below the lock are refused.
		e := u.rest.ExpectCode(t, 40073, "POST", "/file/rename",
			map[string]any{"uri": "cloudreve://my/folder/doc.txt", "new_name": "renamed.txt"})
		if !strings.Contains(string(e.Data), token) || !strings.Contains(string(e.Data), "webdav") {
			t.Errorf("conflict list %s lacks the WebDAV lock", e.Data)
		}
		u.rest.ExpectCode(t, 40073, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/folder"}})
		u.rest.ExpectCode(t, 40073, "PUT", "/file/upload",
			map[string]any{"uri": "cloudreve://my/folder/new.bin", "size": 3})

		// WebDAV without the token: 423; with it: through.
		u.expect(t, 423, "PUT", "/folder/doc.txt", "v2", nil)
		u.expect(t, 423, "DELETE", "/folder/doc.txt", "", nil)
		u.expect(t, 204, "PUT", "/folder/doc.txt", "v2", map[string]string{"If": "(<" + token + ">)"})

		// Another process on the same database sees the lock.
		other := testenv.Start(t, testenv.Options{Database: &env.Database, DataDir: env.Config.System.DataDir})
		o := *u
		o.base = other.URL
		o.expect(t, 423, "PUT", "/folder/doc.txt", "v3", nil)
		_, body := o.expect(t, 207, "PROPFIND", "/folder", "", map[string]string{"Depth": "0"})
		if !strings.Contains(body, token) {
			t.Errorf("lockdiscovery on the other process lacks the lock: %s", body)
		}

		// REST force unlock releases it for everyone.
		u.rest.OK(t, "DELETE", "/file/lock", map[string]any{"tokens": []string{token}})
		o.expect(t, 204, "PUT", "/folder/doc.txt", "v3", nil)

		// An upload in progress locks its file for WebDAV too.
		s := startUpload(t, u.rest, "cloudreve://my/folder/big.bin", 10, nil)
		u.expect(t, 423, "PUT", "/folder/big.bin", "0123456789", nil)
		u.expect(t, 423, "LOCK", "/folder", lockBody, nil)
		u.rest.OK(t, "DELETE", "/file/upload", map[string]any{"id": s.SessionID, "uri": "cloudreve://my/folder/big.bin"})
	})
}

// TestWebDAVFaults: a client dropping mid-PUT leaves no file, no blob and no
// reserved quota; a PUT beyond the quota stores nothing.
func TestWebDAVFaults(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		u := newDavUser(t, env, "root@example.com", nil)
		before := capacityUsed(t, u.rest)
		data := randomBytes(3 << 20)
		// waitFor polls a condition the server reaches on its own (a dropped
		// body noticed and discarded); it is not a timing assertion.
		waitFor := func(what string, cond func() bool) {
			t.Helper()
			for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("waiting for %s", what)
				}
			}
		}
		for _, end := range []int{endFIN, endRST} {
			conn := rawDavPut(t, u, "/dropped.bin", int64(len(data)), data[:1<<20])
			// The upload has started once its size is reserved.
			waitFor("the reservation", func() bool { return capacityUsed(t, u.rest) == before+int64(len(data)) })
			if end == endRST {
				conn.(*net.TCPConn).SetLinger(0)
			}
			conn.Close()
			waitFor("the discarded upload", func() bool {
				entries, _ := os.ReadDir(filepath.Join(env.Config.System.DataDir, "storage", ".stratus-uploads"))
				return capacityUsed(t, u.rest) == before && len(entries) == 0
			})
			if files := storageFiles(t, env.Config.System.DataDir); len(files) != 0 {
				t.Errorf("storage holds %v after a dropped PUT", files)
			}
			u.expect(t, 404, "GET", "/dropped.bin", "", nil)
		}

		// Beyond the quota (or the policy's size limit): refused before the body
		// is stored.
		var cp struct{ Total int64 }
		u.rest.OK(t, "GET", "/user/capacity", nil).Decode(t, &cp)
		// The size is declared (Finder's way) and checked before any byte.
		req := mustRequest(t, "PUT", u.url("/huge.bin"), "")
		req.Body, req.ContentLength = io.NopCloser(strings.NewReader("x")), -1
		req.Header.Set("X-Expected-Entity-Length", strconv.FormatInt(cp.Total-before+1, 10))
		req.SetBasicAuth(u.email, u.password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 507 && resp.StatusCode != 413 {
			t.Errorf("PUT beyond the quota answered %d", resp.StatusCode)
		}
		u.expect(t, 404, "GET", "/huge.bin", "", nil)
		if used := capacityUsed(t, u.rest); used != before {
			t.Errorf("capacity %d after a refused PUT, want %d", used, before)
		}
	})
}

// TestWebDAVBadInput: paths cannot leave the account root, Destination must
// stay on this mount and host, and hostile XML is refused with 4xx.
func TestWebDAVBadInput(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	u := newDavUser(t, env, "root@example.com", map[string]any{"uri": "cloudreve://my/home"})
	u.rest.OK(t, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/home", "type": "folder"})
	whole := davAccountOf(t, env.URL, u.rest, u.email, nil)
	whole.expect(t, 201, "PUT", "/secret.txt", "TOPSECRET", nil)
	u.expect(t, 201, "PUT", "/mine.txt", "mine", nil)

	for _, p := range []string{"/..%2fsecret.txt", "/%2e%2e/secret.txt", "/a%5c..%5csecret.txt", "/x%00y"} {
		resp, _ := u.do(t, "GET", p, nil, nil)
		if resp.StatusCode != 400 && resp.StatusCode != 404 {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
	for dst, want := range map[string]int{
		"http://elsewhere.example/dav/x.txt":        502,
		u.base + "/api/v4/file":                     502,
		u.base + "/dav/..%2f..%2fsecret.txt":        502,
		"http://user@" + u.base[7:] + "/dav/x.txt":  502,
		u.base + "/dav/copied.txt":                  201,
		"/dav/relative.txt":                         201,
		u.base + "/dav/%EF%BC%8E%EF%BC%8E/fake.txt": 409, // full-width dots are a name, and a missing folder
	} {
		u.expect(t, want, "COPY", "/mine.txt", "", map[string]string{"Destination": dst})
	}
	resp, body := u.do(t, "GET", "/../secret.txt", nil, nil)
	if strings.Contains(body, "TOPSECRET") {
		t.Errorf("GET /../secret.txt reached the file outside the root (%d)", resp.StatusCode)
	}

	bomb := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` +
		`<D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&lol2;</D:displayname></D:prop></D:propfind>`
	u.expect(t, 400, "PROPFIND", "/", bomb, map[string]string{"Depth": "0"})
	deep := `<D:propfind xmlns:D="DAV:"><D:prop>` + strings.Repeat("<x>", 200) + strings.Repeat("</x>", 200) +
		`</D:prop></D:propfind>`
	u.expect(t, 400, "PROPFIND", "/", deep, map[string]string{"Depth": "0"})
	big := `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">` + strings.Repeat("a", 2<<20) +
		`</x></D:prop></D:set></D:propertyupdate>`
	u.expect(t, 413, "PROPPATCH", "/mine.txt", big, nil)
	u.expect(t, 400, "PROPFIND", "/", "<D:propfind xmlns:D='DAV:'><D:prop>", map[string]string{"Depth": "0"})
	u.expect(t, 400, "LOCK", "/mine.txt", "<notlockinfo/>", nil)
	u.expect(t, 400, "PUT", "/mine.txt", "x", map[string]string{"If": "(<unterminated"})
}

const lockBody = `<?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/>` +
	`</D:lockscope><D:locktype><D:write/></D:locktype><D:owner>test</D:owner></D:lockinfo>`

const win32Patch = `<?xml version="1.0" encoding="utf-8"?><D:propertyupdate xmlns:D="DAV:" ` +
	`xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop><Z:Win32CreationTime>Sun, 06 Dec 2026 10:00:00 GMT` +
	`</Z:Win32CreationTime><Z:Win32FileAttributes>00000020</Z:Win32FileAttributes></D:prop></D:set>` +
	`</D:propertyupdate>`

func mustRequest(t *testing.T, method, target, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// rawDavPut opens a connection, sends a PUT's headers declaring size and the
// given part of its body, and returns the connection for the caller to end.
func rawDavPut(t *testing.T, u *davUser, p string, size int64, part []byte, headers ...string) net.Conn {
	t.Helper()
	target, _ := url.Parse(u.url(p))
	conn, err := net.Dial("tcp", target.Host)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("PUT", u.url(p), nil)
	req.SetBasicAuth(u.email, u.password)
	extra := ""
	for _, h := range headers {
		extra += h + "\r\n"
	}
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nContent-Length: %d\r\n%s\r\n",
		target.RequestURI(), target.Host, req.Header.Get("Authorization"), size, extra)
	if len(part) > 0 {
		if _, err := conn.Write(part); err != nil {
			t.Fatal(err)
		}
	}
	return conn
}

// TestWebDAVServerKilled: every PUT that was answered survives a SIGKILL of
// the real binary; a PUT cut by the kill leaves neither a file nor a
// reservation after the restart.
func TestWebDAVServerKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildStratus(t)
	dataDir := t.TempDir()
	p := startStratus(t, bin, dataDir)
	c := clientAt(p.URL, "")
	root, _ := c.NewUser(t, "root@example.com")
	u := davAccountOf(t, p.URL, root, "root@example.com", nil)
	u.expect(t, 201, "MKCOL", "/kept", "", nil)
	want := map[string][]byte{}
	for i := range 50 {
		data := randomBytes(1000 + i*97)
		name := fmt.Sprintf("/kept/f%02d.bin", i)
		resp, _ := u.do(t, "PUT", name, bytes.NewReader(data), nil)
		if resp.StatusCode != 201 {
			t.Fatalf("PUT %s: %d", name, resp.StatusCode)
		}
		want[name] = data
	}
	// An overwrite answered 204 right before the kill.
	want["/kept/f00.bin"] = randomBytes(4321)
	if resp, _ := u.do(t, "PUT", "/kept/f00.bin", bytes.NewReader(want["/kept/f00.bin"]), nil); resp.StatusCode != 204 {
		t.Fatalf("overwrite: %d", resp.StatusCode)
	}
	used := capacityUsed(t, root)
	big := randomBytes(8 << 20)
	conn := rawDavPut(t, u, "/cut.bin", int64(len(big)), big[:3<<20])
	for capacityUsed(t, root) == used { // the cut upload has started once it is reserved
		time.Sleep(20 * time.Millisecond)
	}
	p.kill(t)
	conn.Close()

	p = startStratus(t, bin, dataDir)
	u.base = p.URL
	root = clientAt(p.URL, root.Token)
	for name, data := range want {
		resp, body := u.do(t, "GET", name, nil, nil)
		if resp.StatusCode != 200 || body != string(data) {
			t.Errorf("%s after SIGKILL: %d, %d bytes (want %d)", name, resp.StatusCode, len(body), len(data))
		}
	}
	// The cut upload shows at most as the empty placeholder of an upload in
	// progress (as in REST listings), never with part of its bytes.
	if resp, body := u.do(t, "GET", "/cut.bin", nil, nil); resp.StatusCode != 404 && body != "" {
		t.Errorf("the cut upload reads %d bytes (%d)", len(body), resp.StatusCode)
	}
	// The cut upload's session still holds its reservation until it is
	// cleaned up (expired uploads); cancelling it through its lock frees it.
	e := root.ExpectCode(t, 40073, "PUT", "/file/upload", map[string]any{"uri": "cloudreve://my/cut.bin", "size": 1,
		"entity_type": "version"})
	var locks []struct{ Token string }
	e.Decode(t, &locks)
	if len(locks) != 1 {
		t.Fatalf("locks on the cut upload: %s", e.Data)
	}
	root.OK(t, "DELETE", "/file/lock", map[string]any{"tokens": []string{locks[0].Token}})
	if got := capacityUsed(t, root); got != used {
		t.Errorf("capacity %d after releasing the cut upload, want %d", got, used)
	}
	u.expect(t, 201, "PUT", "/cut.bin", "again", nil)
}
