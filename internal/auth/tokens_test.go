package auth

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/kv/memory"
)

const (
	accessTTL   = time.Hour
	refreshTTL  = 14 * 24 * time.Hour
	reuseWindow = time.Minute
	userHash    = "lxfJ"
	goodState   = "state-1"
)

// ttlStore records the ttl of every write, so tests can check how long
// revocations and used-token records live.
type ttlStore struct {
	kv.Store
	mu   sync.Mutex
	ttls map[string]time.Duration
}

func (s *ttlStore) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	s.record(key, ttl)
	return s.Store.Set(ctx, key, value, ttl)
}

func (s *ttlStore) SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	s.record(key, ttl)
	return s.Store.SetNX(ctx, key, value, ttl)
}

func (s *ttlStore) record(key string, ttl time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ttls[key] = ttl
}

func (s *ttlStore) ttl(prefix string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.ttls {
		if strings.HasPrefix(k, prefix) {
			return v, true
		}
	}
	return 0, false
}

// failStore fails every call, as a KV server that is down would.
type failStore struct{ kv.Store }

var errDown = errs.E("kv", errs.Unavailable)

func (failStore) Get(context.Context, string) ([]byte, bool, error) { return nil, false, errDown }
func (failStore) Set(context.Context, string, []byte, time.Duration) error {
	return errDown
}

// fixture is a Tokens service on a settable clock and a recording store.
type fixture struct {
	*Tokens
	store *ttlStore
	now   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	mem := memory.New()
	t.Cleanup(func() { mem.Close() })
	f := &fixture{store: &ttlStore{Store: mem, ttls: map[string]time.Duration{}}, now: testNow.Add(123 * time.Millisecond)}
	f.Tokens = NewTokens(f.store, func() []byte { return testKey }, func() time.Time { return f.now })
	return f
}

func (f *fixture) issue(t *testing.T) Pair {
	t.Helper()
	p, err := f.Issue(userHash, goodState, accessTTL, refreshTTL, "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) refresh(token string) (Pair, error) {
	return f.Refresh(context.Background(), token, accessTTL, refreshTTL, reuseWindow, func(sub string) (string, error) {
		if sub != userHash {
			return "", ErrInvalidCredential
		}
		return goodState, nil
	})
}

func TestIssue(t *testing.T) {
	f := newFixture(t)
	p := f.issue(t)
	if want := time.Unix(testNow.Unix()+3600, 0); !p.AccessExpires.Equal(want) {
		t.Errorf("AccessExpires = %v, want %v", p.AccessExpires, want)
	}
	if want := time.Unix(testNow.Add(refreshTTL).Unix(), 0); !p.RefreshExpires.Equal(want) {
		t.Errorf("RefreshExpires = %v, want %v", p.RefreshExpires, want)
	}
	ac, err := f.ParseAccess(p.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if ac.Sub != userHash || ac.TokenType != TypeAccess || ac.StateHash != "" || ac.RootTokenID != "" {
		t.Errorf("access claims = %+v", ac)
	}
	rc, err := ParseJWT(testKey, p.RefreshToken, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if rc.TokenType != TypeRefresh || rc.StateHash != goodState || rc.NotBefore != testNow.Unix() {
		t.Errorf("refresh claims = %+v", rc)
	}
	if id, err := uuid.Parse(rc.RootTokenID); err != nil || id.Version() != 4 {
		t.Errorf("root_token_id %q is not a UUID v4", rc.RootTokenID)
	}
	if _, err := f.ParseAccess(p.RefreshToken); !errors.Is(err, ErrNotAccessToken) || !errs.Is(errs.Unauthenticated, err) {
		t.Errorf("ParseAccess(refresh token) = %v, want ErrNotAccessToken", err)
	}

	kept, err := f.Issue(userHash, goodState, accessTTL, refreshTTL, "family")
	if err != nil {
		t.Fatal(err)
	}
	if rc, _ := ParseJWT(testKey, kept.RefreshToken, f.now); rc.RootTokenID != "family" {
		t.Errorf("root_token_id = %q, want the given one", rc.RootTokenID)
	}

	b, _ := json.Marshal(p)
	for _, k := range []string{`"access_token"`, `"refresh_token"`, `"access_expires"`, `"refresh_expires"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("pair JSON %s lacks %s", b, k)
		}
	}
}

func TestIssueRejectsShortTTL(t *testing.T) {
	f := newFixture(t)
	if _, err := f.Issue(userHash, goodState, time.Second, refreshTTL, ""); !errs.Is(errs.Internal, err) {
		t.Errorf("1 s access TTL: %v, want Internal", err)
	}
	if _, err := f.Issue(userHash, goodState, accessTTL, 0, ""); !errs.Is(errs.Internal, err) {
		t.Errorf("0 refresh TTL: %v, want Internal", err)
	}
}

func TestParseAccessExpired(t *testing.T) {
	f := newFixture(t)
	p := f.issue(t)
	f.now = f.now.Add(accessTTL)
	_, err := f.ParseAccess(p.AccessToken)
	if !errs.Is(errs.Expired, err) || !errors.Is(err, ErrInvalidCredential) {
		t.Errorf("expired access token: %v", err)
	}
}

func TestRefreshRotation(t *testing.T) {
	f := newFixture(t)
	p1 := f.issue(t)
	f.now = f.now.Add(time.Minute)
	p2, err := f.refresh(p1.RefreshToken)
	if err != nil {
		t.Fatalf("first refresh: %v", err)
	}
	c1, _ := ParseJWT(testKey, p1.RefreshToken, f.now)
	c2, _ := ParseJWT(testKey, p2.RefreshToken, f.now)
	if c2.RootTokenID != c1.RootTokenID || c2.NotBefore != f.now.Unix() {
		t.Errorf("refreshed claims %+v do not continue family of %+v", c2, c1)
	}
	if _, err := f.ParseAccess(p2.AccessToken); err != nil {
		t.Errorf("refreshed access token: %v", err)
	}
	if got, _ := f.store.ttl(usedPrefix); got != time.Unix(c1.Expires, 0).Sub(f.now)+revokeSlack {
		t.Errorf("used-token ttl = %v, want remaining lifetime + slack", got)
	}

	// p1 respelt (a line break in the signature, which base64 decoders skip)
	// is still p1 and must not pass as a fresh token.
	if _, err := f.refresh(p1.RefreshToken[:len(p1.RefreshToken)-5] + "\n" + p1.RefreshToken[len(p1.RefreshToken)-5:]); err == nil {
		t.Fatal("respelt replay succeeded")
	}

	f.now = f.now.Add(reuseWindow + time.Second)
	p3, err := f.refresh(p2.RefreshToken)
	if err != nil {
		t.Fatalf("second refresh in chain: %v", err)
	}

	// p1 again, after the reuse window: a replay. It fails and takes the
	// live token p3 down with it.
	if _, err := f.refresh(p1.RefreshToken); !errors.Is(err, ErrInvalidCredential) {
		t.Fatalf("replayed refresh token: %v, want ErrInvalidCredential", err)
	}
	if got, ok := f.store.ttl(revokePrefix); !ok || got != refreshTTL+revokeSlack {
		t.Errorf("revocation ttl = %v (%v), want %v", got, ok, refreshTTL+revokeSlack)
	}
	if _, err := f.refresh(p3.RefreshToken); !errors.Is(err, ErrInvalidCredential) {
		t.Errorf("live token after replay: %v, want ErrInvalidCredential", err)
	}
	// Access tokens are not tracked; they lapse at exp.
	if _, err := f.ParseAccess(p3.AccessToken); err != nil {
		t.Errorf("access token after replay: %v", err)
	}
	// Another family is untouched.
	other := f.issue(t)
	if _, err := f.refresh(other.RefreshToken); err != nil {
		t.Errorf("other family: %v", err)
	}
}

// TestRefreshSameSecond refreshes repeatedly within the second the first
// token was issued: each new token must differ from all earlier ones, or it
// would be born "used".
func TestRefreshSameSecond(t *testing.T) {
	f := newFixture(t)
	p := f.issue(t)
	seen := map[string]bool{p.RefreshToken: true}
	for i := range 3 {
		next, err := f.refresh(p.RefreshToken)
		if err != nil {
			t.Fatalf("refresh %d: %v", i, err)
		}
		if seen[next.RefreshToken] {
			t.Fatalf("refresh %d repeated an earlier token", i)
		}
		seen[next.RefreshToken] = true
		p = next
	}
}

// TestRefreshReuseWindow: refreshes of one token racing each other (two
// tabs, a retry) all get a pair of the family; the same token presented
// after the window revokes the family, the pairs handed out meanwhile too.
func TestRefreshReuseWindow(t *testing.T) {
	f := newFixture(t)
	p := f.issue(t)
	root := func(token string) string {
		c, err := ParseJWT(testKey, token, f.now)
		if err != nil {
			t.Fatal(err)
		}
		return c.RootTokenID
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var pairs []Pair
	for range 8 {
		wg.Go(func() {
			if next, err := f.refresh(p.RefreshToken); err == nil {
				mu.Lock()
				pairs = append(pairs, next)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(pairs) != 8 {
		t.Fatalf("%d of 8 concurrent refreshes succeeded", len(pairs))
	}
	for _, q := range pairs {
		if root(q.RefreshToken) != root(p.RefreshToken) {
			t.Fatal("a refresh inside the window started another family")
		}
	}
	f.now = f.now.Add(reuseWindow - time.Millisecond)
	if _, err := f.refresh(p.RefreshToken); err != nil {
		t.Fatalf("reuse at the end of the window: %v", err)
	}
	f.now = f.now.Add(time.Millisecond)
	if _, err := f.refresh(p.RefreshToken); !errors.Is(err, ErrInvalidCredential) {
		t.Fatalf("reuse after the window: %v, want ErrInvalidCredential", err)
	}
	if _, err := f.refresh(pairs[0].RefreshToken); !errors.Is(err, ErrInvalidCredential) {
		t.Errorf("pair from inside the window after the family was revoked: %v", err)
	}
}

func TestRefreshRejects(t *testing.T) {
	type setup func(t *testing.T, f *fixture, p Pair) string
	tests := []struct {
		name     string
		setup    setup
		stateFor func(string) (string, error)
		kind     errs.Kind
		sentinel error
	}{
		{"access token", func(_ *testing.T, _ *fixture, p Pair) string { return p.AccessToken },
			nil, errs.Unauthenticated, ErrNotRefreshToken},
		{"garbage", func(*testing.T, *fixture, Pair) string { return "x.y.z" },
			nil, errs.Unauthenticated, ErrInvalidCredential},
		{"expired", func(_ *testing.T, f *fixture, p Pair) string { f.now = f.now.Add(refreshTTL); return p.RefreshToken },
			nil, errs.Expired, ErrInvalidCredential},
		{"wrong key", func(_ *testing.T, f *fixture, p Pair) string {
			f.key = func() []byte { return []byte("rotated") }
			return p.RefreshToken
		}, nil, errs.Unauthenticated, ErrInvalidCredential},
		{"state changed", func(_ *testing.T, _ *fixture, p Pair) string { return p.RefreshToken },
			func(string) (string, error) { return "state-2", nil }, errs.Unauthenticated, ErrInvalidCredential},
		{"user gone", func(_ *testing.T, _ *fixture, p Pair) string { return p.RefreshToken },
			func(string) (string, error) { return "", ErrInvalidCredential }, errs.Unauthenticated, ErrInvalidCredential},
		{"store error keeps kind", func(_ *testing.T, f *fixture, p Pair) string { return p.RefreshToken },
			func(string) (string, error) { return "", errs.E("db", errs.Unavailable) }, errs.Unavailable, nil},
		{"no family", func(t *testing.T, _ *fixture, _ Pair) string {
			tok, _ := SignJWT(testKey, Claims{TokenType: TypeRefresh, Sub: userHash, StateHash: goodState, Expires: testNow.Unix() + 60})
			return tok
		}, nil, errs.Unauthenticated, ErrInvalidCredential},
		{"revoked", func(t *testing.T, f *fixture, p Pair) string {
			if err := f.Revoke(context.Background(), p.RefreshToken, refreshTTL); err != nil {
				t.Fatal(err)
			}
			return p.RefreshToken
		}, nil, errs.Unauthenticated, ErrInvalidCredential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tok := tt.setup(t, f, f.issue(t))
			stateFor := tt.stateFor
			if stateFor == nil {
				stateFor = func(string) (string, error) { return goodState, nil }
			}
			_, err := f.Refresh(context.Background(), tok, accessTTL, refreshTTL, reuseWindow, stateFor)
			if err == nil {
				t.Fatal("refresh succeeded")
			}
			if k := errs.KindOf(err); k != tt.kind {
				t.Errorf("kind = %v, want %v (%v)", k, tt.kind, err)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v does not match %v", err, tt.sentinel)
			}
		})
	}
}

// TestRefreshRejectedNotConsumed: a refresh that fails its checks must not
// burn the token, or a transient failure would look like theft later.
func TestRefreshRejectedNotConsumed(t *testing.T) {
	f := newFixture(t)
	p := f.issue(t)
	_, err := f.Refresh(context.Background(), p.RefreshToken, accessTTL, refreshTTL, reuseWindow,
		func(string) (string, error) { return "", errs.E("db", errs.Unavailable) })
	if err == nil {
		t.Fatal("refresh succeeded")
	}
	if _, err := f.refresh(p.RefreshToken); err != nil {
		t.Errorf("retry after a failed check: %v", err)
	}
}

func TestRevoke(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	p := f.issue(t)

	// An access token is accepted and revokes nothing.
	if err := f.Revoke(ctx, p.AccessToken, refreshTTL); err != nil {
		t.Errorf("Revoke(access) = %v", err)
	}
	if _, ok := f.store.ttl(revokePrefix); ok {
		t.Error("Revoke(access) stored a revocation")
	}

	if err := f.Revoke(ctx, p.RefreshToken, refreshTTL); err != nil {
		t.Fatalf("Revoke(refresh) = %v", err)
	}
	if got, _ := f.store.ttl(revokePrefix); got != refreshTTL+revokeSlack {
		t.Errorf("revocation ttl = %v", got)
	}
	if _, err := f.refresh(p.RefreshToken); !errors.Is(err, ErrInvalidCredential) {
		t.Errorf("refresh after revoke = %v", err)
	}

	for name, tok := range map[string]string{"garbage": "nope", "empty": ""} {
		if err := f.Revoke(ctx, tok, refreshTTL); !errors.Is(err, ErrInvalidCredential) {
			t.Errorf("Revoke(%s) = %v, want ErrInvalidCredential", name, err)
		}
	}
	f.now = f.now.Add(refreshTTL)
	if err := f.Revoke(ctx, p.RefreshToken, refreshTTL); !errs.Is(errs.Expired, err) {
		t.Errorf("Revoke(expired) = %v, want Expired", err)
	}
}

func TestStoreFailure(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	p := f.issue(t)
	f.Tokens.store = failStore{}
	if _, err := f.refresh(p.RefreshToken); !errs.Is(errs.Unavailable, err) {
		t.Errorf("refresh with KV down = %v, want Unavailable", err)
	}
	if err := f.Revoke(ctx, p.RefreshToken, refreshTTL); !errs.Is(errs.Unavailable, err) {
		t.Errorf("revoke with KV down = %v, want Unavailable", err)
	}
}

func TestStateHash(t *testing.T) {
	// Computed independently: base64(sha256("a@b.c/salt:digest/site-1")).
	if got, want := StateHash("a@b.c", "salt:digest", "site-1"), "OYiStU23hGwn3Vw5oB+bUYmokZgULU8yNi5YyPz8ivQ="; got != want {
		t.Errorf("StateHash = %q, want %q", got, want)
	}
}
