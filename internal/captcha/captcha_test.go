package captcha

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/kv/memory"
)

// fakeKV is a map-backed kv.Store with a hand-driven clock, so tests can
// read stored answers, see the ttl and expire entries without sleeping.
type fakeKV struct {
	mu   sync.Mutex
	now  time.Time
	m    map[string]fakeEntry
	fail error // returned by every call when set
}

type fakeEntry struct {
	v        []byte
	ttl      time.Duration
	deadline time.Time
}

func newFakeKV() *fakeKV { return &fakeKV{now: time.Unix(1e9, 0), m: map[string]fakeEntry{}} }

func (f *fakeKV) live(key string) (fakeEntry, bool) {
	e, ok := f.m[key]
	if ok && !e.deadline.IsZero() && !f.now.Before(e.deadline) {
		delete(f.m, key)
		return fakeEntry{}, false
	}
	return e, ok
}

func (f *fakeKV) Get(_ context.Context, key string) ([]byte, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, false, f.fail
	}
	e, ok := f.live(key)
	return e.v, ok, nil
}

func (f *fakeKV) Set(_ context.Context, key string, v []byte, ttl time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	e := fakeEntry{v: v, ttl: ttl}
	if ttl > 0 {
		e.deadline = f.now.Add(ttl)
	}
	f.m[key] = e
	return nil
}

func (f *fakeKV) SetNX(ctx context.Context, key string, v []byte, ttl time.Duration) (bool, error) {
	if _, ok, err := f.Get(ctx, key); ok || err != nil {
		return false, err
	}
	return true, f.Set(ctx, key, v, ttl)
}

func (f *fakeKV) Take(_ context.Context, key string) ([]byte, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, false, f.fail
	}
	e, ok := f.live(key)
	delete(f.m, key)
	return e.v, ok, nil
}

func (f *fakeKV) Delete(_ context.Context, keys ...string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, k := range keys {
		delete(f.m, k)
	}
	return f.fail
}

func (f *fakeKV) Incr(context.Context, string, time.Duration) (int64, error) {
	return 0, errors.New("fakeKV: Incr not needed")
}

func (f *fakeKV) Decr(context.Context, string) (int64, error) {
	return 0, errors.New("fakeKV: Decr not needed")
}

func (f *fakeKV) Close() error { return nil }

func (f *fakeKV) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

// answer returns the stored answer for ticket without consuming it.
func (f *fakeKV) answer(t *testing.T, ticket string) string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.m[keyPrefix+ticket]
	if !ok {
		t.Fatalf("no answer stored for ticket %q", ticket)
	}
	return string(e.v)
}

var _ kv.Store = (*fakeKV)(nil)

// defaultSettings are Cloudreve's default captcha_* site settings.
var defaultSettings = Settings{Type: TypeNormal, Mode: ModeMixed, ShowNoiseDot: true, ShowSlimeLine: true}

func generate(t *testing.T, sv *Service, s Settings) Challenge {
	t.Helper()
	ch, err := sv.Generate(context.Background(), s)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return ch
}

func wantCaptchaErr(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrCaptcha) {
		t.Fatalf("err = %v, want ErrCaptcha", err)
	}
	if errs.KindOf(err) != errs.Invalid {
		t.Fatalf("kind = %v, want invalid", errs.KindOf(err))
	}
}

func TestGenerateStoresAnswer(t *testing.T) {
	store := newFakeKV()
	sv := New(store, nil)
	ch := generate(t, sv, defaultSettings)
	if !regexp.MustCompile(`^[0-9A-Za-z]{20}$`).MatchString(ch.Ticket) {
		t.Errorf("ticket %q is not 20 alphanumerics", ch.Ticket)
	}
	if !strings.HasPrefix(ch.Image, "data:image/png;base64,") {
		t.Errorf("image starts %q", ch.Image[:min(30, len(ch.Image))])
	}
	e := store.m[keyPrefix+ch.Ticket]
	if e.ttl != 10*time.Minute {
		t.Errorf("ttl = %v, want 10m", e.ttl)
	}
	if len(e.v) != DefaultLength {
		t.Errorf("answer %q has %d characters, want %d", e.v, len(e.v), DefaultLength)
	}
	if other := generate(t, sv, defaultSettings); other.Ticket == ch.Ticket {
		t.Error("two challenges share a ticket")
	}
}

func TestVerifyImage(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		typ   string
		guess func(answer string) string
		ok    bool
	}{
		{"correct", TypeNormal, func(a string) string { return a }, true},
		{"empty type is normal", "", func(a string) string { return a }, true},
		{"tcaptcha is normal", TypeTCaptcha, func(a string) string { return a }, true},
		{"lower case", TypeNormal, strings.ToLower, true},
		{"wrong", TypeNormal, func(a string) string { return a + "X" }, false},
		{"empty", TypeNormal, func(string) string { return "" }, false},
		{"surrounding space", TypeNormal, func(a string) string { return " " + a }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newFakeKV()
			sv := New(store, nil)
			s := defaultSettings
			s.Type, s.Mode = tt.typ, ModeLetters // letters, so case matters
			ch := generate(t, sv, s)
			answer := store.answer(t, ch.Ticket)
			err := sv.Verify(ctx, s, tt.guess(answer), ch.Ticket)
			if tt.ok && err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !tt.ok {
				wantCaptchaErr(t, err)
			}
			// Whatever the outcome, the ticket is spent.
			wantCaptchaErr(t, sv.Verify(ctx, s, answer, ch.Ticket))
		})
	}
}

func TestVerifyBadTicket(t *testing.T) {
	ctx := context.Background()
	store := newFakeKV()
	sv := New(store, nil)
	ch := generate(t, sv, defaultSettings)
	answer := store.answer(t, ch.Ticket)

	near := []byte(ch.Ticket)
	near[0] ^= 0x20 // tickets are case-sensitive, unlike answers
	for _, bad := range []string{"", "short", ch.Ticket + "x", "unknownunknownunknow", string(near)} {
		wantCaptchaErr(t, sv.Verify(ctx, defaultSettings, answer, bad))
	}

	store.advance(10*time.Minute + time.Second)
	wantCaptchaErr(t, sv.Verify(ctx, defaultSettings, answer, ch.Ticket))
}

func TestVerifyUnknownType(t *testing.T) {
	sv := New(newFakeKV(), nil)
	wantCaptchaErr(t, sv.Verify(context.Background(), Settings{Type: "hcaptcha"}, "x", "y"))
}

func TestStoreFailure(t *testing.T) {
	ctx := context.Background()
	store := newFakeKV()
	sv := New(store, nil)
	ch := generate(t, sv, defaultSettings)
	store.fail = errors.New("redis: connection refused")

	if _, err := sv.Generate(ctx, defaultSettings); !errs.Is(errs.Unavailable, err) {
		t.Errorf("Generate with a failing store: %v, want unavailable", err)
	}
	err := sv.Verify(ctx, defaultSettings, "whatever", ch.Ticket)
	if !errs.Is(errs.Unavailable, err) || errors.Is(err, ErrCaptcha) {
		t.Errorf("Verify with a failing store: %v, want unavailable and not ErrCaptcha", err)
	}
}

// TestMemoryStore runs the round trip over the real in-process store.
func TestMemoryStore(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	t.Cleanup(func() { store.Close() })
	sv := New(store, nil)
	ch := generate(t, sv, defaultSettings)
	answer, ok, err := store.Get(ctx, keyPrefix+ch.Ticket)
	if err != nil || !ok {
		t.Fatalf("Get = %q, %v, %v", answer, ok, err)
	}
	if err := sv.Verify(ctx, defaultSettings, string(answer), ch.Ticket); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	wantCaptchaErr(t, sv.Verify(ctx, defaultSettings, string(answer), ch.Ticket))
}

func TestConcurrentGenerate(t *testing.T) {
	store := newFakeKV()
	sv := New(store, nil)
	sizes := []Settings{defaultSettings, {Width: 120, Height: 40}, {Width: 300, Height: 80, Mode: ModeArithmetic}}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			if _, err := sv.Generate(context.Background(), sizes[i%len(sizes)]); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}
