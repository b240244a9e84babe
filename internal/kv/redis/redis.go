// Package redis is the kv.Store on a Redis server (6.2 or later, for GETDEL),
// shared by every Stratus process of a cluster. It turns client and server
// failures into errs kinds here, so callers never see go-redis types.
package redis

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/kv"
)

// Options says how to reach the server.
type Options struct {
	Network  string // "tcp" (the default) or "unix"
	Addr     string // host:port, or a socket path for "unix"
	Username string // ACL user; empty for the default user
	Password string
	DB       int
	// UseTLS dials with TLS; TLSSkipVerify then accepts any certificate,
	// for self-signed test servers only.
	UseTLS        bool
	TLSSkipVerify bool
	// Prefix is put before every key, so that several installations (or
	// test runs) can share one database and one can be wiped by SCAN.
	Prefix string
}

// Store is a kv.Store on Redis.
type Store struct {
	c      *goredis.Client
	prefix string
}

// incr creates the counter with its ttl, or increments it leaving its ttl
// alone, in one atomic step: with INCR and EXPIRE sent apart, a crash between
// them would leave a counter that never expires and locks a user out for
// good. EXISTS (rather than "INCR returned 1") tells creation apart from a
// value seeded with "0".
var incr = goredis.NewScript(`
local fresh = redis.call('EXISTS', KEYS[1]) == 0
local n = redis.call('INCR', KEYS[1])
if fresh and tonumber(ARGV[1]) > 0 then
	redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n
`)

// decr decrements only a counter that exists, so a late refund cannot create
// a counter without a ttl.
var decr = goredis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
	return 0
end
return redis.call('DECR', KEYS[1])
`)

// New connects to the server and pings it. An unreachable server is an
// errs.Unavailable error.
func New(ctx context.Context, opts Options) (*Store, error) {
	const op = "redis.New"
	o := &goredis.Options{
		Network:  opts.Network,
		Addr:     opts.Addr,
		Username: opts.Username,
		Password: opts.Password,
		DB:       opts.DB,
	}
	if opts.UseTLS {
		// The server name comes from Addr when the dialer sees it empty.
		o.TLSConfig = &tls.Config{
			MinVersion:         tls.VersionTLS12,
			InsecureSkipVerify: opts.TLSSkipVerify,
		}
	}
	s := &Store{c: goredis.NewClient(o), prefix: opts.Prefix}
	if err := s.c.Ping(ctx).Err(); err != nil {
		s.c.Close()
		return nil, wrap(ctx, op, err)
	}
	return s, nil
}

// Get implements kv.Store.
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := s.c.Get(ctx, s.prefix+key).Bytes()
	return found(ctx, "redis.Get", v, err)
}

// Set implements kv.Store.
func (s *Store) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	const op = "redis.Set"
	ttl, err := expiry(op, ttl)
	if err != nil {
		return err
	}
	return wrap(ctx, op, s.c.Set(ctx, s.prefix+key, value, ttl).Err())
}

// SetNX implements kv.Store.
func (s *Store) SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	const op = "redis.SetNX"
	ttl, err := expiry(op, ttl)
	if err != nil {
		return false, err
	}
	ok, err := s.c.SetNX(ctx, s.prefix+key, value, ttl).Result()
	return ok, wrap(ctx, op, err)
}

// Take implements kv.Store with GETDEL, which is atomic on the server.
func (s *Store) Take(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := s.c.GetDel(ctx, s.prefix+key).Bytes()
	return found(ctx, "redis.Take", v, err)
}

// Delete implements kv.Store.
func (s *Store) Delete(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = s.prefix + k
	}
	return wrap(ctx, "redis.Delete", s.c.Del(ctx, full...).Err())
}

// Incr implements kv.Store.
func (s *Store) Incr(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	const op = "redis.Incr"
	ttl, err := expiry(op, ttl)
	if err != nil {
		return 0, err
	}
	n, err := incr.Run(ctx, s.c, []string{s.prefix + key}, ttl.Milliseconds()).Int64()
	return n, wrap(ctx, op, err)
}

// Decr implements kv.Store.
func (s *Store) Decr(ctx context.Context, key string) (int64, error) {
	n, err := decr.Run(ctx, s.c, []string{s.prefix + key}).Int64()
	return n, wrap(ctx, "redis.Decr", err)
}

// Close implements kv.Store.
func (s *Store) Close() error { return wrap(context.Background(), "redis.Close", s.c.Close()) }

// found finishes a Get or Take: a missing key is ok=false, not an error.
func found(ctx context.Context, op string, v []byte, err error) ([]byte, bool, error) {
	switch {
	case errors.Is(err, goredis.Nil):
		return nil, false, nil
	case err != nil:
		return nil, false, wrap(ctx, op, err)
	}
	return v, true, nil
}

// expiry checks a ttl and rounds a positive one up to Redis' millisecond
// resolution, so that a tiny ttl still expires instead of meaning "never".
// It also keeps negative values away from go-redis, which reads -1ns as
// "keep the old ttl".
func expiry(op string, ttl time.Duration) (time.Duration, error) {
	switch {
	case ttl < 0:
		return 0, errs.E(op, errs.Invalid, "negative ttl")
	case ttl == 0:
		return 0, nil
	}
	return (ttl + time.Millisecond - 1).Truncate(time.Millisecond), nil
}

// wrap gives err a kind. When the caller's ctx is done the error gets no kind
// and carries ctx.Err(), so that callers recognise their own cancellation
// with errors.Is even where go-redis reports it as a socket timeout. Server
// replies that mean "not now" (loading, read-only replica, out of memory, bad
// credentials) are Unavailable like network failures; Incr of a non-integer
// is Invalid.
func wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var reply goredis.Error
	switch cerr := ctx.Err(); {
	case cerr != nil && errors.Is(err, cerr):
		return errs.E(op, err)
	case cerr != nil:
		return errs.E(op, fmt.Errorf("%w: %w", cerr, err))
	case goredis.HasErrorPrefix(err, "value is not an integer"),
		goredis.HasErrorPrefix(err, "increment or decrement would overflow"):
		return errs.E(op, errs.Invalid, err)
	case errors.As(err, &reply):
		if goredis.IsLoadingError(err) || goredis.IsReadOnlyError(err) ||
			goredis.IsMasterDownError(err) || goredis.IsTryAgainError(err) ||
			goredis.IsClusterDownError(err) || goredis.IsMaxClientsError(err) ||
			goredis.IsOOMError(err) || goredis.IsAuthError(err) {
			return errs.E(op, errs.Unavailable, err)
		}
		return errs.E(op, errs.Internal, err)
	}
	// Everything else failed before a reply arrived: dial errors, broken or
	// timed-out connections, an exhausted pool, a closed client.
	return errs.E(op, errs.Unavailable, err)
}

var _ kv.Store = (*Store)(nil)
