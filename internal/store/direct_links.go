package store

import (
	"context"
	"sort"

	"github.com/stratus-drive/stratus/internal/drive"
)

const directLinkColumns = `id, file_id, name, speed, downloads, created_at, updated_at`

var insertDirectLink = define("InsertDirectLink", `INSERT INTO direct_links
 (file_id, name, speed, downloads, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?) RETURNING id`)

// InsertDirectLink adds l with a zero counter and sets its ID and times.
func (r *runner) InsertDirectLink(ctx context.Context, l *drive.DirectLink) error {
	const op = "store.InsertDirectLink"
	t := now()
	id, err := r.insert(ctx, insertDirectLink, l.FileID, l.Name, l.Speed, t, t)
	if err != nil {
		return classify(op, err)
	}
	l.ID, l.Downloads, l.CreatedAt, l.UpdatedAt = id, 0, t, t
	return nil
}

var directLinkByID = define("DirectLinkByID", `SELECT `+directLinkColumns+` FROM direct_links WHERE id = ?`)

// DirectLinkByID returns link id, or errs.NotExist.
func (r *runner) DirectLinkByID(ctx context.Context, id int) (*drive.DirectLink, error) {
	const op = "store.DirectLinkByID"
	l, err := scanDirectLink(r.row(ctx, directLinkByID, id))
	return l, classify(op, err)
}

var findDirectLink = define("FindDirectLink", `SELECT `+directLinkColumns+` FROM direct_links
 WHERE file_id = ? AND name = ? AND speed = ? ORDER BY id LIMIT 1`)

// FindDirectLink returns the oldest link of file with that name and speed,
// or errs.NotExist.
func (r *runner) FindDirectLink(ctx context.Context, file int, name string, speed int) (*drive.DirectLink, error) {
	const op = "store.FindDirectLink"
	l, err := scanDirectLink(r.row(ctx, findDirectLink, file, name, speed))
	return l, classify(op, err)
}

var directLinksOfFile = define("DirectLinksOfFile", `SELECT `+directLinkColumns+` FROM direct_links
 WHERE file_id = ? LIMIT 1000`)

// DirectLinksOfFile returns the links of file (at most 1000), oldest first.
func (r *runner) DirectLinksOfFile(ctx context.Context, file int) ([]*drive.DirectLink, error) {
	const op = "store.DirectLinksOfFile"
	rows, err := r.rows(ctx, directLinksOfFile, file)
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var out []*drive.DirectLink
	for rows.Next() {
		l, err := scanDirectLink(rows)
		if err != nil {
			return nil, classify(op, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(op, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

var countDirectLinkDownload = define("CountDirectLinkDownload",
	`UPDATE direct_links SET downloads = downloads + 1, updated_at = ? WHERE id = ?`)

// CountDirectLinkDownload adds one to the counter of link id; a missing
// link is errs.NotExist.
func (r *runner) CountDirectLinkDownload(ctx context.Context, id int) error {
	const op = "store.CountDirectLinkDownload"
	return classify(op, r.update(ctx, countDirectLinkDownload, now(), id))
}

var deleteDirectLink = define("DeleteDirectLink", `DELETE FROM direct_links WHERE id = ?`)

// DeleteDirectLink removes link id; a missing link is errs.NotExist.
func (r *runner) DeleteDirectLink(ctx context.Context, id int) error {
	const op = "store.DeleteDirectLink"
	return classify(op, r.update(ctx, deleteDirectLink, id))
}

func scanDirectLink(s scanner) (*drive.DirectLink, error) {
	var l drive.DirectLink
	if err := s.Scan(&l.ID, &l.FileID, &l.Name, &l.Speed, &l.Downloads, &l.CreatedAt, &l.UpdatedAt); err != nil {
		return nil, err
	}
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	return &l, nil
}
