package e2e

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/testenv"
)

type davAccountObj struct {
	ID        string `json:"id"`
	CreatedAt string `json:"created_at"`
	Name      string `json:"name"`
	URI       string `json:"uri"`
	Password  string `json:"password"`
	Options   string `json:"options"`
}

type davAccountList struct {
	Accounts   []davAccountObj `json:"accounts"`
	Pagination struct {
		Page      int    `json:"page"`
		PageSize  int    `json:"page_size"`
		NextToken string `json:"next_token"`
		IsCursor  bool   `json:"is_cursor"`
	} `json:"pagination"`
}

var davPassword = regexp.MustCompile(`^[0-9a-z]{32}$`)

func createDavAccount(t *testing.T, c *testenv.Client, body map[string]any) davAccountObj {
	t.Helper()
	var a davAccountObj
	c.OK(t, "PUT", "/devices/dav", body).Decode(t, &a)
	return a
}

func listDavAccounts(t *testing.T, c *testenv.Client, size int, token string) davAccountList {
	t.Helper()
	var l davAccountList
	c.OK(t, "GET", fmt.Sprintf("/devices/dav?page_size=%d&next_page_token=%s", size, url.QueryEscape(token)), nil).
		Decode(t, &l)
	return l
}

func TestDavAccounts(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		anon := env.Client()
		admin, _ := anon.NewUser(t, "root@example.com") // the first account is the administrator
		alice, _ := anon.NewUser(t, "alice@example.com")

		anon.ExpectCode(t, 401, "GET", "/devices/dav?page_size=10", nil)
		anon.ExpectCode(t, 401, "PUT", "/devices/dav", map[string]any{"uri": "cloudreve://my", "name": "x"})

		// The default user group lacks WebDAV (bit 3).
		alice.ExpectCode(t, 40007, "PUT", "/devices/dav", map[string]any{"uri": "cloudreve://my", "name": "x"})

		// Create: the administrators' group has WebDAV and proxy (bit 6).
		a := createDavAccount(t, admin, map[string]any{"uri": "cloudreve://my/Docs", "name": "laptop",
			"readonly": true, "proxy": true})
		if a.ID == "" || a.Name != "laptop" || a.URI != "cloudreve://my/Docs" || !davPassword.MatchString(a.Password) ||
			a.Options != "Aw==" || a.CreatedAt == "" {
			t.Fatalf("created %+v", a)
		}
		b := createDavAccount(t, admin, map[string]any{"uri": "cloudreve://my", "name": "phone",
			"disable_sys_files": true})
		if b.Password == a.Password || b.Options != "BA==" {
			t.Fatalf("second account %+v (first %+v)", b, a)
		}

		// Validation.
		for _, body := range []map[string]any{
			{"uri": "not a uri", "name": "x"},
			{"uri": "cloudreve://trash", "name": "x"},
			{"uri": "cloudreve://shared_with_me", "name": "x"},
			{"uri": "cloudreve://my?name=a", "name": "x"},
			{"uri": "cloudreve://my", "name": ""},
			{"uri": "", "name": "x"},
			{"uri": "cloudreve://my", "name": strings.Repeat("n", 256)},
		} {
			admin.ExpectCode(t, 40001, "PUT", "/devices/dav", body)
		}
		for _, size := range []string{"", "9", "101", "x"} {
			admin.ExpectCode(t, 40001, "GET", "/devices/dav?page_size="+size, nil)
		}
		admin.ExpectCode(t, 40001, "GET", "/devices/dav?page_size=10&next_page_token=garbage", nil)

		// Edit replaces name, URI and options and keeps the password.
		var e davAccountObj
		admin.OK(t, "PATCH", "/devices/dav/"+a.ID, map[string]any{"uri": "cloudreve://my/Other", "name": "renamed"}).
			Decode(t, &e)
		if e.ID != a.ID || e.Name != "renamed" || e.URI != "cloudreve://my/Other" || e.Password != a.Password ||
			e.Options != "" {
			t.Fatalf("edited %+v (was %+v)", e, a)
		}
		admin.ExpectCode(t, 40001, "PATCH", "/devices/dav/"+a.ID, map[string]any{"uri": "cloudreve://trash", "name": "x"})

		// Another user sees none of it; their group gains WebDAV but not proxy.
		setGroupPermission(t, env, drive.UserGroupID, int(drive.PermWebDAV), true)
		if l := listDavAccounts(t, alice, 10, ""); len(l.Accounts) != 0 || l.Pagination.NextToken != "" {
			t.Fatalf("alice lists %+v", l)
		}
		alice.ExpectCode(t, 404, "PATCH", "/devices/dav/"+a.ID, map[string]any{"uri": "cloudreve://my", "name": "mine"})
		alice.ExpectCode(t, 404, "DELETE", "/devices/dav/"+a.ID, nil)
		c := createDavAccount(t, alice, map[string]any{"uri": "cloudreve://my", "name": "alice", "readonly": true,
			"proxy": true})
		if c.Options != "AQ==" {
			t.Fatalf("proxy kept without bit 6: %+v", c)
		}
		admin.ExpectCode(t, 404, "DELETE", "/devices/dav/"+c.ID, nil)

		// Pages newest first, without duplicates.
		want := []string{b.ID, a.ID}
		for i := range 21 {
			n := createDavAccount(t, admin, map[string]any{"uri": "cloudreve://my", "name": fmt.Sprintf("n%d", i)})
			want = append([]string{n.ID}, want...)
		}
		var got []string
		token, pages := "", 0
		for {
			l := listDavAccounts(t, admin, 10, token)
			pages++
			if !l.Pagination.IsCursor || l.Pagination.PageSize != 10 || l.Pagination.Page != 0 {
				t.Fatalf("pagination %+v", l.Pagination)
			}
			for _, acc := range l.Accounts {
				got = append(got, acc.ID)
			}
			if token = l.Pagination.NextToken; token == "" {
				break
			}
		}
		if pages != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%d pages: %v, want %v", pages, got, want)
		}

		// Delete.
		admin.OK(t, "DELETE", "/devices/dav/"+a.ID, nil)
		admin.ExpectCode(t, 404, "DELETE", "/devices/dav/"+a.ID, nil)
		admin.ExpectCode(t, 404, "PATCH", "/devices/dav/"+a.ID, map[string]any{"uri": "cloudreve://my", "name": "x"})
		admin.ExpectCode(t, 40001, "DELETE", "/devices/dav/not-an-id", nil)
		if l := listDavAccounts(t, admin, 100, ""); len(l.Accounts) != 22 {
			t.Fatalf("after delete %d accounts", len(l.Accounts))
		}
	})
}

// TestDavAccountForeignRoot: a WebDAV account's root must be the owner's
// own files (or a share); another user's my URI is refused at creation and
// at edit, even for an administrator.
func TestDavAccountForeignRoot(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, al := env.Client().NewUser(t, "root@example.com") // administrators have WebDAV
		_, bl := env.Client().NewUser(t, "bob@example.com")
		bobRoot := fmt.Sprintf("cloudreve://%s@my/docs", bl.User["id"])
		admin.ExpectCode(t, 40001, "PUT", "/devices/dav", map[string]any{"uri": bobRoot, "name": "bob's"})
		own := createDavAccount(t, admin, map[string]any{"uri": fmt.Sprintf("cloudreve://%s@my", al.User["id"]), "name": "mine"})
		admin.ExpectCode(t, 40001, "PATCH", "/devices/dav/"+own.ID, map[string]any{"uri": bobRoot, "name": "mine"})
	})
}
