package admin

import (
	"context"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/task"
)

// The task queue (60-admin §9, 90-newer-versions §5). Today the only work
// outside requests is the scheduled jobs, which run in every process and
// keep no rows: the metrics count their runs in this process, and the task
// list is empty until the durable queue (archive, extract, remote download,
// relocate, import) stores tasks.

// ErrTaskNotExist is a task id with no task.
var ErrTaskNotExist = errs.NewSentinel(errs.NotExist, "task not found")

// taskStatuses are the states a task filter may name.
var taskStatuses = map[string]bool{"queued": true, "processing": true, "suspending": true, "error": true,
	"canceled": true, "completed": true}

// QueueMetrics returns each queue's figures since this process started.
func (s *Service) QueueMetrics(ctx context.Context, actor drive.Actor) ([]task.QueueMetric, error) {
	const op = "admin.QueueMetrics"
	if err := authorize(op, actor); err != nil {
		return nil, err
	}
	return s.jobs.Metrics(), nil
}

// Tasks lists tasks after checking the filter; no tasks are stored yet.
func (s *Service) Tasks(ctx context.Context, actor drive.Actor, lr ListRequest) ([]struct{}, Pagination, error) {
	const op = "admin.Tasks"
	if _, err := lr.authorizedPage(op, actor); err != nil {
		return nil, Pagination{}, err
	}
	if v := lr.Conditions["task_status"]; v != "" && !taskStatuses[v] {
		return nil, Pagination{}, errs.E(op, errs.Invalid, "condition task_status is unknown")
	}
	if v := lr.Conditions["task_correlation_id"]; v != "" {
		if _, err := uuid.Parse(v); err != nil {
			return nil, Pagination{}, errs.E(op, errs.Invalid, "condition task_correlation_id must be a UUID")
		}
	}
	if _, err := lr.intCondition(op, "task_user_id"); err != nil {
		return nil, Pagination{}, err
	}
	return []struct{}{}, lr.pagination(0), nil
}

// Task returns task id; none exist yet.
func (s *Service) Task(ctx context.Context, actor drive.Actor, id int) (struct{}, error) {
	const op = "admin.Task"
	if err := authorize(op, actor); err != nil {
		return struct{}{}, err
	}
	return struct{}{}, errs.E(op, ErrTaskNotExist)
}

// DeleteTasks deletes tasks; every id is unknown until tasks are stored.
func (s *Service) DeleteTasks(ctx context.Context, actor drive.Actor, ids []int) error {
	return eachID("admin.DeleteTasks", actor, ids, func(int) error { return ErrTaskNotExist })
}

// CleanupTasks deletes finished tasks created at or before notAfter
// (90-newer-versions §5); statuses default to canceled, completed and
// error.
func (s *Service) CleanupTasks(ctx context.Context, actor drive.Actor, notAfter time.Time, types, statuses []string) error {
	const op = "admin.CleanupTasks"
	if err := authorize(op, actor); err != nil {
		return err
	}
	if notAfter.IsZero() {
		return errs.E(op, errs.Invalid, "NotAfter is required")
	}
	for _, st := range statuses {
		if !taskStatuses[st] {
			return errs.E(op, errs.Invalid, "Status "+strconv.Quote(st)+" is unknown")
		}
	}
	return s.record(ctx, s.db, actor, "queue.cleanup", "queue", "", nil,
		map[string]any{"not_after": notAfter, "types": types, "status": statuses})
}
