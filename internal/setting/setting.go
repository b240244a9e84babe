// Package setting gives typed access to the site settings stored in the
// database (80-data-model §9). Values are cached in memory: every request
// reads several settings, so reads must not touch the database. A write bumps
// a version counter in the shared KV so that other processes reload.
package setting

import (
	"context"
	"crypto/rand"
	"log/slog"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/store"
)

// versionKey is bumped in KV on every write; readers compare it to reload.
const versionKey = "setting_version"

// Service reads and writes site settings.
type Service struct {
	db        *store.DB
	kv        kv.Store
	log       *slog.Logger
	overrides map[string]string // CR_SETTING_<key> environment overrides

	mu      sync.RWMutex
	values  map[string]string
	version string
}

// New inserts missing settings (defaults, CR_SETTING_DEFAULT_<key>
// environment values, freshly generated secrets), then loads all of them.
func New(ctx context.Context, db *store.DB, store kv.Store, environ []string, log *slog.Logger) (*Service, error) {
	const op = "setting.New"
	s := &Service{db: db, kv: store, log: log, overrides: map[string]string{}}
	initial := make(map[string]string, len(Defaults)+len(generated))
	for k, v := range Defaults {
		initial[k] = v
	}
	for k, gen := range generated {
		initial[k] = gen()
	}
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if key, ok := strings.CutPrefix(name, "CR_SETTING_DEFAULT_"); ok && key != "" {
			initial[key] = value
		} else if key, ok := strings.CutPrefix(name, "CR_SETTING_"); ok && key != "" {
			s.overrides[key] = value
		}
	}
	if err := db.InsertMissingSettings(ctx, initial); err != nil {
		return nil, errs.E(op, err)
	}
	if err := s.reload(ctx); err != nil {
		return nil, errs.E(op, err)
	}
	return s, nil
}

func (s *Service) reload(ctx context.Context) error {
	// The version first: a write that lands between the two reads then
	// leaves a newer version behind, so the next Sync reloads again.
	ver, _, err := s.kv.Get(ctx, versionKey)
	if err != nil {
		return err
	}
	values, err := s.db.Settings(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.values, s.version = values, string(ver)
	s.mu.Unlock()
	return nil
}

// Watch reloads the settings from the database every interval until ctx
// ends. Requests call Sync, which sees a change made through any process
// sharing this KV store at once; the reload also catches changes whose
// writer does not share it (a maintenance command on a site without Redis,
// an edit in the database), and keeps background work current.
func (s *Service) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.reload(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("reloading settings failed", "err", err)
			}
		}
	}
}

// Sync reloads the settings if another process changed them since this one
// last looked: one KV read when nothing changed. The API calls it before
// each request, so a change made through any process applies to the very
// next request everywhere.
func (s *Service) Sync(ctx context.Context) error {
	ver, _, err := s.kv.Get(ctx, versionKey)
	if err != nil {
		return err
	}
	s.mu.RLock()
	changed := string(ver) != s.version
	s.mu.RUnlock()
	if !changed {
		return nil
	}
	return s.reload(ctx)
}

// Set writes settings and tells other processes to reload.
func (s *Service) Set(ctx context.Context, values map[string]string) error {
	const op = "setting.Set"
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for k, v := range values {
			if err := tx.SetSetting(ctx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return errs.E(op, err)
	}
	ver := newUUID()
	if err := s.kv.Set(ctx, versionKey, []byte(ver), 0); err != nil {
		return errs.E(op, err)
	}
	s.mu.Lock()
	next := make(map[string]string, len(s.values)+len(values))
	for k, v := range s.values {
		next[k] = v
	}
	for k, v := range values {
		next[k] = v
	}
	s.values, s.version = next, ver
	s.mu.Unlock()
	return nil
}

// String returns the value of key: environment override, stored value, or
// the catalogue default.
func (s *Service) String(key string) string {
	if v, ok := s.overrides[key]; ok {
		return v
	}
	s.mu.RLock()
	v, ok := s.values[key]
	s.mu.RUnlock()
	if ok {
		return v
	}
	return Defaults[key]
}

// Bool reads key as a boolean: "1" and "true" are true, anything else false.
func (s *Service) Bool(key string) bool {
	v := s.String(key)
	return v == "1" || strings.EqualFold(v, "true")
}

// Int reads key as an integer; unparsable values read as 0.
func (s *Service) Int(key string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s.String(key)), 10, 64)
	return n
}

// Seconds reads key as a number of seconds.
func (s *Service) Seconds(key string) time.Duration { return time.Duration(s.Int(key)) * time.Second }

// List reads key as a comma-separated list, dropping empty items.
func (s *Service) List(key string) []string {
	var out []string
	for _, item := range strings.Split(s.String(key), ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// Has reports whether key has a stored row (or an environment override).
func (s *Service) Has(key string) bool {
	if _, ok := s.overrides[key]; ok {
		return true
	}
	s.mu.RLock()
	_, ok := s.values[key]
	s.mu.RUnlock()
	return ok
}

// Stored returns the stored value of key, ignoring environment overrides.
func (s *Service) Stored(key string) (string, bool) {
	s.mu.RLock()
	v, ok := s.values[key]
	s.mu.RUnlock()
	return v, ok
}

// PolicyVersionKey is a setting that changes whenever a storage policy is
// edited or deleted: services that cache what they built from policy rows
// compare it, so an edit reaches every process with the settings sync.
const PolicyVersionKey = "policy_version"

// BumpPolicyVersion records that storage policies changed.
func (s *Service) BumpPolicyVersion(ctx context.Context) error {
	return s.Set(ctx, map[string]string{PolicyVersionKey: newUUID()})
}

// SecretKey is the HMAC key for tokens and signed URLs.
func (s *Service) SecretKey() []byte { return []byte(s.String("secret_key")) }

// SiteURLs returns the configured site URLs; the first is primary.
func (s *Service) SiteURLs() []string {
	urls := s.List("siteURL")
	if len(urls) == 0 {
		return []string{"http://localhost:5212"}
	}
	return urls
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomAlnum returns n random alphanumerics from the system CSPRNG.
func randomAlnum(n int) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alnum)))
	for i := range b {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("setting: system random source failed: " + err.Error())
		}
		b[i] = alnum[k.Int64()]
	}
	return string(b)
}

func newUUID() string { return uuid.NewString() }
