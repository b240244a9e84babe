package files

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/kv/memory"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/storage/local"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
	"github.com/stratus-drive/stratus/internal/testenv/clock"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// The service-level harness: the filesystem on a real SQLite database and
// the local driver, both in t.TempDir(), with a clock the test moves.

type harness struct {
	t        *testing.T
	ctx      context.Context
	db       *store.DB
	settings *setting.Service
	clock    *clock.Fake
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
	c := clock.New()
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

// upload stores data at uri through an upload session, chunk by chunk.
func (h *harness) upload(actor drive.Actor, uri string, data []byte) error {
	sess, err := h.s.CreateUpload(h.ctx, actor, UploadRequest{URI: uri, Size: int64(len(data)), EntityType: "version"})
	if err != nil {
		return err
	}
	for i := 0; int64(i)*sess.ChunkSize < int64(len(data)); i++ {
		chunk := data[int64(i)*sess.ChunkSize : min(int64(len(data)), int64(i+1)*sess.ChunkSize)]
		if err := h.s.UploadChunk(h.ctx, actor, sess.ID, i, bytes.NewReader(chunk), int64(len(chunk))); err != nil {
			return err
		}
	}
	return nil
}

// names lists the names under uri, folders first.
func (h *harness) names(actor drive.Actor, uri string) []string {
	h.t.Helper()
	l, err := h.s.List(h.ctx, actor, uri, ListOptions{PageSize: 1000})
	if err != nil {
		h.t.Fatalf("list %s: %v", uri, err)
	}
	var out []string
	for _, n := range l.Files {
		out = append(out, n.Name)
	}
	return out
}

// used is the actor's storage as recorded.
func (h *harness) used(actor drive.Actor) int64 {
	h.t.Helper()
	u, err := h.db.UserByID(h.ctx, actor.User.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return u.Storage
}
