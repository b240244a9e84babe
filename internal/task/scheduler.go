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
	"sync/atomic"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
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
	// recycle counts the runs of the jobs, which all belong to Cloudreve's
	// recycle queue (80-data-model §11), for the admin queue metrics.
	recycle counters
	// wait blocks until job's next run is due d from now, or ctx ends,
	// and reports whether the run is due; tests replace it.
	wait func(ctx context.Context, job string, d time.Duration) bool
}

// waitTimer is the real wait: a timer.
func waitTimer(ctx context.Context, _ string, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// counters are one queue's figures since the process started.
type counters struct {
	busy, success, failure, submitted atomic.Int64
}

// QueueMetric is one queue's figures since the process started
// (60-admin §9.1).
type QueueMetric struct {
	Name            string `json:"name"`
	BusyWorkers     int64  `json:"busy_workers"`
	SuccessTasks    int64  `json:"success_tasks"`
	FailureTasks    int64  `json:"failure_tasks"`
	SubmittedTasks  int64  `json:"submitted_tasks"`
	SuspendingTasks int64  `json:"suspending_tasks"`
}

// Queues are Cloudreve's queue names, in the order the admin metrics list
// them.
var Queues = []string{"media_meta", "recycle", "io_intense", "remote_download", "thumb"}

// Metrics returns the figures of every queue in Queues order. Only the
// recycle queue does work today (the scheduled jobs); the others stay zero
// until their tasks exist.
func (s *Scheduler) Metrics() []QueueMetric {
	out := make([]QueueMetric, len(Queues))
	for i, q := range Queues {
		out[i].Name = q
		if q == "recycle" {
			c := &s.recycle
			out[i].BusyWorkers, out[i].SuccessTasks = c.busy.Load(), c.success.Load()
			out[i].FailureTasks, out[i].SubmittedTasks = c.failure.Load(), c.submitted.Load()
		}
	}
	return out
}

// NewScheduler returns the scheduler of fs's jobs, with schedules from settings.
func NewScheduler(fs *files.Service, settings *setting.Service, log *slog.Logger) *Scheduler {
	return &Scheduler{fs: fs, settings: settings, log: log, wait: waitTimer}
}

// Job names, for RunNow and the command line.
const (
	JobEntityCollect = "entity_collect"
	JobTrashPurge    = "trash_purge"
	JobUploadCleanup = "upload_cleanup"
	JobCalibrate     = "calibrate"
)

// Jobs lists the job names RunNow knows.
var Jobs = []string{JobEntityCollect, JobTrashPurge, JobUploadCleanup, JobCalibrate}

// job returns the function of the named job, or nil.
func (s *Scheduler) job(name string) func(context.Context) (int, error) {
	fs := s.fs
	switch name {
	case JobEntityCollect:
		return fs.CollectEntities
	case JobTrashPurge:
		return func(ctx context.Context) (int, error) { return fs.PurgeTrash(ctx, fs.Now()) }
	case JobUploadCleanup:
		return fs.CleanExpiredUploads
	case JobCalibrate:
		return fs.CalibrateCapacity
	}
	return nil
}

// RunNow runs the named job once, at once, as its schedule would, and
// reports how many items it handled. An unknown name is errs.Invalid.
func (s *Scheduler) RunNow(ctx context.Context, name string) (int, error) {
	run := s.job(name)
	if run == nil {
		return 0, errs.E("task.RunNow", errs.Invalid, "unknown job "+name+"; known: "+strings.Join(Jobs, ", "))
	}
	return s.count(ctx, run)
}

// count runs one job and counts it in the recycle queue's figures.
func (s *Scheduler) count(ctx context.Context, run func(context.Context) (int, error)) (int, error) {
	c := &s.recycle
	c.submitted.Add(1)
	c.busy.Add(1)
	defer c.busy.Add(-1)
	n, err := run(ctx)
	if err != nil {
		c.failure.Add(1)
	} else {
		c.success.Add(1)
	}
	return n, err
}

// Run runs the background jobs on their schedules until ctx ends, then
// returns once every job in progress has stopped. Schedules are read again
// after each run, so a settings change applies from the next run. Each job
// first runs one interval after the start, or two minutes after it when
// that is sooner.
func (s *Scheduler) Run(ctx context.Context) {
	jobs := []struct {
		name    string
		setting string
		run     func(context.Context) (int, error)
	}{
		{"entity collect", settingEntityCollect, s.job(JobEntityCollect)},
		{"trash purge", settingTrashCollect, s.job(JobTrashPurge)},
		{"upload cleanup", "", s.job(JobUploadCleanup)},
		{"capacity calibration", settingCalibrate, s.job(JobCalibrate)},
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
				if !s.wait(ctx, j.name, every) {
					return
				}
				start := time.Now()
				n, err := s.count(ctx, j.run)
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
