// Package kvtest is the one conformance suite for kv.Store. Every
// implementation runs it from its own small _test.go against the real thing,
// so the contract in kv.go means the same everywhere.
package kvtest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/kv"
)

// shortTTL is long enough that a write is surely still visible when the test
// reads it back (even under -race on a loaded machine) and short enough to
// wait out. Redis keeps expiry in milliseconds, so anything above that works.
const shortTTL = 300 * time.Millisecond

// workers is how many goroutines race in the concurrency tests.
const workers = 32

// Run runs the suite. newStore must return an empty store that no other test
// uses (a fresh prefix, say) and close it, and remove its keys, with
// t.Cleanup. The subtests run in parallel, each on its own store.
func Run(t *testing.T, newStore func(t *testing.T) kv.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s kv.Store)
	}{
		{"SetGet", testSetGet},
		{"Missing", testMissing},
		{"TTL", testTTL},
		{"NegativeTTL", testNegativeTTL},
		{"SetNX", testSetNX},
		{"Take", testTake},
		{"Incr", testIncr},
		{"IncrTTL", testIncrTTL},
		{"Decr", testDecr},
		{"Delete", testDelete},
		{"Binary", testBinary},
		{"Isolation", testIsolation},
		{"Large", testLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}

func testSetGet(t *testing.T, s kv.Store) {
	ctx := t.Context()
	set(t, s, "a", "1", 0)
	wantValue(t, s, "a", "1")
	set(t, s, "a", "2", 0)
	wantValue(t, s, "a", "2")
	// Keys that differ only slightly, or that look like patterns, are distinct.
	keys := []string{"b", "B", "b ", " b", "b*", "b?", "[b]", "b/../b", "ü", "u\u0308", "b\x00"}
	for i, k := range keys {
		set(t, s, k, strconv.Itoa(i), 0)
	}
	for i, k := range keys {
		wantValue(t, s, k, strconv.Itoa(i))
	}
	if err := s.Set(ctx, "c", []byte("x"), time.Hour); err != nil {
		t.Fatalf("Set with ttl: %v", err)
	}
	wantValue(t, s, "c", "x")
}

func testMissing(t *testing.T, s kv.Store) {
	ctx := t.Context()
	v, ok, err := s.Get(ctx, "nope")
	if err != nil || ok || v != nil {
		t.Errorf("Get(missing) = %q, %v, %v; want nil, false, nil", v, ok, err)
	}
	v, ok, err = s.Take(ctx, "nope")
	if err != nil || ok || v != nil {
		t.Errorf("Take(missing) = %q, %v, %v; want nil, false, nil", v, ok, err)
	}
	if err := s.Delete(ctx, "nope"); err != nil {
		t.Errorf("Delete(missing) = %v", err)
	}
	if err := s.Delete(ctx); err != nil {
		t.Errorf("Delete() = %v", err)
	}
}

func testTTL(t *testing.T, s kv.Store) {
	ctx := t.Context()
	set(t, s, "set", "v", shortTTL)
	setNX(t, s, "setnx", "v", shortTTL, true)
	incr(t, s, "incr", shortTTL, 1)
	set(t, s, "take", "v", shortTTL)
	// A later Set replaces the ttl as well as the value.
	set(t, s, "reset", "v", shortTTL)
	set(t, s, "reset", "w", 0)
	set(t, s, "forever", "v", 0)
	setNX(t, s, "setnx-forever", "v", 0, true)
	incr(t, s, "incr-forever", 0, 1)
	set(t, s, "long", "v", time.Hour)
	// A ttl under Redis' millisecond resolution must still expire, not be
	// rounded down to "never".
	set(t, s, "tiny", "v", time.Nanosecond)

	for _, k := range []string{"set", "setnx", "take"} {
		wantValue(t, s, k, "v")
	}
	wantValue(t, s, "incr", "1")

	time.Sleep(2 * shortTTL)

	for _, k := range []string{"set", "setnx", "incr", "tiny"} {
		wantMissing(t, s, k)
	}
	if v, ok, err := s.Take(ctx, "take"); err != nil || ok {
		t.Errorf("Take(expired) = %q, %v, %v; want missing", v, ok, err)
	}
	wantValue(t, s, "reset", "w")
	for _, k := range []string{"forever", "setnx-forever", "long"} {
		wantValue(t, s, k, "v")
	}
	wantValue(t, s, "incr-forever", "1")
	// Expired keys are absent for SetNX and start a new counter.
	setNX(t, s, "setnx", "again", 0, true)
	wantValue(t, s, "setnx", "again")
	incr(t, s, "incr", 0, 1)
}

func testNegativeTTL(t *testing.T, s kv.Store) {
	ctx := t.Context()
	if err := s.Set(ctx, "k", []byte("v"), -time.Second); !errs.Is(errs.Invalid, err) {
		t.Errorf("Set(ttl<0) = %v; want an Invalid error", err)
	}
	if _, err := s.SetNX(ctx, "k", []byte("v"), -time.Second); !errs.Is(errs.Invalid, err) {
		t.Errorf("SetNX(ttl<0) = %v; want an Invalid error", err)
	}
	if _, err := s.Incr(ctx, "k", -time.Second); !errs.Is(errs.Invalid, err) {
		t.Errorf("Incr(ttl<0) = %v; want an Invalid error", err)
	}
	wantMissing(t, s, "k")
}

func testSetNX(t *testing.T, s kv.Store) {
	ctx := t.Context()
	setNX(t, s, "k", "first", 0, true)
	setNX(t, s, "k", "second", 0, false)
	wantValue(t, s, "k", "first")
	set(t, s, "k", "third", 0)
	setNX(t, s, "k", "fourth", 0, false)
	wantValue(t, s, "k", "third")
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	setNX(t, s, "k", "fifth", 0, true)
	wantValue(t, s, "k", "fifth")

	// Exactly one of many racing callers wins, and its value is the one kept.
	won := race(t, func(i int) bool {
		ok, err := s.SetNX(ctx, "race", []byte(strconv.Itoa(i)), 0)
		if err != nil {
			t.Errorf("SetNX: %v", err)
		}
		return ok
	})
	if len(won) != 1 {
		t.Fatalf("%d SetNX callers won; want exactly 1", len(won))
	}
	wantValue(t, s, "race", strconv.Itoa(won[0]))
}

func testTake(t *testing.T, s kv.Store) {
	ctx := t.Context()
	set(t, s, "k", "ticket", shortTTL)
	v, ok, err := s.Take(ctx, "k")
	if err != nil || !ok || string(v) != "ticket" {
		t.Fatalf("Take = %q, %v, %v; want ticket, true, nil", v, ok, err)
	}
	if v, ok, err := s.Take(ctx, "k"); err != nil || ok {
		t.Errorf("second Take = %q, %v, %v; want missing", v, ok, err)
	}
	wantMissing(t, s, "k")

	// Several rounds, because a broken Take may win the race only sometimes.
	for round := range 10 {
		want := fmt.Sprintf("ticket-%d", round)
		set(t, s, "race", want, 0)
		var mu sync.Mutex
		var got []string
		won := race(t, func(int) bool {
			v, ok, err := s.Take(ctx, "race")
			if err != nil {
				t.Errorf("Take: %v", err)
			}
			if ok {
				mu.Lock()
				got = append(got, string(v))
				mu.Unlock()
			}
			return ok
		})
		if len(won) != 1 || got[0] != want {
			t.Fatalf("round %d: Take winners got %q; want exactly [%q]", round, got, want)
		}
		wantMissing(t, s, "race")
	}
}

func testIncr(t *testing.T, s kv.Store) {
	ctx := t.Context()
	for want := int64(1); want <= 3; want++ {
		incr(t, s, "n", 0, want)
	}
	wantValue(t, s, "n", "3")

	// Counters are decimal text, so Set can seed them.
	set(t, s, "seeded", "41", 0)
	incr(t, s, "seeded", 0, 42)
	set(t, s, "negative", "-5", 0)
	incr(t, s, "negative", 0, -4)

	for _, bad := range []string{"abc", "", "1.5", " 1", strconv.FormatInt(1<<63-1, 10)} {
		set(t, s, "bad", bad, 0)
		if n, err := s.Incr(ctx, "bad", 0); !errs.Is(errs.Invalid, err) {
			t.Errorf("Incr(%q) = %d, %v; want an Invalid error", bad, n, err)
		}
		wantValue(t, s, "bad", bad)
	}

	// Concurrent increments are neither lost nor duplicated.
	const each = 25
	var mu sync.Mutex
	seen := make(map[int64]bool)
	race(t, func(int) bool {
		for range each {
			n, err := s.Incr(ctx, "race", time.Hour)
			if err != nil {
				t.Errorf("Incr: %v", err)
				return false
			}
			mu.Lock()
			if seen[n] {
				t.Errorf("Incr returned %d twice", n)
			}
			seen[n] = true
			mu.Unlock()
		}
		return false
	})
	wantValue(t, s, "race", strconv.Itoa(workers*each))
	for n := int64(1); n <= workers*each; n++ {
		if !seen[n] {
			t.Errorf("no Incr returned %d", n)
		}
	}
}

func testDecr(t *testing.T, s kv.Store) {
	ctx := t.Context()
	// A missing counter stays missing.
	if n, err := s.Decr(ctx, "absent"); n != 0 || err != nil {
		t.Errorf("Decr(absent) = %d, %v; want 0, nil", n, err)
	}
	wantMissing(t, s, "absent")

	incr(t, s, "n", shortTTL, 1)
	incr(t, s, "n", shortTTL, 2)
	if n, err := s.Decr(ctx, "n"); n != 1 || err != nil {
		t.Errorf("Decr(n) = %d, %v; want 1, nil", n, err)
	}
	wantValue(t, s, "n", "1")
	// The ttl is kept: the counter still goes away.
	time.Sleep(2 * shortTTL)
	wantMissing(t, s, "n")

	for _, bad := range []string{"abc", strconv.FormatInt(-1<<63, 10)} {
		set(t, s, "bad", bad, 0)
		if n, err := s.Decr(ctx, "bad"); !errs.Is(errs.Invalid, err) {
			t.Errorf("Decr(%q) = %d, %v; want an Invalid error", bad, n, err)
		}
	}

	// Concurrent increments and decrements balance out.
	set(t, s, "race", "0", 0)
	race(t, func(i int) bool {
		for range 25 {
			if i%2 == 0 {
				_, _ = s.Incr(ctx, "race", 0)
			} else {
				_, _ = s.Decr(ctx, "race")
			}
		}
		return false
	})
	wantValue(t, s, "race", "0")
}

func testIncrTTL(t *testing.T, s kv.Store) {
	const ttl = 2 * shortTTL
	incr(t, s, "counter", ttl, 1)
	// An existing key keeps its own ttl, whatever Incr asks for.
	set(t, s, "kept-forever", "41", 0)
	incr(t, s, "kept-forever", shortTTL, 42)
	set(t, s, "kept-short", "41", shortTTL)
	incr(t, s, "kept-short", 0, 42)

	time.Sleep(ttl * 2 / 3)
	// Had this extended the ttl, the counter would outlive the next sleep.
	incr(t, s, "counter", ttl, 2)
	time.Sleep(ttl * 2 / 3)

	wantMissing(t, s, "counter")
	wantMissing(t, s, "kept-short")
	wantValue(t, s, "kept-forever", "42")
	incr(t, s, "counter", ttl, 1)
}

func testDelete(t *testing.T, s kv.Store) {
	ctx := t.Context()
	var keys []string
	for i := range 100 {
		k := fmt.Sprintf("k%d", i)
		keys = append(keys, k)
		set(t, s, k, "v", 0)
	}
	set(t, s, "kept", "v", 0)
	if err := s.Delete(ctx, append(keys, "absent-1", "absent-2")...); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	for _, k := range keys {
		wantMissing(t, s, k)
	}
	wantValue(t, s, "kept", "v")
	incr(t, s, "counter", 0, 1)
	if err := s.Delete(ctx, "counter"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	incr(t, s, "counter", 0, 1)
}

func testBinary(t *testing.T, s kv.Store) {
	ctx := t.Context()
	all := make([]byte, 512)
	for i := range all {
		all[i] = byte(i)
	}
	for name, v := range map[string][]byte{"all bytes": all, "empty": {}, "nil": nil, "nul": {0}} {
		key := "\x00\xff" + name
		if err := s.Set(ctx, key, v, 0); err != nil {
			t.Fatalf("Set(%s): %v", name, err)
		}
		got, ok, err := s.Get(ctx, key)
		if err != nil || !ok || !bytes.Equal(got, v) {
			t.Errorf("Get(%s) = %q, %v, %v; want %q, true, nil", name, got, ok, err, v)
		}
		got, ok, err = s.Take(ctx, key)
		if err != nil || !ok || !bytes.Equal(got, v) {
			t.Errorf("Take(%s) = %q, %v, %v; want %q, true, nil", name, got, ok, err, v)
		}
	}
}

func testIsolation(t *testing.T, s kv.Store) {
	ctx := t.Context()
	v := []byte("abc")
	if err := s.Set(ctx, "set", v, 0); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if _, err := s.SetNX(ctx, "setnx", v, 0); err != nil {
		t.Fatalf("SetNX: %v", err)
	}
	v[0] = 'X'
	for _, k := range []string{"set", "setnx"} {
		wantValue(t, s, k, "abc")
		got, _, err := s.Get(ctx, k)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		got[0] = 'Y'
		wantValue(t, s, k, "abc")
	}
}

func testLarge(t *testing.T, s kv.Store) {
	ctx := t.Context()
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	v := make([]byte, 1<<20)
	for i := range v {
		v[i] = byte(rng.Uint32())
	}
	if err := s.Set(ctx, "big", v, time.Hour); err != nil {
		t.Fatalf("Set: %v", err)
	}
	got, ok, err := s.Get(ctx, "big")
	if err != nil || !ok || !bytes.Equal(got, v) {
		t.Fatalf("Get = %d bytes, %v, %v; want the 1 MiB value", len(got), ok, err)
	}
	got, ok, err = s.Take(ctx, "big")
	if err != nil || !ok || !bytes.Equal(got, v) {
		t.Fatalf("Take = %d bytes, %v, %v; want the 1 MiB value", len(got), ok, err)
	}
}

// race runs fn(i) for i in [0, workers) at once and returns the i for which
// it reported true.
func race(t *testing.T, fn func(i int) bool) []int {
	t.Helper()
	var (
		start = make(chan struct{})
		wg    sync.WaitGroup
		mu    sync.Mutex
		won   []int
	)
	for i := range workers {
		wg.Go(func() {
			<-start
			if fn(i) {
				mu.Lock()
				won = append(won, i)
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	return won
}

func set(t *testing.T, s kv.Store, key, value string, ttl time.Duration) {
	t.Helper()
	if err := s.Set(t.Context(), key, []byte(value), ttl); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

func setNX(t *testing.T, s kv.Store, key, value string, ttl time.Duration, want bool) {
	t.Helper()
	ok, err := s.SetNX(t.Context(), key, []byte(value), ttl)
	if err != nil || ok != want {
		t.Fatalf("SetNX(%q) = %v, %v; want %v, nil", key, ok, err, want)
	}
}

func incr(t *testing.T, s kv.Store, key string, ttl time.Duration, want int64) {
	t.Helper()
	n, err := s.Incr(t.Context(), key, ttl)
	if err != nil || n != want {
		t.Fatalf("Incr(%q) = %d, %v; want %d, nil", key, n, err, want)
	}
}

func wantValue(t *testing.T, s kv.Store, key, want string) {
	t.Helper()
	v, ok, err := s.Get(t.Context(), key)
	if err != nil || !ok || string(v) != want {
		t.Errorf("Get(%q) = %q, %v, %v; want %q, true, nil", key, v, ok, err, want)
	}
}

func wantMissing(t *testing.T, s kv.Store, key string) {
	t.Helper()
	v, ok, err := s.Get(t.Context(), key)
	if err != nil || ok {
		t.Errorf("Get(%q) = %q, %v, %v; want missing", key, v, ok, err)
	}
}

// Bench benchmarks Get, Set and Incr on s, each alone and from parallel
// goroutines, over a spread of keys the way sessions and rate counters are.
// The keys it leaves behind expire within a minute.
func Bench(b *testing.B, s kv.Store) {
	const (
		nkeys = 1024
		ttl   = time.Minute
	)
	ctx := b.Context()
	value := bytes.Repeat([]byte("v"), 64)
	keys := make([]string, nkeys)
	for i := range keys {
		keys[i] = fmt.Sprintf("bench:%d", i)
		if err := s.Set(ctx, keys[i], value, ttl); err != nil {
			b.Fatalf("Set: %v", err)
		}
	}
	ops := []struct {
		name string
		fn   func(key string) error
	}{
		{"Get", func(k string) error { _, _, err := s.Get(ctx, k); return err }},
		{"Set", func(k string) error { return s.Set(ctx, k, value, ttl) }},
		{"Incr", func(k string) error { _, err := s.Incr(ctx, "n"+k, ttl); return err }},
	}
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if err := op.fn(keys[i%nkeys]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run(op.name+"Parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				i := rand.IntN(nkeys)
				for pb.Next() {
					if err := op.fn(keys[i%nkeys]); err != nil {
						b.Error(err)
						return
					}
					i++
				}
			})
		})
	}
}
