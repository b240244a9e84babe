package e2e

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/testenv"
	"github.com/stratus-drive/stratus/internal/testenv/clock"
)

func TestSignUpAndSignIn(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		first := c.SignUp(t, "Admin@Example.com", "s3cret-pass")
		if first["email"] != "admin@example.com" || first["nickname"] != "admin" {
			t.Errorf("first user = %v", first)
		}
		if _, ok := first["group"]; ok {
			t.Error("sign-up response must not load the group")
		}
		second := c.SignUp(t, "bob@example.com", "s3cret-pass")

		admin, login := c.SignIn(t, "ADMIN@example.com", "s3cret-pass")
		g := login.User["group"].(map[string]any)
		// The stored group has the remote-download bit (9) too, but it is
		// not advertised while no workflow route serves it.
		if g["name"] != "Admin" || g["permission"] != "/RgB" {
			t.Errorf("first user's group = %v, want Admin /RgB", g)
		}
		bob, bobLogin := c.SignIn(t, "bob@example.com", "s3cret-pass")
		if g := bobLogin.User["group"].(map[string]any); g["name"] != "User" || g["permission"] != "hAg=" {
			t.Errorf("second user's group = %v", g)
		}

		var me map[string]any
		bob.OK(t, "GET", "/user/me", nil).Decode(t, &me)
		if me["id"] != second["id"] || me["email"] != "bob@example.com" || me["status"] != "active" {
			t.Errorf("me = %v", me)
		}
		admin.OK(t, "GET", "/user/me", nil)

		// Duplicates, whatever the case of the address.
		c.ExpectCode(t, 40032, "POST", "/user", map[string]string{"email": "BOB@example.com", "password": "another-pass"})

		// Wrong password and unknown account fail the same way.
		c.ExpectCode(t, 40080, "POST", "/session/token", map[string]string{"email": "bob@example.com", "password": "wrong-pass"})
		c.ExpectCode(t, 40080, "POST", "/session/token", map[string]string{"email": "nobody@example.com", "password": "wrong-pass"})

		var prep map[string]any
		c.OK(t, "GET", "/session/prepare?email=Bob@example.com", nil).Decode(t, &prep)
		if prep["password_enabled"] != true {
			t.Errorf("prepare = %v", prep)
		}
		c.ExpectCode(t, 404, "GET", "/session/prepare?email=nobody@example.com", nil)
		c.ExpectCode(t, 40001, "GET", "/session/prepare?email=not-an-email", nil)
	})
}

func TestSignUpBadInput(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	c := env.Client()
	c.SignUp(t, "taken@example.com", "s3cret-pass")
	tests := []struct {
		name string
		body any
		code int
	}{
		{"malformed JSON", `{"email": "a@b.c", "password": `, 40001},
		{"not an object", `[1,2,3]`, 40001},
		{"wrong type", `{"email": 42, "password": "s3cret-pass"}`, 40001},
		{"missing email", map[string]string{"password": "s3cret-pass"}, 40001},
		{"missing password", map[string]string{"email": "x@example.com"}, 40001},
		{"empty body", ``, 40001},
		{"bad email", map[string]string{"email": "not an email", "password": "s3cret-pass"}, 40001},
		{"display-name email", map[string]string{"email": "Bob <bob@example.com>", "password": "s3cret-pass"}, 40001},
		{"control char email", map[string]string{"email": "a\x00b@example.com", "password": "s3cret-pass"}, 40001},
		{"overlong email", map[string]string{"email": strings.Repeat("a", 95) + "@example.com", "password": "s3cret-pass"}, 40001},
		{"short password", map[string]string{"email": "x@example.com", "password": "12345"}, 40001},
		{"long password", map[string]string{"email": "x@example.com", "password": strings.Repeat("p", 129)}, 40001},
		{"oversized body", `{"email":"x@example.com","password":"` + strings.Repeat("p", 5<<20) + `"}`, 40001},
		{"duplicate", map[string]string{"email": "TAKEN@example.com", "password": "s3cret-pass"}, 40032},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := c.ExpectCode(t, tt.code, "POST", "/user", tt.body)
			if env.Status != 200 {
				t.Errorf("HTTP status %d, want 200", env.Status)
			}
			if env.Msg == "" {
				t.Error("error without a message")
			}
		})
	}
	// SQL-looking input is data, not code.
	sqlish := "o'brien--@example.com"
	u := c.SignUp(t, sqlish, "s3cret-pass; DROP TABLE users;--")
	if u["email"] != sqlish {
		t.Errorf("email = %v", u["email"])
	}
	c.SignIn(t, sqlish, "s3cret-pass; DROP TABLE users;--")
	// Unicode addresses and nicknames survive.
	uni := "üñí.çødé@例え.jp"
	if u := c.SignUp(t, uni, "s3cret-pass"); u["nickname"] != "üñí.çødé" {
		t.Errorf("unicode nickname = %v", u["nickname"])
	}
}

func TestRegistrationSwitches(t *testing.T) {
	env := testenv.Start(t, testenv.Options{Environ: []string{"CR_SETTING_register_enabled=0"}})
	env.Client().ExpectCode(t, 40019, "POST", "/user", map[string]string{"email": "a@example.com", "password": "s3cret-pass"})

	// email_active: TestActivationAndReset (mail_test.go).
	env = testenv.Start(t, testenv.Options{Environ: []string{"CR_SETTING_mail_domain_filter=1", "CR_SETTING_mail_domain_filter_list=good.org"}})
	c := env.Client()
	c.ExpectCode(t, 40031, "POST", "/user", map[string]string{"email": "a@bad.org", "password": "s3cret-pass"})
	c.SignUp(t, "a@good.org", "s3cret-pass")
}

func TestTokens(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		alice, login := c.NewUser(t, "alice@example.com")
		alice.OK(t, "GET", "/user/me", nil)

		// Refresh rotates: the new pair works. The old refresh token, presented
		// again inside the reuse window (a second tab, a retry), gets a pair
		// of the same family, and both pairs keep working.
		var pair, again testenv.Tokens
		c.OK(t, "POST", "/session/token/refresh", map[string]string{"refresh_token": login.Token.RefreshToken}).Decode(t, &pair)
		if pair.AccessToken == "" || pair.RefreshToken == login.Token.RefreshToken {
			t.Fatalf("refresh returned %+v", pair)
		}
		c.OK(t, "POST", "/session/token/refresh", map[string]string{"refresh_token": login.Token.RefreshToken}).Decode(t, &again)
		for _, p := range []testenv.Tokens{pair, again} {
			tab := *c
			tab.Token = p.AccessToken
			tab.OK(t, "GET", "/user/me", nil)
			c.OK(t, "POST", "/session/token/refresh", map[string]string{"refresh_token": p.RefreshToken})
		}

		// Sign-out revokes the family of a fresh sign-in.
		_, l2 := c.SignIn(t, "alice@example.com", "correct horse battery")
		c.OK(t, "DELETE", "/session/token", map[string]string{"refresh_token": l2.Token.RefreshToken})
		c.ExpectCode(t, 40020, "POST", "/session/token/refresh", map[string]string{"refresh_token": l2.Token.RefreshToken})
		c.ExpectCode(t, 40020, "DELETE", "/session/token", map[string]string{"refresh_token": "garbage"})

		// An access token is not a refresh token and vice versa.
		_, l3 := c.SignIn(t, "alice@example.com", "correct horse battery")
		if e := c.ExpectCode(t, 40020, "POST", "/session/token/refresh", map[string]string{"refresh_token": l3.Token.AccessToken}); e.Msg != "Not a refresh token" {
			t.Errorf("access token at refresh: msg %q", e.Msg)
		}
		wrongType := &testenv.Client{}
		*wrongType = *c
		wrongType.Token = l3.Token.RefreshToken
		if e := wrongType.ExpectCode(t, 40020, "GET", "/user/me", nil); e.Msg != "Not an access token" {
			t.Errorf("refresh token as access token: msg %q", e.Msg)
		}

		// A password change invalidates refresh tokens of that account.
		alice3 := *c
		alice3.Token = l3.Token.AccessToken
		alice3.OK(t, "PATCH", "/user/setting", map[string]string{"current_password": "correct horse battery", "new_password": "new-password-1"})
		c.ExpectCode(t, 40020, "POST", "/session/token/refresh", map[string]string{"refresh_token": l3.Token.RefreshToken})
		c.ExpectCode(t, 40080, "POST", "/session/token", map[string]string{"email": "alice@example.com", "password": "correct horse battery"})
		c.SignIn(t, "alice@example.com", "new-password-1")
	})
}

// TestRefreshReuseAfterWindow: a refresh token presented again after the
// reuse window (0 here, so any reuse is late) is theft: it fails and signs
// the whole family out, the pair its first use got too.
func TestRefreshReuseAfterWindow(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{Environ: []string{"CR_SETTING_refresh_token_reuse_window=0"}}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		_, login := c.NewUser(t, "alice@example.com")
		var pair testenv.Tokens
		c.OK(t, "POST", "/session/token/refresh", map[string]string{"refresh_token": login.Token.RefreshToken}).Decode(t, &pair)
		c.ExpectCode(t, 40020, "POST", "/session/token/refresh", map[string]string{"refresh_token": login.Token.RefreshToken})
		c.ExpectCode(t, 40020, "POST", "/session/token/refresh", map[string]string{"refresh_token": pair.RefreshToken})
	})
}

func TestBadAccessTokens(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	c := env.Client()
	_, login := c.NewUser(t, "eve@example.com")
	parts := strings.Split(login.Token.AccessToken, ".")
	flip := func(s string) string {
		b := []byte(s)
		if b[len(b)/2] == 'A' {
			b[len(b)/2] = 'B'
		} else {
			b[len(b)/2] = 'A'
		}
		return string(b)
	}
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	hs512 := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS512","typ":"JWT"}`))
	tokens := map[string]string{
		"garbage":          "not-a-jwt",
		"tampered header":  flip(parts[0]) + "." + parts[1] + "." + parts[2],
		"tampered payload": parts[0] + "." + flip(parts[1]) + "." + parts[2],
		"tampered sig":     parts[0] + "." + parts[1] + "." + flip(parts[2]),
		"alg none":         noneHeader + "." + parts[1] + ".",
		"alg HS512":        hs512 + "." + parts[1] + "." + parts[2],
		"two parts":        parts[0] + "." + parts[1],
	}
	for name, tok := range tokens {
		t.Run(name, func(t *testing.T) {
			bad := env.Client()
			bad.Token = tok
			bad.ExpectCode(t, 401, "GET", "/user/me", nil)
			// Public routes still answer, as the anonymous user.
			var basic map[string]any
			bad.OK(t, "GET", "/site/config/basic", nil).Decode(t, &basic)
			if basic["user"].(map[string]any)["anonymous"] != true {
				t.Error("bad token on a public route must be anonymous")
			}
		})
	}
	c.ExpectCode(t, 401, "GET", "/user/me", nil)
}

func TestExpiredAccessToken(t *testing.T) {
	now := clock.At(time.Now())
	env := testenv.Start(t, testenv.Options{Environ: []string{"CR_SETTING_access_token_ttl=2"}, Clock: now})
	alice, _ := env.Client().NewUser(t, "late@example.com")
	alice.OK(t, "GET", "/user/me", nil)
	now.Advance(3100 * time.Millisecond)
	alice.ExpectCode(t, 401, "GET", "/user/me", nil)
}

func TestSignInRateLimit(t *testing.T) {
	env := testenv.Start(t, testenv.Options{Limits: account.Limits{PerAccount: 3, PerIP: 6, Window: time.Minute}})
	c := env.Client()
	c.SignUp(t, "target@example.com", "s3cret-pass")
	c.SignUp(t, "other@example.com", "s3cret-pass")
	c.SignUp(t, "third@example.com", "s3cret-pass")
	wrong := map[string]string{"email": "target@example.com", "password": "wrong-pass"}
	for i := 0; i < 3; i++ {
		c.ExpectCode(t, 40080, "POST", "/session/token", wrong)
	}
	// The account is paused even for the right password...
	c.ExpectCode(t, 429, "POST", "/session/token", map[string]string{"email": "target@example.com", "password": "s3cret-pass"})
	// ...but other accounts are not.
	c.SignIn(t, "other@example.com", "s3cret-pass")
	// An address that keeps failing is paused for every account.
	for i := 0; i < 3; i++ {
		c.ExpectCode(t, 40080, "POST", "/session/token", map[string]string{"email": "other@example.com", "password": "bad-pass"})
	}
	c.ExpectCode(t, 429, "POST", "/session/token", map[string]string{"email": "third@example.com", "password": "s3cret-pass"})
}
