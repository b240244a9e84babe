// Package archiver is the room for archives of the virtual filesystem: zip
// download sessions of several items, and listings of the zip files a user
// stores. It reaches files through the surface files exports for the rooms
// above it; the byte formats themselves are internal/archive's.
package archiver

import (
	"log/slog"

	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// Service issues and serves archive downloads (30-files §7.1, §7.3): a
// session, kept in the KV store until site setting archive_timeout passes,
// records who asked for which items (resolved when it is made, kept by ID);
// its signed URL streams a zip of them, checked again as that user when it
// is fetched, as often as wanted until the
// session expires. The KV store (Redis for several processes) lets any
// process serve a session another issued. It also lists zip files.
type Service struct {
	db       *store.DB
	fs       *files.Service
	kv       kv.Store
	settings *setting.Service
	ids      *hashid.Codec
	log      *slog.Logger
	limiter  *throttle.Limiter // sessions per user
}

// New returns the archive room over the filesystem fs, with download
// sessions in sessions.
func New(db *store.DB, fs *files.Service, sessions kv.Store, settings *setting.Service, ids *hashid.Codec,
	log *slog.Logger, limiter *throttle.Limiter) *Service {
	return &Service{db: db, fs: fs, kv: sessions, settings: settings, ids: ids, log: log, limiter: limiter}
}
