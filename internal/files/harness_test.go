package files

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/kv/memory"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/storage/local"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// The service-level harness: the filesystem on a real SQLite database and
// the local driver, both in t.TempDir(), with a clock the test moves.

// clock is a test clock; it moves only when the test says so.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type harness struct {
	t        *testing.T
	ctx      context.Context
	db       *store.DB
	settings *setting.Service
	clock    *clock
	s        *Service
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, "sqlite")
	log := slog.New(slog.DiscardHandler)
	kv := memory.New()
	settings, err := setting.New(ctx, db, kv, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	registry := storage.NewRegistry()
	storage.Register(registry, "local", local.ParseSettings, local.New)
	s := New(db, settings, hashid.New("test"), registry, storage.Env{DataDir: t.TempDir()}, log,
		throttle.New(kv, log))
	c := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	s.now = c.Now
	return &harness{t: t, ctx: ctx, db: db, settings: settings, clock: c, s: s}
}

// user creates an active account in the user group (1 GiB, local policy).
func (h *harness) user(email string) drive.Actor {
	h.t.Helper()
	u := &drive.User{Email: email, Nick: "n", Status: drive.StatusActive, GroupID: drive.UserGroupID}
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
