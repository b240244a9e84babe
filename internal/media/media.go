// Package media makes what the filesystem shows of a file's content besides
// the content itself: thumbnails today, media metadata later. It reaches
// files only through the surface files exports for the rooms above it.
package media

import (
	"log/slog"

	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/store"
)

// Service makes and serves thumbnails.
type Service struct {
	db       *store.DB
	fs       *files.Service
	settings *setting.Service
	log      *slog.Logger
	// thumbSlots bounds the thumbnails decoded at once (each may hold a
	// decoded image of up to maxThumbPixels).
	thumbSlots chan struct{}
}

// New returns the media service over the filesystem fs.
func New(db *store.DB, fs *files.Service, settings *setting.Service, log *slog.Logger) *Service {
	return &Service{db: db, fs: fs, settings: settings, log: log,
		thumbSlots: make(chan struct{}, thumbConcurrency)}
}
