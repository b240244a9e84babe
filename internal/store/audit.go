package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
)

const auditColumns = `id, created_at, actor_id, actor_email, action, target_type, target_id, before_value,
 after_value, ip, correlation_id`

var insertAudit = define("InsertAudit", `INSERT INTO audit_logs
 (created_at, actor_id, actor_email, action, target_type, target_id, before_value, after_value, ip, correlation_id)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

// InsertAudit appends e to the audit log and sets its ID and time.
func (r *runner) InsertAudit(ctx context.Context, e *drive.AuditEntry) error {
	t := now()
	id, err := r.insert(ctx, insertAudit, t, e.ActorID, e.ActorEmail, e.Action, e.TargetType, e.TargetID,
		e.Before, e.After, e.IP, e.CorrelationID)
	if err != nil {
		return classify("store.InsertAudit", err)
	}
	e.ID, e.CreatedAt = id, t
	return nil
}

// AuditFilter selects audit entries; zero fields select all.
type AuditFilter struct {
	ActorID    int
	Action     string
	TargetType string
	TargetID   string
	Since      time.Time
	Until      time.Time
}

var auditOrders = map[string]string{}

// AdminAudit returns one page of the audit entries f selects (newest first
// unless p asks otherwise) and their number.
func (r *runner) AdminAudit(ctx context.Context, f AuditFilter, p Page) ([]*drive.AuditEntry, int, error) {
	w := &where{}
	if f.ActorID != 0 {
		w.add("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if f.TargetType != "" {
		w.add("target_type = ?", f.TargetType)
	}
	if f.TargetID != "" {
		w.add("target_id = ?", f.TargetID)
	}
	if !f.Since.IsZero() {
		w.add("created_at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		w.add("created_at < ?", f.Until.UTC())
	}
	var out []*drive.AuditEntry
	n, err := r.page(ctx, "store.AdminAudit", auditColumns, "audit_logs", w, auditOrders, p,
		func(rows *sql.Rows) error {
			var e drive.AuditEntry
			err := rows.Scan(&e.ID, &e.CreatedAt, &e.ActorID, &e.ActorEmail, &e.Action, &e.TargetType, &e.TargetID,
				&e.Before, &e.After, &e.IP, &e.CorrelationID)
			e.CreatedAt = e.CreatedAt.UTC()
			out = append(out, &e)
			return err
		})
	return out, n, err
}
