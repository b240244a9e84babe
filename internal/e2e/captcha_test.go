package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/testenv"
	"github.com/stratus-drive/stratus/internal/testenv/services"
)

// Keys the server keeps in Redis, with the prefix server.openKV gives them.
// Tests read answers there because the image is made for people.
const (
	redisPrefix   = "stratus:"
	captchaPrefix = redisPrefix + "captcha_"
)

// roomyLimits keep the per-address throttle out of the way: every test on
// this machine signs in from 127.0.0.1 against the same Redis.
var roomyLimits = account.Limits{PerAccount: 10, PerIP: 10000, Window: time.Minute}

func redisAddr() string { return services.RedisAddr() }

// redisClient is a client of the test Redis, closed at cleanup.
func redisClient(t *testing.T) *goredis.Client {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: redisAddr()})
	if err := c.Ping(context.Background()).Err(); err != nil {
		services.Unavailable(t, services.Redis, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// solveCaptcha fetches an image captcha from c and reads its answer from
// Redis, leaving it there for the server to take.
func solveCaptcha(t *testing.T, rdb *goredis.Client, c *testenv.Client) (answer, ticket string) {
	t.Helper()
	var ch struct{ Image, Ticket string }
	c.OK(t, "GET", "/site/captcha", nil).Decode(t, &ch)
	answer, err := rdb.Get(context.Background(), captchaPrefix+ch.Ticket).Result()
	if err != nil {
		t.Fatalf("answer of ticket %q: %v", ch.Ticket, err)
	}
	return answer, ch.Ticket
}

func TestImageCaptcha(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Redis: true, Limits: roomyLimits,
		Environ: []string{"CR_SETTING_login_captcha=1", "CR_SETTING_reg_captcha=1"}})
	rdb := redisClient(t)
	ctx := context.Background()
	c := env.Client()
	email := "img-" + randomHex(4) + "@example.com"
	const pw = "s3cret-pass"
	body := func(captcha, ticket string) map[string]string {
		return map[string]string{"email": email, "password": pw, "captcha": captcha, "ticket": ticket}
	}

	// The answer waits ten minutes.
	answer, ticket := solveCaptcha(t, rdb, c)
	if ttl := rdb.TTL(ctx, captchaPrefix+ticket).Val(); ttl < 9*time.Minute || ttl > 10*time.Minute {
		t.Errorf("answer TTL %v, want 10 min", ttl)
	}
	if len(answer) != 6 {
		t.Errorf("answer %q, want 6 characters (captcha_CaptchaLen)", answer)
	}

	for _, route := range []string{"/user", "/session/token"} {
		t.Run(route, func(t *testing.T) {
			c.ExpectCode(t, 40026, "POST", route, map[string]string{"email": email, "password": pw})
			c.ExpectCode(t, 40026, "POST", route, body("", ""))
			c.ExpectCode(t, 40026, "POST", route, body("123456", "not-a-ticket"))
			c.ExpectCode(t, 40026, "POST", route, body("123456", strings.Repeat("A", 20)))

			// A wrong answer spends the ticket: the right one is then too late.
			answer, ticket := solveCaptcha(t, rdb, c)
			c.ExpectCode(t, 40026, "POST", route, body(answer+"0", ticket))
			if n := rdb.Exists(ctx, captchaPrefix+ticket).Val(); n != 0 {
				t.Error("a wrong answer left the ticket in place")
			}
			c.ExpectCode(t, 40026, "POST", route, body(answer, ticket))

			// The right answer, in any letter case, passes once.
			answer, ticket = solveCaptcha(t, rdb, c)
			c.OK(t, "POST", route, body(strings.ToUpper(answer), ticket))
			c.ExpectCode(t, 40026, "POST", route, body(answer, ticket))
			if n := rdb.Exists(ctx, captchaPrefix+ticket).Val(); n != 0 {
				t.Error("a right answer left the ticket in place")
			}
		})
	}

	// The captcha is checked before the body is validated, so a wrong one
	// masks every other error (20-site-session-user §3).
	for _, route := range []string{"/user", "/session/token"} {
		for name, b := range map[string]any{
			"bad e-mail":     map[string]string{"email": "not-an-email", "password": pw, "captcha": "x", "ticket": "y"},
			"short password": map[string]string{"email": email, "password": "1", "captcha": "x", "ticket": "y"},
			"not JSON":       "{",
		} {
			t.Run(route+" "+name, func(t *testing.T) {
				c.ExpectCode(t, 40026, "POST", route, b)
			})
		}
	}

	// Arithmetic challenges store the result.
	env2 := testenv.Start(t, testenv.Options{Redis: true, Limits: roomyLimits,
		Environ: []string{"CR_SETTING_login_captcha=1", "CR_SETTING_captcha_mode=2"}})
	c2 := env2.Client()
	c2.SignUp(t, email, pw)
	answer, ticket = solveCaptcha(t, rdb, c2)
	if _, err := strconv.Atoi(answer); err != nil {
		t.Errorf("arithmetic answer %q is not a number", answer)
	}
	c2.OK(t, "POST", "/session/token", body(answer, ticket))
}

func TestCaptchaOrder(t *testing.T) {
	t.Parallel()
	// The registration switch comes before the captcha, and before the body.
	env := testenv.Start(t, testenv.Options{Environ: []string{"CR_SETTING_register_enabled=0", "CR_SETTING_reg_captcha=1"}})
	env.Client().ExpectCode(t, 40019, "POST", "/user", map[string]string{"email": "a@example.com", "password": "s3cret-pass"})
	t.Run("before the body", func(t *testing.T) {
		env.Client().ExpectCode(t, 40019, "POST", "/user", "{")
		env.Client().ExpectCode(t, 40019, "POST", "/user", map[string]string{"email": "bad", "password": "1"})
	})
	// Switched off, no captcha fields are needed.
	env = testenv.Start(t, testenv.Options{Environ: []string{"CR_SETTING_login_captcha=0", "CR_SETTING_reg_captcha=0"}})
	c := env.Client()
	c.SignUp(t, "a@example.com", "s3cret-pass")
	c.SignIn(t, "a@example.com", "s3cret-pass")
}

// verifier is a fake siteverify endpoint: the token "good" passes, "bad"
// is rejected, "500" fails the HTTP call and "junk" answers non-JSON.
type verifier struct {
	*httptest.Server
	mu    sync.Mutex
	calls []verifyCall
}

type verifyCall struct {
	Path, ContentType string
	Secret, Response  string
}

func newVerifier(t *testing.T) *verifier {
	v := &verifier{}
	v.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call := verifyCall{Path: r.URL.Path, ContentType: r.Header.Get("Content-Type")}
		raw, _ := io.ReadAll(r.Body)
		if strings.HasPrefix(call.ContentType, "application/json") {
			var b struct{ Secret, Response string }
			json.Unmarshal(raw, &b)
			call.Secret, call.Response = b.Secret, b.Response
		} else {
			form, _ := url.ParseQuery(string(raw))
			call.Secret, call.Response = form.Get("secret"), form.Get("response")
		}
		if r.Method != http.MethodPost {
			call.Path = r.Method + " " + call.Path
		}
		v.mu.Lock()
		v.calls = append(v.calls, call)
		v.mu.Unlock()
		switch call.Response {
		case "good":
			io.WriteString(w, `{"success": true, "challenge_ts": "2024-01-01T00:00:00Z"}`)
		case "500":
			http.Error(w, "oops", http.StatusInternalServerError)
		case "junk":
			io.WriteString(w, "<html>")
		default:
			io.WriteString(w, `{"success": false, "error-codes": ["invalid-input-response"]}`)
		}
	}))
	t.Cleanup(v.Close)
	return v
}

// take returns and forgets the calls so far.
func (v *verifier) take() []verifyCall {
	v.mu.Lock()
	defer v.mu.Unlock()
	c := v.calls
	v.calls = nil
	return c
}

func TestHostedCaptcha(t *testing.T) {
	t.Parallel()
	v := newVerifier(t)
	tests := []struct {
		name    string
		environ []string
		field   string // body field carrying the token
		call    verifyCall
	}{
		{"turnstile", []string{
			"CR_SETTING_captcha_type=turnstile",
			"CR_SETTING_captcha_turnstile_site_secret=ts-secret",
			"CR_SETTING_captcha_turnstile_verify_url=" + v.URL + "/turnstile/v0/siteverify",
		}, "ticket", verifyCall{Path: "/turnstile/v0/siteverify", ContentType: "application/x-www-form-urlencoded", Secret: "ts-secret"}},
		{"recaptcha", []string{
			"CR_SETTING_captcha_type=recaptcha",
			"CR_SETTING_captcha_ReCaptchaSecret=rc-secret",
			"CR_SETTING_captcha_recaptcha_verify_url=" + v.URL + "/recaptcha/api/siteverify",
		}, "captcha", verifyCall{Path: "/recaptcha/api/siteverify", ContentType: "application/x-www-form-urlencoded", Secret: "rc-secret"}},
		{"cap", []string{
			"CR_SETTING_captcha_type=cap",
			"CR_SETTING_captcha_cap_instance_url=" + v.URL + "/cap/",
			"CR_SETTING_captcha_cap_site_key=site-key-1",
			"CR_SETTING_captcha_cap_secret_key=cap-secret",
		}, "ticket", verifyCall{Path: "/cap/site-key-1/siteverify", ContentType: "application/json", Secret: "cap-secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := testenv.Start(t, testenv.Options{Limits: roomyLimits,
				Environ: append([]string{"CR_SETTING_login_captcha=1", "CR_SETTING_reg_captcha=1",
					"CR_SETTING_outgoing_allow_private=1"}, tt.environ...)}) // the verifier is on loopback
			c := env.Client()
			body := func(email, token string) map[string]string {
				b := map[string]string{"email": email, "password": "s3cret-pass"}
				if token != "" {
					b[tt.field] = token
				}
				return b
			}
			var basic map[string]any
			c.OK(t, "GET", "/site/config/basic", nil).Decode(t, &basic)
			if basic["captcha_type"] != tt.name {
				t.Errorf("basic captcha_type = %v", basic["captcha_type"])
			}
			v.take()

			// No token: refused without asking the verifier.
			c.ExpectCode(t, 40026, "POST", "/user", body("a@example.com", ""))
			if calls := v.take(); len(calls) != 0 {
				t.Errorf("verifier asked about an empty token: %+v", calls)
			}
			for _, tok := range []string{"bad", "500", "junk"} {
				c.ExpectCode(t, 40026, "POST", "/user", body("a@example.com", tok))
			}
			if calls := v.take(); len(calls) != 3 {
				t.Errorf("%d verifier calls for 3 rejected tokens", len(calls))
			}

			c.OK(t, "POST", "/user", body("a@example.com", "good"))
			c.ExpectCode(t, 40026, "POST", "/session/token", body("a@example.com", "bad"))
			c.OK(t, "POST", "/session/token", body("a@example.com", "good"))
			calls := v.take()
			if len(calls) != 3 {
				t.Fatalf("verifier calls = %+v, want 3", calls)
			}
			want := tt.call
			for i, resp := range []string{"good", "bad", "good"} {
				want.Response = resp
				if calls[i] != want {
					t.Errorf("verifier call %d = %+v, want %+v", i, calls[i], want)
				}
			}
		})
	}

	// Without the allowance the verifier on loopback is never asked (the
	// outgoing dialer refuses it), so even a good token fails.
	t.Run("loopback refused by default", func(t *testing.T) {
		env := testenv.Start(t, testenv.Options{Environ: []string{
			"CR_SETTING_login_captcha=1", "CR_SETTING_captcha_type=turnstile",
			"CR_SETTING_captcha_turnstile_verify_url=" + v.URL + "/turnstile/v0/siteverify",
		}})
		v.take()
		env.Client().ExpectCode(t, 40026, "POST", "/session/token",
			map[string]string{"email": "a@example.com", "password": "s3cret-pass", "ticket": "good"})
		if calls := v.take(); len(calls) != 0 {
			t.Errorf("a loopback verifier was asked: %+v", calls)
		}
	})

	// A verifier that does not answer in time fails the check rather than
	// holding the sign-in open.
	t.Run("unreachable", func(t *testing.T) {
		env := testenv.Start(t, testenv.Options{Environ: []string{
			"CR_SETTING_login_captcha=1", "CR_SETTING_captcha_type=turnstile", "CR_SETTING_outgoing_allow_private=1",
			"CR_SETTING_captcha_turnstile_verify_url=http://127.0.0.1:1/siteverify",
		}})
		env.Client().ExpectCode(t, 40026, "POST", "/session/token",
			map[string]string{"email": "a@example.com", "password": "s3cret-pass", "ticket": "good"})
	})
}
