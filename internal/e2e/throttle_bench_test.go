package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// BenchmarkSignInGuesses measures how many wrong passwords for one account
// the server evaluates per minute from one address, with eight guessers at
// once for five seconds and the production limits. It reports
// the guesses evaluated in those five seconds (answers 40080; a 429 is not
// an evaluation): with a one-minute window, also the count for the minute
// once the limit is reached.
func BenchmarkSignInGuesses(b *testing.B) {
	env := testenv.Start(b, testenv.Options{})
	email := "target-" + randomHex(4) + "@example.com"
	env.Client().SignUp(b, email, "right password 1")
	body, _ := json.Marshal(map[string]string{"email": email, "password": "wrong guess"})
	for b.Loop() {
		var evaluated, refused atomic.Int64
		const span = 5 * time.Second
		stop := time.Now().Add(span)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for time.Now().Before(stop) {
					resp, err := http.Post(env.URL+"/api/v4/session/token", "application/json", bytes.NewReader(body))
					if err != nil {
						b.Error(err)
						return
					}
					var e testenv.Envelope
					_ = json.NewDecoder(resp.Body).Decode(&e)
					resp.Body.Close()
					switch e.Code {
					case 40080:
						evaluated.Add(1)
					case 429:
						refused.Add(1)
					}
				}
			})
		}
		wg.Wait()
		b.ReportMetric(float64(evaluated.Load()), "evaluated/5s")
		b.ReportMetric(float64(refused.Load()), "refused/5s")
	}
}

// BenchmarkSignInBurst releases 100 simultaneous wrong guesses for one
// account from one address (production limits) and reports how many were
// evaluated.
func BenchmarkSignInBurst(b *testing.B) {
	env := testenv.Start(b, testenv.Options{})
	for b.Loop() {
		email := "burst-" + randomHex(4) + "@example.com"
		env.Client().SignUp(b, email, "right password 1")
		body, _ := json.Marshal(map[string]string{"email": email, "password": "wrong guess"})
		var evaluated atomic.Int64
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range 100 {
			wg.Go(func() {
				<-start
				resp, err := http.Post(env.URL+"/api/v4/session/token", "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				var e testenv.Envelope
				_ = json.NewDecoder(resp.Body).Decode(&e)
				resp.Body.Close()
				if e.Code == 40080 {
					evaluated.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		b.ReportMetric(float64(evaluated.Load()), "evaluated/100")
	}
}

// BenchmarkSharePasswordGuesses measures wrong share passwords evaluated
// through the share listing from one address: eight guessers for five
// seconds against a password-protected share.
func BenchmarkSharePasswordGuesses(b *testing.B) {
	env := testenv.Start(b, testenv.Options{})
	alice, _ := env.Client().NewUser(b, "sharer-"+randomHex(4)+"@example.com")
	alice.OK(b, "POST", "/file/create", map[string]any{"uri": "cloudreve://my/Docs", "type": "folder"})
	alice.OK(b, "PUT", "/share", map[string]any{"uri": "cloudreve://my/Docs", "is_private": true, "password": "k3m9z0"})
	var shares struct {
		Shares []struct{ ID string } `json:"shares"`
	}
	alice.OK(b, "GET", "/share?page_size=10", nil).Decode(b, &shares)
	if len(shares.Shares) != 1 {
		b.Fatalf("shares %+v", shares)
	}
	u := env.URL + "/api/v4/file?uri=" + url.QueryEscape("cloudreve://"+shares.Shares[0].ID+":000000@share")
	for b.Loop() {
		var evaluated, refused atomic.Int64
		const span = 5 * time.Second
		stop := time.Now().Add(span)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for time.Now().Before(stop) {
					resp, err := http.Get(u)
					if err != nil {
						b.Error(err)
						return
					}
					var e testenv.Envelope
					_ = json.NewDecoder(resp.Body).Decode(&e)
					resp.Body.Close()
					switch e.Code {
					case 40069:
						evaluated.Add(1)
					case 429:
						refused.Add(1)
					}
				}
			})
		}
		wg.Wait()
		b.ReportMetric(float64(evaluated.Load()), "evaluated/5s")
		b.ReportMetric(float64(refused.Load()), "refused/5s")
	}
}
