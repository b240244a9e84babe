package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/config"
	kvredis "github.com/stratus-drive/stratus/internal/kv/redis"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/testenv"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// TestCluster runs two Stratus processes on one PostgreSQL database and one
// Redis, as behind a load balancer, and checks that they behave as one site:
// tokens, sign-outs, captcha tickets, sign-in throttles and settings made on
// one are honoured by the other.
func TestCluster(t *testing.T) {
	t.Parallel()
	limits := account.Limits{PerAccount: 3, PerIP: 10000, Window: time.Minute}
	// No refresh reuse window: a replay on the other process must revoke the
	// family at once (the window itself is tested in session_test.go).
	environ := []string{"CR_SETTING_login_captcha=1", "CR_SETTING_refresh_token_reuse_window=0"}
	a := testenv.Start(t, testenv.Options{Dialect: "postgres", Redis: true, Environ: environ, Limits: limits})
	b := testenv.Start(t, testenv.Options{Database: &a.Database, Redis: true, Environ: environ, Limits: limits})
	rdb := redisClient(t)

	// A third process changes a setting; both servers pick it up through
	// the version key in Redis within their 5 s watch interval. Written
	// first, so that the rest of the test runs while they catch up.
	title := "cluster-" + randomHex(4)
	writeSettings(t, a.Database, map[string]string{"siteName": title})
	written := time.Now()

	// Unique addresses: the Redis (and its throttle counters) is shared
	// with every other test run on this machine.
	suffix := randomHex(4)
	alice, victim := "alice-"+suffix+"@example.com", "victim-"+suffix+"@example.com"
	const pw = "correct horse battery"
	ca, cb := a.Client(), b.Client()
	ca.SignUp(t, alice, pw)
	cb.SignUp(t, victim, pw)
	t.Cleanup(func() {
		ctx := context.Background()
		for _, email := range []string{alice, victim} {
			rdb.Del(ctx, "stratus:"+throttle.Key("signin_acct_addr", email, "127.0.0.1"),
				"stratus:"+throttle.Key("signin_acct", email))
		}
	})

	// Captcha: issued by A, answered on B. The ticket is then spent for
	// both, right answer or not.
	signIn := func(issuer, verifier *testenv.Client, email, password string) *testenv.Envelope {
		t.Helper()
		answer, ticket := solveCaptcha(t, rdb, issuer)
		return verifier.Do(t, "POST", "/session/token",
			map[string]string{"email": email, "password": password, "captcha": answer, "ticket": ticket})
	}
	noCaptcha := map[string]string{"email": alice, "password": pw}
	ca.ExpectCode(t, 40026, "POST", "/session/token", noCaptcha)
	cb.ExpectCode(t, 40026, "POST", "/session/token", noCaptcha)
	answer, ticket := solveCaptcha(t, rdb, ca)
	cb.ExpectCode(t, 40026, "POST", "/session/token",
		map[string]string{"email": alice, "password": pw, "captcha": answer + "x", "ticket": ticket})
	ca.ExpectCode(t, 40026, "POST", "/session/token",
		map[string]string{"email": alice, "password": pw, "captcha": answer, "ticket": ticket})

	e := signIn(ca, cb, alice, pw)
	if e.Code != 0 {
		t.Fatalf("sign-in on B with A's captcha: %d %s", e.Code, e.Msg)
	}
	var login testenv.Login
	e.Decode(t, &login)

	// B's access token works on A, and A's on B.
	onA := a.Client()
	onA.Token = login.Token.AccessToken
	var me map[string]any
	onA.OK(t, "GET", "/user/me", nil).Decode(t, &me)
	if me["email"] != alice {
		t.Errorf("me on A = %v", me)
	}

	// Refresh on A; the spent token is refused on B, the new one works
	// there, and sign-out on A ends the family for B.
	var pair testenv.Tokens
	ca.OK(t, "POST", "/session/token/refresh", map[string]string{"refresh_token": login.Token.RefreshToken}).Decode(t, &pair)
	onB := b.Client()
	onB.Token = pair.AccessToken
	onB.OK(t, "GET", "/user/me", nil)
	var pair2 testenv.Tokens
	cb.OK(t, "POST", "/session/token/refresh", map[string]string{"refresh_token": pair.RefreshToken}).Decode(t, &pair2)
	ca.OK(t, "DELETE", "/session/token", map[string]string{"refresh_token": pair2.RefreshToken})
	cb.ExpectCode(t, 40020, "POST", "/session/token/refresh", map[string]string{"refresh_token": pair2.RefreshToken})

	// A replayed refresh token, spent on A, revokes the family on B.
	e = signIn(cb, ca, alice, pw)
	e.Decode(t, &login)
	ca.OK(t, "POST", "/session/token/refresh", map[string]string{"refresh_token": login.Token.RefreshToken}).Decode(t, &pair)
	cb.ExpectCode(t, 40020, "POST", "/session/token/refresh", map[string]string{"refresh_token": login.Token.RefreshToken})
	ca.ExpectCode(t, 40020, "POST", "/session/token/refresh", map[string]string{"refresh_token": pair.RefreshToken})

	// A password change on B ends refresh on A.
	e = signIn(ca, ca, alice, pw)
	e.Decode(t, &login)
	onB.Token = login.Token.AccessToken
	onB.OK(t, "PATCH", "/user/setting", map[string]string{"current_password": pw, "new_password": "new-password-1"})
	ca.ExpectCode(t, 40020, "POST", "/session/token/refresh", map[string]string{"refresh_token": login.Token.RefreshToken})

	// Failed sign-ins count across processes: A, B, A, then B refuses even
	// the right password.
	for i, c := range []*testenv.Client{ca, cb, ca} {
		if e := signIn(cb, c, victim, "wrong-pass"); e.Code != 40080 {
			t.Fatalf("failed sign-in %d: code %d, want 40080", i+1, e.Code)
		}
	}
	if e := signIn(ca, cb, victim, pw); e.Code != 429 {
		t.Errorf("fourth sign-in on B: code %d, want 429", e.Code)
	}
	if e := signIn(cb, ca, victim, pw); e.Code != 429 {
		t.Errorf("fifth sign-in on A: code %d, want 429", e.Code)
	}

	// Settings: both servers show the new title within the interval.
	for name, c := range map[string]*testenv.Client{"A": ca, "B": cb} {
		deadline := written.Add(7 * time.Second)
		for {
			var basic map[string]any
			c.OK(t, "GET", "/site/config/basic", nil).Decode(t, &basic)
			if basic["title"] == title {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("%s still shows title %v %v after the setting was written", name, basic["title"], time.Since(written))
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// writeSettings changes site settings the way another Stratus process would:
// through its own setting.Service on the same database and Redis.
func writeSettings(t *testing.T, db config.Database, values map[string]string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	kv, err := kvredis.New(ctx, kvredis.Options{Addr: redisAddr(), Prefix: "stratus:"})
	if err != nil {
		t.Fatal(err)
	}
	defer kv.Close()
	s, err := setting.New(ctx, st, kv, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, values); err != nil {
		t.Fatal(err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
