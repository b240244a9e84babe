package store

import (
	"context"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

// Queries of the background jobs: the recycler and the trash purge.

var markOrphan = define("MarkOrphanEntity", `UPDATE entities SET props = ?, updated_at = ?
 WHERE id = ? AND reference_count <= 0`)

// MarkOrphanEntity sets the props of entity if nothing links it any more;
// an entity still linked is left alone (no error), so a delete can record
// how the last link went without knowing whether it was the last.
func (r *runner) MarkOrphanEntity(ctx context.Context, entity int, props drive.EntityProps) error {
	const op = "store.MarkOrphanEntity"
	doc, err := encodeDoc(props)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	_, err = r.exec(ctx, markOrphan, doc, now(), entity)
	return classify(op, err)
}

var metadataByName = define("MetadataByName", `SELECT file_id, name, value, is_public FROM metadata
 WHERE name = ? AND file_id > ? ORDER BY file_id LIMIT ?`)

// MetadataByName returns up to limit entries called name, of files with ids
// above after, in file order: how the trash purge finds every trashed item
// (by its collect time) without walking each user's trash.
func (r *runner) MetadataByName(ctx context.Context, name string, after, limit int) ([]Meta, error) {
	const op = "store.MetadataByName"
	rows, err := r.rows(ctx, metadataByName, name, after, limit)
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var out []Meta
	for rows.Next() {
		var m Meta
		if err := rows.Scan(&m.FileID, &m.Name, &m.Value, &m.Public); err != nil {
			return nil, classify(op, err)
		}
		out = append(out, m)
	}
	return out, classify(op, rows.Err())
}

var claimMeta = define("ClaimMetadata", `DELETE FROM metadata WHERE file_id = ? AND name = ? AND value = ?`)

// ClaimMetadata deletes the entry of file called name if it still holds
// value, and reports whether it did. The delete locks the row, so of
// several transactions claiming one entry exactly one gets true: jobs that
// run in several processes at once use it to take an item.
func (r *runner) ClaimMetadata(ctx context.Context, file int, name, value string) (bool, error) {
	const op = "store.ClaimMetadata"
	res, err := r.exec(ctx, claimMeta, file, name, value)
	if err != nil {
		return false, classify(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, classify(op, err)
	}
	return n > 0, nil
}
