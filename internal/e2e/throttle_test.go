package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/testenv"
)

// behindProxy trusts X-Forwarded-For, so that a test can speak from many
// addresses, and from an address no other test on the shared Redis uses.
func behindProxy(c *config.Config) { c.System.ProxyHeader = "X-Forwarded-For" }

// randomAddr is a TEST-NET-2 address unlikely to be used twice.
func randomAddr() string { return fmt.Sprintf("198.51.%d.%d", rand.IntN(256), 1+rand.IntN(254)) }

// postFrom sends a JSON body to /api/v4+path as if from addr (through the
// proxy) and returns the envelope code. It never calls t.Fatal, so bursts
// may use it from their goroutines.
func postFrom(env *testenv.Env, addr, path string, body any) (int, error) {
	raw, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", env.URL+"/api/v4"+path, bytes.NewReader(raw))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var e testenv.Envelope
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		return 0, fmt.Errorf("status %d: %w", resp.StatusCode, err)
	}
	return e.Code, nil
}

// burstCodes releases n requests at once on a barrier and counts the codes.
func burstCodes(t *testing.T, n int, send func(i int) (int, error)) map[int]int {
	t.Helper()
	var (
		start = make(chan struct{})
		wg    sync.WaitGroup
		mu    sync.Mutex
		codes = map[int]int{}
	)
	for i := range n {
		wg.Go(func() {
			<-start
			code, err := send(i)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			codes[code]++
		})
	}
	close(start)
	wg.Wait()
	return codes
}

// TestSignInBurst fires simultaneous wrong guesses at one account: each is
// counted before its password is checked, so exactly the limit of them is
// evaluated, whichever KV store the server uses.
func TestSignInBurst(t *testing.T) {
	limits := account.Limits{PerAccount: 5, PerIP: 8, Window: time.Minute}
	run := func(t *testing.T, env *testenv.Env) {
		email := "burst-" + randomHex(4) + "@example.com"
		const pw = "right password 1"
		env.Client().SignUp(t, email, pw)
		addr := randomAddr()
		codes := burstCodes(t, 40, func(i int) (int, error) {
			return postFrom(env, addr, "/session/token", map[string]string{"email": email, "password": fmt.Sprint("guess-", i)})
		})
		if codes[40080] != limits.PerAccount || codes[429] != 40-limits.PerAccount {
			t.Errorf("40 simultaneous guesses: codes %v; want %d × 40080, the rest 429", codes, limits.PerAccount)
		}
		// Strangers' e-mails from one address: the address bucket decides.
		other := randomAddr()
		codes = burstCodes(t, 40, func(i int) (int, error) {
			return postFrom(env, other, "/session/token",
				map[string]string{"email": fmt.Sprintf("nobody-%d-%s@example.com", i, randomHex(3)), "password": "guess"})
		})
		if codes[40080] != limits.PerIP || codes[429] != 40-limits.PerIP {
			t.Errorf("40 simultaneous unknown e-mails: codes %v; want %d × 40080, the rest 429", codes, limits.PerIP)
		}
	}
	opt := testenv.Options{Limits: limits, Configure: behindProxy}
	t.Run("memory", func(t *testing.T) {
		testenv.EachDialect(t, opt, run)
	})
	t.Run("redis", func(t *testing.T) {
		o := opt
		o.Redis = true
		run(t, testenv.Start(t, o))
	})
}

// TestSignInNoAccountLock: a stranger who knows an e-mail exhausts only
// their own address's bucket for that account; the owner, from elsewhere,
// still signs in. A client cannot dodge its bucket by writing its own
// X-Forwarded-For entry in front of the proxy's.
func TestSignInNoAccountLock(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{Limits: account.Limits{PerAccount: 3, PerIP: 100, Window: time.Minute},
		Configure: behindProxy}, func(t *testing.T, env *testenv.Env) {
		const email, pw = "owner@example.com", "owner password"
		env.Client().SignUp(t, email, pw)
		attacker, owner := randomAddr(), randomAddr()
		for i := range 3 {
			// A fresh made-up first entry each time; the proxy's last one counts.
			spoofed := randomAddr() + ", " + attacker
			if code, err := postFrom(env, spoofed, "/session/token", map[string]string{"email": email, "password": "wrong"}); err != nil || code != 40080 {
				t.Fatalf("guess %d: %d %v; want 40080", i, code, err)
			}
		}
		if code, _ := postFrom(env, randomAddr()+", "+attacker, "/session/token", map[string]string{"email": email, "password": pw}); code != 429 {
			t.Errorf("attacker's address with the right password: %d; want 429", code)
		}
		if code, _ := postFrom(env, owner, "/session/token", map[string]string{"email": email, "password": pw}); code != 0 {
			t.Errorf("owner's address: %d; want 0 (no account lock)", code)
		}
	})
}

// TestSessionGuessesThrottled: a stolen session is no way to guess the
// account's password or a 2FA code: the current password of a password
// change and the code of a 2FA change are counted before they are checked.
func TestSessionGuessesThrottled(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{Limits: account.Limits{PerAccount: 3, PerIP: 100, Window: time.Minute}},
		func(t *testing.T, env *testenv.Env) {
			alice, _ := env.Client().NewUser(t, "stolen@example.com")
			for range 3 {
				alice.ExpectCode(t, 40069, "PATCH", "/user/setting", map[string]any{"current_password": "guess-guess", "new_password": "new-password-1"})
			}
			alice.ExpectCode(t, 429, "PATCH", "/user/setting", map[string]any{"current_password": "correct horse battery", "new_password": "new-password-1"})

			var secret string
			alice.OK(t, "GET", "/user/setting/2fa", nil).Decode(t, &secret)
			for i := range 3 {
				alice.ExpectCode(t, 40022, "PATCH", "/user/setting", map[string]any{"two_fa_enabled": true, "two_fa_code": fmt.Sprintf("%06d", i)})
			}
			alice.ExpectCode(t, 429, "PATCH", "/user/setting", map[string]any{"two_fa_enabled": true, "two_fa_code": "000009"})
		})
}
