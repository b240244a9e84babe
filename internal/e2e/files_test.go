package e2e

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

type fileObj struct {
	Type       int               `json:"type"`
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Size       int64             `json:"size"`
	Path       string            `json:"path"`
	Capability string            `json:"capability"`
	Owned      bool              `json:"owned"`
	Shared     bool              `json:"shared"`
	Metadata   map[string]string `json:"metadata"`
}

type listing struct {
	Files      []fileObj `json:"files"`
	Parent     fileObj   `json:"parent"`
	Pagination struct {
		PageSize   int    `json:"page_size"`
		NextToken  string `json:"next_token"`
		IsCursor   bool   `json:"is_cursor"`
		TotalItems int    `json:"total_items"`
	} `json:"pagination"`
	Props struct {
		Capability string `json:"capability"`
	} `json:"props"`
	ContextHint   string         `json:"context_hint"`
	StoragePolicy map[string]any `json:"storage_policy"`
}

func list(t *testing.T, c *testenv.Client, uri string, extra string) listing {
	t.Helper()
	var l listing
	c.OK(t, "GET", "/file?uri="+url.QueryEscape(uri)+extra, nil).Decode(t, &l)
	return l
}

func names(fs []fileObj) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

func create(t *testing.T, c *testenv.Client, uri, typ string) fileObj {
	t.Helper()
	var f fileObj
	c.OK(t, "POST", "/file/create", map[string]any{"uri": uri, "type": typ}).Decode(t, &f)
	return f
}

func TestFileTree(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		c.NewUser(t, "root@example.com") // the first account is an administrator
		alice, _ := c.NewUser(t, "alice@example.com")

		root := list(t, alice, "cloudreve://my", "")
		if len(root.Files) != 0 || root.Props.Capability != "w8edAQ==" || root.ContextHint == "" {
			t.Fatalf("empty root listing = %+v", root)
		}
		if root.StoragePolicy["type"] != "local" {
			t.Errorf("storage_policy = %v", root.StoragePolicy)
		}

		// Chained creation makes missing parents.
		f := create(t, alice, "cloudreve://my/docs/2026/report.txt", "file")
		if f.Type != 0 || f.Path != "cloudreve://my/docs/2026/report.txt" || !f.Owned || f.Capability != "w8edAQ==" {
			t.Errorf("created = %+v", f)
		}
		create(t, alice, "cloudreve://my/docs/notes", "folder")
		// Existing item of the same type is returned; with err_on_conflict it is 40004.
		again := create(t, alice, "cloudreve://my/docs/2026/report.txt", "file")
		if again.ID != f.ID {
			t.Errorf("re-create returned a new file")
		}
		alice.ExpectCode(t, 40004, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/docs/2026/report.txt", "type": "file", "err_on_conflict": true})
		alice.ExpectCode(t, 40004, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/docs/2026/report.txt", "type": "folder"})

		docs := list(t, alice, "cloudreve://my/docs", "")
		if got := strings.Join(names(docs.Files), ","); got != "2026,notes" {
			t.Errorf("docs = %s", got)
		}

		// Names.
		for _, bad := range []string{"a:b", "a*b", "a?b", `a"b`, "a<b", "a|b", strings.Repeat("x", 256)} {
			alice.ExpectCode(t, 40052, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/" + url.PathEscape(bad), "type": "file"})
		}
		alice.ExpectCode(t, 40001, "POST", "/file/create", map[string]any{"uri": "https://example.com/x", "type": "file"})
		alice.ExpectCode(t, 40001, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/x", "type": "symlink"})

		// Rename, with conflicts.
		var renamed fileObj
		alice.OK(t, "POST", "/file/rename", map[string]any{"uri": "cloudreve://my/docs/notes", "new_name": "Notes ✨"}).Decode(t, &renamed)
		if renamed.Name != "Notes ✨" || renamed.Path != "cloudreve://my/docs/Notes%20%E2%9C%A8" {
			t.Errorf("renamed = %+v", renamed)
		}
		alice.ExpectCode(t, 40004, "POST", "/file/rename", map[string]any{"uri": "cloudreve://my/docs/Notes%20%E2%9C%A8", "new_name": "2026"})
		alice.ExpectCode(t, 40016, "POST", "/file/rename", map[string]any{"uri": "cloudreve://my/docs/nope", "new_name": "x"})
		alice.ExpectCode(t, 403, "POST", "/file/rename", map[string]any{"uri": "cloudreve://my", "new_name": "x"})

		// Move, copy, and a folder into itself.
		alice.OK(t, "POST", "/file/move", map[string]any{"uris": []string{"cloudreve://my/docs/2026/report.txt"}, "dst": "cloudreve://my/docs/Notes%20%E2%9C%A8"})
		alice.OK(t, "POST", "/file/move", map[string]any{"uris": []string{"cloudreve://my/docs/Notes%20%E2%9C%A8"}, "dst": "cloudreve://my", "copy": true})
		if got := strings.Join(names(list(t, alice, "cloudreve://my", "").Files), ","); got != "docs,Notes ✨" {
			t.Errorf("root after copy = %s", got)
		}
		if got := names(list(t, alice, "cloudreve://my/Notes%20%E2%9C%A8", "").Files); len(got) != 1 || got[0] != "report.txt" {
			t.Errorf("copied folder = %v", got)
		}
		agg := alice.ExpectCode(t, 40081, "POST", "/file/move", map[string]any{"uris": []string{"cloudreve://my/docs", "cloudreve://my/nope"}, "dst": "cloudreve://my/docs/2026"})
		if len(agg.AggregatedError) != 2 {
			t.Errorf("aggregated = %v", agg.AggregatedError)
		}
		alice.ExpectCode(t, 40004, "POST", "/file/move", map[string]any{"uris": []string{"cloudreve://my/docs/Notes%20%E2%9C%A8"}, "dst": "cloudreve://my"})

		// Trash, restore, permanent delete.
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/docs"}})
		trash := list(t, alice, "cloudreve://trash", "")
		if len(trash.Files) != 1 || trash.Files[0].Name != "docs" || trash.Files[0].Metadata["sys:restore_uri"] != "cloudreve://my/docs" ||
			trash.Props.Capability != "AMIK" {
			t.Fatalf("trash = %+v", trash)
		}
		if _, ok := trash.Files[0].Metadata["sys:expected_collect_time"]; !ok {
			t.Error("trash item without collect time")
		}
		alice.ExpectCode(t, 40016, "GET", "/file?uri="+url.QueryEscape("cloudreve://my/docs"), nil)
		create(t, alice, "cloudreve://my/docs", "folder") // takes the name meanwhile
		alice.ExpectCode(t, 40081, "POST", "/file/restore", map[string]any{"uris": []string{trash.Files[0].Path}})
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/docs"}, "skip_soft_delete": true})
		alice.OK(t, "POST", "/file/restore", map[string]any{"uris": []string{trash.Files[0].Path}})
		if got := names(list(t, alice, "cloudreve://my/docs/2026", "").Files); len(got) != 0 {
			t.Errorf("restored subfolder = %v", got)
		}
		alice.OK(t, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/docs", "cloudreve://my/Notes%20%E2%9C%A8"}})
		alice.OK(t, "DELETE", "/file/trash", nil)
		if got := list(t, alice, "cloudreve://trash", ""); len(got.Files) != 0 {
			t.Errorf("trash after emptying = %v", names(got.Files))
		}
		// Deleting from the trash needs skip_soft_delete.
		alice.ExpectCode(t, 40081, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://trash/whatever"}})
		// Unlink needs the advanced-delete permission (users don't have it).
		create(t, alice, "cloudreve://my/x", "file")
		alice.ExpectCode(t, 403, "DELETE", "/file", map[string]any{"uris": []string{"cloudreve://my/x"}, "skip_soft_delete": true, "unlink": true})
	})
}

func TestFileAccess(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	c := env.Client()
	_, adminLogin := c.NewUser(t, "root@example.com")
	bob, _ := c.NewUser(t, "bob@example.com")
	create(t, bob, "cloudreve://my/secret.txt", "file")
	adminID := adminLogin.User["id"].(string)

	c.ExpectCode(t, 401, "GET", "/file?uri="+url.QueryEscape("cloudreve://my"), nil)
	c.ExpectCode(t, 401, "GET", "/file?uri="+url.QueryEscape("cloudreve://trash"), nil)
	c.ExpectCode(t, 401, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/x", "type": "file"})
	// Another user's tree is refused, even by ID in the URI.
	bob.ExpectCode(t, 403, "GET", "/file?uri="+url.QueryEscape("cloudreve://"+adminID+"@my"), nil)
	bob.ExpectCode(t, 40001, "GET", "/file?uri="+url.QueryEscape("cloudreve://zzzz@my"), nil)
	bob.ExpectCode(t, 40001, "GET", "/file", nil)
	bob.ExpectCode(t, 40001, "GET", "/file?uri="+url.QueryEscape("cloudreve://nosuchfs/x"), nil)
	// Traversal stays inside the tree.
	l := list(t, bob, "cloudreve://my/../../..", "")
	if len(l.Files) != 1 || l.Files[0].Name != "secret.txt" {
		t.Errorf("traversal listing = %v", names(l.Files))
	}
	// Info by URI and by ID; another user's ID is 40082.
	var info fileObj
	bob.OK(t, "GET", "/file/info?uri="+url.QueryEscape("cloudreve://my/secret.txt"), nil).Decode(t, &info)
	var byID fileObj
	bob.OK(t, "GET", "/file/info?id="+info.ID, nil).Decode(t, &byID)
	if byID.Path != "cloudreve://my/secret.txt" {
		t.Errorf("info by id path = %q", byID.Path)
	}
	admin, _ := c.SignIn(t, "root@example.com", "correct horse battery")
	admin.ExpectCode(t, 40082, "GET", "/file/info?id="+info.ID, nil)
	bob.ExpectCode(t, 403, "GET", "/file/info?uri="+url.QueryEscape("cloudreve://my"), nil)

	// Batch limits.
	many := make([]string, 3001)
	for i := range many {
		many[i] = fmt.Sprintf("cloudreve://my/f%d", i)
	}
	bob.ExpectCode(t, 40074, "DELETE", "/file", map[string]any{"uris": many})
	bob.ExpectCode(t, 40001, "DELETE", "/file", map[string]any{"uris": []string{}})
}

func TestListingPagination(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		alice, _ := env.Client().NewUser(t, "alice@example.com")
		want := map[string]bool{}
		for i := range 30 {
			create(t, alice, fmt.Sprintf("cloudreve://my/big/dir%02d", i), "folder")
			want[fmt.Sprintf("dir%02d", i)] = true
		}
		for i := range 45 {
			create(t, alice, fmt.Sprintf("cloudreve://my/big/file%02d.txt", i), "file")
			want[fmt.Sprintf("file%02d.txt", i)] = true
		}
		for _, order := range []string{"name", "size", "updated_at", "created_at", ""} {
			for _, dir := range []string{"asc", "desc"} {
				seen := map[string]bool{}
				var all []fileObj
				token := ""
				for pages := 0; ; pages++ {
					if pages > 20 {
						t.Fatal("pagination does not end")
					}
					l := list(t, alice, "cloudreve://my/big", "&page_size=7&order_by="+order+"&order_direction="+dir+"&next_page_token="+url.QueryEscape(token))
					for _, f := range l.Files {
						if seen[f.Name] {
							t.Fatalf("%s %s: %s listed twice", order, dir, f.Name)
						}
						seen[f.Name] = true
					}
					all = append(all, l.Files...)
					if l.Pagination.NextToken == "" {
						break
					}
					token = l.Pagination.NextToken
				}
				if len(seen) != len(want) {
					t.Errorf("%s %s: listed %d of %d", order, dir, len(seen), len(want))
				}
				// Folders first, then files.
				for i := 1; i < len(all); i++ {
					if all[i-1].Type == 0 && all[i].Type == 1 {
						t.Fatalf("%s %s: folder after file at %d", order, dir, i)
					}
				}
				if order == "name" {
					got := names(all[:30])
					if !sort.SliceIsSorted(got, func(i, j int) bool { return (got[i] < got[j]) == (dir == "asc") }) {
						t.Errorf("name %s not sorted: %v", dir, got)
					}
				}
			}
		}
		alice.ExpectCode(t, 40001, "GET", "/file?uri="+url.QueryEscape("cloudreve://my/big")+"&next_page_token=garbage", nil)
	})
}
