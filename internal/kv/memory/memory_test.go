package memory

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/kv/kvtest"
)

func newStore(t *testing.T) kv.Store {
	s := New()
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) { kvtest.Run(t, newStore) }

func BenchmarkStore(b *testing.B) {
	s := New()
	defer s.Close()
	kvtest.Bench(b, s)
}

// TestSweep checks that expired entries nobody reads again are dropped, which
// is what bounds the store's memory.
func TestSweep(t *testing.T) {
	s := New()
	defer s.Close()
	for i := range 100 {
		if err := s.Set(t.Context(), strconv.Itoa(i), []byte("v"), time.Nanosecond); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Set(t.Context(), "kept", []byte("v"), time.Hour); err != nil {
		t.Fatal(err)
	}
	// Wait for the condition itself: the short entries' deadline passed
	// on the store's clock.
	for deadline := s.now() + time.Nanosecond; s.now() <= deadline; {
		runtime.Gosched()
	}
	s.sweep()
	s.mu.Lock()
	n := len(s.m)
	s.mu.Unlock()
	if n != 1 {
		t.Errorf("%d entries after sweep; want 1", n)
	}
}

// BenchmarkSweep measures how long a sweep holds the lock over 100k live
// entries.
func BenchmarkSweep(b *testing.B) {
	s := New()
	defer s.Close()
	for i := range 100_000 {
		if err := s.Set(b.Context(), strconv.Itoa(i), []byte("v"), time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		s.sweep()
	}
}
