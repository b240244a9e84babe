package account

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/kv/memory"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/storage/local"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
	"github.com/stratus-drive/stratus/internal/testenv/clock"
)

// The service-level harness: the account service on a real SQLite database
// in t.TempDir(), the memory KV store and a clock the test moves.

type harness struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	kv    kv.Store
	clock *clock.Fake
	s     *Service
}

// newHarness builds the service; store wraps the KV store when not nil.
func newHarness(t *testing.T, wrap func(kv.Store) kv.Store) *harness {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, "sqlite")
	log := slog.New(slog.DiscardHandler)
	var store kv.Store = memory.New()
	if wrap != nil {
		store = wrap(store)
	}
	settings, err := setting.New(ctx, db, store, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	c := clock.New()
	avatars, err := local.New(local.Settings{Root: t.TempDir()}, storage.Env{})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Deps{DB: db, Settings: settings, KV: store, IDs: hashid.New("test"), Log: log, Avatars: avatars,
		Now: c.Now})
	return &harness{t: t, ctx: ctx, db: db, kv: store, clock: c, s: s}
}

// user creates an active account with password in the user group.
func (h *harness) user(email, password string) drive.Actor {
	h.t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		h.t.Fatal(err)
	}
	u := &drive.User{Email: email, Nick: "n", Password: hash, Status: drive.StatusActive, GroupID: drive.UserGroupID}
	if err := h.db.CreateUser(h.ctx, u); err != nil {
		h.t.Fatal(err)
	}
	g, err := h.db.Group(h.ctx, u.GroupID)
	if err != nil {
		h.t.Fatal(err)
	}
	u.Group = g
	return drive.Actor{User: u}
}

// settingsOf reads user id's settings document as stored.
func (h *harness) settingsOf(id int) drive.UserSettings {
	h.t.Helper()
	u, err := h.db.UserByID(h.ctx, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return u.Settings
}

// hookKV runs a hook once, at the first counter increment: the point where
// a password check begins, between the service's read of the user and its
// write.
type hookKV struct {
	kv.Store
	once sync.Once
	hook func()
}

func (k *hookKV) Incr(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	k.once.Do(k.hook)
	return k.Store.Incr(ctx, key, ttl)
}
