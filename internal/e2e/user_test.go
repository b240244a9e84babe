package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/testenv"
)

func TestUserInfoRedaction(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		c.NewUser(t, "root@example.com")
		bob, bobLogin := c.NewUser(t, "bob@example.com")
		id := bobLogin.User["id"].(string)

		var anon map[string]any
		c.OK(t, "GET", "/user/info/"+id, nil).Decode(t, &anon)
		if _, ok := anon["email"]; ok {
			t.Errorf("anonymous requester sees e-mail: %v", anon)
		}
		for _, k := range []string{"status", "language", "pined", "preferred_theme"} {
			if _, ok := anon[k]; ok {
				t.Errorf("redacted user has %q", k)
			}
		}
		if g := anon["group"].(map[string]any); g["permission"] != nil || g["name"] != "User" {
			t.Errorf("redacted group = %v", g)
		}
		var signedIn map[string]any
		bob.OK(t, "GET", "/user/info/"+id, nil).Decode(t, &signedIn)
		if signedIn["email"] != "bob@example.com" {
			t.Errorf("signed-in requester should see e-mail: %v", signedIn)
		}

		c.ExpectCode(t, 40001, "GET", "/user/info/not-a-hashid", nil)
		c.ExpectCode(t, 40001, "GET", "/user/info/J6hB", nil) // a valid hashid of another type, or garbage
		// A well-formed user ID that does not exist.
		var users []map[string]any
		bob.OK(t, "GET", "/user/search?keyword=example", nil).Decode(t, &users)
		if len(users) != 2 {
			t.Fatalf("search found %d users, want 2", len(users))
		}
		bob.ExpectCode(t, 40001, "GET", "/user/search?keyword=x", nil)
		c.ExpectCode(t, 401, "GET", "/user/search?keyword=example", nil)
		bob.OK(t, "GET", "/user/search?keyword=%25%25", nil).Decode(t, &users)
		if len(users) != 0 {
			t.Errorf("LIKE wildcard matched %d users", len(users))
		}
	})
}

func TestCapacityPoliciesGroups(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	c := env.Client()
	admin, _ := c.NewUser(t, "root@example.com")
	user, _ := c.NewUser(t, "user@example.com")

	var capUser, capAdmin struct{ Total, Used int64 }
	user.OK(t, "GET", "/user/capacity", nil).Decode(t, &capUser)
	admin.OK(t, "GET", "/user/capacity", nil).Decode(t, &capAdmin)
	if capUser.Total != 1<<30 || capUser.Used != 0 || capAdmin.Total != 1<<40 {
		t.Errorf("capacity user %+v admin %+v", capUser, capAdmin)
	}
	c.ExpectCode(t, 401, "GET", "/user/capacity", nil)

	var policies []map[string]any
	user.OK(t, "GET", "/user/setting/policies", nil).Decode(t, &policies)
	if len(policies) != 1 || policies[0]["type"] != "local" || policies[0]["name"] != "Default storage policy" {
		t.Errorf("policies = %v", policies)
	}

	var groups []map[string]any
	user.OK(t, "GET", "/group/list", nil).Decode(t, &groups)
	if len(groups) != 2 || groups[0]["name"] != "Admin" || groups[1]["name"] != "User" {
		t.Errorf("groups = %v", groups)
	}
}

func TestPreferences(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		alice, _ := c.NewUser(t, "alice@example.com")

		var prefs map[string]any
		alice.OK(t, "GET", "/user/setting", nil).Decode(t, &prefs)
		if prefs["version_retention_enabled"] != true || prefs["version_retention_max"] != float64(10) ||
			prefs["passwordless"] != false || prefs["two_fa_enabled"] != false {
			t.Errorf("prefs = %v", prefs)
		}

		alice.OK(t, "PATCH", "/user/setting", map[string]any{"nick": "Alice ✨", "language": "de-DE",
			"preferred_theme": "#3f51b5", "share_links_in_profile": "all_share", "disable_view_sync": true})
		var me map[string]any
		alice.OK(t, "GET", "/user/me", nil).Decode(t, &me)
		if me["nickname"] != "Alice ✨" || me["language"] != "de-DE" || me["preferred_theme"] != "#3f51b5" ||
			me["share_links_in_profile"] != "all_share" || me["disable_view_sync"] != true {
			t.Errorf("me after patch = %v", me)
		}

		// A failing part refuses the whole patch: the nickname stays.
		alice.ExpectCode(t, 40069, "PATCH", "/user/setting", map[string]any{"nick": "Mallory",
			"current_password": "wrong", "new_password": "new-password-1"})
		bad := []map[string]any{
			{"nick": ""},
			{"nick": strings.Repeat("n", 101)},
			{"preferred_theme": "javascript:alert(1)"},
			{"share_links_in_profile": "everyone"},
			{"version_retention_max": -1},
			{"two_fa_enabled": true},
			{"nick": 42},
		}
		for _, b := range bad {
			alice.ExpectCode(t, 40001, "PATCH", "/user/setting", b)
		}
		alice.OK(t, "GET", "/user/me", nil).Decode(t, &me)
		if me["nickname"] != "Alice ✨" {
			t.Errorf("failed patch changed nickname to %v", me["nickname"])
		}
	})
}

func TestTwoFactor(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	c := env.Client()
	alice, _ := c.NewUser(t, "alice@example.com")

	// Enabling needs a pending secret and a valid code for it.
	alice.ExpectCode(t, 50005, "PATCH", "/user/setting", map[string]any{"two_fa_enabled": true, "two_fa_code": "123456"})
	var secret string
	alice.OK(t, "GET", "/user/setting/2fa", nil).Decode(t, &secret)
	alice.ExpectCode(t, 40022, "PATCH", "/user/setting", map[string]any{"two_fa_enabled": true, "two_fa_code": "000000"})
	code := totp(t, secret)
	alice.OK(t, "PATCH", "/user/setting", map[string]any{"two_fa_enabled": true, "two_fa_code": code})

	// Sign-in now stops at 203 with a session ID.
	env203 := c.ExpectCode(t, 203, "POST", "/session/token", map[string]string{"email": "alice@example.com", "password": "correct horse battery"})
	var sid string
	env203.Decode(t, &sid)
	c.ExpectCode(t, 40022, "POST", "/session/token/2fa", map[string]string{"otp": "000000", "session_id": sid})
	c.ExpectCode(t, 404, "POST", "/session/token/2fa", map[string]string{"otp": code, "session_id": "no-such-session"})
	var login testenv.Login
	c.OK(t, "POST", "/session/token/2fa", map[string]string{"otp": totp(t, secret), "session_id": sid}).Decode(t, &login)
	if login.Token.AccessToken == "" {
		t.Fatal("no token after 2FA")
	}
	// The session is single-use.
	c.ExpectCode(t, 404, "POST", "/session/token/2fa", map[string]string{"otp": totp(t, secret), "session_id": sid})

	var prefs map[string]any
	alice.OK(t, "GET", "/user/setting", nil).Decode(t, &prefs)
	if prefs["two_fa_enabled"] != true {
		t.Errorf("two_fa_enabled = %v", prefs["two_fa_enabled"])
	}
	alice.OK(t, "PATCH", "/user/setting", map[string]any{"two_fa_enabled": false, "two_fa_code": totp(t, secret)})
	c.SignIn(t, "alice@example.com", "correct horse battery")
}

// totp computes the current RFC 6238 code independently of the server's
// implementation, as an authenticator app would.
func totp(t *testing.T, secret string) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatal(err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(time.Now().Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(sum[off:])&0x7fffffff)%1000000)
}

func TestAvatar(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	c := env.Client()
	alice, login := c.NewUser(t, "alice@example.com")
	id := login.User["id"].(string)

	get := func() *http.Response {
		resp := c.Raw(t, "GET", "/api/v4/user/avatar/"+id, nil, nil)
		resp.Body.Close()
		return resp
	}
	if resp := get(); resp.StatusCode != 404 {
		t.Errorf("no avatar: status %d, want 404", resp.StatusCode)
	}

	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for x := 0; x < 400; x++ {
		img.Set(x, x%300, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	put := func(body []byte, ctype string) *testenv.Envelope {
		resp := alice.Raw(t, "PUT", "/api/v4/user/setting/avatar", bytes.NewReader(body), http.Header{"Content-Type": {ctype}})
		defer resp.Body.Close()
		var e testenv.Envelope
		decodeJSON(t, resp, &e)
		return &e
	}
	if e := put(buf.Bytes(), "image/png"); e.Code != 0 {
		t.Fatalf("upload avatar: %d %s", e.Code, e.Msg)
	}
	resp := c.Raw(t, "GET", "/api/v4/user/avatar/"+id, nil, nil)
	got, err := png.Decode(resp.Body)
	resp.Body.Close()
	if err != nil || got.Bounds().Dx() != 200 || got.Bounds().Dy() != 150 {
		t.Fatalf("served avatar: %v, bounds %v", err, got)
	}
	if resp.Header.Get("Last-Modified") == "" || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "public, max-age=") {
		t.Errorf("avatar headers = %v", resp.Header)
	}

	if e := put([]byte("definitely not an image"), "image/png"); e.Code != 40001 {
		t.Errorf("garbage avatar: code %d", e.Code)
	}
	if e := put(bytes.Repeat([]byte{0}, 4<<20+1), "image/png"); e.Code != 40049 {
		t.Errorf("oversized avatar: code %d", e.Code)
	}
	if e := put(nil, "image/png"); e.Code != 0 {
		t.Errorf("empty avatar (gravatar): code %d", e.Code)
	}
	if resp := get(); resp.StatusCode != 302 || !strings.Contains(resp.Header.Get("Location"), "/avatar/") {
		t.Errorf("gravatar: status %d location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	c.ExpectCode(t, 40001, "GET", "/user/avatar/zzzz", nil)
}
