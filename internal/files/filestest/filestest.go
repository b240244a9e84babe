// Package filestest builds the filesystem for service-level tests of the
// rooms above it (share, media, archiver, directlink, task): a real SQLite
// database and the local driver in t.TempDir(), the memory KV store, and a
// fake clock.
package filestest

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/kv/memory"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/storage/local"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
	"github.com/stratus-drive/stratus/internal/testenv/clock"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// Env is a filesystem with what it was built from.
type Env struct {
	Ctx      context.Context
	DB       *store.DB
	KV       kv.Store
	Settings *setting.Service
	IDs      *hashid.Codec
	Clock    *clock.Fake
	Log      *slog.Logger
	Files    *files.Service
}

// New builds the filesystem for t.
func New(t testing.TB) *Env {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, "sqlite")
	log := slog.New(slog.DiscardHandler)
	store := memory.New()
	t.Cleanup(func() { store.Close() })
	settings, err := setting.New(ctx, db, store, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	registry := storage.NewRegistry()
	storage.Register(registry, "local", local.ParseSettings, local.New)
	ids := hashid.New("test")
	fs := files.New(db, settings, ids, registry, storage.Env{DataDir: t.TempDir()}, log, throttle.New(store, log))
	c := clock.New()
	fs.SetClock(c.Now)
	return &Env{Ctx: ctx, DB: db, KV: store, Settings: settings, IDs: ids, Clock: c, Log: log, Files: fs}
}

// User creates an active account in the user group and returns it as an
// actor with its group loaded.
func (e *Env) User(t testing.TB, email string) drive.Actor {
	t.Helper()
	u := &drive.User{Email: email, Nick: "n", Status: drive.StatusActive, GroupID: drive.UserGroupID}
	if err := e.DB.CreateUser(e.Ctx, u); err != nil {
		t.Fatal(err)
	}
	g, err := e.DB.Group(e.Ctx, u.GroupID)
	if err != nil {
		t.Fatal(err)
	}
	u.Group = g
	return drive.Actor{User: u}
}

// Upload stores data at uri for actor through an upload session, chunk by
// chunk, and returns the file.
func (e *Env) Upload(t testing.TB, actor drive.Actor, uri string, data []byte) *files.Node {
	t.Helper()
	sess, err := e.Files.CreateUpload(e.Ctx, actor, files.UploadRequest{URI: uri, Size: int64(len(data)),
		EntityType: "version"})
	if err != nil {
		t.Fatalf("upload %s: %v", uri, err)
	}
	for i := 0; int64(i)*sess.ChunkSize < int64(len(data)) || i == 0 && len(data) == 0; i++ {
		chunk := data[int64(i)*sess.ChunkSize : min(int64(len(data)), int64(i+1)*sess.ChunkSize)]
		if err := e.Files.UploadChunk(e.Ctx, actor, sess.ID, i, bytes.NewReader(chunk), int64(len(chunk))); err != nil {
			t.Fatalf("upload %s chunk %d: %v", uri, i, err)
		}
	}
	n, err := e.Files.Info(e.Ctx, actor, uri)
	if err != nil {
		t.Fatalf("upload %s: %v", uri, err)
	}
	return n
}

// Grant adds permissions to the user group, in the database and in the
// actor's copy of the group, and returns the actor.
func (e *Env) Grant(t testing.TB, actor drive.Actor, perms ...drive.GroupPermission) drive.Actor {
	t.Helper()
	g := *actor.User.Group
	for _, p := range perms {
		g.Permissions = g.Permissions.With(int(p))
	}
	if err := e.DB.UpdateGroupPermissions(e.Ctx, g.ID, g.Permissions); err != nil {
		t.Fatal(err)
	}
	u := *actor.User
	u.Group = &g
	return drive.Actor{User: &u}
}
