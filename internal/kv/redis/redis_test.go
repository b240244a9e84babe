package redis

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/kv/kvtest"
	"github.com/stratus-drive/stratus/internal/testenv/services"
)

// open connects to the test server under a fresh prefix and, at cleanup,
// deletes whatever the test left under it.
func open(t testing.TB) *Store {
	t.Helper()
	prefix := "stratus-test:" + rand.Text() + ":"
	s, err := New(t.Context(), Options{Addr: services.RedisAddr(), Prefix: prefix})
	if err != nil {
		services.Unavailable(t, services.Redis, err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		iter := s.c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("scan %s*: %v", prefix, err)
		}
		if len(keys) > 0 {
			if err := s.c.Del(ctx, keys...).Err(); err != nil {
				t.Errorf("delete %s*: %v", prefix, err)
			}
		}
		s.Close()
	})
	return s
}

func TestStore(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store { return open(t) })
}

func BenchmarkStore(b *testing.B) { kvtest.Bench(b, open(b)) }

func TestUnreachable(t *testing.T) {
	// Nothing listens on port 1; New must say so with the Unavailable kind.
	_, err := New(t.Context(), Options{Addr: "127.0.0.1:1"})
	if !errs.Is(errs.Unavailable, err) {
		t.Fatalf("New(unreachable) = %v; want an Unavailable error", err)
	}
}
