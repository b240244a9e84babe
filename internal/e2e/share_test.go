package e2e

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/testenv"
)

type shareObj struct {
	ID                string         `json:"id"`
	Name              string         `json:"name"`
	SourceType        int            `json:"source_type"`
	Owner             map[string]any `json:"owner"`
	URL               string         `json:"url"`
	Visited           int            `json:"visited"`
	Expired           bool           `json:"expired"`
	Unlocked          bool           `json:"unlocked"`
	PasswordProtected bool           `json:"password_protected"`
	Size              int64          `json:"size"`
	Downloaded        int            `json:"downloaded"`
	RemainDownloads   *int           `json:"remain_downloads"`
	Password          string         `json:"password"`
	IsPrivate         bool           `json:"is_private"`
	ShareView         bool           `json:"share_view"`
	SourceURI         string         `json:"source_uri"`
}

type shareListing struct {
	listing
	SingleFileView bool `json:"single_file_view"`
}

// createShare makes a link and returns its ID and password (from the URL).
func createShare(t *testing.T, c *testenv.Client, body map[string]any) (id, password string) {
	t.Helper()
	var link string
	c.OK(t, "PUT", "/share", body).Decode(t, &link)
	_, rest, ok := strings.Cut(link, "/s/")
	if !ok {
		t.Fatalf("share URL %q has no /s/", link)
	}
	id, password, _ = strings.Cut(rest, "/")
	return id, password
}

func shareInfo(t *testing.T, c *testenv.Client, id, query string) shareObj {
	t.Helper()
	var s shareObj
	c.OK(t, "GET", "/share/info/"+id+query, nil).Decode(t, &s)
	return s
}

// setGroupPermission turns one permission bit of a group on or off, straight
// in the database (there is no admin API yet); groups are read per request.
func setGroupPermission(t *testing.T, env *testenv.Env, group, bit int, on bool) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, env.Database, env.Config.System.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	g, err := db.Group(ctx, group)
	if err != nil {
		t.Fatal(err)
	}
	perms := g.Permissions.Without(bit)
	if on {
		perms = g.Permissions.With(bit)
	}
	if err := db.UpdateGroupPermissions(ctx, group, perms); err != nil {
		t.Fatal(err)
	}
}

func TestShares(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		anon := env.Client()
		anon.NewUser(t, "root@example.com") // the first account is the administrator
		alice, _ := anon.NewUser(t, "alice@example.com")
		bob, _ := anon.NewUser(t, "bob@example.com")
		data := []byte("shared content")
		upload(t, alice, "cloudreve://my/Docs/a.txt", data, nil)
		create(t, alice, "cloudreve://my/Docs/sub", "folder")
		upload(t, alice, "cloudreve://my/Docs/sub/b.txt", []byte("b"), nil)
		upload(t, alice, "cloudreve://my/solo.txt", []byte("solo"), nil)

		// Creating: rules and codes.
		anon.ExpectCode(t, 401, "PUT", "/share", map[string]any{"uri": "cloudreve://my/Docs"})
		alice.ExpectCode(t, 40016, "PUT", "/share", map[string]any{"uri": "cloudreve://my/nope"})
		alice.ExpectCode(t, 403, "PUT", "/share", map[string]any{"uri": "cloudreve://my"})
		alice.ExpectCode(t, 403, "PUT", "/share", map[string]any{"uri": "cloudreve://trash"})
		alice.ExpectCode(t, 40001, "PUT", "/share", map[string]any{"uri": "not a uri"})
		alice.ExpectCode(t, 40001, "PUT", "/share",
			map[string]any{"uri": "cloudreve://my/Docs", "is_private": true, "password": "no spaces!"})

		// A public folder share: anyone browses and downloads it.
		id, pw := createShare(t, alice, map[string]any{"uri": "cloudreve://my/Docs"})
		if pw != "" {
			t.Fatalf("public share URL carries password %q", pw)
		}
		root := "cloudreve://" + id + "@share"
		// The owner's own listing and info mark shared items.
		for _, f := range list(t, alice, "cloudreve://my", "").Files {
			if f.Shared != (f.Name == "Docs") {
				t.Errorf("%s shared = %v", f.Name, f.Shared)
			}
		}
		var docs fileObj
		alice.OK(t, "GET", "/file/info?uri="+url.QueryEscape("cloudreve://my/Docs"), nil).Decode(t, &docs)
		if !docs.Shared {
			t.Errorf("info of a shared folder: %+v", docs)
		}
		l := list(t, anon, root, "")
		if got := strings.Join(names(l.Files), ","); got != "sub,a.txt" {
			t.Fatalf("share listing = %s", got)
		}
		for _, f := range append(l.Files, l.Parent) {
			if f.Capability != "gIaYAQ==" || f.Owned || !strings.HasPrefix(f.Path, root) {
				t.Errorf("visitor sees %+v", f)
			}
		}
		if l := list(t, alice, root+"/sub", ""); len(l.Files) != 1 || !l.Files[0].Owned {
			t.Errorf("owner's listing of sub = %+v", l.Files)
		}
		anon.ExpectCode(t, 40016, "GET", "/file?uri="+url.QueryEscape(root+"/missing"), nil)
		if _, body := fetch(t, downloadURL(t, anon, root+"/a.txt", nil), nil); !bytes.Equal(body, data) {
			t.Errorf("downloaded %q through the share", body)
		}
		var info fileObj
		anon.OK(t, "GET", "/file/info?uri="+url.QueryEscape(root+"/a.txt"), nil).Decode(t, &info)
		if info.Name != "a.txt" || info.Size != int64(len(data)) {
			t.Errorf("info through share = %+v", info)
		}
		s := shareInfo(t, anon, id, "?count_views=true")
		if !s.Unlocked || s.Name != "Docs" || s.SourceType != 1 || s.Downloaded != 1 || s.Visited != 1 ||
			s.Owner["nickname"] == nil || s.Owner["email"] != nil || s.IsPrivate || s.RemainDownloads != nil {
			t.Errorf("public share info = %+v", s)
		}
		if s := shareInfo(t, alice, id, "?owner_extended=true"); s.SourceURI != "cloudreve://my/Docs" {
			t.Errorf("source_uri = %q", s.SourceURI)
		}

		// Shares are read-only for everyone, the owner too.
		alice.ExpectCode(t, 403, "POST", "/file/rename", map[string]any{"uri": root + "/a.txt", "new_name": "x.txt"})
		alice.ExpectCode(t, 40081, "DELETE", "/file", map[string]any{"uris": []string{root + "/a.txt"}}) // 403 inside
		alice.ExpectCode(t, 403, "POST", "/file/create", map[string]any{"uri": root + "/new", "type": "folder"})
		bob.ExpectCode(t, 40082, "GET", "/file/info?folder_summary=true&uri="+url.QueryEscape(root+"/sub"), nil)

		// A protected single-file share with a budget of two downloads.
		sid, spw := createShare(t, alice, map[string]any{"uri": "cloudreve://my/solo.txt", "is_private": true,
			"downloads": 2})
		if len(spw) != 8 {
			t.Fatalf("generated password %q", spw)
		}
		anon.ExpectCode(t, 40069, "GET", "/file?uri="+url.QueryEscape("cloudreve://"+sid+"@share"), nil)
		anon.ExpectCode(t, 40069, "GET", "/file?uri="+url.QueryEscape("cloudreve://"+sid+":wrong@share"), nil)
		alice.ExpectCode(t, 40069, "GET", "/file?uri="+url.QueryEscape("cloudreve://"+sid+"@share"), nil)
		sroot := "cloudreve://" + sid + ":" + spw + "@share"
		var sl shareListing
		anon.OK(t, "GET", "/file?uri="+url.QueryEscape(sroot), nil).Decode(t, &sl)
		if !sl.SingleFileView || len(sl.Files) != 1 || sl.Files[0].Path != sroot+"/solo.txt" {
			t.Fatalf("single-file share listing = %+v", sl)
		}
		anon.ExpectCode(t, 40016, "GET", "/file/info?uri="+url.QueryEscape(sroot+"/other.txt"), nil)
		locked := shareInfo(t, anon, sid, "")
		if locked.Unlocked || !locked.PasswordProtected || locked.Password != "" || locked.Size != 0 ||
			strings.Contains(locked.URL, spw) || locked.RemainDownloads != nil {
			t.Errorf("locked info = %+v", locked)
		}
		unlocked := shareInfo(t, anon, sid, "?password="+spw)
		if !unlocked.Unlocked || unlocked.Password != spw || unlocked.Size != 4 || unlocked.RemainDownloads == nil ||
			*unlocked.RemainDownloads != 2 || !strings.HasSuffix(unlocked.URL, "/s/"+sid+"/"+spw) {
			t.Errorf("unlocked info = %+v", unlocked)
		}
		downloadURL(t, anon, sroot+"/solo.txt", nil)
		downloadURL(t, bob, sroot+"/solo.txt", nil) // the request that spends the last unit succeeds
		anon.ExpectCode(t, 404, "GET", "/file?uri="+url.QueryEscape(sroot), nil)
		anon.ExpectCode(t, 404, "GET", "/share/info/"+sid, nil)

		// Editing replaces budget, expiry and props, never the password.
		alice.ExpectCode(t, 404, "POST", "/share/"+id, map[string]any{"uri": "cloudreve://my/solo.txt"})
		bob.ExpectCode(t, 404, "POST", "/share/"+id, map[string]any{"uri": "cloudreve://my/Docs"})
		alice.ExpectCode(t, 40001, "POST", "/share/!!", map[string]any{"uri": "cloudreve://my/Docs"})
		alice.OK(t, "POST", "/share/"+id, map[string]any{"uri": "cloudreve://my/Docs", "downloads": 5,
			"share_view": true, "is_private": true, "password": "ignored"})
		if s := shareInfo(t, alice, id, ""); s.RemainDownloads == nil || *s.RemainDownloads != 5 || !s.ShareView ||
			s.PasswordProtected {
			t.Errorf("edited share = %+v", s)
		}

		// My shares: cursor pages, invalid ones flagged.
		for range 10 {
			createShare(t, alice, map[string]any{"uri": "cloudreve://my/Docs/sub"})
		}
		var page struct {
			Shares     []shareObj `json:"shares"`
			Pagination struct {
				NextToken string `json:"next_token"`
			} `json:"pagination"`
		}
		alice.ExpectCode(t, 40001, "GET", "/share?page_size=5", nil)
		alice.OK(t, "GET", "/share?page_size=10&order_by=downloads&order_direction=desc", nil).Decode(t, &page)
		if len(page.Shares) != 10 || page.Pagination.NextToken == "" || page.Shares[0].ID != sid ||
			!page.Shares[0].Expired || page.Shares[0].Password != spw || !page.Shares[0].IsPrivate {
			t.Fatalf("first page = %+v", page)
		}
		seen := map[string]bool{}
		for _, s := range page.Shares {
			seen[s.ID] = true
		}
		token := page.Pagination.NextToken
		page.Pagination.NextToken = ""
		alice.OK(t, "GET", "/share?page_size=10&order_by=downloads&order_direction=desc&next_page_token="+
			url.QueryEscape(token), nil).Decode(t, &page)
		for _, s := range page.Shares {
			seen[s.ID] = true
		}
		if len(seen) != 12 || page.Pagination.NextToken != "" {
			t.Errorf("pages saw %d shares, next %q", len(seen), page.Pagination.NextToken)
		}
		var empty struct {
			Shares []shareObj `json:"shares"`
		}
		bob.OK(t, "GET", "/share?page_size=10", nil).Decode(t, &empty)
		if empty.Shares != nil {
			t.Errorf("bob's shares = %+v", empty.Shares)
		}

		// Group permissions: share creation (bit 2), share access (bit 7).
		setGroupPermission(t, env, drive.UserGroupID, int(drive.PermShare), false)
		bob.ExpectCode(t, 40007, "PUT", "/share", map[string]any{"uri": "cloudreve://my"})
		setGroupPermission(t, env, drive.AnonymousGroupID, int(drive.PermShareDownload), false)
		setGroupPermission(t, env, drive.UserGroupID, int(drive.PermShareDownload), false)
		anon.ExpectCode(t, 40088, "GET", "/file?uri="+url.QueryEscape(root), nil)
		bob.ExpectCode(t, 403, "GET", "/file?uri="+url.QueryEscape(root), nil)
		list(t, alice, root, "") // the owner needs no permission
		setGroupPermission(t, env, drive.AnonymousGroupID, int(drive.PermShareDownload), true)

		// A trashed target invalidates the link; restoring revives it.
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/Docs"}})
		anon.ExpectCode(t, 404, "GET", "/file?uri="+url.QueryEscape(root), nil)
		anon.ExpectCode(t, 404, "GET", "/share/info/"+id, nil)
		trash := list(t, alice, "cloudreve://trash", "")
		alice.OK(t, "POST", "/file/restore", map[string]any{"uris": []string{trash.Files[0].Path}})
		list(t, anon, root, "")

		// Deleting: the owner's link only.
		bob.ExpectCode(t, 404, "DELETE", "/share/"+id, nil)
		alice.OK(t, "DELETE", "/share/"+id, nil)
		anon.ExpectCode(t, 404, "GET", "/share/info/"+id, nil)
		anon.ExpectCode(t, 404, "GET", "/file?uri="+url.QueryEscape(root), nil)
	})
}

func TestShareShortLinks(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	c := env.Client()
	for path, want := range map[string]string{
		"/s/abc":                 "/home?path=" + url.QueryEscape("cloudreve://abc@share"),
		"/s/abc/pw1":             "/home?path=" + url.QueryEscape("cloudreve://abc:pw1@share"),
		"/s/abc/pw1?path=/a/b":   "/home?path=" + url.QueryEscape("cloudreve://abc:pw1@share/a/b"),
		"/s/abc?lang=en&path=%2": "/home?lang=en&path=" + url.QueryEscape("cloudreve://abc@share"),
	} {
		resp := c.Raw(t, "GET", path, nil, nil)
		resp.Body.Close()
		if resp.StatusCode != 302 || resp.Header.Get("Location") != want {
			t.Errorf("GET %s: %d to %q, want %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}

func TestShareProfilesAndBatchDelete(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		anon := env.Client()
		anon.NewUser(t, "root@example.com")
		alice, login := anon.NewUser(t, "alice@example.com")
		bob, _ := anon.NewUser(t, "bob@example.com")
		aliceID := login.User["id"].(string)
		create(t, alice, "cloudreve://my/pub", "folder")
		create(t, alice, "cloudreve://my/priv", "folder")
		create(t, bob, "cloudreve://my/bobs", "folder")
		pub, _ := createShare(t, alice, map[string]any{"uri": "cloudreve://my/pub"})
		priv, _ := createShare(t, alice, map[string]any{"uri": "cloudreve://my/priv", "is_private": true})
		bobs, _ := createShare(t, bob, map[string]any{"uri": "cloudreve://my/bobs"})

		var page struct {
			Shares []shareObj `json:"shares"`
		}
		profile := "/user/shares/" + aliceID + "?page_size=10"
		anon.OK(t, "GET", profile, nil).Decode(t, &page)
		if len(page.Shares) != 1 || page.Shares[0].ID != pub || page.Shares[0].Unlocked || page.Shares[0].IsPrivate {
			t.Errorf("default profile shares = %+v", page.Shares)
		}
		alice.OK(t, "PATCH", "/user/setting", map[string]any{"share_links_in_profile": "all_share"})
		page.Shares = nil
		alice.OK(t, "GET", profile, nil).Decode(t, &page)
		if len(page.Shares) != 2 || page.Shares[0].ID != pub || page.Shares[1].ID != priv ||
			!page.Shares[1].IsPrivate || page.Shares[1].Password != "" || page.Shares[1].Unlocked {
			t.Errorf("all_share profile shares = %+v", page.Shares)
		}
		alice.OK(t, "PATCH", "/user/setting", map[string]any{"share_links_in_profile": "hide_share"})
		anon.ExpectCode(t, 40001, "GET", profile, nil)
		anon.ExpectCode(t, 40001, "GET", "/user/shares/!!?page_size=10", nil)

		// Batch delete: the caller's links go, others stay; a bad id fails.
		alice.ExpectCode(t, 40001, "DELETE", "/share", map[string]any{"ids": []string{pub, "!!"}})
		alice.OK(t, "DELETE", "/share", map[string]any{"ids": []string{pub, priv, bobs}})
		anon.ExpectCode(t, 404, "GET", "/share/info/"+pub, nil)
		alice.ExpectCode(t, 404, "GET", "/share/info/"+priv, nil)
		shareInfo(t, anon, bobs, "")
	})
}
