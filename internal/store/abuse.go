package store

import (
	"context"
	"database/sql"

	"github.com/stratus-drive/stratus/internal/drive"
)

const abuseColumns = `id, created_at, category, description, share_id, reported_user_id, reporter_id, file_uri, ip`

var insertAbuse = define("InsertAbuseReport", `INSERT INTO abuse_reports
 (created_at, category, description, share_id, reported_user_id, reporter_id, file_uri, ip)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

// InsertAbuseReport stores a and sets its ID and time.
func (r *runner) InsertAbuseReport(ctx context.Context, a *drive.AbuseReport) error {
	t := now()
	id, err := r.insert(ctx, insertAbuse, t, a.Category, a.Description, a.ShareID, a.ReportedUserID, a.ReporterID,
		a.FileURI, a.IP)
	if err != nil {
		return classify("store.InsertAbuseReport", err)
	}
	a.ID, a.CreatedAt = id, t
	return nil
}

// AbuseFilter selects abuse reports; zero fields select all.
type AbuseFilter struct {
	Category       int // -1: any
	ReportedUserID int
	ShareID        int
}

// AdminAbuseReports returns one page of the reports f selects and their
// number.
func (r *runner) AdminAbuseReports(ctx context.Context, f AbuseFilter, p Page) ([]*drive.AbuseReport, int, error) {
	w := &where{}
	if f.Category >= 0 {
		w.add("category = ?", f.Category)
	}
	if f.ReportedUserID != 0 {
		w.add("reported_user_id = ?", f.ReportedUserID)
	}
	if f.ShareID != 0 {
		w.add("share_id = ?", f.ShareID)
	}
	var out []*drive.AbuseReport
	n, err := r.page(ctx, "store.AdminAbuseReports", abuseColumns, "abuse_reports", w, nil, p, func(rows *sql.Rows) error {
		var a drive.AbuseReport
		err := rows.Scan(&a.ID, &a.CreatedAt, &a.Category, &a.Description, &a.ShareID, &a.ReportedUserID, &a.ReporterID,
			&a.FileURI, &a.IP)
		a.CreatedAt = a.CreatedAt.UTC()
		out = append(out, &a)
		return err
	})
	return out, n, err
}

var deleteAbuse = define("DeleteAbuseReport", `DELETE FROM abuse_reports WHERE id = ?`)

// DeleteAbuseReport removes report id. A missing report is errs.NotExist.
func (r *runner) DeleteAbuseReport(ctx context.Context, id int) error {
	return classify("store.DeleteAbuseReport", r.update(ctx, deleteAbuse, id))
}
