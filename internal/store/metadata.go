package store

import (
	"context"
	"database/sql"

	"github.com/stratus-drive/stratus/internal/errs"
)

// Meta is one metadata entry of a file.
type Meta struct {
	FileID int
	Name   string
	Value  string
	Public bool
}

// MetadataOf returns the metadata of the given files.
func (r *runner) MetadataOf(ctx context.Context, files []int) ([]Meta, error) {
	var out []Meta
	err := r.eachRowIn(ctx, files, `SELECT file_id, name, value, is_public FROM metadata
 WHERE file_id IN (%s) ORDER BY file_id, name`, func(rows *sql.Rows) error {
		var m Meta
		err := rows.Scan(&m.FileID, &m.Name, &m.Value, &m.Public)
		out = append(out, m)
		return err
	})
	return out, classify("store.MetadataOf", err)
}

var upsertMeta = define("UpsertMetadata", `INSERT INTO metadata (file_id, name, value, is_public, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?)
 ON CONFLICT (file_id, name) DO UPDATE SET value = excluded.value, is_public = excluded.is_public, updated_at = excluded.updated_at`,
	`INSERT INTO metadata (file_id, name, value, is_public, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?)
 ON DUPLICATE KEY UPDATE value = VALUES(value), is_public = VALUES(is_public), updated_at = VALUES(updated_at)`)

// SetMetadata inserts or replaces one metadata entry.
func (r *runner) SetMetadata(ctx context.Context, m Meta) error {
	const op = "store.SetMetadata"
	t := now()
	_, err := r.exec(ctx, upsertMeta, m.FileID, m.Name, m.Value, m.Public, t, t)
	return classify(op, err)
}

var deleteMeta = define("DeleteMetadata", `DELETE FROM metadata WHERE file_id = ? AND name = ?`)

// DeleteMetadata removes entries of file by name; absent names are ignored.
func (r *runner) DeleteMetadata(ctx context.Context, file int, names ...string) error {
	const op = "store.DeleteMetadata"
	for _, n := range names {
		if _, err := r.exec(ctx, deleteMeta, file, n); err != nil {
			return errs.E(op, classify(op, err))
		}
	}
	return nil
}
