package setting

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stratus-drive/stratus/internal/kv/memory"
	"github.com/stratus-drive/stratus/internal/store/storetest"
)

// TestProcessesShareSettings is a script over two services on one database
// and one KV store, as two processes: defaults and generated secrets are
// inserted once, environment values apply, and a write through one is seen
// by the other at its next Sync.
func TestProcessesShareSettings(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, "sqlite")
	kv := memory.New()
	defer kv.Close()
	log := slog.New(slog.DiscardHandler)
	a, err := New(ctx, db, kv, []string{"CR_SETTING_DEFAULT_siteName=First", "CR_SETTING_thumb_width=123", "junk"}, log)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(ctx, db, kv, []string{"CR_SETTING_DEFAULT_siteName=Second"}, log)
	if err != nil {
		t.Fatal(err)
	}
	if a.String("secret_key") == "" || a.String("secret_key") != b.String("secret_key") {
		t.Error("the generated secret differs between processes")
	}
	if a.String("siteName") != "First" || b.String("siteName") != "First" {
		t.Errorf("siteName %q, %q: the first process's default is stored once", a.String("siteName"), b.String("siteName"))
	}
	if a.Int("thumb_width") != 123 || b.Int("thumb_width") == 123 {
		t.Errorf("the environment override is the process's own: %d, %d", a.Int("thumb_width"), b.Int("thumb_width"))
	}
	if !a.Has("siteName") || a.Has("no_such_key") {
		t.Error("Has")
	}

	if err := a.Set(ctx, map[string]string{"siteName": "Renamed", "siteURL": "https://a.example, https://b.example"}); err != nil {
		t.Fatal(err)
	}
	if b.String("siteName") != "First" {
		t.Error("b saw the change before syncing")
	}
	if err := b.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if b.String("siteName") != "Renamed" || len(b.SiteURLs()) != 2 || b.SiteURLs()[1] != "https://b.example" {
		t.Errorf("after Sync: %q %v", b.String("siteName"), b.SiteURLs())
	}
	if v, ok := b.Stored("siteName"); !ok || v != "Renamed" {
		t.Errorf("Stored = %q, %v", v, ok)
	}
}
