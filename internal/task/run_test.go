package task

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/files/filestest"
)

// wait is one call of the scheduler's wait, held until the test releases it.
type wait struct {
	job     string
	d       time.Duration
	release chan bool
}

// TestRunSchedules drives Run through its waits, without a real clock:
// every job first waits at most two minutes, runs when released, then
// waits its full interval read from the settings; ending the context stops
// every job.
func TestRunSchedules(t *testing.T) {
	env := filestest.New(t)
	if err := env.Settings.Set(env.Ctx, map[string]string{settingEntityCollect: "@every 90s",
		settingTrashCollect: "@daily", settingCalibrate: "@every 1h"}); err != nil {
		t.Fatal(err)
	}
	s := NewScheduler(env.Files, env.Settings, env.Log)
	waits := make(chan wait)
	s.wait = func(ctx context.Context, job string, d time.Duration) bool {
		w := wait{job, d, make(chan bool)}
		select {
		case waits <- w:
		case <-ctx.Done():
			return false
		}
		select {
		case due := <-w.release:
			return due
		case <-ctx.Done():
			return false
		}
	}
	ctx, cancel := context.WithCancel(env.Ctx)
	var done sync.WaitGroup
	done.Go(func() { s.Run(ctx) })

	first := map[string]time.Duration{"entity collect": 90 * time.Second, "trash purge": 2 * time.Minute,
		"upload cleanup": 2 * time.Minute, "capacity calibration": 2 * time.Minute}
	then := map[string]time.Duration{"entity collect": 90 * time.Second, "trash purge": 24 * time.Hour,
		"upload cleanup": uploadCleanupEvery, "capacity calibration": time.Hour}
	held := map[string]wait{}
	for range first {
		w := <-waits
		if w.d != first[w.job] {
			t.Errorf("%s first waits %v, want %v", w.job, w.d, first[w.job])
		}
		held[w.job] = w
	}
	for _, w := range held {
		w.release <- true
	}
	for range then {
		w := <-waits // each job ran once, then waits again
		if w.d != then[w.job] {
			t.Errorf("%s then waits %v, want %v", w.job, w.d, then[w.job])
		}
	}
	if m := s.Metrics(); m[1].Name != "recycle" || m[1].SuccessTasks != 4 || m[1].FailureTasks != 0 {
		t.Errorf("metrics after one run of each job: %+v", m[1])
	}
	cancel()
	done.Wait()
}
