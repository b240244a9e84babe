package account

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

// Service-level tests of accounts on real SQLite with a test clock.

func TestSignUpRules(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := h.s.SignUp(h.ctx, "taken@example.com", "password 1", "en-US", CaptchaAnswer{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, email, password string
		settings              map[string]string
		want                  error // nil: signed up; errAny: any error
	}{
		{"fine", "new@example.com", "password 1", nil, nil},
		{"taken", "taken@example.com", "password 1", nil, ErrEmailExists},
		{"taken in other case", "TAKEN@Example.com", "password 1", nil, ErrEmailExists},
		{"not an address", "nobody", "password 1", nil, errAny},
		{"short password", "short@example.com", "12345", nil, errAny},
		{"long password", "long@example.com", strings.Repeat("x", 129), nil, errAny},
		{"registration off", "off@example.com", "password 1", map[string]string{"register_enabled": "0"},
			ErrRegisterDisabled},
		{"domain on the deny list", "a@spam.example", "password 1",
			map[string]string{"mail_domain_filter": "2", "mail_domain_filter_list": "spam.example"}, ErrEmailDomainBanned},
		{"domain not on the allow list", "a@other.example", "password 1",
			map[string]string{"mail_domain_filter": "1", "mail_domain_filter_list": "example.com"}, ErrEmailDomainBanned},
		{"domain on the allow list", "a@example.com", "password 1",
			map[string]string{"mail_domain_filter": "1", "mail_domain_filter_list": "example.com"}, nil},
	} {
		reset := map[string]string{"register_enabled": "1", "mail_domain_filter": "0", "mail_domain_filter_list": ""}
		for k, v := range c.settings {
			reset[k] = v
		}
		if err := h.s.settings.Set(h.ctx, reset); err != nil {
			t.Fatal(err)
		}
		res, err := h.s.SignUp(h.ctx, c.email, c.password, "en-US", CaptchaAnswer{})
		switch {
		case c.want == nil && (err != nil || res.User == nil):
			t.Errorf("%s: %v", c.name, err)
		case c.want == errAny && err == nil, c.want != nil && c.want != errAny && !errors.Is(err, c.want):
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

var errAny = errors.New("any error")

// TestSessionScript: sign in, use the access token until it expires on the
// clock, refresh, and lose every refresh token with a password change.
func TestSessionScript(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := h.s.SignUp(h.ctx, "alice@example.com", "password 1", "en-US", CaptchaAnswer{}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.SignIn(h.ctx, "192.0.2.1", "alice@example.com", "wrong", CaptchaAnswer{}); !errors.Is(err,
		ErrInvalidCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	res, err := h.s.SignIn(h.ctx, "192.0.2.1", "ALICE@example.com", "password 1", CaptchaAnswer{})
	if err != nil || res.Login == nil {
		t.Fatalf("sign in: %+v %v", res, err)
	}
	pair := res.Login.Token
	actor, err := h.s.ResolveActor(h.ctx, pair.AccessToken)
	if err != nil || actor.User.Email != "alice@example.com" || actor.Group() == nil {
		t.Fatalf("resolve: %+v %v", actor, err)
	}

	h.clock.Advance(h.s.settings.Seconds("access_token_ttl") + time.Second)
	if _, err := h.s.ResolveActor(h.ctx, pair.AccessToken); err == nil {
		t.Fatal("an expired access token still resolves")
	}
	next, err := h.s.Refresh(h.ctx, pair.RefreshToken)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if _, err := h.s.ResolveActor(h.ctx, next.AccessToken); err != nil {
		t.Fatalf("the refreshed token: %v", err)
	}

	cur, nw := "password 1", "password 2"
	if err := h.s.UpdateSettings(h.ctx, actor, SettingsPatch{CurrentPassword: &cur, NewPassword: &nw}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.Refresh(h.ctx, next.RefreshToken); err == nil {
		t.Error("a refresh token outlived the password change")
	}
	if _, err := h.s.SignIn(h.ctx, "192.0.2.1", "alice@example.com", "password 2", CaptchaAnswer{}); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
}

// TestBannedAccount: a banned account cannot sign in, and its tokens stop
// resolving at once.
func TestBannedAccount(t *testing.T) {
	h := newHarness(t, nil)
	h.user("alice@example.com", "password 1")
	res, err := h.s.SignIn(h.ctx, "192.0.2.1", "alice@example.com", "password 1", CaptchaAnswer{})
	if err != nil {
		t.Fatal(err)
	}
	u, err := h.db.UserByEmail(h.ctx, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.db.SetUserStatus(h.ctx, u.ID, drive.StatusManualBanned); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.ResolveActor(h.ctx, res.Login.Token.AccessToken); !errors.Is(err, ErrUserBanned) {
		t.Errorf("a banned user's token: %v", err)
	}
	if _, err := h.s.SignIn(h.ctx, "192.0.2.1", "alice@example.com", "password 1", CaptchaAnswer{}); !errors.Is(err,
		ErrUserBanned) {
		t.Errorf("a banned user signs in: %v", err)
	}
}

func TestUpdateSettingsRules(t *testing.T) {
	h := newHarness(t, nil)
	actor := h.user("alice@example.com", "password 1")
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	for _, c := range []struct {
		name string
		p    SettingsPatch
		ok   bool
	}{
		{"nick", SettingsPatch{Nick: str("  Alice  ")}, true},
		{"empty nick", SettingsPatch{Nick: str("   ")}, false},
		{"long nick", SettingsPatch{Nick: str(strings.Repeat("n", 101))}, false},
		{"nick with a control", SettingsPatch{Nick: str("a\x07b")}, false},
		{"nick with a bidi override", SettingsPatch{Nick: str("a\u202eb")}, false},
		{"language", SettingsPatch{Language: str("de-DE")}, true},
		{"empty language", SettingsPatch{Language: str("")}, false},
		{"theme", SettingsPatch{PreferredTheme: str("#3f51b5")}, true},
		{"theme not a color", SettingsPatch{PreferredTheme: str("blue; x")}, false},
		{"retention max", SettingsPatch{VersionRetentionMax: num(5)}, true},
		{"negative retention max", SettingsPatch{VersionRetentionMax: num(-1)}, false},
		{"too many retention extensions", SettingsPatch{VersionRetentionExt: &[]string{}}, true},
		{"profile shares", SettingsPatch{ShareLinksInProfile: str("hide_share")}, true},
		{"unknown profile shares", SettingsPatch{ShareLinksInProfile: str("some")}, false},
		{"password without the current one", SettingsPatch{CurrentPassword: str("wrong"), NewPassword: str("password 2")},
			false},
	} {
		err := h.s.UpdateSettings(h.ctx, actor, c.p)
		if c.ok != (err == nil) || !c.ok && errs.KindOf(err) == errs.Internal {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	st := h.settingsOf(actor.User.ID)
	u, _ := h.db.UserByID(h.ctx, actor.User.ID)
	if u.Nick != "Alice" || st.Language != "de-DE" || st.PreferredTheme != "#3f51b5" || st.VersionRetentionMax != 5 ||
		st.ShareLinksInProfile != "hide_share" {
		t.Errorf("after the patches: nick %q, %+v", u.Nick, st)
	}
}
