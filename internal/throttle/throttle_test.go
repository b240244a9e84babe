package throttle_test

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/kv/memory"
	kvredis "github.com/stratus-drive/stratus/internal/kv/redis"
	"github.com/stratus-drive/stratus/internal/testenv/services"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// backends are the KV stores a limiter runs on; each test runs on both.
func backends(t *testing.T, fn func(t *testing.T, l *throttle.Limiter)) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Run("memory", func(t *testing.T) {
		s := memory.New()
		t.Cleanup(func() { s.Close() })
		fn(t, throttle.New(s, log))
	})
	t.Run("redis", func(t *testing.T) {
		s, err := kvredis.New(t.Context(), kvredis.Options{Addr: services.RedisAddr(),
			Prefix: "stratus-test:" + rand.Text() + ":"})
		if err != nil {
			services.Unavailable(t, services.Redis, err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, throttle.New(s, log))
	})
}

// burst releases n goroutines at once on a barrier and returns how many of
// their attempts passed.
func burst(t *testing.T, n int, attempt func(i int) error) int {
	t.Helper()
	var (
		start  = make(chan struct{})
		wg     sync.WaitGroup
		passed atomic.Int64
	)
	for i := range n {
		wg.Go(func() {
			<-start
			switch err := attempt(i); {
			case err == nil:
				passed.Add(1)
			case !errs.Is(errs.RateLimited, err):
				t.Errorf("attempt %d: %v; want nil or RateLimited", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
	return int(passed.Load())
}

func TestBurstPassesExactlyTheLimit(t *testing.T) {
	backends(t, func(t *testing.T, l *throttle.Limiter) {
		ctx := t.Context()
		b := throttle.Bucket{Key: throttle.Key("burst", rand.Text()), Limit: 10, Window: time.Minute}
		if got := burst(t, 300, func(int) error { _, err := l.Reserve(ctx, b); return err }); got != 10 {
			t.Errorf("%d of 300 simultaneous attempts passed; want exactly 10", got)
		}
		// Distinct subjects share the second bucket (one address, many
		// accounts): it alone decides.
		addr := throttle.Bucket{Key: throttle.Key("addr", rand.Text()), Limit: 50, Window: time.Minute}
		got := burst(t, 200, func(i int) error {
			acct := throttle.Bucket{Key: throttle.Key("acct", rand.Text()), Limit: 10, Window: time.Minute}
			_, err := l.Reserve(ctx, acct, addr)
			return err
		})
		if got != 50 {
			t.Errorf("%d of 200 attempts on distinct accounts from one address passed; want 50", got)
		}
	})
}

func TestRefundAndForget(t *testing.T) {
	backends(t, func(t *testing.T, l *throttle.Limiter) {
		ctx := t.Context()
		b := throttle.Bucket{Key: throttle.Key("refund", rand.Text()), Limit: 2, Window: time.Minute}
		// Successes given back never fill the bucket.
		for range 5 {
			r, err := l.Reserve(ctx, b)
			if err != nil {
				t.Fatalf("reserve after refunds: %v", err)
			}
			r.Refund(ctx)
		}
		for range 2 {
			if _, err := l.Reserve(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := l.Reserve(ctx, b); !errs.Is(errs.RateLimited, err) {
			t.Fatalf("third failure: %v; want RateLimited", err)
		}
		l.Forget(ctx, b.Key)
		if _, err := l.Reserve(ctx, b); err != nil {
			t.Fatalf("after Forget: %v", err)
		}
	})
}

func TestRefusedAttemptsDoNotReachLaterBuckets(t *testing.T) {
	backends(t, func(t *testing.T, l *throttle.Limiter) {
		ctx := t.Context()
		first := throttle.Bucket{Key: throttle.Key("first", rand.Text()), Limit: 1, Window: time.Minute}
		later := throttle.Bucket{Key: throttle.Key("later", rand.Text()), Window: time.Minute}
		for range 5 {
			_, _ = l.Reserve(ctx, first, later)
		}
		r, err := l.Reserve(ctx, later)
		if err != nil {
			t.Fatal(err)
		}
		if r.Counts[0] != 2 {
			t.Errorf("later bucket counted %d; want 2 (one pass before, this one)", r.Counts[0])
		}
	})
}

// down is a KV store whose every call fails.
type down struct{ kv.Store }

func (down) Incr(context.Context, string, time.Duration) (int64, error) {
	return 0, errs.E("down", errs.Unavailable)
}

func TestOutageLetsAttemptsThrough(t *testing.T) {
	l := throttle.New(down{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	b := throttle.Bucket{Key: "k", Limit: 1, Window: time.Minute}
	for range 3 {
		if _, err := l.Reserve(t.Context(), b); err != nil {
			t.Fatalf("reserve with KV down: %v", err)
		}
	}
}

func TestBackoff(t *testing.T) {
	const step, max = 100 * time.Millisecond, time.Second
	for _, tc := range []struct {
		n    int64
		want time.Duration
	}{
		{0, 0}, {10, 0}, {11, step}, {15, 5 * step}, {20, max}, {1 << 40, max},
	} {
		if got := throttle.Backoff(tc.n, 10, step, max); got != tc.want {
			t.Errorf("Backoff(%d) = %v; want %v", tc.n, got, tc.want)
		}
	}
	if got := throttle.Backoff(50, 10, 0, max); got != 0 {
		t.Errorf("Backoff with no step = %v; want 0", got)
	}
}

func TestClientIP(t *testing.T) {
	for _, tc := range []struct {
		name, header, remote string
		values               []string
		want                 string
	}{
		{"no header configured", "", "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"configured, absent", "X-Forwarded-For", "10.0.0.2:4000", nil, "10.0.0.2"},
		{"single", "X-Real-IP", "10.0.0.2:4000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"chain: the proxy's entry", "X-Forwarded-For", "10.0.0.2:4000", []string{"1.2.3.4, 198.51.100.7"}, "198.51.100.7"},
		{"repeated header: the last", "X-Forwarded-For", "10.0.0.2:4000", []string{"1.2.3.4", "198.51.100.7"}, "198.51.100.7"},
		{"empty last entry", "X-Forwarded-For", "10.0.0.2:4000", []string{"1.2.3.4, "}, "10.0.0.2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.values {
				r.Header.Add(tc.header, v)
			}
			if tc.header == "" {
				r.Header.Set("X-Forwarded-For", tc.values[0])
			}
			if got := throttle.ClientIP(r, tc.header); got != tc.want {
				t.Errorf("ClientIP = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestFromUnconfiguredProxy(t *testing.T) {
	for _, tc := range []struct {
		name, configured, remote, header string
		want                             bool
	}{
		{"loopback proxy", "", "127.0.0.1:5000", "X-Forwarded-For", true},
		{"private proxy", "", "10.1.2.3:5000", "X-Real-IP", true},
		{"public peer", "", "203.0.113.9:5000", "X-Forwarded-For", false},
		{"no forwarding header", "", "127.0.0.1:5000", "", false},
		{"configured", "X-Forwarded-For", "127.0.0.1:5000", "X-Forwarded-For", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			if tc.header != "" {
				r.Header.Set(tc.header, "198.51.100.1")
			}
			if _, got := throttle.FromUnconfiguredProxy(r, tc.configured); got != tc.want {
				t.Errorf("FromUnconfiguredProxy = %v; want %v", got, tc.want)
			}
		})
	}
}
