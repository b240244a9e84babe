// Package throttle limits guesses at secrets: sign-in passwords, share
// passwords, WebDAV credentials. Each attempt is counted in the KV store
// before the secret is checked, with one atomic increment, and refused when
// the new count passes the limit. Checking first and counting after a failure
// lets a burst of concurrent guesses all pass a check that none of them has
// counted yet; counting first cannot. Counters live in fixed windows (the KV
// ttl starts at the first attempt), in the KV store, so every process of a
// cluster sees the same counts.
package throttle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/kv"
)

// Limiter counts attempts in buckets.
type Limiter struct {
	kv  kv.Store
	log *slog.Logger
}

// New returns a limiter on store.
func New(store kv.Store, log *slog.Logger) *Limiter {
	return &Limiter{kv: store, log: log}
}

// Bucket is one counter an attempt is charged to.
type Bucket struct {
	Key    string        // from Key
	Limit  int           // attempts per Window; 0 counts without ever refusing
	Window time.Duration // the counter's life from its first attempt
}

// Key names a bucket: kind says what is counted ("signin_ip"), subjects
// whose (e-mail, address, share id…). The subjects are hashed, so keys have
// a bounded, safe shape whatever the input.
func Key(kind string, subjects ...string) string {
	h := sha256.New()
	for _, s := range subjects {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "throttle_" + kind + "_" + hex.EncodeToString(h.Sum(nil)[:12])
}

// Reservation is an attempt that passed: it stays counted unless the caller
// gives it back with Refund.
type Reservation struct {
	l      *Limiter
	keys   []string
	Counts []int64 // the count of each bucket including this attempt (0 when KV failed)
}

// Reserve charges one attempt to each bucket in order. The first bucket past
// its limit refuses the attempt with an errs.RateLimited error; the buckets
// before it stay charged (a refused guess is still a guess) and the ones
// after it are not touched. A KV failure lets the attempt through, logged:
// an outage of the cache must not lock everyone out.
func (l *Limiter) Reserve(ctx context.Context, buckets ...Bucket) (*Reservation, error) {
	r := &Reservation{l: l, Counts: make([]int64, len(buckets))}
	for i, b := range buckets {
		n, err := l.kv.Incr(ctx, b.Key, b.Window)
		if err != nil {
			l.log.Warn("throttle: counting an attempt failed", "err", err)
			continue
		}
		r.Counts[i] = n
		if b.Limit > 0 && n > int64(b.Limit) {
			return nil, errs.E("throttle.Reserve", errs.RateLimited)
		}
		r.keys = append(r.keys, b.Key)
	}
	return r, nil
}

// Refund gives the attempt back to every bucket it was charged to: for an
// attempt that succeeded, so that a user signing in often is not counted as
// a guesser. Never refund a failure.
func (r *Reservation) Refund(ctx context.Context) {
	for _, k := range r.keys {
		if _, err := r.l.kv.Decr(ctx, k); err != nil {
			r.l.log.Warn("throttle: refunding an attempt failed", "err", err)
		}
	}
	r.keys = nil
}

// Forget deletes buckets outright (after a success, for a bucket that only
// a right answer should clear).
func (l *Limiter) Forget(ctx context.Context, keys ...string) {
	if err := l.kv.Delete(ctx, keys...); err != nil {
		l.log.Warn("throttle: forgetting a bucket failed", "err", err)
	}
}

// Backoff is the wait of the n-th attempt in a window when the first free
// ones go undelayed and each later one waits step longer than the one
// before, up to max.
func Backoff(n int64, free int, step, max time.Duration) time.Duration {
	over := n - int64(free)
	if over <= 0 || step <= 0 {
		return 0
	}
	if over > int64(max/step) {
		return max
	}
	return time.Duration(over) * step
}

// Wait sleeps for d or until ctx is done, whichever comes first.
func Wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
