package e2e

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

func TestSite(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()

		var version string
		c.OK(t, "GET", "/site/ping", nil).Decode(t, &version)
		if version == "" || strings.HasSuffix(version, "-pro") {
			t.Errorf("ping = %q", version)
		}

		var basic map[string]any
		resp := c.OK(t, "GET", "/site/config/basic", nil)
		resp.Decode(t, &basic)
		if got := resp.Header.Get("Cache-Control"); got != "private, no-cache" {
			t.Errorf("Cache-Control = %q", got)
		}
		user := basic["user"].(map[string]any)
		if user["anonymous"] != true || user["created_at"] != "0001-01-01T00:00:00Z" || user["nickname"] != "" {
			t.Errorf("anonymous user = %v", user)
		}
		group := user["group"].(map[string]any)
		if group["permission"] != "gg==" || group["name"] != "Anonymous" {
			t.Errorf("anonymous group = %v", group)
		}
		if _, ok := basic["custom_html"]; !ok {
			t.Error("custom_html must always be present")
		}
		for _, k := range []string{"instance_id", "title", "themes", "default_theme", "captcha_type"} {
			if s, _ := basic[k].(string); s == "" {
				t.Errorf("basic.%s missing", k)
			}
		}
		if _, ok := basic["captcha_cap_instance_url"]; ok {
			t.Error("empty fields must be omitted")
		}

		// Unknown sections fall back to basic.
		var other map[string]any
		c.OK(t, "GET", "/site/config/nonsense", nil).Decode(t, &other)
		if other["instance_id"] != basic["instance_id"] {
			t.Errorf("unknown section did not return basic: %v", other)
		}

		var login map[string]any
		c.OK(t, "GET", "/site/config/login", nil).Decode(t, &login)
		if login["register_enabled"] != true || login["authn"] != nil {
			t.Errorf("login = %v", login)
		}
		if _, ok := login["login_captcha"]; ok {
			t.Error("false flags must be omitted")
		}

		var explorer map[string]any
		c.OK(t, "GET", "/site/config/explorer", nil).Decode(t, &explorer)
		if explorer["max_batch_size"] != float64(3000) || explorer["thumbnail_width"] != float64(400) {
			t.Errorf("explorer = %v", explorer)
		}
		if _, ok := explorer["file_viewers"].([]any); !ok {
			t.Errorf("file_viewers must be an array, got %T", explorer["file_viewers"])
		}

		var thumb struct {
			ThumbExts []string `json:"thumb_exts"`
		}
		c.OK(t, "GET", "/site/config/thumb", nil).Decode(t, &thumb)
		if len(thumb.ThumbExts) == 0 || !strings.Contains(strings.Join(thumb.ThumbExts, ","), "png") {
			t.Errorf("thumb_exts = %v", thumb.ThumbExts)
		}

		var emojis, app map[string]any
		c.OK(t, "GET", "/site/config/emojis", nil).Decode(t, &emojis)
		if s, _ := emojis["emoji_preset"].(string); !json.Valid([]byte(s)) {
			t.Errorf("emoji_preset = %v", emojis)
		}
		c.OK(t, "GET", "/site/config/app", nil).Decode(t, &app)
		if app["app_promotion"] != true {
			t.Errorf("app = %v", app)
		}

		var ch struct{ Image, Ticket string }
		c.OK(t, "GET", "/site/captcha", nil).Decode(t, &ch)
		png, ok := strings.CutPrefix(ch.Image, "data:image/png;base64,")
		raw, err := base64.StdEncoding.DecodeString(png)
		if !ok || err != nil || !strings.HasPrefix(string(raw), "\x89PNG") || len(ch.Ticket) != 20 {
			t.Errorf("captcha = ticket %q image %.40q", ch.Ticket, ch.Image)
		}
	})
}

// TestUnknownAPIRoute: an unknown route, or a known path with a method it
// does not take, answers a plain 404 (10-conventions §5), never the
// router's 405.
func TestUnknownAPIRoute(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		alice, _ := c.NewUser(t, "alice@example.com")
		for _, tc := range []struct{ method, path string }{
			{"GET", "/api/v4/no/such/route"},
			{"DELETE", "/api/v4/site/ping"},
			{"POST", "/api/v4/file/info"},
			{"PUT", "/api/v4/file"},
			{"GET", "/api/v4/session/token"},
			{"PATCH", "/api/v4/file/upload"},
		} {
			for _, cl := range []*testenv.Client{c, alice} {
				resp := cl.Raw(t, tc.method, tc.path, nil, nil)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 404 || resp.Header.Get("Allow") != "" {
					t.Errorf("%s %s: %d (Allow %q) %s", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Allow"), body)
				}
			}
		}
		// Known routes still answer, HEAD included where GET is served.
		if resp := c.Raw(t, "HEAD", "/api/v4/site/ping", nil, nil); resp.StatusCode != 200 {
			t.Errorf("HEAD /site/ping: %d", resp.StatusCode)
		}
	})
}
