// Package kv is the shared cache and ephemeral-state store: captcha answers,
// sign-in sessions, token revocations, rate-limit counters. Everything that
// several Stratus processes must agree on goes through it, so the in-memory
// implementation serves one process and the Redis one serves a cluster.
package kv

import (
	"context"
	"time"
)

// Store is the KV contract. Keys are plain strings; implementations may add a
// namespace prefix. A ttl of 0 means the entry does not expire; a negative ttl
// is an errs.Invalid error. Missing keys are not errors: Get and Take report
// ok=false. Values are copied in both directions, so callers may reuse or
// mutate the slices they pass and receive. Implementations are safe for
// concurrent use; kvtest checks all of this.
type Store interface {
	// Get returns the value stored under key.
	Get(ctx context.Context, key string) (value []byte, ok bool, err error)
	// Set stores value under key, replacing any previous value and ttl.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// SetNX stores value only if key is absent and reports whether it did.
	SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
	// Take atomically returns and deletes the value under key, so that exactly
	// one of several concurrent callers gets ok=true (single-use tickets).
	Take(ctx context.Context, key string) (value []byte, ok bool, err error)
	// Delete removes keys; absent keys are ignored.
	Delete(ctx context.Context, keys ...string) error
	// Incr adds one to the counter under key and returns the new value. The ttl
	// applies from the moment the counter is created and is not extended.
	// Counters are decimal text, so Get reads them and Set can seed them; an
	// existing key keeps whatever ttl it had. Incr of a value that is not a
	// decimal int64, or that would overflow, is an errs.Invalid error.
	Incr(ctx context.Context, key string, ttl time.Duration) (int64, error)
	// Decr subtracts one from an existing counter, keeping its ttl, and
	// returns the new value. A missing key stays missing and reads 0, so a
	// refund that arrives after its window ended creates nothing. A value
	// that is not a decimal int64, or that would overflow, is errs.Invalid.
	Decr(ctx context.Context, key string) (int64, error)
	// Close releases resources. The store must not be used afterwards.
	Close() error
}
