package e2e

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/testenv"
)

type directLink struct {
	Link    string `json:"link"`
	FileURL string `json:"file_url"`
}

func directLinks(t *testing.T, c *testenv.Client, uris ...string) []directLink {
	t.Helper()
	var out []directLink
	c.OK(t, "PUT", "/file/source", map[string]any{"uris": uris}).Decode(t, &out)
	if len(out) != len(uris) {
		t.Fatalf("links = %+v", out)
	}
	return out
}

// follow requests a direct link without following the redirect.
func follow(t *testing.T, link string) *http.Response {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestDirectLinks(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		env.Client().NewUser(t, "root@example.com")
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		bob, _ := env.Client().NewUser(t, "bob@example.com")
		data := []byte("direct content")
		const uri = "cloudreve://my/docs/hello%20world.txt"
		upload(t, alice, "cloudreve://my/docs/hello world.txt", data, nil)

		links := directLinks(t, alice, uri)
		link := links[0].Link
		if !strings.HasPrefix(link, env.URL+"/f/") || !strings.HasSuffix(link, "/hello%20world.txt") ||
			links[0].FileURL != uri {
			t.Fatalf("link = %+v", links[0])
		}
		// The same file, name and speed reuse the link.
		if again := directLinks(t, alice, uri); again[0].Link != link {
			t.Errorf("second link = %s, want %s", again[0].Link, link)
		}

		resp := follow(t, link)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 302 || !strings.Contains(loc, "/api/v4/file/content/") ||
			!strings.HasPrefix(resp.Header.Get("Cache-Control"), "private, max-age=") ||
			resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("follow: %d %v", resp.StatusCode, resp.Header)
		}
		got, body := fetch(t, loc, nil)
		if got.StatusCode != 200 || string(body) != string(data) ||
			!strings.HasPrefix(got.Header.Get("Content-Disposition"), "inline") {
			t.Fatalf("content: %d %q %v", got.StatusCode, body, got.Header)
		}
		dl := strings.Replace(link, "/f/", "/f/d/", 1)
		resp = follow(t, dl)
		got, _ = fetch(t, resp.Header.Get("Location"), nil)
		if resp.StatusCode != 302 || !strings.HasPrefix(got.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("/f/d: %d %v", resp.StatusCode, got.Header)
		}

		// Wrong names and unknown IDs are HTTP 404 with an envelope.
		id := strings.Split(strings.TrimPrefix(link, env.URL+"/f/"), "/")[0]
		for _, bad := range []string{env.URL + "/f/" + id + "/other.txt", env.URL + "/f/nope/hello%20world.txt"} {
			resp, body := fetch(t, bad, nil)
			if resp.StatusCode != 404 || !strings.Contains(string(body), `"code":404`) {
				t.Errorf("%s: %d %s", bad, resp.StatusCode, body)
			}
		}
		// Folders fail per item; a partial failure keeps the links made.
		e := alice.ExpectCode(t, 40081, "PUT", "/file/source", map[string]any{"uris": []string{"cloudreve://my/docs"}})
		if !strings.Contains(string(e.AggregatedError["cloudreve://my/docs"]), `"code":40077`) {
			t.Errorf("folder: %+v", e)
		}
		e = alice.ExpectCode(t, 40081, "PUT", "/file/source", map[string]any{"uris": []string{uri, "cloudreve://my/docs"}})
		var partial []directLink
		e.Decode(t, &partial)
		if len(partial) != 1 || partial[0].Link != link {
			t.Errorf("partial data = %+v", partial)
		}
		// Users may make at most source_batch (10) links at once.
		many := make([]string, 11)
		for i := range many {
			many[i] = uri
		}
		alice.ExpectCode(t, 40014, "PUT", "/file/source", map[string]any{"uris": many})

		// A trashed file's links stop working until it is restored.
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{uri}})
		if resp := follow(t, link); resp.StatusCode != 404 {
			t.Errorf("trashed: %d", resp.StatusCode)
		}
		alice.OK(t, "POST", "/file/restore", map[string]any{"uris": []string{trashPath(t, alice, "hello world.txt")}})
		if resp := follow(t, link); resp.StatusCode != 302 {
			t.Errorf("restored: %d", resp.StatusCode)
		}

		// Every visit counts: /f, /f/d and the one after restoring.
		st := openStore(t, env.Database, env.Config.System.DataDir)
		ctx := context.Background()
		settings, err := st.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		linkID, err := hashid.New(settings["hash_id_salt"]).Decode(id, hashid.SourceLink)
		if err != nil {
			t.Fatal(err)
		}
		if l, err := st.DirectLinkByID(ctx, linkID); err != nil || l.Downloads != 3 {
			t.Errorf("link row = %+v, %v; want 3 downloads", l, err)
		}
		// The owner sees the links in extended info; others do not.
		var details struct {
			ExtendedInfo struct {
				DirectLinks []struct {
					ID         string `json:"id"`
					URL        string `json:"url"`
					Downloaded int    `json:"downloaded"`
				} `json:"direct_links"`
			} `json:"extended_info"`
		}
		alice.OK(t, "GET", "/file/info?extended=true&uri="+url.QueryEscape(uri), nil).Decode(t, &details)
		if dl := details.ExtendedInfo.DirectLinks; len(dl) != 1 || dl[0].ID != id || dl[0].URL != link ||
			dl[0].Downloaded != 3 {
			t.Errorf("extended direct_links = %+v", dl)
		}

		// Only the owner deletes a link; then it is gone.
		bob.ExpectCode(t, 404, "DELETE", "/file/source/"+id, nil)
		env.Client().ExpectCode(t, 404, "DELETE", "/file/source/"+id, nil)
		alice.ExpectCode(t, 40001, "DELETE", "/file/source/not-an-id", nil)
		alice.OK(t, "DELETE", "/file/source/"+id, nil)
		alice.ExpectCode(t, 404, "DELETE", "/file/source/"+id, nil)
		if resp := follow(t, link); resp.StatusCode != 404 {
			t.Errorf("deleted link: %d", resp.StatusCode)
		}
		// A new link is a new row.
		fresh := directLinks(t, alice, uri)[0].Link
		if fresh == link {
			t.Errorf("link reused after delete")
		}
		if resp := follow(t, fresh); resp.StatusCode != 302 {
			t.Errorf("fresh link: %d", resp.StatusCode)
		}

		// Without redirected_source, the link is a content URL that does not expire.
		g, err := st.Group(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		gs := g.Settings
		gs.RedirectedSource = false
		if err := st.SetGroupSettings(ctx, 2, gs); err != nil {
			t.Fatal(err)
		}
		plain := directLinks(t, alice, uri)[0].Link
		pu, _ := url.Parse(plain)
		if !strings.Contains(pu.Path, "/api/v4/file/content/") || !strings.HasSuffix(pu.Query().Get("sign"), ":0") {
			t.Errorf("plain link = %s", plain)
		}
		if got, body := fetch(t, plain, nil); got.StatusCode != 200 || string(body) != string(data) {
			t.Errorf("plain link content: %d %q", got.StatusCode, body)
		}
		gs.SourceBatch = 0
		if err := st.SetGroupSettings(ctx, 2, gs); err != nil {
			t.Fatal(err)
		}
		alice.ExpectCode(t, 40007, "PUT", "/file/source", map[string]any{"uris": []string{uri}})

		// A permanent delete takes the links with the file.
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{uri}, "skip_soft_delete": true})
		if resp := follow(t, fresh); resp.StatusCode != 404 {
			t.Errorf("after permanent delete: %d", resp.StatusCode)
		}
		freshID, _ := hashid.New(settings["hash_id_salt"]).Decode(
			strings.Split(strings.TrimPrefix(fresh, env.URL+"/f/"), "/")[0], hashid.SourceLink)
		if _, err := st.DirectLinkByID(ctx, freshID); !errs.Is(errs.NotExist, err) {
			t.Errorf("link row after permanent delete: %v", err)
		}
	})
}
