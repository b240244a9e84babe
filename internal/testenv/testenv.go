// Package testenv starts a complete Stratus server on loopback for tests,
// on a chosen database and cache, and gives tests a typed API client.
package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/server"
	"github.com/stratus-drive/stratus/internal/store/storetest"
	"github.com/stratus-drive/stratus/internal/testenv/clock"
	"github.com/stratus-drive/stratus/internal/testenv/services"
)

// Dialects are the databases every end-to-end test runs against.
var Dialects = []string{"sqlite", "postgres", "mysql"}

// Options choose what a test server runs on.
type Options struct {
	Dialect  string           // sqlite (default), postgres or mysql
	Database *config.Database // reuse an existing database (second process on one site)
	DataDir  string           // reuse a data directory; default a fresh temp dir
	Redis    bool             // use the real Redis instead of the in-memory KV
	Environ  []string         // CR_SETTING_* overrides
	Limits   account.Limits   // sign-in throttles; zero = production defaults
	// Configure, when set, edits the configuration before the server starts
	// (a proxy header, say).
	Configure func(*config.Config)
	// SlowClients bound slow bodies and idle or anonymous connections; zero
	// = production defaults. Serve uses the per-address cap.
	SlowClients server.SlowClients
	// Clock, when set, is the server's clock for token expiry and the
	// filesystem: tests advance it instead of sleeping.
	Clock *clock.Fake
}

// Env is a running server.
type Env struct {
	URL      string
	Config   config.Config
	Server   *server.Server
	Database config.Database
	http     *httptest.Server
}

// Start runs a server for the test and stops it at cleanup.
func Start(t testing.TB, opt Options) *Env {
	t.Helper()
	cfg := config.Default()
	cfg.System.DataDir = opt.DataDir
	if cfg.System.DataDir == "" {
		cfg.System.DataDir = t.TempDir()
	}
	if opt.Database != nil {
		cfg.Database = *opt.Database
	} else if opt.Dialect != "" && opt.Dialect != "sqlite" {
		cfg.Database = storetest.NewDatabase(t, opt.Dialect)
	}
	if opt.Redis {
		cfg.Redis.Server = services.RedisAddr()
	}
	if opt.Configure != nil {
		opt.Configure(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("STRATUS_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	// The listener comes first, so that the site URL (links are built from
	// it, never from the request's Host) can be the test server's own.
	hs := httptest.NewUnstartedServer(nil)
	environ := append([]string{"CR_SETTING_DEFAULT_siteURL=http://" + hs.Listener.Addr().String()}, opt.Environ...)
	var now func() time.Time
	if opt.Clock != nil {
		now = opt.Clock.Now
	}
	srv, err := server.New(context.Background(), cfg, log, server.Options{Environ: environ, Limits: opt.Limits,
		SlowClients: opt.SlowClients, Now: now})
	if err != nil {
		hs.Close()
		if opt.Redis {
			services.Unavailable(t, services.Redis, err)
		}
		t.Fatalf("starting server: %v", err)
	}
	hs.Config.Handler = srv.Handler()
	hs.Start()
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	return &Env{URL: hs.URL, Config: cfg, Server: srv, Database: cfg.Database, http: hs}
}

// Serve runs the server's own HTTP server (its timeouts, body deadlines and
// connection caps, which the httptest server behind URL lacks) on a fresh
// loopback listener until the test ends, and returns its address.
func (e *Env) Serve(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Server.Serve(ctx, ln, "http") }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// EachDialect runs fn once per database, each with a fresh server.
func EachDialect(t *testing.T, opt Options, fn func(t *testing.T, env *Env)) {
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			o := opt
			o.Dialect = d
			fn(t, Start(t, o))
		})
	}
}

// Envelope is a decoded API response.
type Envelope struct {
	Code            int                        `json:"code"`
	Data            json.RawMessage            `json:"data"`
	Msg             string                     `json:"msg"`
	CorrelationID   string                     `json:"correlation_id"`
	AggregatedError map[string]json.RawMessage `json:"aggregated_error"`
	Status          int                        `json:"-"`
	Header          http.Header                `json:"-"`
}

// Decode unmarshals Data into v, failing the test on error.
func (e *Envelope) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(e.Data, v); err != nil {
		t.Fatalf("decoding data %s: %v", e.Data, err)
	}
}

// Client calls the API, optionally as a signed-in user.
type Client struct {
	env   *Env
	Token string // access token sent as Bearer, if set
}

// Client returns an anonymous client.
func (e *Env) Client() *Client { return &Client{env: e} }

// Raw sends a request with a raw body and returns the HTTP response.
func (c *Client) Raw(t testing.TB, method, path string, body io.Reader, header http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, c.env.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if c.Token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp
}

// Do sends body (JSON-encoded unless it is a []byte or string) to
// /api/v4+path and decodes the envelope.
func (c *Client) Do(t testing.TB, method, path string, body any) *Envelope {
	t.Helper()
	var rd io.Reader
	hdr := http.Header{}
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
		hdr.Set("Content-Type", "application/json")
	case string:
		rd = bytes.NewReader([]byte(b))
		hdr.Set("Content-Type", "application/json")
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
		hdr.Set("Content-Type", "application/json")
	}
	resp := c.Raw(t, method, "/api/v4"+path, rd, hdr)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	env := &Envelope{Status: resp.StatusCode, Header: resp.Header}
	if err := json.Unmarshal(raw, env); err != nil {
		t.Fatalf("%s %s: status %d, body %q is not an envelope: %v", method, path, resp.StatusCode, raw, err)
	}
	return env
}

// OK sends a request and fails the test unless the envelope code is 0.
func (c *Client) OK(t testing.TB, method, path string, body any) *Envelope {
	t.Helper()
	env := c.Do(t, method, path, body)
	if env.Code != 0 {
		t.Fatalf("%s %s: code %d msg %q", method, path, env.Code, env.Msg)
	}
	return env
}

// ExpectCode sends a request and fails the test unless the code is want.
func (c *Client) ExpectCode(t testing.TB, want int, method, path string, body any) *Envelope {
	t.Helper()
	env := c.Do(t, method, path, body)
	if env.Code != want {
		t.Fatalf("%s %s: code %d (msg %q), want %d", method, path, env.Code, env.Msg, want)
	}
	return env
}

// Tokens is the token pair of a sign-in.
type Tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// Login is the data of a successful sign-in.
type Login struct {
	User  map[string]any `json:"user"`
	Token Tokens         `json:"token"`
}

// SignUp registers an account.
func (c *Client) SignUp(t testing.TB, email, password string) map[string]any {
	t.Helper()
	var u map[string]any
	c.OK(t, "POST", "/user", map[string]string{"email": email, "password": password}).Decode(t, &u)
	return u
}

// SignIn signs in and returns a client carrying the access token.
func (c *Client) SignIn(t testing.TB, email, password string) (*Client, Login) {
	t.Helper()
	var l Login
	c.OK(t, "POST", "/session/token", map[string]string{"email": email, "password": password}).Decode(t, &l)
	return &Client{env: c.env, Token: l.Token.AccessToken}, l
}

// NewUser signs up and signs in a fresh account.
func (c *Client) NewUser(t testing.TB, email string) (*Client, Login) {
	t.Helper()
	const pw = "correct horse battery"
	c.SignUp(t, email, pw)
	return c.SignIn(t, email, pw)
}
