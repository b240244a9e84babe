// Package media makes what the filesystem shows of a file's content besides
// the content itself: thumbnails today, media metadata later. It reaches
// files only through the surface files exports for the rooms above it.
package media

import (
	"log/slog"

	"golang.org/x/sync/semaphore"

	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/throttle"
)

// Service makes and serves thumbnails.
type Service struct {
	db       *store.DB
	fs       *files.Service
	settings *setting.Service
	log      *slog.Logger
	limiter  *throttle.Limiter
	// thumbSlots bounds the thumbnails decoded at once (CPU); decodeBudget
	// bounds the bytes their decoded images hold together (memory).
	thumbSlots   chan struct{}
	decodeBudget *semaphore.Weighted
}

// New returns the media service over the filesystem fs; limiter bounds
// anonymous visitors' thumbnail generations.
func New(db *store.DB, fs *files.Service, settings *setting.Service, log *slog.Logger, limiter *throttle.Limiter) *Service {
	return &Service{db: db, fs: fs, settings: settings, log: log, limiter: limiter,
		thumbSlots: make(chan struct{}, thumbConcurrency), decodeBudget: semaphore.NewWeighted(decodeBudgetBytes)}
}
