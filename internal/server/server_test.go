package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/storage/all"
	"github.com/stratus-drive/stratus/internal/testenv/clock"
)

// TestNewServesAndCloses builds a whole process on SQLite in a temporary
// data directory with a fake clock, answers a request, and closes, waiting
// for its background work. The API itself is tested end to end in e2e.
func TestNewServesAndCloses(t *testing.T) {
	cfg := config.Default()
	cfg.System.DataDir = filepath.Join(t.TempDir(), "data")
	now := clock.At(time.Now())
	s, err := New(context.Background(), cfg, slog.New(slog.DiscardHandler), Options{Now: now.Now,
		Environ: []string{"CR_SETTING_siteName=Tested"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cfg.System.DataDir); err != nil {
		t.Errorf("the data directory was not made: %v", err)
	}
	if got := s.Files().Now(); !got.Equal(now.Now()) {
		t.Errorf("the filesystem's clock is %v, want the fake %v", got, now.Now())
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v4/site/config/basic", nil))
	var env struct {
		Code int `json:"code"`
		Data struct {
			Title string `json:"title"`
		} `json:"data"`
	}
	if err := json.NewDecoder(rec.Body).Decode(&env); err != nil || rec.Code != http.StatusOK || env.Code != 0 ||
		env.Data.Title != "Tested" {
		t.Errorf("site config: %d %+v %v", rec.Code, env, err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}

// TestAvatarStorage: avatars live under avatar_path, relative to the data
// directory or absolute, where earlier versions wrote them.
func TestAvatarStorage(t *testing.T) {
	dataDir, abs := t.TempDir(), t.TempDir()
	for dir, want := range map[string]string{"avatar": filepath.Join(dataDir, "avatar"), abs: abs} {
		d, err := avatarStorage(all.Registry(), storage.Env{DataDir: dataDir}, dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Put(context.Background(), "avatar_1.png", strings.NewReader("png"), 3); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(filepath.Join(want, "avatar_1.png")); err != nil || string(b) != "png" {
			t.Errorf("avatar_path %q: %q, %v", dir, b, err)
		}
	}
}
