package e2e

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/testenv"
	"github.com/stratus-drive/stratus/internal/testenv/services"
)

var (
	activateLink = regexp.MustCompile(`https://drive\.example/session/activate\?\S+`)
	resetLink    = regexp.MustCompile(`https://drive\.example/session/reset\?\S+`)
)

// mailLink returns the query of the link re finds in the newest mail to
// addr, waiting for mail number after+1.
func mailLink(t *testing.T, mp *services.MailServer, addr string, after int, re *regexp.Regexp) url.Values {
	t.Helper()
	m := mp.WaitFor(t, addr, after)
	raw := re.FindString(m.Text)
	if raw == "" {
		t.Fatalf("no link in mail %q", m.Text)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func mailEnviron(mp *services.MailServer) []string {
	return []string{
		"CR_SETTING_email_active=1",
		"CR_SETTING_siteURL=https://drive.example/",
		"CR_SETTING_smtpHost=" + mp.SMTPHost,
		"CR_SETTING_smtpPort=" + strconv.Itoa(mp.SMTPPort),
		"CR_SETTING_fromAdress=no-reply@drive.example",
		// Mailpit listens on loopback, which outgoing connections refuse
		// unless allowed.
		"CR_SETTING_outgoing_allowed_cidrs=" + mp.SMTPHost,
	}
}

func TestActivationAndReset(t *testing.T) {
	mp := services.StartMailpit(t)
	testenv.EachDialect(t, testenv.Options{Environ: mailEnviron(mp)}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		prefix := strings.ToLower(t.Name()[strings.LastIndexByte(t.Name(), '/')+1:])
		alice, bob := prefix+"-alice@example.com", prefix+"-bob@example.com"
		const pw = "s3cret-pass"

		// Sign-up answers 203 and mails a signed link; the account cannot sign in yet.
		c.ExpectCode(t, 203, "POST", "/user", map[string]string{"email": alice, "password": pw})
		q := mailLink(t, mp, alice, 0, activateLink)
		id, sign := q.Get("id"), q.Get("sign")
		if id == "" || sign == "" {
			t.Fatalf("activation link query %v", q)
		}
		c.ExpectCode(t, 40018, "POST", "/session/token", map[string]string{"email": alice, "password": pw})

		// Signing up again re-sends the mail.
		c.ExpectCode(t, 40033, "POST", "/user", map[string]string{"email": alice, "password": pw})
		q2 := mailLink(t, mp, alice, 1, activateLink)
		if q2.Get("id") != id {
			t.Fatalf("re-sent link for %q, want %q", q2.Get("id"), id)
		}

		// The signature covers the user: bob's id with alice's signature fails.
		c.ExpectCode(t, 203, "POST", "/user", map[string]string{"email": bob, "password": pw})
		bobID := mailLink(t, mp, bob, 0, activateLink).Get("id")
		c.ExpectCode(t, 40071, "GET", "/user/activate/"+bobID+"?sign="+url.QueryEscape(sign), nil)
		c.ExpectCode(t, 403, "GET", "/user/activate/"+id, nil)

		var u map[string]any
		c.OK(t, "GET", "/user/activate/"+id+"?sign="+url.QueryEscape(sign), nil).Decode(t, &u)
		if u["id"] != id || u["group"] != nil {
			t.Errorf("activated user %v", u)
		}
		c.ExpectCode(t, 40034, "GET", "/user/activate/"+id+"?sign="+url.QueryEscape(sign), nil)
		_, login := c.SignIn(t, alice, pw)

		// Password reset.
		c.ExpectCode(t, 40021, "POST", "/user/reset", map[string]string{"email": prefix + "-nobody@example.com"})
		c.ExpectCode(t, 40018, "POST", "/user/reset", map[string]string{"email": bob})
		carol := prefix + "-carol@example.com"
		c.ExpectCode(t, 203, "POST", "/user", map[string]string{"email": carol, "password": pw})
		cq := mailLink(t, mp, carol, 0, activateLink)
		st := openStore(t, env.Config.Database, env.Config.System.DataDir)
		cu, err := st.UserByEmail(context.Background(), carol)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetUserStatus(context.Background(), cu.ID, drive.StatusManualBanned); err != nil {
			t.Fatal(err)
		}
		c.ExpectCode(t, 40017, "POST", "/user/reset", map[string]string{"email": carol})
		c.ExpectCode(t, 40034, "GET", "/user/activate/"+cq.Get("id")+"?sign="+url.QueryEscape(cq.Get("sign")), nil)

		before := mp.Count(t, alice)
		c.OK(t, "POST", "/user/reset", map[string]string{"email": alice})
		first := mailLink(t, mp, alice, before, resetLink)
		c.OK(t, "POST", "/user/reset", map[string]string{"email": strings.ToUpper(alice)})
		second := mailLink(t, mp, alice, before+1, resetLink)
		if first.Get("id") != id || len(second.Get("secret")) != 32 || first.Get("secret") == second.Get("secret") {
			t.Fatalf("reset links %v, %v", first, second)
		}
		const newPW = "n3w-pässwort"
		// The replaced secret and a wrong one fail without spending the pending one.
		c.ExpectCode(t, 40030, "PATCH", "/user/reset/"+id, map[string]string{"password": newPW, "secret": first.Get("secret")})
		c.ExpectCode(t, 40030, "PATCH", "/user/reset/"+id, map[string]string{"password": newPW, "secret": strings.Repeat("a", 32)})
		c.ExpectCode(t, 40030, "PATCH", "/user/reset/"+bobID, map[string]string{"password": newPW, "secret": second.Get("secret")})
		c.ExpectCode(t, 40001, "PATCH", "/user/reset/"+id, map[string]string{"password": "short", "secret": second.Get("secret")})
		c.OK(t, "PATCH", "/user/reset/"+id, map[string]string{"password": newPW, "secret": second.Get("secret")}).Decode(t, &u)
		if u["id"] != id || u["group"] != nil {
			t.Errorf("reset user %v", u)
		}
		c.ExpectCode(t, 40030, "PATCH", "/user/reset/"+id, map[string]string{"password": "other-pass", "secret": second.Get("secret")})

		// The new password works, the old one and old refresh tokens do not.
		c.ExpectCode(t, 40080, "POST", "/session/token", map[string]string{"email": alice, "password": pw})
		c.SignIn(t, alice, newPW)
		c.ExpectCode(t, 40020, "POST", "/session/token/refresh", map[string]string{"refresh_token": login.Token.RefreshToken})
	})
}

func TestMailFailureAndCaptcha(t *testing.T) {
	// No SMTP server: the account is created but the mail fails.
	env := testenv.Start(t, testenv.Options{Environ: []string{"CR_SETTING_email_active=1", "CR_SETTING_smtpHost=127.0.0.1", "CR_SETTING_smtpPort=1",
		"CR_SETTING_outgoing_allow_private=1"}})
	c := env.Client()
	c.ExpectCode(t, 40028, "POST", "/user", map[string]string{"email": "a@example.com", "password": "s3cret-pass"})
	c.ExpectCode(t, 40018, "POST", "/session/token", map[string]string{"email": "a@example.com", "password": "s3cret-pass"})
	c.ExpectCode(t, 40028, "POST", "/user", map[string]string{"email": "a@example.com", "password": "s3cret-pass"})

	env = testenv.Start(t, testenv.Options{Environ: []string{"CR_SETTING_forget_captcha=1"}})
	c = env.Client()
	c.SignUp(t, "b@example.com", "s3cret-pass")
	c.ExpectCode(t, 40026, "POST", "/user/reset", map[string]string{"email": "b@example.com"})
}

// TestMailFlood: activation and reset mails are bounded per recipient (5
// per 10 minutes); past it the request answers 429 and sends nothing.
func TestMailFlood(t *testing.T) {
	mp := services.StartMailpit(t)
	env := testenv.Start(t, testenv.Options{Environ: append(mailEnviron(mp), "CR_SETTING_email_active=0")})
	c := env.Client()
	c.SignUp(t, "flooded@example.com", "s3cret-pass")
	for i := range 5 {
		if e := c.Do(t, "POST", "/user/reset", map[string]string{"email": "flooded@example.com"}); e.Code != 0 {
			t.Fatalf("reset mail %d: %d %s", i+1, e.Code, e.Msg)
		}
	}
	c.ExpectCode(t, 429, "POST", "/user/reset", map[string]string{"email": "flooded@example.com"})
}
