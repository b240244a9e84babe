package e2e

import (
	"encoding/json"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// TestAdminAccess: every admin route answers 401 without a session and 403
// to a user outside the administrators' group, before looking at the body.
func TestAdminAccess(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, user := adminUsers(t, env)
		anon := env.Client()
		routes := []struct{ method, path string }{
			{"GET", "/admin/summary"}, {"POST", "/admin/settings"}, {"PATCH", "/admin/settings"},
			{"POST", "/admin/group"}, {"GET", "/admin/group/1"}, {"PUT", "/admin/group"}, {"PUT", "/admin/group/2"},
			{"DELETE", "/admin/group/4"}, {"POST", "/admin/user"}, {"GET", "/admin/user/1"}, {"PUT", "/admin/user"},
			{"PUT", "/admin/user/1"}, {"POST", "/admin/user/batch/delete"}, {"POST", "/admin/user/1/calibrate"},
			{"POST", "/admin/file"}, {"GET", "/admin/file/1"}, {"PUT", "/admin/file/1"}, {"GET", "/admin/file/url/1"},
			{"POST", "/admin/file/batch/delete"}, {"POST", "/admin/entity"}, {"GET", "/admin/entity/1"},
			{"GET", "/admin/entity/url/1"}, {"POST", "/admin/entity/batch/delete"}, {"POST", "/admin/share"},
			{"GET", "/admin/share/1"}, {"POST", "/admin/share/batch/delete"}, {"POST", "/admin/policy"},
			{"GET", "/admin/policy/1"}, {"PUT", "/admin/policy"}, {"PUT", "/admin/policy/1"},
			{"DELETE", "/admin/policy/2"}, {"POST", "/admin/node"}, {"GET", "/admin/node/1"}, {"PUT", "/admin/node"},
			{"PUT", "/admin/node/1"}, {"DELETE", "/admin/node/2"}, {"GET", "/admin/tool/wopi?endpoint=http://x"},
			{"POST", "/admin/tool/thumbExecutable"}, {"POST", "/admin/tool/mail"},
			{"DELETE", "/admin/tool/entityUrlCache"}, {"POST", "/admin/audit"},
			{"GET", "/admin/queue/metrics"}, {"POST", "/admin/queue"}, {"GET", "/admin/queue/1"},
			{"POST", "/admin/queue/batch/delete"}, {"POST", "/admin/queue/cleanup"},
			{"POST", "/admin/abuse"}, {"POST", "/admin/abuse/batch/delete"},
		}
		body := map[string]any{"page": 1, "page_size": 10, "keys": []string{"siteName"},
			"settings": map[string]string{"siteName": "x"}, "ids": []int{1}}
		for _, r := range routes {
			anon.ExpectCode(t, 401, r.method, r.path, body)
			user.ExpectCode(t, 403, r.method, r.path, body)
		}
		admin.OK(t, "GET", "/admin/summary", nil)
		// Nothing the refused calls sent was applied.
		var got map[string]string
		admin.OK(t, "POST", "/admin/settings", map[string]any{"keys": []string{"siteName"}}).Decode(t, &got)
		if got["siteName"] == "x" {
			t.Error("a refused PATCH changed siteName")
		}
	})
}

func TestAdminSettings(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, _ := adminUsers(t, env)
		read := func(keys ...string) map[string]string {
			t.Helper()
			var got map[string]string
			admin.OK(t, "POST", "/admin/settings", map[string]any{"keys": keys}).Decode(t, &got)
			return got
		}
		got := read("siteName", "secret_key", "no_such_key", "register_enabled")
		if _, ok := got["secret_key"]; ok {
			t.Error("secret_key was returned")
		}
		if _, ok := got["no_such_key"]; ok || got["siteName"] == "" || got["register_enabled"] != "1" {
			t.Errorf("settings = %v", got)
		}
		admin.ExpectCode(t, 40001, "POST", "/admin/settings", map[string]any{"keys": []string{}})

		// A write applies at once: the site config shows it.
		patch := func(values map[string]string) *testenv.Envelope {
			return admin.Do(t, "PATCH", "/admin/settings", map[string]any{"settings": values})
		}
		e := patch(map[string]string{"siteName": "Renamed", "register_enabled": "false", "unknown_key": "1",
			"siteURL": "https://a.example.com/ , http://b.example.com:8080"})
		if e.Code != 0 {
			t.Fatalf("patch: %d %s", e.Code, e.Msg)
		}
		var echoed map[string]string
		e.Decode(t, &echoed)
		if echoed["register_enabled"] != "0" || echoed["siteURL"] != "https://a.example.com/,http://b.example.com:8080" {
			t.Errorf("echo = %v", echoed)
		}
		if _, ok := echoed["unknown_key"]; ok {
			t.Error("a key without a row was written")
		}
		var site struct {
			Title string `json:"title"`
		}
		env.Client().OK(t, "GET", "/site/config/basic", nil).Decode(t, &site)
		if site.Title != "Renamed" {
			t.Errorf("site title = %q", site.Title)
		}
		env.Client().ExpectCode(t, 40019, "POST", "/user", map[string]string{"email": "new@example.com",
			"password": "correct horse"})

		// Rotating the secret signs everyone out; the value is not echoed.
		e = patch(map[string]string{"secret_key": "chosen"})
		e.Decode(t, &echoed)
		if e.Code != 0 || echoed["secret_key"] != "" {
			t.Errorf("rotate: %d %v", e.Code, echoed)
		}
		admin.ExpectCode(t, 401, "GET", "/admin/summary", nil)
		admin, _ = env.Client().SignIn(t, "admin@example.com", "correct horse battery")

		bad := []map[string]string{
			{"register_enabled": "maybe"},
			{"thumb_width": "-1"},
			{"thumb_encode_quality": "500"},
			{"captcha_type": "puzzle"},
			{"mime_mapping": "[1]"},
			{"custom_nav_items": "{}"},
			{"cron_entity_collect": "sometimes"},
			{"siteURL": "ftp://example.com"},
			{"siteURL": " , "},
			{"hash_id_salt": "x"},
			{"access_token_ttl": "10"},
			{"refresh_token_ttl": "600", "access_token_ttl": "3600"},
			{"login_captcha": "1", "captcha_type": "recaptcha", "captcha_ReCaptchaKey": ""},
			{"default_group": "3"},
			{"default_group": "99"},
		}
		for _, values := range bad {
			e := patch(values)
			if e.Code != 40001 {
				t.Errorf("patch %v: code %d (%s), want 40001", values, e.Code, e.Msg)
			}
		}
		if got := read("siteName", "thumb_width"); got["siteName"] != "Renamed" || got["thumb_width"] != "400" {
			t.Errorf("refused patches changed settings: %v", got)
		}

		// The audit log has the change with its values before and after.
		es := auditOf(t, admin, "settings.update")
		if len(es) != 2 {
			t.Fatalf("audit entries = %d", len(es))
		}
		var before, after map[string]string
		json.Unmarshal(es[1].Before, &before)
		json.Unmarshal(es[1].After, &after)
		if before["siteName"] != "Stratus" || after["siteName"] != "Renamed" || es[1].ActorEmail != "admin@example.com" {
			t.Errorf("audit = %+v %v %v", es[1], before, after)
		}
		if string(es[0].After) != `{"secret_key":"(hidden)"}` {
			t.Errorf("secret in audit: %s", es[0].After)
		}
	})
}

// TestAdminSettingsAcrossProcesses: a setting written through one process
// applies to the very next request on another (one PostgreSQL, one Redis).
func TestAdminSettingsAcrossProcesses(t *testing.T) {
	t.Parallel()
	a := testenv.Start(t, testenv.Options{Dialect: "postgres", Redis: true})
	b := testenv.Start(t, testenv.Options{Database: &a.Database, Redis: true})
	admin, _ := a.Client().NewUser(t, "admin@example.com")
	title := "cross-" + randomHex(4)
	admin.OK(t, "PATCH", "/admin/settings", map[string]any{"settings": map[string]string{"siteName": title}})
	var site struct {
		Title string `json:"title"`
	}
	b.Client().OK(t, "GET", "/site/config/basic", nil).Decode(t, &site)
	if site.Title != title {
		t.Errorf("second process title = %q, want %q", site.Title, title)
	}
}
