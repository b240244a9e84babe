// Package task runs work outside requests. For now it holds only the
// scheduler of the filesystem's background jobs (the recycler, the trash
// purge, expired-upload cleanup, capacity calibration); the durable task
// queue (archive, extract, remote download, relocate, import) will live here.
package task

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/setting"
)

// Job schedules: site settings, as in Cloudreve, except the upload cleanup,
// which has no setting there (it is a per-session task).
const (
	settingEntityCollect = "cron_entity_collect"
	settingTrashCollect  = "cron_trash_bin_collect"
	uploadCleanupEvery   = 10 * time.Minute
	// settingCalibrate is ours; Cloudreve calibrates only on an admin's request.
	settingCalibrate = "cron_storage_calibrate"
	// firstJobDelay bounds the wait before a job's first run after start,
	// leaving the start-up itself to finish first.
	firstJobDelay = 2 * time.Minute
	// minJobInterval keeps a mistyped schedule from spinning.
	minJobInterval = time.Second
)

// Scheduler runs the filesystem's background jobs on their schedules.
type Scheduler struct {
	fs       *files.Service
	settings *setting.Service
	log      *slog.Logger
}

// NewScheduler returns the scheduler of fs's jobs, with schedules from settings.
func NewScheduler(fs *files.Service, settings *setting.Service, log *slog.Logger) *Scheduler {
	return &Scheduler{fs: fs, settings: settings, log: log}
}

// Run runs the background jobs on their schedules until ctx ends, then
// returns once every job in progress has stopped. Schedules are read again
// after each run, so a settings change applies from the next run. Each job
// first runs one interval after the start, or two minutes after it when
// that is sooner.
func (s *Scheduler) Run(ctx context.Context) {
	fs := s.fs
	jobs := []struct {
		name    string
		setting string
		run     func(context.Context) (int, error)
	}{
		{"entity collect", settingEntityCollect, fs.CollectEntities},
		{"trash purge", settingTrashCollect, func(ctx context.Context) (int, error) { return fs.PurgeTrash(ctx, fs.Now()) }},
		{"upload cleanup", "", fs.CleanExpiredUploads},
		{"capacity calibration", settingCalibrate, fs.CalibrateCapacity},
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			for first := true; ; first = false {
				every := uploadCleanupEvery
				if j.setting != "" {
					spec := s.settings.String(j.setting)
					var ok bool
					if every, ok = ParseSchedule(spec); !ok {
						s.log.Warn("unsupported job schedule, running hourly", "setting", j.setting, "value", spec)
					}
				}
				if first {
					// A process restarted more often than a job's interval
					// would otherwise never run it.
					every = min(every, firstJobDelay)
				}
				timer := time.NewTimer(every)
				select {
				case <-ctx.Done():
					timer.Stop()
					return
				case <-timer.C:
				}
				start := time.Now()
				n, err := j.run(ctx)
				if err != nil && ctx.Err() == nil {
					s.log.Error("background job failed", "job", j.name, "done", n, "err", err)
				} else if n > 0 {
					s.log.Info("background job", "job", j.name, "done", n, "took", time.Since(start))
				}
			}
		})
	}
	wg.Wait()
}

// ParseSchedule reads a job schedule: "@every <duration>" (Go syntax, such
// as "15m" or "1h30m"), or one of "@hourly", "@daily" ("@midnight"),
// "@weekly". It runs descriptors as intervals from the last run rather than
// on the wall clock. Anything else, five-field cron lines included, gives
// an hour and false; an empty schedule gives an hour and true, as a missing
// setting does in Cloudreve.
func ParseSchedule(spec string) (time.Duration, bool) {
	spec = strings.TrimSpace(spec)
	switch spec {
	case "", "@hourly":
		return time.Hour, true
	case "@daily", "@midnight":
		return 24 * time.Hour, true
	case "@weekly":
		return 7 * 24 * time.Hour, true
	}
	if d, ok := strings.CutPrefix(spec, "@every "); ok {
		every, err := time.ParseDuration(strings.TrimSpace(d))
		if err == nil && every > 0 {
			return max(every, minJobInterval), true
		}
	}
	return time.Hour, false
}
